"""Demo voice data for ``cypp demo``, from what the example plans themselves publish.

Buckinghamshire's plan prints, under each of its five priorities, the percentage of the
children and young people consulted who agreed with it ("97.97% of children and young
people consulted agreed with this priority"). The percentages are read from the stored
plan's measures, and the one group size that reproduces all five (197 of "about 200")
gives the counts. Worcestershire's village of 100 uses the plan's own measures, shown
from the demo figures (or the plan's baseline); its few outcome stories are made up, and
are marked as examples so every page and pack that quotes them says so. Each priority's
words for children come from ``examples/voice/<plan id>.wording.yaml`` and are stored as
the wording editor stores them (audited, editable); words an officer has already written
are kept. Nothing is stored twice.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from django.db import transaction

from cypp.voice import consultations as c
from cypp.voice.files import VoiceFileError
from cypp.voice.stories import Moderation, Teller
from cypp.voice.wording import read_wording_file
from cypp.web.plans import models as pm
from cypp.web.voice import actions
from cypp.web.voice import models as vm

__all__ = [
    "BUCKS",
    "BUCKS_TITLE",
    "EXAMPLES",
    "WORCS",
    "WORCS_VILLAGE",
    "WORDING_SUFFIX",
    "load_demo_voice",
]

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"
#: ``examples/voice/<plan id>.wording.yaml``: each priority in words for children.
WORDING_SUFFIX = ".wording.yaml"

BUCKS = "buckinghamshire-2011-14"
BUCKS_TITLE = "Consultation on the five priorities of the plan"
WORCS = "worcestershire-2014-17"
_AGREED = re.compile(r"([\d.]+)% of children and young people consulted agreed with this priority")
#: The plan says the consultation asked "200 children and young people".
_ABOUT = (150, 250)
_NOTE = (
    "Published in the plan as percentages only (for example 97.97%). 197 is the only number "
    "of children and young people between 150 and 250 that gives all five published "
    "percentages, so the counts are worked out from it. The plan gives neither the "
    "consultation's dates nor the ages of those asked: it is recorded as held in the year "
    "before the plan began."
)
#: Worcestershire measures shown as a village of 100: (measure id, what those children do).
WORCS_VILLAGE = (
    ("m02", "in Year 6 would be overweight or obese"),
    ("m20", "aged 16 to 18 would not be in education, employment or training"),
    ("m19", "would miss a lot of school (persistent absence)"),
    ("m21", "would have a child protection plan"),
)

#: Made-up stories for the demonstration, quoted with a label saying so.
EXAMPLE_STORIES = (
    ("children-and-young-people-have", Teller.CHILD,
     "There is a free football club after school now, so I play sport three times a week.",
     Moderation.PUBLISHED),
    ("children-and-young-people-have", Teller.PARENT,
     "The school nurse helped us plan healthier packed lunches.", Moderation.PUBLISHED),
    ("children-and-young-people-are-2", Teller.CHILD,
     "I know which adult to talk to at school if something at home worries me.",
     Moderation.PUBLISHED),
    ("children-and-young-people-are-2", Teller.STAFF,
     "Two families asked for help earlier because the leaflet was easy to read.",
     Moderation.KEPT_PRIVATE),
)  # fmt: skip


def _bucks(plan: pm.Plan) -> str:
    if vm.Consultation.objects.filter(plan=plan, title=BUCKS_TITLE).exists():
        return "consultation already stored"
    published: list[tuple[pm.Theme, float]] = []
    for theme in pm.Theme.objects.filter(plan=plan, section=pm.Theme.THEMES).order_by("position"):
        for measure in theme.measures.all():
            found = _AGREED.search(measure.quote or "")
            if found:
                published.append((theme, float(found.group(1))))
    sizes = c.infer_asked([percent for _, percent in published], *_ABOUT)
    if not published or len(sizes) != 1:
        return "consultation not stored: the published percentages do not give one group size"
    asked = sizes[0]
    agreements = tuple(c.agreement_from_percent(t.title, p, asked) for t, p in published)
    consultation = c.Consultation(
        title=BUCKS_TITLE,
        run_by="Buckinghamshire Children and Young People's Trust",
        held_from=date(2010, 4, 1),
        held_to=date(2011, 3, 31),
        method=c.Method.OTHER,
        age_groups=(c.AgeGroup("Ages not published", asked),),
        agreements=agreements,
    )
    actions.record_consultation(
        plan, consultation, {t.title: t.key for t, _ in published}, actor="demo", note=_NOTE
    )
    return f"consultation stored ({len(agreements)} priorities, {asked} asked)"


def _worcs(plan: pm.Plan) -> str:
    return f"{_village(plan)}, {_example_stories(plan)}"


def _village(plan: pm.Plan) -> str:
    if vm.VillageFigure.objects.filter(plan=plan).exists():
        return "village of 100 already set"
    measures = {m.key: m for m in pm.Measure.objects.filter(theme__plan=plan)}
    chosen = [(measures[key], would) for key, would in WORCS_VILLAGE if key in measures]
    for position, (measure, would) in enumerate(chosen):
        vm.VillageFigure.objects.create(plan=plan, measure=measure, would=would, position=position)
    return f"village of 100 set ({len(chosen)} figures)"


def _example_stories(plan: pm.Plan) -> str:
    """A few made-up stories, marked as examples, so the pages and the pack show stories."""
    if vm.Story.objects.filter(plan=plan, example=True).exists():
        return "example stories already stored"
    themes = {t.key: t for t in pm.Theme.objects.filter(plan=plan)}
    stored = 0
    for key, teller, text, status in EXAMPLE_STORIES:
        if key not in themes:
            continue
        received = datetime(2015, 3, 2 + stored, 12, tzinfo=UTC)
        vm.Story.objects.create(
            plan=plan,
            theme=themes[key],
            teller=teller.value,
            what_changed=text,
            for_whom="children at my school",
            consent_to_publish=True,
            received=received,
            client_key="demo",
            flags=[],
            status=status.value,
            moderated_at=received,
            moderation_note="An example story for the demonstration.",
            example=True,
        )
        stored += 1
    return f"{stored} example stories stored"


def _wording(plan: pm.Plan, path: Path) -> str:
    """Each priority's words for children, unless an officer has already written some."""
    themes = {t.key: t for t in pm.Theme.objects.filter(plan=plan, section=pm.Theme.THEMES)}
    try:
        wording = read_wording_file(path, plan.slug, list(themes))
    except VoiceFileError as error:
        return "children's words not stored: " + "; ".join(error.problems)
    written = set(
        vm.ChildWording.objects.filter(theme__plan=plan).values_list("theme__key", flat=True)
    )
    new = [w for w in wording.priorities if w.priority not in written]
    for item in new:
        actions.set_child_wording(
            themes[item.priority],
            title=item.title,
            plain_words=item.words,
            what_changed=item.what_changed,
            actor="demo",
        )
    if not new:
        return "children's words already set"
    return f"children's words set ({len(new)} priorities)"


@transaction.atomic
def load_demo_voice(examples: Path | None = None) -> str:
    """Store the demo consultation, village, stories and children's words (once); says what."""
    done = []
    for slug, step in ((BUCKS, _bucks), (WORCS, _worcs)):
        plan = pm.Plan.objects.filter(slug=slug).first()
        done.append(f"{slug}: " + (step(plan) if plan else "plan not loaded"))
    for path in sorted((examples or EXAMPLES).glob(f"voice/*{WORDING_SUFFIX}")):
        slug = path.name.removesuffix(WORDING_SUFFIX)
        plan = pm.Plan.objects.filter(slug=slug).first()
        done.append(f"{slug}: " + (_wording(plan, path) if plan else "plan not loaded"))
    return "; ".join(done)

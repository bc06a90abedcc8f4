"""`cypp demo`'s voice data: Buckinghamshire's published consultation, Worcestershire's village."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from cypp.domain.plan import Plan
from cypp.voice.readability import CHILD_GRADE, assess
from cypp.voice.stories import EXAMPLE_LABEL
from cypp.web.audit.models import AuditEvent
from cypp.web.plans import models as pm
from cypp.web.plans.actions import store_plan
from cypp.web.voice import actions
from cypp.web.voice import models as vm
from cypp.web.voice.demo import BUCKS, BUCKS_TITLE, WORCS, load_demo_voice
from cypp.web.voice.results import voice_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(example_plans: dict[str, Plan]) -> None:
    for slug in (BUCKS, WORCS):
        store_plan(example_plans[slug], actor="test")


def test_bucks_counts_come_from_the_published_percentages_and_demo_is_idempotent(
    plans: None,
) -> None:
    first = load_demo_voice()
    assert "consultation stored (5 priorities, 197 asked)" in first
    assert "village of 100 set (4 figures)" in first
    consultation = vm.Consultation.objects.get(plan__slug=BUCKS, title=BUCKS_TITLE)
    agreements = [
        (a.theme.title, a.agreed, a.asked, f"{a.percent:.2f}")
        for a in consultation.agreements.order_by("theme__position")
    ]
    assert agreements == [
        ("Closing the Gap", 193, 197, "97.97"),
        ("Transitions", 180, 197, "91.37"),
        ("Early Intervention and Secondary Prevention", 188, 197, "95.43"),
        ("Family Focus", 187, 197, "94.92"),
        ("Children and young people's involvement in decision making", 192, 197, "97.46"),
    ]
    assert consultation.participants == 197
    assert "The plan gives neither the consultation's dates" in consultation.note

    events = AuditEvent.objects.count()
    rows = (vm.Consultation.objects.count(), vm.Agreement.objects.count(),
            vm.VillageFigure.objects.count(), vm.Story.objects.count())  # fmt: skip
    second = load_demo_voice()
    assert "consultation already stored" in second and "village of 100 already set" in second
    assert "example stories already stored" in second
    assert AuditEvent.objects.count() == events
    assert rows == (vm.Consultation.objects.count(), vm.Agreement.objects.count(),
                    vm.VillageFigure.objects.count(), vm.Story.objects.count())  # fmt: skip


def test_worcestershire_village_is_shown_with_its_arithmetic(plans: None) -> None:
    load_demo_voice()
    people, problems = actions.village_for(pm.Plan.objects.get(slug=WORCS))
    assert problems == []
    neet = next(p for p in people if "education, employment" in p.sentence)
    assert neet.sentence == (
        "5 children aged 16 to 18 would not be in education, employment or training."
    )
    assert neet.arithmetic.startswith("4.7% of 100 children is 4.7; rounded to 5")
    page = Client().get(f"/children/{WORCS}/").content.decode()
    assert "4.7% of 100 children is 4.7; rounded to 5" in page


def test_bucks_plan_page_shows_the_published_consultation(plans: None) -> None:
    load_demo_voice()
    html = Client().get(f"/plans/{BUCKS}/").content.decode()
    assert "<strong>98.0%</strong> (193 of 197 asked; 95% confidence interval" in html
    assert "April 2010 to March 2011" in html
    assert "Buckinghamshire Children and Young People&#39;s Trust" in html


def test_example_stories_are_labelled_wherever_they_are_quoted(plans: None) -> None:
    assert "4 example stories stored" in load_demo_voice()
    plan = pm.Plan.objects.get(slug=WORCS)
    assert vm.Story.objects.filter(plan=plan, example=True).count() == 4
    page = Client().get(f"/children/{WORCS}/").content.decode()
    quote = "I know which adult to talk to at school if something at home worries me."
    assert f"{quote} {EXAMPLE_LABEL}" in page
    assert "leaflet" not in page  # kept private
    section = voice_section(plan)
    assert section.month_text == "March 2015"
    assert [(s.received, s.published) for s in section.stories] == [(2, 2), (2, 1)]
    assert all(q.endswith(EXAMPLE_LABEL) for s in section.stories for q in s.quotes)


def test_overview_of_a_plan_without_figures_still_shows_what_children_said(
    plans: None, django_user_model
) -> None:  # type: ignore[no-untyped-def]
    load_demo_voice()
    client = Client()
    client.force_login(django_user_model.objects.create_user("o", password="x", is_staff=True))
    html = client.get(f"/plans/{BUCKS}/performance/").content.decode()
    assert "No figures have been stored for this plan yet" in html
    assert html.count("What children and young people said about this priority") == 5
    assert "(188 of 197 asked; 95% confidence interval" in html


def _main_text(html: str) -> str:
    """The words a child reads on the children's page (not the village arithmetic or SVG).

    A heading, paragraph or quote ends where its element ends, as it does for a reader.
    """
    main = re.search(r"<main.*?</main>", html, re.S).group(0)  # type: ignore[union-attr]
    text = re.sub(r"<svg.*?</svg>|<span class=\"govuk-body-s\">.*?</span>", " ", main, flags=re.S)
    text = re.sub(r"</(?:h[1-6]|p|blockquote|figcaption)>", ". ", text)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def test_children_page_shows_the_shipped_plain_words(plans: None) -> None:
    done = load_demo_voice()
    assert f"{BUCKS}: children's words set (5 priorities)" in done
    assert f"{WORCS}: children's words set (7 priorities)" in done
    html = Client().get(f"/children/{BUCKS}/").content.decode()
    headings = re.findall(r'<h2 class="govuk-heading-l" id="priority-\d+">(.*?)</h2>', html)
    assert headings == [
        "Helping every child do well",
        "Help at times of change",
        "Getting help early",
        "Help for families",
        "Having your say",
    ]
    assert "Early Intervention and Secondary Prevention" not in html
    assert "Some children do less well at school than others." in html
    assert "<strong>188 out of 197</strong> children we asked said this matters." in html
    reading = assess(_main_text(html))
    assert reading.grade <= CHILD_GRADE, reading

    worcs = Client().get(f"/children/{WORCS}/").content.decode()
    assert ">Keeping you safe</h2>" in worcs
    assert "Children and young people are protected from abuse and neglect" not in worcs
    assert assess(_main_text(worcs)).grade <= CHILD_GRADE


def test_demo_words_are_audited_editable_and_never_overwrite_an_officers(
    plans: None, django_user_model
) -> None:  # type: ignore[no-untyped-def]
    officer = Client()
    officer.force_login(django_user_model.objects.create_user("o", password="x", is_staff=True))
    written = officer.post(
        f"/voice/{BUCKS}/wording/transitions/",
        {"title": "Moving on", "plain_words": "We help you when you move school."},
    )
    assert written.status_code == 302
    assert "children's words set (4 priorities)" in load_demo_voice()
    assert vm.ChildWording.objects.get(theme__key="transitions").title == "Moving on"
    events = AuditEvent.objects.filter(verb="voice.wording.set")
    assert events.filter(actor_label="demo").count() == 4 + 7
    assert "children's words already set" in load_demo_voice()
    assert events.count() == 1 + 4 + 7

    form = officer.get(f"/voice/{BUCKS}/wording/closing-the-gap/").content.decode()
    assert 'value="Helping every child do well"' in form
    assert "Some children do less well at school than others." in form
    edited = officer.post(
        f"/voice/{BUCKS}/wording/closing-the-gap/",
        {"title": "Doing well at school", "plain_words": "We help every child do well."},
    )
    assert edited.status_code == 302
    change = events.latest("pk")
    assert change.actor_label == "" and change.detail["before"]["title"] == (
        "Helping every child do well"
    )
    assert ">Doing well at school</h2>" in Client().get(f"/children/{BUCKS}/").content.decode()


def test_a_bad_wording_file_is_named_and_nothing_of_it_stored(plans: None, tmp_path: Path) -> None:
    (tmp_path / "voice").mkdir()
    bad = tmp_path / "voice" / f"{BUCKS}.wording.yaml"
    bad.write_text(f"plan: {BUCKS}\npriorities:\n  transitions: {{title: Change}}\n")
    done = load_demo_voice(tmp_path)
    assert (
        f"{BUCKS}: children's words not stored: {bad}: priorities.transitions.words: required"
        in (done)
    )
    assert not vm.ChildWording.objects.exists()

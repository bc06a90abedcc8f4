"""The only code that writes voice data: each action checks, writes in one transaction, audits."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from cypp.domain.units import Unit
from cypp.voice import consultations as c
from cypp.voice import stories as s
from cypp.voice.screening import Flag, Kind
from cypp.voice.village import Figure, VillageError, Villager, villager
from cypp.web.audit.models import record
from cypp.web.plans import models as pm
from cypp.web.voice import models as vm

#: Stories one sender may send in an hour before being asked to wait.
STORIES_PER_HOUR = 5


class TooManyStories(Exception):
    """The sender has sent many stories in a short time: asked to wait, nothing lost."""


def client_key(address: str) -> str:
    """A keyed hash of the sender's address, so floods can be limited without storing it."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def record_consultation(
    plan: pm.Plan,
    consultation: c.Consultation,
    theme_keys: dict[str, str],
    *,
    user=None,
    actor: str = "",
    note: str = "",
) -> vm.Consultation:
    """Store a checked consultation; ``theme_keys`` maps each priority name to a theme key."""
    row = vm.Consultation.objects.create(
        plan=plan,
        title=consultation.title,
        run_by=consultation.run_by,
        held_from=consultation.held_from,
        held_to=consultation.held_to,
        method=consultation.method.value,
        age_groups=[asdict(group) for group in consultation.age_groups],
        themes="\n".join(consultation.themes),
        note=note,
    )
    themes = {t.key: t for t in pm.Theme.objects.filter(plan=plan)}
    for agreement in consultation.agreements:
        vm.Agreement.objects.create(
            consultation=row,
            theme=themes[theme_keys[agreement.priority]],
            agreed=agreement.agreed,
            asked=agreement.asked,
        )
    for issue in consultation.ranked_issues:
        vm.RankedIssue.objects.create(
            consultation=row, rank=issue.rank, issue=issue.issue, votes=issue.votes
        )
    record(
        "voice.consultation.record", row, user=user, actor_label=actor, detail={"plan": plan.slug}
    )
    return row


@transaction.atomic
def set_child_wording(
    theme: pm.Theme,
    *,
    title: str,
    plain_words: str,
    what_changed: str,
    user=None,
    actor: str = "",
) -> vm.ChildWording:
    """Store a priority's words for children and audit what they were before."""
    row = vm.ChildWording.objects.filter(theme=theme).first()
    before = (
        {"title": row.title, "plain_words": row.plain_words, "what_changed": row.what_changed}
        if row
        else None
    )
    row, _ = vm.ChildWording.objects.update_or_create(
        theme=theme,
        defaults={"title": title, "plain_words": plain_words, "what_changed": what_changed},
    )
    record(
        "voice.wording.set",
        row,
        user=user,
        actor_label=actor,
        detail={"plan": theme.plan.slug, "theme": theme.key, "before": before},
    )
    return row


@transaction.atomic
def submit_story(
    plan: pm.Plan,
    theme: pm.Theme,
    *,
    teller: s.Teller,
    what_changed: str,
    for_whom: str,
    consent_to_publish: bool,
    age_group: str,
    address: str,
    now: datetime,
) -> vm.Story:
    """Check, screen and keep a story for moderation; refuse floods from one sender."""
    key = client_key(address)
    recent = vm.Story.objects.filter(client_key=key, received__gte=now - timedelta(hours=1))
    if recent.count() >= STORIES_PER_HOUR:
        raise TooManyStories(
            f"You have sent {STORIES_PER_HOUR} stories in the last hour. "
            "Please wait an hour before sending another; the ones you sent are safe."
        )
    priorities = list(pm.Theme.objects.filter(plan=plan).values_list("key", flat=True))
    story = s.receive(
        teller=teller,
        priority=theme.key,
        what_changed=what_changed,
        for_whom=for_whom,
        consent_to_publish=consent_to_publish,
        priorities=priorities,
        received=now,
        age_group=age_group or None,
    )
    row = vm.Story.objects.create(
        plan=plan,
        theme=theme,
        teller=teller.value,
        age_group=age_group,
        what_changed=story.what_changed,
        for_whom=story.for_whom,
        consent_to_publish=consent_to_publish,
        received=now,
        client_key=key,
        flags=[
            {"kind": f.kind.value, "start": f.start, "end": f.end, "text": f.text}
            for f in story.flags
        ],
    )
    record("voice.story.receive", row, actor_label="public", detail={"flags": len(story.flags)})
    return row


def as_domain(row: vm.Story) -> s.Story:
    return s.Story(
        teller=s.Teller(row.teller),
        priority=row.theme.key,
        what_changed=row.what_changed,
        for_whom=row.for_whom,
        received=row.received,
        consent_to_publish=row.consent_to_publish,
        age_group=row.age_group or None,
        status=s.Moderation(row.status),
        flags=tuple(
            Flag(Kind(f["kind"]), int(f["start"]), int(f["end"]), str(f["text"])) for f in row.flags
        ),
        example=row.example,
    )


@transaction.atomic
def moderate_story(
    row: vm.Story, decision: s.Moderation, *, cleared_flags: bool, note: str, user, now: datetime
) -> vm.Story:
    """Apply and audit a moderator's decision; the rules are in cypp.voice.stories."""
    s.moderate(as_domain(row), decision, cleared_flags=cleared_flags)
    before = row.status
    row.status = decision.value
    row.moderated_by = user
    row.moderated_at = now
    row.moderation_note = note
    row.save()
    record(
        "voice.story.moderate",
        row,
        user=user,
        detail={"from": before, "to": decision.value, "cleared_flags": cleared_flags, "note": note},
    )
    return row


def latest_value(measure: pm.Measure, area_code: str | None) -> tuple[Decimal, str] | None:
    """The newest shown figure for the plan's area, else the plan's own baseline."""
    from cypp.web.data.models import Observation

    found = (
        Observation.objects.filter(
            measure=measure, area_code=area_code or "", breakdown="all", value__isnull=False
        )
        .exclude(quality="suppressed")
        .order_by("-period_end")
        .first()
    )
    if found is not None and found.value is not None:
        return Decimal(str(found.value)), found.period
    if measure.has_baseline and measure.baseline_value is not None:
        period = measure.baseline_period
        return Decimal(str(measure.baseline_value)), str(period or "baseline")
    return None


def village_for(plan: pm.Plan) -> tuple[list[Villager], list[str]]:
    """The village of 100 children for a plan, and why any chosen figure could not be shown."""
    people, problems = [], []
    for choice in vm.VillageFigure.objects.filter(plan=plan).select_related("measure"):
        latest = latest_value(choice.measure, plan.area_ons_code)
        if latest is None:
            problems.append(f"{choice.measure.name}: no figure yet")
            continue
        try:
            people.append(
                villager(
                    Figure(
                        measure=choice.measure.name,
                        value=latest[0],
                        unit=Unit(choice.measure.unit),
                        would=choice.would,
                        period=latest[1],
                        population=choice.population,
                    )
                )
            )
        except (VillageError, ValueError) as error:
            problems.append(str(error))
    return people, problems

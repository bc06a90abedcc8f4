"""The only code that writes stored plans.

Views, CLI commands and tests call these functions; none of them saves plan models
directly. Each action runs in one transaction and records an AuditEvent, so a plan is
either stored whole or not at all.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from cypp.domain import plan as d
from cypp.domain import targets as t
from cypp.domain.periods import PeriodKind
from cypp.domain.units import Polarity, Unit
from cypp.web.audit.models import record
from cypp.web.plans import models as m

__all__ = ["create_plan_from_domain", "delete_plan", "find_plan", "plan_to_domain"]


# --- domain → database ---------------------------------------------------------------------


def _enum_value(value: Any) -> Any:
    return value.value if hasattr(value, "value") and not isinstance(value, int) else value


def _baseline_fields(baseline: d.Baseline | None) -> dict[str, Any]:
    return {
        "has_baseline": baseline is not None,
        "baseline_value": baseline.value if baseline else None,
        "baseline_period": baseline.period if baseline else None,
        "baseline_text": baseline.text if baseline else None,
    }


def _target_fields(target: t.Target) -> dict[str, Any]:
    fields = {f.name: getattr(target, f.name) for f in dataclasses.fields(t.Target)}
    fields = {name: _enum_value(value) for name, value in fields.items()}
    fields["between"] = list(target.between)
    return fields


def _save_theme(plan: m.Plan, section: str, position: int, theme: d.Theme) -> None:
    row = m.Theme.objects.create(
        plan=plan,
        section=section,
        position=position,
        key=theme.id,
        title=theme.title,
        aims=list(theme.aims),
        note=theme.note,
    )
    bulk_create_with_history(
        [
            m.Outcome(theme=row, position=i, key=o.id, title=o.title, quote=o.quote, note=o.note)
            for i, o in enumerate(theme.outcomes)
        ],
        m.Outcome,
    )
    bulk_create_with_history(
        [
            m.Action(
                theme=row,
                position=i,
                key=a.id,
                title=a.title,
                owner=a.owner,
                partners=list(a.partners),
                due=a.due,
                status=_enum_value(a.status),
                quote=a.quote,
                note=a.note,
            )
            for i, a in enumerate(theme.actions)
        ],
        m.Action,
    )
    for position, measure in enumerate(theme.measures):
        _save_measure(row, position, measure)


def _save_measure(theme: m.Theme, position: int, measure: d.Measure) -> None:
    indicator = measure.national_indicator
    location = measure.location
    row = m.Measure.objects.create(
        theme=theme,
        position=position,
        key=measure.id,
        name=measure.name,
        definition=measure.definition,
        unit=_enum_value(measure.unit),
        polarity=_enum_value(measure.polarity),
        frequency=_enum_value(measure.frequency),
        period_type=_enum_value(measure.period_type),
        data_source=measure.data_source,
        owner=measure.owner,
        **_baseline_fields(measure.baseline),
        has_national_indicator=indicator is not None,
        fingertips_indicator_id=indicator.fingertips_indicator_id if indicator else None,
        lait_measure=indicator.lait_measure if indicator else None,
        ees=indicator.ees if indicator else None,
        outcome=measure.outcome,
        quote=measure.quote,
        has_location=location is not None,
        location_line=location.line if location else None,
        location_page=location.page if location else None,
        confidence=measure.confidence,
        note=measure.note,
    )
    bulk_create_with_history(
        [
            m.Target(measure=row, position=i, **_target_fields(target))
            for i, target in enumerate(measure.targets)
        ],
        m.Target,
    )
    for i, breakdown in enumerate(measure.breakdowns):
        part = m.Breakdown.objects.create(
            measure=row, position=i, label=breakdown.label, **_baseline_fields(breakdown.baseline)
        )
        if breakdown.target is not None:
            m.Target.objects.create(breakdown=part, **_target_fields(breakdown.target))
    m.ComparatorValue.objects.bulk_create(
        [
            m.ComparatorValue(
                measure=row, position=i, comparator=c.comparator, value=c.value, period=c.period
            )
            for i, c in enumerate(measure.comparators)
        ]
    )


def find_plan(id_or_slug: str | int) -> m.Plan:
    """The stored plan with this database id or plan-file id (slug); raises DoesNotExist."""
    text = str(id_or_slug)
    found = m.Plan.objects.filter(slug=text).first()
    if found is None and text.isdigit():
        found = m.Plan.objects.filter(pk=int(text)).first()
    if found is None:
        raise m.Plan.DoesNotExist(f"no plan with id or slug {text!r}")
    return found


def create_plan_from_domain(
    plan: d.Plan, *, user: Any = None, actor: str = "", source: str = ""
) -> m.Plan:
    """Store ``plan``, replacing any stored plan with the same id, all or nothing.

    Replacing keeps the database id of the plan row (links and bookmarks keep working)
    and rebuilds its contents; history records the old rows. ``actor`` names who did it
    when there is no user (for example ``"cli"``), ``source`` where the plan came from.
    """
    with transaction.atomic():
        existing = m.Plan.objects.select_for_update().filter(slug=plan.id).first()
        row = existing or m.Plan(slug=plan.id)
        if existing is not None:
            existing.all_themes.all().delete()
            existing.boards.all().delete()
        source_doc = plan.source
        row.area_name = plan.area.name
        row.area_ons_code = plan.area.ons_code
        row.title = plan.title
        row.period = plan.period
        row.status = _enum_value(plan.status)
        row.vision = plan.vision
        row.values = list(plan.values)
        row.approach = list(plan.approach)
        row.has_source = source_doc is not None
        row.source_title = source_doc.title if source_doc else None
        row.source_file = source_doc.file if source_doc else None
        row.source_url = source_doc.url if source_doc else None
        row.source_published = source_doc.published if source_doc else None
        row.note = plan.note
        row.save()
        for section, index, theme in plan.all_themes():
            _save_theme(row, section, index, theme)
        bulk_create_with_history(
            [
                m.Board(
                    plan=row, position=i, name=b.name, priorities=list(b.priorities), note=b.note
                )
                for i, b in enumerate(plan.boards)
            ],
            m.Board,
        )
        record(
            "plan.replace" if existing else "plan.create",
            row,
            user=user,
            actor_label=actor,
            detail={
                "slug": plan.id,
                "source": source,
                "themes": len(plan.themes) + len(plan.cross_cutting),
                "measures": plan.measure_count(),
            },
        )
    return row


def delete_plan(plan: m.Plan, *, user: Any = None, actor: str = "") -> None:
    """Remove a stored plan and everything in it."""
    with transaction.atomic():
        record("plan.delete", plan, user=user, actor_label=actor, detail={"slug": plan.slug})
        plan.delete()


# --- database → domain ---------------------------------------------------------------------


def _opt(enum: type, value: str | None) -> Any:
    return None if value is None else enum(value)


def _baseline(row: m.Measure | m.Breakdown) -> d.Baseline | None:
    if not row.has_baseline:
        return None
    return d.Baseline(value=row.baseline_value, period=row.baseline_period, text=row.baseline_text)


def _target(row: m.Target) -> t.Target:
    return t.Target(
        kind=t.TargetKind(row.kind),
        value=row.value,
        period=row.period,
        text=row.text,
        bound=_opt(t.Bound, row.bound),
        out_of=row.out_of,
        quartile=row.quartile,
        side=_opt(t.QuartileSide, row.side),
        share=row.share,
        comparator=_opt(t.Comparator, row.comparator),
        relation=_opt(t.ComparatorRelation, row.relation),
        between=tuple(row.between),
        gap_direction=_opt(t.GapDirection, row.gap_direction),
        direction=_opt(t.TrendDirection, row.direction),
        from_value=row.from_value,
        scope=_opt(t.TargetScope, row.scope),
    )


def _measure(row: m.Measure) -> d.Measure:
    targets = [_target(target) for target in row.targets.all()]
    breakdowns = []
    for part in row.breakdowns.all():
        part_targets = list(part.targets.all())
        breakdowns.append(
            d.Breakdown(
                label=part.label,
                baseline=_baseline(part),
                target=_target(part_targets[0]) if part_targets else None,
            )
        )
    return d.Measure(
        id=row.key,
        name=row.name,
        definition=row.definition,
        unit=_opt(Unit, row.unit),
        polarity=_opt(Polarity, row.polarity),
        frequency=_opt(d.Frequency, row.frequency),
        period_type=_opt(PeriodKind, row.period_type),
        data_source=row.data_source,
        owner=row.owner,
        baseline=_baseline(row),
        target=targets[0] if targets else None,
        further_targets=tuple(targets[1:]),
        breakdowns=tuple(breakdowns),
        comparators=tuple(
            d.ComparatorValue(comparator=c.comparator, value=c.value, period=c.period)
            for c in row.comparators.all()
        ),
        national_indicator=(
            d.NationalIndicator(
                fingertips_indicator_id=row.fingertips_indicator_id,
                lait_measure=row.lait_measure,
                ees=row.ees,
            )
            if row.has_national_indicator
            else None
        ),
        outcome=row.outcome,
        quote=row.quote,
        location=(
            d.SourceLocation(line=row.location_line, page=row.location_page)
            if row.has_location
            else None
        ),
        confidence=row.confidence,
        note=row.note,
    )


def _theme(row: m.Theme) -> d.Theme:
    return d.Theme(
        id=row.key,
        title=row.title,
        aims=tuple(row.aims),
        outcomes=tuple(
            d.Outcome(title=o.title, id=o.key, quote=o.quote, note=o.note)
            for o in row.outcomes.all()
        ),
        actions=tuple(
            d.Action(
                title=a.title,
                id=a.key,
                owner=a.owner,
                partners=tuple(a.partners),
                due=a.due,
                status=_opt(d.ActionStatus, a.status),
                quote=a.quote,
                note=a.note,
            )
            for a in row.actions.all()
        ),
        measures=tuple(_measure(measure) for measure in row.measures.all()),
        note=row.note,
    )


def plan_queryset():
    """Plans with everything the domain plan needs, in a fixed number of queries."""
    return m.Plan.objects.prefetch_related(
        "all_themes__outcomes",
        "all_themes__actions",
        "all_themes__measures__targets",
        "all_themes__measures__breakdowns__targets",
        "all_themes__measures__comparators",
        "boards",
    )


def plan_to_domain(plan: m.Plan) -> d.Plan:
    """The stored plan as a domain Plan, equal to the one it was stored from."""
    if not hasattr(plan, "_prefetched_objects_cache") or not plan._prefetched_objects_cache:
        plan = plan_queryset().get(pk=plan.pk)
    themes = [theme for theme in plan.all_themes.all() if theme.section == m.Theme.THEMES]
    cross = [theme for theme in plan.all_themes.all() if theme.section == m.Theme.CROSS_CUTTING]
    return d.Plan(
        id=plan.slug,
        area=d.Area(name=plan.area_name, ons_code=plan.area_ons_code),
        title=plan.title,
        period=plan.period,
        status=_opt(d.PlanStatus, plan.status),
        vision=plan.vision,
        values=tuple(plan.values),
        approach=tuple(plan.approach),
        themes=tuple(_theme(theme) for theme in sorted(themes, key=lambda r: r.position)),
        cross_cutting=tuple(_theme(theme) for theme in sorted(cross, key=lambda r: r.position)),
        boards=tuple(
            d.Board(name=b.name, priorities=tuple(b.priorities), note=b.note)
            for b in plan.boards.all()
        ),
        source=(
            d.SourceDocument(
                title=plan.source_title,
                file=plan.source_file,
                url=plan.source_url,
                published=plan.source_published,
            )
            if plan.has_source
            else None
        ),
        note=plan.note,
    )

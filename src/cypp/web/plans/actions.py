"""The only code that writes stored plans.

Views, CLI commands and tests call these functions; none of them saves plan models
directly. Each action runs in one transaction and records an AuditEvent, so a plan is
either stored whole or not at all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import F
from simple_history.utils import bulk_create_with_history

from cypp.domain import plan as d
from cypp.domain import targets as t
from cypp.domain.periods import PeriodKind
from cypp.domain.units import Polarity, Unit
from cypp.web.audit.models import record
from cypp.web.plans import models as m

__all__ = [
    "MeasuresHoldData",
    "StoreResult",
    "create_plan_from_domain",
    "delete_plan",
    "find_plan",
    "plan_to_domain",
    "store_plan",
]


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


def _theme_fields(section: str, position: int, theme: d.Theme) -> dict[str, Any]:
    return {
        "section": section,
        "position": position,
        "key": theme.id,
        "title": theme.title,
        "aims": list(theme.aims),
        "note": theme.note,
    }


def _save_theme_items(row: m.Theme, theme: d.Theme) -> None:
    """Write a theme's outcomes and actions (replacing any it had)."""
    row.outcomes.all().delete()
    row.actions.all().delete()
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


def _measure_fields(measure: d.Measure) -> dict[str, Any]:
    indicator = measure.national_indicator
    location = measure.location
    return {
        "key": measure.id,
        "name": measure.name,
        "definition": measure.definition,
        "unit": _enum_value(measure.unit),
        "polarity": _enum_value(measure.polarity),
        "frequency": _enum_value(measure.frequency),
        "period_type": _enum_value(measure.period_type),
        "data_source": measure.data_source,
        "owner": measure.owner,
        **_baseline_fields(measure.baseline),
        "has_national_indicator": indicator is not None,
        "fingertips_indicator_id": indicator.fingertips_indicator_id if indicator else None,
        "lait_measure": indicator.lait_measure if indicator else None,
        "ees": indicator.ees if indicator else None,
        "outcome": measure.outcome,
        "quote": measure.quote,
        "has_location": location is not None,
        "location_line": location.line if location else None,
        "location_page": location.page if location else None,
        "confidence": measure.confidence,
        "note": measure.note,
    }


def _save_measure_parts(row: m.Measure, measure: d.Measure) -> None:
    """Write a measure's targets, breakdowns and comparator values (replacing any it had)."""
    row.targets.all().delete()
    row.breakdowns.all().delete()
    row.comparators.all().delete()
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
    bulk_create_with_history(
        [
            m.ComparatorValue(
                measure=row, position=i, comparator=c.comparator, value=c.value, period=c.period
            )
            for i, c in enumerate(measure.comparators)
        ],
        m.ComparatorValue,
    )


def _parts(measure: d.Measure) -> tuple[Any, ...]:
    return (measure.targets, measure.breakdowns, measure.comparators)


def _assign(row: models.Model, fields: dict[str, Any]) -> bool:
    """Set ``fields`` on ``row``; True when any value changed."""
    changed = False
    for name, value in fields.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _plan_fields(plan: d.Plan) -> dict[str, Any]:
    source_doc = plan.source
    return {
        "area_name": plan.area.name,
        "area_ons_code": plan.area.ons_code,
        "title": plan.title,
        "period": plan.period,
        "status": _enum_value(plan.status),
        "vision": plan.vision,
        "values": list(plan.values),
        "approach": list(plan.approach),
        "has_source": source_doc is not None,
        "source_title": source_doc.title if source_doc else None,
        "source_file": source_doc.file if source_doc else None,
        "source_url": source_doc.url if source_doc else None,
        "source_published": source_doc.published if source_doc else None,
        "note": plan.note,
    }


def _save_boards(row: m.Plan, plan: d.Plan) -> None:
    row.boards.all().delete()
    bulk_create_with_history(
        [
            m.Board(plan=row, position=i, name=b.name, priorities=list(b.priorities), note=b.note)
            for i, b in enumerate(plan.boards)
        ],
        m.Board,
    )


@dataclass(frozen=True)
class StoreResult:
    """What storing a plan did: ``change`` is "created", "updated" or "unchanged"."""

    plan: m.Plan
    change: str
    measures_changed: int = 0
    measures_added: int = 0
    measures_removed: int = 0
    #: Figures and return items deleted with removed measures, by measure id.
    data_removed: dict[str, Any] = dataclasses.field(default_factory=dict)


class MeasuresHoldData(ValueError):
    """A plan change would delete measures that hold figures or partners' returns."""


def _held_data(measure_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Stored figures and return items per measure (only measures that hold any)."""
    held: dict[int, tuple[int, int]] = {}
    for index, name in enumerate(("Observation", "ReturnItem")):
        model = apps.get_model("data", name)
        counts = (
            model.objects.filter(measure_id__in=measure_ids)
            .values("measure_id")
            .annotate(n=models.Count("pk"))
        )
        for row in counts:
            pair = list(held.get(row["measure_id"], (0, 0)))
            pair[index] = row["n"]
            held[row["measure_id"]] = (pair[0], pair[1])
    return held


def _remove_data(plan_slug: str, rows: list[m.Measure], remove_figures: bool) -> dict[str, Any]:
    """Delete the figures and return items of measures leaving the plan, or refuse.

    Figures are never dropped as a side effect of editing a plan file: the caller must ask.
    """
    held = _held_data([row.pk for row in rows])
    if not held:
        return {}
    if not remove_figures:
        lines = [
            f"  {row.key} ({row.name[:60]}): {held[row.pk][0]} stored figures, "
            f"{held[row.pk][1]} return items"
            for row in rows
            if row.pk in held
        ]
        raise MeasuresHoldData(
            f"{plan_slug}: the new plan leaves out {len(lines)} measure(s) that hold data:\n"
            + "\n".join(lines)
            + "\nKeep them in the plan file, or load with --remove-figures to delete their "
            "figures and return items too (recorded in the audit log)."
        )
    ids = list(held)
    for name in ("Observation", "ReturnItem"):
        apps.get_model("data", name).objects.filter(measure_id__in=ids).delete()
    by_key = {row.pk: row.key for row in rows}
    return {by_key[pk]: {"figures": n[0], "return_items": n[1]} for pk, n in held.items()}


def _update(row: m.Plan, before: d.Plan, plan: d.Plan, remove_figures: bool = False) -> StoreResult:
    """Bring the stored plan ``row`` (equal to ``before``) in line with ``plan``.

    Themes and measures are matched by their ids, so a measure keeps its database row,
    and everything attached to it elsewhere (observations, ratings), across re-loads;
    only measures that left the plan are deleted.
    """
    if _assign(row, _plan_fields(plan)):
        row.save()
    if before.boards != plan.boards:
        _save_boards(row, plan)
    old_themes = {theme.id: theme for _, _, theme in before.all_themes()}
    old_measures = {measure.id: measure for _, _, measure in before.measures()}
    # Free the (plan, section, position) slots so themes can swap places.
    m.Theme.objects.filter(plan=row).update(position=F("position") + 1_000_000)
    theme_rows = {theme.key: theme for theme in m.Theme.objects.filter(plan=row)}
    measure_rows = {measure.key: measure for measure in m.Measure.objects.filter(theme__plan=row)}
    changed = added = 0
    for section, index, theme in plan.all_themes():
        theme_row = theme_rows.get(theme.id) or m.Theme(plan=row)
        is_new = theme_row.pk is None
        if _assign(theme_row, _theme_fields(section, index, theme)) or is_new:
            theme_row.save()
        old_theme = old_themes.get(theme.id)
        if (
            is_new
            or old_theme is None
            or ((old_theme.outcomes, old_theme.actions) != (theme.outcomes, theme.actions))
        ):
            _save_theme_items(theme_row, theme)
        for position, measure in enumerate(theme.measures):
            measure_row = measure_rows.get(measure.id)
            if measure_row is None:
                added += 1
                _create_measure(theme_row, position, measure)
                continue
            fields = {"theme": theme_row, "position": position, **_measure_fields(measure)}
            old = old_measures[measure.id]
            moved = _assign(measure_row, fields)
            if moved:
                measure_row.save()
            if _parts(old) != _parts(measure):
                _save_measure_parts(measure_row, measure)
            changed += moved or old != measure
    kept_measures = {measure.id for _, _, measure in plan.measures()}
    gone = [key for key in measure_rows if key not in kept_measures]
    removed_data = _remove_data(row.slug, [measure_rows[key] for key in gone], remove_figures)
    for key in gone:
        measure_rows[key].delete()
    kept_themes = {theme.id for _, _, theme in plan.all_themes()}
    for key, theme_row in theme_rows.items():
        if key not in kept_themes:
            theme_row.delete()
    return StoreResult(row, "updated", changed, added, len(gone), removed_data)


def _create_measure(theme: m.Theme, position: int, measure: d.Measure) -> m.Measure:
    row = m.Measure.objects.create(theme=theme, position=position, **_measure_fields(measure))
    _save_measure_parts(row, measure)
    return row


def find_plan(id_or_slug: str | int) -> m.Plan:
    """The stored plan with this database id or plan-file id (slug); raises DoesNotExist."""
    text = str(id_or_slug)
    found = m.Plan.objects.filter(slug=text).first()
    if found is None and text.isdigit():
        found = m.Plan.objects.filter(pk=int(text)).first()
    if found is None:
        raise m.Plan.DoesNotExist(f"no plan with id or slug {text!r}")
    return found


def store_plan(
    plan: d.Plan,
    *,
    user: Any = None,
    actor: str = "",
    source: str = "",
    remove_figures: bool = False,
) -> StoreResult:
    """Store ``plan`` as new, or bring the stored plan with the same id in line with it.

    All or nothing, and audited. Storing a plan equal to the stored one changes nothing
    but the audit log ("plan.unchanged"). ``actor`` names who did it when there is no user
    (for example ``"cli"``), ``source`` where the plan came from (a file name). A measure
    that leaves the plan while holding figures or return items raises
    :class:`MeasuresHoldData` unless ``remove_figures`` is set.
    """
    with transaction.atomic():
        existing = m.Plan.objects.select_for_update().filter(slug=plan.id).first()
        if existing is None:
            row = m.Plan(slug=plan.id, **_plan_fields(plan))
            row.save()
            for section, index, theme in plan.all_themes():
                theme_row = m.Theme.objects.create(plan=row, **_theme_fields(section, index, theme))
                _save_theme_items(theme_row, theme)
                for position, measure in enumerate(theme.measures):
                    _create_measure(theme_row, position, measure)
            _save_boards(row, plan)
            result = StoreResult(row, "created", measures_added=plan.measure_count())
        else:
            before = plan_to_domain(existing)
            if before == plan:
                result = StoreResult(existing, "unchanged")
            else:
                result = _update(existing, before, plan, remove_figures)
        verbs = {"created": "plan.create", "updated": "plan.update", "unchanged": "plan.unchanged"}
        record(
            verbs[result.change],
            result.plan,
            user=user,
            actor_label=actor,
            detail={
                "slug": plan.id,
                "source": source,
                "themes": len(plan.themes) + len(plan.cross_cutting),
                "measures": plan.measure_count(),
                "measures_changed": result.measures_changed,
                "measures_added": result.measures_added,
                "measures_removed": result.measures_removed,
                "data_removed": result.data_removed,
            },
        )
    return result


def create_plan_from_domain(
    plan: d.Plan, *, user: Any = None, actor: str = "", source: str = ""
) -> m.Plan:
    """Store ``plan`` (see :func:`store_plan`) and return its row."""
    return store_plan(plan, user=user, actor=actor, source=source).plan


def delete_plan(plan: m.Plan, *, user: Any = None, actor: str = "") -> None:
    """Remove a stored plan and everything in it, its figures and return items included."""
    with transaction.atomic():
        measures = list(m.Measure.objects.filter(theme__plan=plan))
        removed = _remove_data(plan.slug, measures, remove_figures=True)
        detail = {"slug": plan.slug, "data_removed": removed}
        record("plan.delete", plan, user=user, actor_label=actor, detail=detail)
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

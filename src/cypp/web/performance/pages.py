"""What the performance pages show: a plan's board pack for a period, from stored ratings.

Every page (overview, scorecard, measure, exceptions, review, actions, downloads) reads
the same :class:`PackView`, so the pages and the board pack never disagree. A stored
:class:`~cypp.web.performance.models.RatingRun` is shown exactly as it was calculated;
where none exists yet the ratings are calculated for display (and not stored).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db import connection
from django.utils import timezone

from cypp.domain import plan as d
from cypp.domain.plan import ActionStatus
from cypp.reports.model import BoardPack, ExceptionNote, build_board_pack
from cypp.stats.rating import Rating
from cypp.web.audit.models import AuditEvent
from cypp.web.data.models import MeasureOwner
from cypp.web.performance import figures
from cypp.web.performance import models as pm
from cypp.web.plans import models as plans
from cypp.web.plans.actions import plan_queryset, plan_to_domain
from cypp.web.voice.results import voice_section

__all__ = ["PackView", "data_version", "latest_run", "load_pack", "run_periods"]


@dataclass
class PackView:
    plan: plans.Plan
    domain: d.Plan
    period: str | None
    periods: list[str]
    run: pm.RatingRun | None
    pack: BoardPack | None
    public: bool = False
    owners: dict[str, str] = field(default_factory=dict)
    measure_pks: dict[str, int] = field(default_factory=dict)
    ratings: dict[str, Rating] = field(default_factory=dict)
    stored_ratings: dict[str, pm.StoredRating] = field(default_factory=dict)
    #: Set for the pack of a stored run: pages made from it may be kept under this key.
    cache_key: tuple[Any, ...] | None = None

    @property
    def stored(self) -> bool:
        return self.run is not None


def run_periods(plan: plans.Plan) -> list[str]:
    """Periods with stored ratings, latest first."""
    seen: dict[str, None] = {}
    rows = pm.RatingRun.objects.filter(plan=plan).order_by("-period_end", "-computed_at")
    for label in rows.values_list("period", flat=True):
        seen.setdefault(label, None)
    return list(seen)


def latest_run(plan: plans.Plan, period: str) -> pm.RatingRun | None:
    return pm.RatingRun.objects.filter(plan=plan, period=period).order_by("-computed_at").first()


def _with_updates(plan: plans.Plan, domain: d.Plan) -> d.Plan:
    """The plan with each action's latest update as its status and note."""
    latest: dict[tuple[str, str], pm.ActionUpdate] = {}
    for update in pm.ActionUpdate.objects.filter(plan=plan).order_by("at", "id"):
        latest[(update.theme_key, update.action_ref)] = update
    if not latest:
        return domain

    def theme_with(theme: d.Theme) -> d.Theme:
        actions = []
        for position, action in enumerate(theme.actions):
            found = latest.get((theme.id, action.id or f"#{position}"))
            if found is not None:
                action = dataclasses.replace(
                    action, status=ActionStatus(found.status), note=found.text
                )
            actions.append(action)
        return dataclasses.replace(theme, actions=tuple(actions))

    return dataclasses.replace(
        domain,
        themes=tuple(theme_with(t) for t in domain.themes),
        cross_cutting=tuple(theme_with(t) for t in domain.cross_cutting),
    )


def _notes(plan: plans.Plan, period: str) -> dict[str, ExceptionNote]:
    rows = pm.ExceptionNote.objects.filter(plan=plan, period=period).select_related("measure")
    return {
        row.measure.key: ExceptionNote(
            row.cause or None, row.recovery_action or None, row.owner or None, row.review_date
        )
        for row in rows
    }


def _owners(plan: plans.Plan) -> dict[str, str]:
    """Each measure's reporting organisation (from the data pages) by measure key."""
    rows = MeasureOwner.objects.filter(measure__theme__plan=plan).values_list(
        "measure__key", "organisation__name"
    )
    return dict(rows)


#: Packs of stored runs, keyed by the run and :func:`data_version`.
_CACHE: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_CACHE_SIZE = 128
_LOCK = threading.Lock()
_VERSION_COLUMNS = (
    f"(SELECT MAX(id) FROM {AuditEvent._meta.db_table}),"
    f" (SELECT MAX(at) FROM {AuditEvent._meta.db_table}),"
    f" (SELECT MAX(id) FROM {LogEntry._meta.db_table}),"
    f" (SELECT MAX(action_time) FROM {LogEntry._meta.db_table})"
)
_VERSION_SQL = f"SELECT {_VERSION_COLUMNS}"
#: The plan's runs, latest first, each row with the data version: one query per page.
_RUNS_SQL = (
    f"SELECT id, period, {_VERSION_COLUMNS} FROM {pm.RatingRun._meta.db_table}"
    " WHERE plan_id = %s ORDER BY period_end DESC, computed_at DESC, id DESC"
)


def data_version() -> tuple[Any, ...]:
    """A stamp that changes with every change a page could show, in one cheap query.

    Every action (figures imported or approved, ratings calculated, plan loaded or edited,
    notes, updates, publication) writes an audit event in its own transaction, and every
    edit on the admin site writes a log entry. The newest id and time of each change
    whenever anything does, in every server process (the times also tell apart ids used
    again after a rollback or a restore).
    """
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return tuple(row) if row else ()


def load_pack(
    plan: plans.Plan,
    period: str | None = None,
    *,
    public: bool = False,
    run: pm.RatingRun | None = None,
) -> PackView:
    """The plan's pack for ``period`` (default: the latest with ratings or figures).

    Staff pages read the latest stored run of the period (kept in memory until
    :func:`data_version` changes). The public page always rates from final and revised
    figures only, so nothing unpublished can reach it.
    """
    if public:
        return _public_pack(plan, period)
    with connection.cursor() as cursor:
        cursor.execute(_RUNS_SQL, [plan.pk])
        runs = cursor.fetchall()
    periods = list(dict.fromkeys(row[1] for row in runs))
    if run is None:
        if period is None and periods:
            period = periods[0]
        newest = next((row for row in runs if row[1] == period), None)
        if newest is None:
            return _live_pack(plan, period, periods)
        key = (newest[0], *newest[2:])
    else:
        key = (run.pk, *data_version())
    cached = recall(key)
    if cached is not None:
        return cached
    run = run or pm.RatingRun.objects.get(pk=key[0])
    view = _stored_pack(plan, run, periods)
    view.cache_key = key
    remember(key, view)
    return view


def recall(key: tuple[Any, ...]) -> Any:
    """What :func:`remember` kept under ``key`` (None when it was not kept or was dropped)."""
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
        return found


def remember(key: tuple[Any, ...], value: Any) -> None:
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)


def _parts(plan: plans.Plan) -> tuple[plans.Plan, d.Plan, dict[str, str], dict[str, int]]:
    plan = plan_queryset().get(pk=plan.pk)
    pks = dict(plans.Measure.objects.filter(theme__plan=plan).values_list("key", "pk"))
    return plan, plan_to_domain(plan), _owners(plan), pks


def _public_pack(plan: plans.Plan, period: str | None) -> PackView:
    plan, domain, owners, pks = _parts(plan)
    frame = figures.observation_frame(plan.pk, public=True)
    periods = figures.reporting_periods(frame, plan.area_ons_code)
    chosen = period if period in periods else (periods[0] if periods else None)
    calc = figures.calculate(domain, frame, chosen) if chosen else None
    ratings = calc.ratings if calc else {}
    pack = _build(domain, chosen, ratings, calc.series if calc else {})
    return PackView(plan, domain, chosen, periods, None, pack, True, owners, pks, ratings)


def _stored_pack(plan: plans.Plan, run: pm.RatingRun, periods: list[str]) -> PackView:
    plan, domain, owners, pks = _parts(plan)
    domain = _with_updates(plan, domain)
    by_key = {r.measure.key: r for r in run.ratings.select_related("measure")}
    ratings = {k: figures.rating_from_provenance(r.provenance) for k, r in by_key.items()}
    series = {k: figures.series_from_json(r.series) for k, r in by_key.items() if r.series}
    generated = timezone.localdate(run.computed_at)
    pack = _build(domain, run.period, ratings, series, _notes(plan, run.period), generated)
    pack = pack and dataclasses.replace(pack, voice=voice_section(plan))
    return PackView(
        plan, domain, run.period, periods, run, pack, False, owners, pks, ratings, by_key
    )


def _live_pack(plan: plans.Plan, period: str | None, periods: list[str]) -> PackView:
    """Ratings calculated for display only, where no run of the period is stored."""
    plan, domain, owners, pks = _parts(plan)
    frame = figures.observation_frame(plan.pk)
    for label in figures.reporting_periods(frame, plan.area_ons_code):
        if label not in periods:
            periods.append(label)
    if period is None or period not in periods:
        period = periods[0] if periods else None
    domain = _with_updates(plan, domain)
    if period is None:
        return PackView(plan, domain, None, periods, None, None, False, owners, pks)
    calc = figures.calculate(domain, frame, period)
    pack = _build(domain, period, calc.ratings, calc.series, _notes(plan, period))
    pack = pack and dataclasses.replace(pack, voice=voice_section(plan))
    return PackView(plan, domain, period, periods, None, pack, False, owners, pks, calc.ratings)


def _build(
    domain: d.Plan,
    period: str | None,
    ratings: dict[str, Any],
    series: dict[str, Any],
    notes: dict[str, ExceptionNote] | None = None,
    generated: date | None = None,
) -> BoardPack | None:
    if period is None:
        return None
    return build_board_pack(
        domain, ratings, series, period, exception_notes=notes or {}, generated=generated
    )

"""Board-pack inputs from files: an observations table in, series and ratings out.

This is how a partnership makes a board pack without the server: a plan file
and a long-format observations CSV (``measure_id, area_code, period, value,
lower_ci, upper_ci, count, denominator``; England rows use ``E92000001``; rows
for the statistical neighbours and other local authorities add the neighbour
average, rank and quartile). The CSV goes through the same checks as any data
return, so a bad cell is reported by row and column and nothing is half-read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from cypp.data.areas import UnknownAreaError, areas_frame, statistical_neighbours
from cypp.data.errors import DataImportError, Problem
from cypp.data.observations import ALL, validate_observations
from cypp.domain.periods import Period, PeriodError, parse_period
from cypp.domain.plan import Frequency, Measure, Plan
from cypp.domain.targets import Comparator as ComparatorName
from cypp.domain.targets import ComparatorRelation, Target, TargetKind
from cypp.domain.units import Polarity
from cypp.reports.model import ExceptionNote, MeasureSeries, SeriesPoint, measure_trajectory
from cypp.stats.compare import Comparison, compare
from cypp.stats.peers import quartile_band, rank_of
from cypp.stats.rating import (
    MeasureContext,
    Observation,
    Operator,
    Rating,
    Relation,
    WantedTrend,
    rate_comparator,
    rate_gap,
    rate_quartile,
    rate_rank,
    rate_relative_change,
    rate_trend,
    rate_value,
    rate_without_target,
)
from cypp.stats.trends import recent_trend

__all__ = [
    "ENGLAND",
    "rate_plan",
    "read_exception_notes",
    "read_observations_csv",
    "report_period",
    "series_from_observations",
]

ENGLAND = "E92000001"
#: Column names accepted in a board-pack observations file, as the data-return names.
ALIASES = {"measure_id": "measure", "lower_ci": "lower_ci95", "upper_ci": "upper_ci95"}
_FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.TERMLY: 4,
    Frequency.ANNUAL: 12,
    Frequency.AD_HOC: None,
}


def report_period(text: str) -> Period:
    """The report's period; it must name a place in time (``2014/15``, ``Q2 2015/16``)."""
    period = parse_period(text)
    if period.end is None:
        raise PeriodError(f"{text!r} does not say which year the report covers")
    return period


def read_observations_csv(path: str | Path, plan: Plan) -> pl.DataFrame:
    """Read and check an observations CSV for ``plan``; raises DataImportError naming rows."""
    file = str(path)
    try:
        raw = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as error:
        raise DataImportError(
            [Problem(file, None, None, f"cannot read the file: {error}")]
        ) from None
    clash = [a for a, name in ALIASES.items() if a in raw.columns and name in raw.columns]
    if clash:
        raise DataImportError(
            [Problem(file, 1, a, f"give either {a!r} or {ALIASES[a]!r}, not both") for a in clash]
        )
    raw = raw.rename({a: name for a, name in ALIASES.items() if a in raw.columns})
    units = {m.id: m.unit for _, _, m in plan.measures() if m.unit is not None}
    return validate_observations(
        raw,
        file=file,
        units=units,
        known_measures={m.id for _, _, m in plan.measures()},
    )


# --------------------------------------------------------------------------- series


def _neighbour_codes(area_code: str | None) -> list[str]:
    if not area_code:
        return []
    try:
        return [n.area.ons_code for n in statistical_neighbours(area_code)]
    except UnknownAreaError:
        return []


def series_from_observations(
    plan: Plan, frame: pl.DataFrame, period: Period
) -> dict[str, MeasureSeries]:
    """Each measure's series for the plan's area up to ``period``, with England, the
    statistical-neighbour average, the target trajectory and its latest rank and quartile."""
    code = (plan.area.ons_code or "").upper()
    assert period.end is not None
    data = frame.filter((pl.col("breakdown") == ALL) & (pl.col("period_end") <= pl.lit(period.end)))
    keys = ["measure", "period"]
    own = data.filter(pl.col("area_code") == code).select(
        *keys, "period_end", "value", "lower_ci95", "upper_ci95"
    )
    england = data.filter(pl.col("area_code") == ENGLAND).select(
        *keys, pl.col("value").alias("england")
    )
    neighbours = (
        data.filter(pl.col("area_code").is_in(_neighbour_codes(code)))
        .group_by(keys)
        .agg(pl.col("value").mean().alias("sn_average"))
    )
    table = (
        own.join(england, on=keys, how="left")
        .join(neighbours, on=keys, how="left")
        .sort("measure", "period_end")
    )
    positions = _positions(plan, data, own)
    result: dict[str, MeasureSeries] = {}
    for (measure_id,), rows in table.partition_by("measure", as_dict=True).items():
        measure = _measure(plan, str(measure_id))
        labels = rows["period"].to_list()
        targets = measure_trajectory(measure, labels)
        points = tuple(
            SeriesPoint(row["period"], row["value"], row["lower_ci95"], row["upper_ci95"],
                        row["england"], row["sn_average"], target)
            for row, target in zip(rows.iter_rows(named=True), targets, strict=True)
        )  # fmt: skip
        rank, out_of, band = positions.get(str(measure_id), (None, None, None))
        result[str(measure_id)] = MeasureSeries(points, rank, out_of, band)
    return result


def _measure(plan: Plan, measure_id: str) -> Measure:
    return next(m for _, _, m in plan.measures() if m.id == measure_id)


def _positions(
    plan: Plan, data: pl.DataFrame, own: pl.DataFrame
) -> dict[str, tuple[int | None, int | None, str | None]]:
    """Rank and LAIT quartile among English LAs in each measure's latest period with a value."""
    las = areas_frame().filter(pl.col("kind") == "la").select(pl.col("ons_code").alias("area_code"))
    latest = (
        own.filter(pl.col("value").is_not_null())
        .sort("period_end")
        .group_by("measure")
        .agg(pl.col("period").last(), pl.col("value").last().alias("own_value"))
    )
    peers = (
        data.join(las, on="area_code", how="semi")
        .filter(pl.col("value").is_not_null())
        .join(latest, on=["measure", "period"], how="inner")
        .group_by("measure")
        .agg(pl.col("value"), pl.col("own_value").first())
    )
    out: dict[str, tuple[int | None, int | None, str | None]] = {}
    for measure_id, values, own_value in peers.iter_rows():
        polarity = _measure(plan, measure_id).polarity or Polarity.NONE
        peer_values = np.asarray(values, dtype=np.float64)
        if peer_values.size < 2 or polarity is Polarity.NONE:
            continue
        rank = rank_of(own_value, peer_values, polarity)
        band = str(quartile_band(np.asarray([own_value]), peer_values, polarity)[0])
        out[measure_id] = (rank or None, int(peer_values.size), band or None)
    return out


# --------------------------------------------------------------------------- ratings


def _observation(point: SeriesPoint) -> Observation:
    end = _end(point.period)
    return Observation(point.value, point.period, end, point.lower_ci, point.upper_ci)


def _end(label: str) -> date | None:
    try:
        return parse_period(label).end
    except PeriodError:
        return None


def _baseline(measure: Measure) -> Observation | None:
    base = measure.baseline
    if base is None or base.value is None:
        return None
    period = base.period
    return Observation(float(base.value), period.label if period else None,
                       period.end if period else None)  # fmt: skip


def _comparison(point: SeriesPoint | None, polarity: Polarity) -> Comparison | None:
    if point is None or point.value is None or point.england is None:
        return None
    return compare(point.value, point.england, polarity,
                   lower95=point.lower_ci, upper95=point.upper_ci)  # fmt: skip


def rate_plan(
    plan: Plan, series_by_measure: Mapping[str, MeasureSeries], period: Period
) -> dict[str, Rating]:
    """One rating per measure of ``plan`` as at the end of ``period``."""
    return {
        measure.id: rate_series(measure, series_by_measure.get(measure.id, MeasureSeries()), period)
        for _, _, measure in plan.measures()
    }


def rate_series(measure: Measure, series: MeasureSeries, period: Period) -> Rating:
    """Rate a measure's latest value against its primary target, by the target's kind."""
    polarity = measure.polarity or Polarity.NONE
    points = [p for p in series.points if p.value is not None]
    latest_point = points[-1] if points else None
    previous_point = points[-2] if len(points) > 1 else None
    ctx = MeasureContext(
        polarity=polarity,
        unit=measure.unit,
        frequency_months=_FREQUENCY_MONTHS.get(measure.frequency or Frequency.ANNUAL, 12),
        as_of=period.end,
        previous=_observation(previous_point) if previous_point else None,
        baseline=_baseline(measure),
        comparison=_comparison(latest_point, polarity),
    )
    latest = _observation(latest_point) if latest_point else None
    target = measure.target
    if target is None:
        return rate_without_target(TargetKind.NO_TARGET, ctx, latest=latest)
    return _by_kind(target, measure, series, latest, ctx, [p.value for p in points], points)


def _by_kind(
    target: Target,
    measure: Measure,
    series: MeasureSeries,
    latest: Observation | None,
    ctx: MeasureContext,
    values: list[Any],
    points: list[SeriesPoint],
) -> Rating:
    kind = target.kind
    when = target.period.label if target.period else None
    figure = None if target.value is None else float(target.value)
    if kind in (TargetKind.NARRATIVE, TargetKind.NO_TARGET, TargetKind.TBC):
        return rate_without_target(kind, ctx, text=target.text, latest=latest)
    if kind is TargetKind.VALUE:
        if figure is None:
            return rate_without_target(TargetKind.NARRATIVE, ctx, text=target.text, latest=latest)
        operator = Operator(target.bound.value) if target.bound else None
        return rate_value(latest, figure, ctx, operator=operator, target_period=when)
    if kind is TargetKind.RELATIVE_CHANGE:
        base = ctx.baseline or Observation(None)
        return rate_relative_change(latest, base, figure or 0.0, ctx, target_period=when)
    if kind is TargetKind.RANK:
        return rate_rank(series.rank, int(figure or 1), ctx, out_of=series.out_of,
                         target_period=when, latest=latest)  # fmt: skip
    if kind is TargetKind.QUARTILE:
        wanted = target.quartile or 1
        return rate_quartile(series.quartile, wanted, ctx, target_period=when, latest=latest)
    if kind is TargetKind.COMPARATOR:
        return _rate_comparator(target, latest, ctx, points, when)
    if kind is TargetKind.TREND:
        lows = [p.lower_ci if p.lower_ci is not None else math.nan for p in points]
        highs = [p.upper_ci if p.upper_ci is not None else math.nan for p in points]
        trend = recent_trend(values, lows, highs)
        wanted_trend = WantedTrend((target.direction or "improve").lower())
        return rate_trend(int(trend.marker[0]), wanted_trend, ctx,
                          chi_square=float(trend.chi_square[0]), target_period=when,
                          latest=latest)  # fmt: skip
    # A gap needs the two groups' values, which a whole-population series does not hold.
    groups = (*target.between, "group A", "group B")
    return rate_gap(None, None, None, None, ctx, groups=(groups[0], groups[1]),
                    target_gap=figure, target_period=when, latest=latest)  # fmt: skip


def _rate_comparator(
    target: Target,
    latest: Observation | None,
    ctx: MeasureContext,
    points: list[SeriesPoint],
    when: str | None,
) -> Rating:
    last = points[-1] if points else None
    which = target.comparator or ComparatorName.ENGLAND
    significance: Comparison | None = None
    if which is ComparatorName.STATISTICAL_NEIGHBOURS:
        name, value = "the statistical-neighbour average", last.sn_average if last else None
    elif which is ComparatorName.REGION:
        name, value = "the region", None
    elif which is ComparatorName.NATIONAL_TARGET:
        name, value = "the national target", None
    else:
        name = "England"
        value = last.england if last else None
        significance = ctx.comparison
    relation = Relation((target.relation or ComparatorRelation.IN_LINE).value)
    percent = None if target.value is None else float(target.value)
    return rate_comparator(latest, name, value, relation, ctx, significance=significance,
                           percent=percent, target_period=when)  # fmt: skip


# --------------------------------------------------------------------------- exception notes

NOTE_COLUMNS = ("measure_id", "cause", "recovery_action", "owner", "review_date")


def read_exception_notes(path: str | Path, plan: Plan) -> dict[str, ExceptionNote]:
    """Cause, recovery action, owner and review date per measure from a CSV.

    Columns: ``measure_id`` (required) and any of ``cause, recovery_action, owner,
    review_date`` (ISO date, 2015-09-30). Raises DataImportError naming every bad cell.
    """
    file = str(path)
    try:
        raw = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as error:
        problem = Problem(file, None, None, f"cannot read the file: {error}")
        raise DataImportError([problem]) from None
    problems: list[Problem] = []
    if "measure_id" not in raw.columns:
        raise DataImportError([Problem(file, 1, "measure_id", "required column is missing")])
    unknown = [c for c in raw.columns if c not in NOTE_COLUMNS]
    problems += [Problem(file, 1, c, f"unknown column; use {', '.join(NOTE_COLUMNS)}")
                 for c in unknown]  # fmt: skip
    known = {m.id for _, _, m in plan.measures()}
    notes: dict[str, ExceptionNote] = {}
    for row_number, row in enumerate(raw.iter_rows(named=True), start=2):
        measure_id = (row.get("measure_id") or "").strip()
        if measure_id not in known:
            message = f"{measure_id!r} is not a measure of plan {plan.id}"
            problems.append(Problem(file, row_number, "measure_id", message))
            continue
        if measure_id in notes:
            problems.append(Problem(file, row_number, "measure_id",
                                    f"{measure_id} is given more than once"))  # fmt: skip
        review = (row.get("review_date") or "").strip()
        review_date = None
        if review:
            try:
                review_date = date.fromisoformat(review)
            except ValueError:
                problems.append(Problem(file, row_number, "review_date",
                                        f"{review!r} is not a date like 2015-09-30"))  # fmt: skip

        def text(name: str, row: dict[str, Any] = row) -> str | None:
            value = (row.get(name) or "").strip()
            return value or None

        notes[measure_id] = ExceptionNote(
            text("cause"), text("recovery_action"), text("owner"), review_date
        )
    if problems:
        raise DataImportError(problems)
    return notes

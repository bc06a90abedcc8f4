"""Board-pack inputs from files: an observations table in, series and ratings out.

This is how a partnership makes a board pack without the server: a plan file
and a long-format observations CSV (``measure_id, area_code, period, value,
lower_ci, upper_ci, count, denominator``; England rows use ``E92000001``; rows
for the statistical neighbours and other local authorities add the neighbour
average, rank and quartile). The CSV goes through the same checks as any data
return, so a bad cell is reported by row and column and nothing is half-read.
"""

from __future__ import annotations

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
from cypp.domain.plan import Measure, Plan
from cypp.domain.units import Polarity
from cypp.reports.model import ExceptionNote, MeasureSeries, SeriesPoint, measure_trajectory
from cypp.stats.assess import AssessmentContext, rate_measure
from cypp.stats.peers import quartile_band, rank_of
from cypp.stats.rating import Observation, Rating

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
    frame = frame.with_columns(pl.col(pl.Categorical).cast(pl.String))  # joins take strings
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


#: Share of English LAs that must have a figure before a quartile is shown.
NATIONAL_COVERAGE = 0.9


def _positions(
    plan: Plan, data: pl.DataFrame, own: pl.DataFrame
) -> dict[str, tuple[int | None, int | None, str | None]]:
    """Rank and LAIT quartile among English LAs in each measure's latest period with a value.

    A quartile is only given when the figures held cover most English LAs: a quartile of
    the statistical neighbours alone would read as a national position it is not.
    """
    las = areas_frame().filter(pl.col("kind") == "la").select(pl.col("ons_code").alias("area_code"))
    national = NATIONAL_COVERAGE * las.height
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
        if peer_values.size < national:
            band = ""
        out[measure_id] = (rank or None, int(peer_values.size), band or None)
    return out


# --------------------------------------------------------------------------- ratings


def _observations(rows: pl.DataFrame) -> list[Observation]:
    return [
        Observation.of(
            row["value"],
            row["period"],
            lower95=row["lower_ci95"],
            upper95=row["upper_ci95"],
            lower998=row["lower_ci998"],
            upper998=row["upper_ci998"],
            count=row["count"],
            denominator=row["denominator"],
            area_code=row["area_code"],
            breakdown=row["breakdown"],
        )
        for row in rows.iter_rows(named=True)
    ]


def rate_plan(
    plan: Plan,
    frame: pl.DataFrame,
    period: Period,
    series_by_measure: Mapping[str, MeasureSeries] | None = None,
) -> dict[str, Rating]:
    """The rating of each measure's primary target as at the end of ``period``.

    England rows are the England benchmark, the neighbour averages in
    ``series_by_measure`` the statistical-neighbour benchmark, and every English
    LA in the file the peers for rank and quartile.
    """
    assert period.end is not None
    code = (plan.area.ons_code or "").upper()
    frame = frame.with_columns(pl.col(pl.Categorical).cast(pl.String))  # joins take strings
    data = frame.filter(pl.col("period_end") <= pl.lit(period.end))
    las = areas_frame().filter(pl.col("kind") == "la").select(pl.col("ons_code").alias("area_code"))
    own = {k[0]: v for k, v in data.filter(pl.col("area_code") == code).partition_by(
        "measure", as_dict=True).items()}  # fmt: skip
    england = {k[0]: v for k, v in data.filter(pl.col("area_code") == ENGLAND).partition_by(
        "measure", as_dict=True).items()}  # fmt: skip
    peers = {k[0]: v for k, v in data.join(las, on="area_code", how="semi").partition_by(
        "measure", as_dict=True).items()}  # fmt: skip
    ratings: dict[str, Rating] = {}
    empty = frame.clear()
    for _, _, measure in plan.measures():
        series = (series_by_measure or {}).get(measure.id, MeasureSeries())
        neighbours = [
            Observation.of(p.sn_average, p.period)
            for p in series.points
            if p.sn_average is not None
        ]
        empty = frame.clear()
        context = AssessmentContext(
            area_code=code or None,
            as_of=period.end,
            benchmarks={
                "england": _observations(england.get(measure.id, empty)),
                "statistical_neighbours": neighbours,
            },
            peers=_observations(peers.get(measure.id, empty)),
        )
        found = rate_measure(measure, _observations(own.get(measure.id, empty)), context)
        ratings[measure.id] = found[0]
    return ratings


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

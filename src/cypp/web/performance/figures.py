"""Stored observations as the frames :mod:`cypp.reports.inputs` rates, and the results back.

The web app rates a plan with exactly the code the command line uses
(:func:`~cypp.reports.inputs.series_from_observations` and
:func:`~cypp.reports.inputs.rate_plan`); this module only reads the observation store
into one polars frame and turns stored ratings back into the values the board pack
builder takes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from cypp.data.observations import Quality
from cypp.domain import plan as d
from cypp.domain.periods import Period, PeriodError
from cypp.domain.targets import TargetKind
from cypp.domain.units import Polarity, Unit
from cypp.reports.inputs import rate_plan, report_period, series_from_observations
from cypp.reports.model import MeasureSeries, SeriesPoint
from cypp.stats.compare import Comparison, ComparisonMethod, Significance
from cypp.stats.rating import Direction, Rating, Status, Tolerance
from cypp.web.data.models import Observation

__all__ = [
    "PUBLIC_QUALITIES",
    "Calculation",
    "calculate",
    "observation_frame",
    "provenance",
    "rating_from_provenance",
    "reporting_periods",
    "series_from_json",
    "series_to_json",
]

#: Figures shown on the public page: final and revised, never provisional or estimated.
PUBLIC_QUALITIES = (Quality.FINAL.value, Quality.REVISED.value)

_COLUMNS = {
    "id": pl.Int64(),
    "measure": pl.String(),
    "area_code": pl.String(),
    "period": pl.String(),
    "period_end": pl.Date(),
    "breakdown": pl.String(),
    "value": pl.Float64(),
    "count": pl.Float64(),
    "denominator": pl.Float64(),
    "lower_ci95": pl.Float64(),
    "upper_ci95": pl.Float64(),
    "lower_ci998": pl.Float64(),
    "upper_ci998": pl.Float64(),
    "quality": pl.String(),
    "suppression_code": pl.String(),
}
_FIELDS = ["id", "measure__key", *list(_COLUMNS)[2:]]


def observation_frame(plan_id: int, *, public: bool = False) -> pl.DataFrame:
    """Every stored observation of the plan's measures (all areas), one row each.

    ``public=True`` keeps only final and revised figures.
    """
    rows = Observation.objects.filter(measure__theme__plan_id=plan_id)
    if public:
        rows = rows.filter(quality__in=PUBLIC_QUALITIES)
    return pl.DataFrame(list(rows.values_list(*_FIELDS)), schema=_COLUMNS, orient="row")


def reporting_periods(frame: pl.DataFrame, area_code: str | None) -> list[str]:
    """Periods with a figure for the plan's area that can name a report, latest first."""
    own = frame.filter(pl.col("area_code") == (area_code or "").upper())
    labels = (
        own.group_by("period")
        .agg(pl.col("period_end").max())
        .sort("period_end", descending=True)["period"]
        .to_list()
    )
    out = []
    for label in labels:
        try:
            report_period(label)
        except PeriodError:
            continue
        out.append(label)
    return out


@dataclass(frozen=True)
class Calculation:
    """A plan rated for one period: what the board pack builder takes, plus the inputs' ids."""

    period: Period
    ratings: dict[str, Rating]
    series: dict[str, MeasureSeries]
    observation_ids: dict[str, list[int]]


def calculate(plan: d.Plan, frame: pl.DataFrame, period: str) -> Calculation:
    """Rate every measure of ``plan`` at the end of ``period`` from ``frame``."""
    when = report_period(period)
    assert when.end is not None
    used = frame.filter(pl.col("period_end") <= pl.lit(when.end))
    ids = {
        str(key): sorted(values)
        for key, values in used.group_by("measure").agg(pl.col("id")).iter_rows()
    }
    series = series_from_observations(plan, used, when)
    ratings = rate_plan(plan, used, when, series)
    return Calculation(when, ratings, series, ids)


# --------------------------------------------------------------------------- stored form


def provenance(rating: Rating) -> dict[str, Any]:
    """The rating as JSON, with the whole comparison so it can be rebuilt exactly."""
    data = rating.as_dict()
    comparison = rating.comparison
    if comparison is not None:
        data["comparison"] = {
            "significance": comparison.significance.name,
            "label": comparison.label,
            "method": comparison.method.value,
            "benchmark": comparison.benchmark,
            "benchmark_value": comparison.benchmark_value,
            "value": comparison.value,
            "lower": comparison.lower,
            "upper": comparison.upper,
            "confidence": comparison.confidence,
            "polarity": comparison.polarity.value,
        }
    return data


def _enum(kind: type, value: Any) -> Any:
    return None if value is None else kind(value)


def rating_from_provenance(data: Mapping[str, Any]) -> Rating:
    """The :class:`Rating` a stored provenance was made from."""
    comparison = data.get("comparison")
    tolerance = data.get("tolerance")
    return Rating(
        status=Status(data["status"]),
        kind=TargetKind(data["kind"]),
        method=data["method"],
        reason=data["reason"],
        polarity=Polarity(data["polarity"]),
        unit=_enum(Unit, data.get("unit")),
        target=data.get("target"),
        target_period=data.get("target_period"),
        inputs=data.get("inputs") or {},
        comparators=data.get("comparators") or {},
        confidence=data.get("confidence"),
        tolerance=Tolerance(**tolerance) if tolerance else None,
        comparison=(
            None
            if not comparison
            else Comparison(
                significance=Significance[comparison["significance"]],
                label=comparison["label"],
                method=ComparisonMethod(comparison["method"]),
                benchmark=comparison["benchmark"],
                benchmark_value=comparison.get("benchmark_value"),
                value=comparison.get("value"),
                lower=comparison.get("lower"),
                upper=comparison.get("upper"),
                confidence=comparison.get("confidence"),
                polarity=Polarity(comparison.get("polarity", data["polarity"])),
            )
        ),
        direction_since_previous=_enum(Direction, data.get("direction_since_previous")),
        direction_since_baseline=_enum(Direction, data.get("direction_since_baseline")),
        rule_version=data["rule_version"],
        measure_id=data.get("measure_id"),
        area_code=data.get("area_code"),
        period=data.get("period"),
    )


def series_to_json(series: MeasureSeries) -> dict[str, Any]:
    return {
        "points": [dataclasses.asdict(point) for point in series.points],
        "rank": series.rank,
        "out_of": series.out_of,
        "quartile": series.quartile,
    }


def series_from_json(data: Mapping[str, Any]) -> MeasureSeries:
    return MeasureSeries(
        tuple(SeriesPoint(**point) for point in data.get("points", ())),
        data.get("rank"),
        data.get("out_of"),
        data.get("quartile"),
    )

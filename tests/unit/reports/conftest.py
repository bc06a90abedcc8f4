"""A small observations file for the Worcestershire plan, written by hand for these tests.

Worcestershire (E10000034), England and the ten DfE statistical neighbours for a few
measures over four financial years: enough for ratings of each colour, an exception,
a confidence band, the neighbour average, a rank and a quartile.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from cypp.domain.periods import Period
from cypp.domain.plan import Plan
from cypp.domain.planfile import load_plan
from cypp.reports.inputs import (
    rate_plan,
    read_observations_csv,
    report_period,
    series_from_observations,
)
from cypp.reports.model import BoardPack, ExceptionNote, MeasureSeries, build_board_pack
from cypp.stats.rating import Rating
from tests.paths import EXAMPLES

WORCS = "E10000034"
ENGLAND = "E92000001"
NEIGHBOURS = ["E06000066", "E10000013", "E06000059", "E10000031", "E06000051",
              "E10000032", "E10000008", "E10000007", "E10000012", "E06000065"]  # fmt: skip
YEARS = ["2011/12", "2012/13", "2013/14", "2014/15"]
PERIOD = "2014/15"

# measure: Worcestershire values by year, (lower, upper) 95% CI half-width, England values.
SERIES = {
    # Self-harm admissions: rising to 405 against a target of 377.5 -> Red, worsening,
    # significantly worse than England (350).
    "m01": ([430.0, 416.0, 400.0, 405.0], 10.0, [352.0, 351.0, 349.0, 350.0]),
    # Mothers smoking at delivery: 13.5% against at most 14% -> Green, improving.
    "m05": ([17.0, 16.0, 15.0, 13.5], 0.8, [13.2, 12.7, 12.0, 11.4]),
    # Breastfeeding at 6-8 weeks: similar to England -> Green on the comparator target.
    "m06": ([44.0, 44.5, 45.2, 45.0], 2.0, [47.2, 47.1, 45.8, 45.5]),
    # Alcohol-specific admissions: 50 per 100,000 against 47.1 -> Red, no CI given.
    "m04": ([60.0, 57.2, 52.0, 50.0], None, [44.0, 42.0, 40.0, 37.0]),
}


def write_observations(path: Path) -> Path:
    rows: list[dict[str, object]] = []
    for measure, (values, half, england) in SERIES.items():
        for year, value, eng in zip(YEARS, values, england, strict=True):
            lo = "" if half is None else round(value - half, 3)
            hi = "" if half is None else round(value + half, 3)
            rows.append({"measure_id": measure, "area_code": WORCS, "period": year,
                         "value": value, "lower_ci": lo, "upper_ci": hi})  # fmt: skip
            rows.append({"measure_id": measure, "area_code": ENGLAND, "period": year,
                         "value": eng})  # fmt: skip
            for i, code in enumerate(NEIGHBOURS):
                rows.append({"measure_id": measure, "area_code": code, "period": year,
                             "value": round(eng * (0.9 + 0.03 * i), 3)})  # fmt: skip
    columns = ["measure_id", "area_code", "period", "value", "lower_ci", "upper_ci",
               "count", "denominator"]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def plan() -> Plan:
    return load_plan(EXAMPLES / "worcestershire-2014-17.yaml")


@pytest.fixture(scope="session")
def observations_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_observations(tmp_path_factory.mktemp("obs") / "observations.csv")


@pytest.fixture(scope="session")
def period() -> Period:
    return report_period(PERIOD)


@pytest.fixture(scope="session")
def frame(plan: Plan, observations_csv: Path) -> pl.DataFrame:
    return read_observations_csv(observations_csv, plan)


@pytest.fixture(scope="session")
def series(plan: Plan, frame: pl.DataFrame, period: Period) -> dict[str, MeasureSeries]:
    return series_from_observations(plan, frame, period)


@pytest.fixture(scope="session")
def ratings(
    plan: Plan, frame: pl.DataFrame, period: Period, series: dict[str, MeasureSeries]
) -> dict[str, Rating]:
    return rate_plan(plan, frame, period, series)


@pytest.fixture(scope="session")
def pack(
    plan: Plan, period: Period, series: dict[str, MeasureSeries], ratings: dict[str, Rating]
) -> BoardPack:
    note = ExceptionNote(
        cause="More admissions of young women aged 15-19",
        recovery_action="Self-harm pathway in schools",
        owner="Public health",
        review_date=date(2015, 9, 30),
    )
    notes = {"m01": note}
    return build_board_pack(plan, ratings, series, period, exception_notes=notes,
                            generated=date(2015, 6, 1))  # fmt: skip

"""Board-pack inputs from files: observations and exception details, checked before use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from cypp.data.errors import DataImportError
from cypp.domain.periods import Period
from cypp.domain.plan import Plan
from cypp.reports.inputs import (
    read_exception_notes,
    read_observations_csv,
    report_period,
    series_from_observations,
)
from cypp.reports.model import MeasureSeries
from cypp.stats.rating import Rating, Status


def test_observations_use_the_data_return_checks(plan: Plan, frame: pl.DataFrame) -> None:
    assert frame.height == 4 * 4 * 12  # 4 measures, 4 years, Worcestershire + England + 10 SN
    assert set(frame["measure"].unique()) == {"m01", "m04", "m05", "m06"}
    assert frame.filter(pl.col("measure") == "m04")["lower_ci95"].null_count() > 0


def test_bad_cells_are_reported_by_row_and_column(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "measure_id,area_code,period,value\n"
        "m01,E10000034,2014/15,four hundred\n"
        "m99,E10000034,2014/15,12\n",
        encoding="utf-8",
    )
    with pytest.raises(DataImportError) as error:
        read_observations_csv(path, plan)
    where = {(p.row, p.column) for p in error.value.problems}
    assert (2, "value") in where
    assert (3, "measure") in where
    assert str(path) in str(error.value)


def test_both_spellings_of_a_column_are_refused(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "both.csv"
    path.write_text(
        "measure_id,measure,area_code,period,value\nm01,m01,E10000034,2014/15,1\n", "utf-8"
    )
    with pytest.raises(DataImportError, match="either 'measure_id' or 'measure'"):
        read_observations_csv(path, plan)


def test_later_data_are_not_used_for_an_earlier_pack(plan: Plan, frame: pl.DataFrame) -> None:
    series = series_from_observations(plan, frame, report_period("2013/14"))
    assert [p.period for p in series["m01"].points] == ["2011/12", "2012/13", "2013/14"]


def test_ratings_use_england_and_the_neighbour_average(ratings: dict[str, Rating]) -> None:
    m06 = ratings["m06"]  # comparator target: not significantly different from England
    assert m06.status is Status.GREEN
    assert m06.comparison is not None and m06.comparison.benchmark == "England"
    assert ratings["m01"].status is Status.RED
    assert ratings["m02"].status is Status.AWAITING_DATA


def test_neighbour_average_is_the_mean_of_the_ten_neighbours(
    series: dict[str, MeasureSeries], period: Period
) -> None:
    first = series["m05"].points[0]  # England 13.2 in 2011/12
    expected = sum(round(13.2 * (0.9 + 0.03 * i), 3) for i in range(10)) / 10
    assert first.sn_average == pytest.approx(expected, rel=1e-12)


def test_exception_notes_are_read_and_checked(plan: Plan, tmp_path: Path) -> None:
    good = tmp_path / "notes.csv"
    good.write_text(
        "measure_id,cause,recovery_action,owner,review_date\n"
        "m01,Rising admissions,School pathway,Public health,2015-09-30\n",
        encoding="utf-8",
    )
    notes = read_exception_notes(good, plan)
    assert notes["m01"].review_date == date(2015, 9, 30)
    assert notes["m01"].owner == "Public health"
    bad = tmp_path / "bad-notes.csv"
    bad.write_text("measure_id,cause,review_date\nm01,x,30/09/2015\nm77,y,\n", encoding="utf-8")
    with pytest.raises(DataImportError) as error:
        read_exception_notes(bad, plan)
    where = {(p.row, p.column) for p in error.value.problems}
    assert where == {(2, "review_date"), (3, "measure_id")}

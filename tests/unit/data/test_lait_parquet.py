"""LAIT files as Parquet: numbers read as numbers, and every cell still named when wrong."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cypp.data.errors import DataImportError
from cypp.data.formats import read_observations
from cypp.data.formats.lait import _runs, _without

MEASURES = ["LAC", "ExcessYr6", "6wksBreast"]


@pytest.fixture(scope="module")
def lait(public_data: Path) -> pl.DataFrame:
    full = pl.read_parquet(public_data / "lait/lait_bds_long.parquet")
    return full.filter(pl.col("Short Desc").is_in(MEASURES))


def _read(frame: pl.DataFrame, path: Path) -> tuple[pl.DataFrame, list[str]]:
    if path.suffix == ".csv":
        frame.write_csv(path)
    else:
        frame.write_parquet(path)
    batch = read_observations(path)
    return batch.frame, batch.notes


def _same(found: tuple[pl.DataFrame, list[str]], expected: tuple[pl.DataFrame, list[str]]) -> None:
    assert found[0].equals(expected[0]) and found[0].height > 0
    assert found[1] == expected[1]


def _problems(frame: pl.DataFrame, path: Path) -> list[tuple[int | None, str | None, str]]:
    frame.write_parquet(path)
    with pytest.raises(DataImportError) as caught:
        read_observations(path)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("dtype", [pl.Float64, pl.Float32, pl.Int64, pl.Int32, pl.String])
def test_la_numbers_of_any_type_read_as_the_csv(
    lait: pl.DataFrame, tmp_path: Path, dtype: pl.DataType
) -> None:
    expected = _read(lait, tmp_path / "lait.csv")
    typed = lait.with_columns(pl.col("LA Number").cast(dtype))
    _same(_read(typed, tmp_path / "lait.parquet"), expected)


def test_numeric_values_read_as_the_csv(lait: pl.DataFrame, tmp_path: Path) -> None:
    figures = lait.filter(pl.col("Values") != "-")
    expected = _read(figures, tmp_path / "lait.csv")
    typed = figures.with_columns(pl.col("Values").cast(pl.Float64))
    _same(_read(typed, tmp_path / "lait.parquet"), expected)


@pytest.mark.parametrize(
    ("number", "message"),
    [(885.5, "unknown area code '885.5'"), (-3.0, "unknown area code '-3'"),
     (float("nan"), "area code is empty"), (None, "area code is empty"),
     (2e6, "unknown area code '2000000'")],
)  # fmt: skip
def test_a_bad_la_number_is_named_by_row_and_column(
    lait: pl.DataFrame, tmp_path: Path, number: float | None, message: str
) -> None:
    bad = lait.with_columns(
        pl.when(pl.int_range(pl.len()) == 4)
        .then(pl.lit(number, dtype=pl.Float64))
        .otherwise(pl.col("LA Number"))
        .alias("LA Number")
    )
    ((row, column, text),) = _problems(bad, tmp_path / "bad.parquet")
    assert (row, column) == (6, "area_code")  # the header is row 1
    assert message in text


def test_a_value_that_is_no_number_is_named(lait: pl.DataFrame, tmp_path: Path) -> None:
    bad = lait.with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("abc")).otherwise("Values").alias("Values")
    )
    ((row, column, text),) = _problems(bad, tmp_path / "bad.parquet")
    assert (row, column) == (4, "value") and "'abc' is not a number" in text


def test_an_empty_value_beside_suppressed_ones_is_named(lait: pl.DataFrame, tmp_path: Path) -> None:
    """LAIT's '-' cells are suppressed figures; an empty cell among them is still an error."""
    assert (lait["Values"] == "-").any()
    bad = lait.with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise("Values").alias("Values")
    )
    ((row, column, text),) = _problems(bad, tmp_path / "empty.parquet")
    assert (row, column) == (5, "value") and "empty" in text


def test_rows_left_out_still_name_unknown_measures(lait: pl.DataFrame, tmp_path: Path) -> None:
    """Rows of an unknown measure without figures are left out, and the measure named; an
    area found only in rows left out is not looked up."""
    unknown = lait.head(5).with_columns(
        pl.lit("NoSuchMeasure").alias("Short Desc"), pl.lit("-").alias("Values")
    )
    zero = lait.head(3).with_columns(
        pl.lit("0").alias("Years"), pl.lit("-").alias("Values"), pl.lit(999.0).alias("LA Number")
    )
    frame, notes = _read(pl.concat([lait, unknown, zero]), tmp_path / "lait.parquet")
    assert frame.height == lait.height
    assert any("8 rows with no figure" in note for note in notes)
    assert any("lait:NoSuchMeasure" in note for note in notes)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_runs_never_join_rows_that_differ(tmp_path: Path, suffix: str) -> None:
    """Runs are found by comparing texts' views: a run may be split, never joined."""
    texts = ["a", "a", "long measure code one", "long measure code one", "long measure code two"]
    years = ["2019", "2019", "2019", "2020", "2020"]
    frame = pl.DataFrame({"code": texts * 50, "year": years * 50})
    path = tmp_path / f"runs{suffix}"
    if suffix == ".csv":
        frame.write_csv(path)
        frame = pl.read_csv(path, infer_schema=False)
    else:
        frame.write_parquet(path, row_group_size=7)
        frame = pl.read_parquet(path)
    heads, lengths = _runs(frame["code"], frame["year"])
    starts = heads.to_list()
    assert starts[0] == 0 and sum(lengths) == frame.height
    for start, length in zip(starts, lengths.tolist(), strict=True):
        run = frame.slice(start, length)
        assert run.n_unique() == 1
    exact = frame.select(pl.struct("code", "year").rle_id()).to_series()
    assert len(starts) >= exact.n_unique()


@pytest.mark.parametrize(
    "dropped",
    [[0, 1, 2], [5, 6, 7, 20, 199], list(range(0, 200, 2)), list(range(200)), [199], []],
)
def test_rows_left_out_leave_the_others_in_order(dropped: list[int]) -> None:
    """A few blocks are cut out as slices, many are filtered: the rows kept are the same."""
    frame = pl.DataFrame({"row": range(200), "text": [f"text {i}" for i in range(200)]})
    keep = ~pl.Series(range(200)).is_in(dropped)
    kept = _without(np.array(dropped, dtype=np.int64), frame["row"], frame["text"])
    assert [column.to_list() for column in kept] == [
        frame["row"].filter(keep).to_list(),
        frame["text"].filter(keep).to_list(),
    ]

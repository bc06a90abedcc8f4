"""Our limits and comparisons against a real Fingertips export.

Indicator 90284 (hospital admissions for injuries in children aged 0-14, crude
rate per 10,000) for all counties and unitary authorities, 2010/11-2023/24,
Persons/Male/Female, as OHID publishes it (bulk CSV, parent England and parent
regions). From 2012/13 the published Count is rounded to the nearest 5 for
disclosure control while the limits were computed from the unrounded count,
so those rows are reproduced from a count within 2 of the published one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl
import pytest

from cypp.domain.units import Polarity
from cypp.stats import ci, compare

FOLDER = "data/fingertips"
ENGLAND_FILE = "fingertips_all_data_csv_iid90284_counties_ua_parent_england.csv"
REGIONS_FILE = "fingertips_all_data_csv_iid90284_counties_ua_parent_regions.csv"
MULTIPLIER = 10_000.0  # per 10,000
POLARITY = Polarity.LOWER_IS_BETTER  # fewer admissions is better
REL = 1e-6  # the export prints 8 significant figures
COUNT_ROUNDING = 2  # counts rounded to the nearest 5 are at most 2 away

FloatArray = npt.NDArray[np.float64]


def _read(shared_dir: Path, name: str) -> pl.DataFrame:
    path = shared_dir / FOLDER / name
    if not path.is_file():
        pytest.skip(f"the Fingertips export {path} is not available")
    raw = pl.read_csv(path, infer_schema_length=0)
    num = {
        "Value": "value",
        "Lower CI 95.0 limit": "lo95",
        "Upper CI 95.0 limit": "hi95",
        "Lower CI 99.8 limit": "lo998",
        "Upper CI 99.8 limit": "hi998",
        "Count": "count",
        "Denominator": "denominator",
    }
    return raw.with_columns(pl.col(k).cast(pl.Float64).alias(v) for k, v in num.items())


@pytest.fixture(scope="module")
def england_export(shared_dir: Path) -> pl.DataFrame:
    return _read(shared_dir, ENGLAND_FILE)


@pytest.fixture(scope="module")
def regions_export(shared_dir: Path) -> pl.DataFrame:
    return _read(shared_dir, REGIONS_FILE)


def _close(got: FloatArray, want: FloatArray) -> npt.NDArray[np.bool_]:
    """Within the export's printed precision; a missing published limit counts as agreeing."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.isnan(want) | (np.abs(got - want) <= REL * np.abs(want))


def _limits_agree(rows: pl.DataFrame, count: FloatArray) -> npt.NDArray[np.bool_]:
    n = rows["denominator"].to_numpy()
    r95 = ci.crude_rate(count, n, 0.95, MULTIPLIER)
    r998 = ci.crude_rate(count, n, 0.998, MULTIPLIER)
    return (
        _close(r95.lower, rows["lo95"].to_numpy())
        & _close(r95.upper, rows["hi95"].to_numpy())
        & _close(r998.lower, rows["lo998"].to_numpy())
        & _close(r998.upper, rows["hi998"].to_numpy())
    )


def _with_counts(export: pl.DataFrame) -> pl.DataFrame:
    return export.filter(pl.col("count").is_not_null() & pl.col("denominator").is_not_null())


def test_values_are_count_over_denominator(england_export: pl.DataFrame) -> None:
    rows = _with_counts(england_export)
    got = ci.crude_rate(rows["count"], rows["denominator"], 0.95, MULTIPLIER).value
    agree = _close(got, rows["value"].to_numpy())
    print(f"\nvalues: {agree.sum()} of {agree.size} rows agree")
    assert agree.all()


def test_limits_reproduce_the_published_95_and_99_8_limits(england_export: pl.DataFrame) -> None:
    rows = _with_counts(england_export)
    count = rows["count"].to_numpy()
    direct = _limits_agree(rows, count)
    unrounded = rows["Time period"].is_in(["2010/11", "2011/12"]).to_numpy()
    recovered = np.zeros_like(direct)
    for shift in range(-COUNT_ROUNDING, COUNT_ROUNDING + 1):
        recovered |= _limits_agree(rows, count + shift)
    print(
        f"\nByar/exact limits at 95% and 99.8%: {direct.sum()} of {direct.size} rows agree "
        f"from the published count ({direct[unrounded].sum()} of {unrounded.sum()} rows "
        f"before counts were rounded); {recovered.sum()} of {recovered.size} agree from a "
        f"count within {COUNT_ROUNDING} of the published (rounded) count"
    )
    assert direct[unrounded].all()
    assert recovered.all()
    # Rounding to the nearest 5 leaves about one row in five unchanged.
    assert 0.15 < direct[~unrounded].mean() < 0.3


def _benchmark_values(export: pl.DataFrame, benchmark_codes: pl.Expr) -> pl.DataFrame:
    return (
        export.filter(benchmark_codes & pl.col("Category Type").is_null())
        .unique(["Area Code", "Sex", "Time period"])
        .select(
            pl.col("Area Code").alias("benchmark_code"),
            "Sex",
            "Time period",
            pl.col("value").alias("benchmark"),
        )
    )


def _compared(rows: pl.DataFrame, lower: FloatArray, upper: FloatArray) -> npt.NDArray[np.str_]:
    value, bench = rows["value"].to_numpy(), rows["benchmark"].to_numpy()
    return compare.labels(compare.single_ci(value, lower, upper, bench, POLARITY), POLARITY)


def _recovered_limits(rows: pl.DataFrame) -> tuple[FloatArray, FloatArray]:
    """Limits from the unrounded count: the count within 2 that reproduces the published limits."""
    count = rows["count"].to_numpy()
    n = rows["denominator"].to_numpy()
    lower = np.full(count.shape, np.nan)
    upper = np.full(count.shape, np.nan)
    for shift in (0, -1, 1, -2, 2):
        fits = _limits_agree(rows, count + shift) & np.isnan(lower)
        r = ci.crude_rate(count + shift, n, 0.95, MULTIPLIER)
        lower = np.where(fits, r.lower, lower)
        upper = np.where(fits, r.upper, upper)
    return lower, upper


def _check_comparison(rows: pl.DataFrame, column: str, what: str) -> None:
    want = rows[column].to_numpy().astype(np.str_)
    published = _compared(rows, rows["lo95"].to_numpy(), rows["hi95"].to_numpy())
    r = ci.crude_rate(rows["count"], rows["denominator"], 0.95, MULTIPLIER)
    from_count = _compared(rows, r.lower, r.upper)
    lo, hi = _recovered_limits(rows)
    from_unrounded = _compared(rows, lo, hi)
    off = from_count != want
    # Every disagreement from the rounded count is a borderline case: the benchmark lies
    # between the limits of the published count and those of the unrounded count.
    bench = rows["benchmark"].to_numpy()
    edge = (np.minimum(r.lower, lo) <= bench) & (bench <= np.maximum(r.lower, lo)) | (
        np.minimum(r.upper, hi) <= bench
    ) & (bench <= np.maximum(r.upper, hi))
    print(
        f"\n{what}, single 95% CI, low is good: published limits {np.mean(published == want):.2%}"
        f" ({(published == want).sum()} of {want.size}); our limits from the unrounded count "
        f"{np.mean(from_unrounded == want):.2%}; our limits from the published rounded count "
        f"{np.mean(~off):.2%} ({off.sum()} borderline rows differ)"
    )
    assert (published == want).all()
    assert (from_unrounded == want).all()
    assert np.mean(~off) >= 0.98
    assert edge[off].all()


def test_compared_to_england(england_export: pl.DataFrame) -> None:
    england = _benchmark_values(england_export, pl.col("Area Code") == "E92000001")
    rows = (
        _with_counts(england_export)
        .filter(pl.col("Area Type") != "England")
        .with_columns(pl.lit("E92000001").alias("benchmark_code"))
        .join(england, on=["benchmark_code", "Sex", "Time period"], how="left")
    )
    assert rows["benchmark"].null_count() == 0
    _check_comparison(rows, "Compared to England value or percentiles", "Compared to England")


def test_compared_to_region(regions_export: pl.DataFrame) -> None:
    regions = _benchmark_values(regions_export, pl.col("Area Type") == "Regions (statistical)")
    rows = (
        _with_counts(regions_export)
        .filter(pl.col("Area Type").str.starts_with("Counties"))
        .with_columns(pl.col("Parent Code").alias("benchmark_code"))
        .join(regions, on=["benchmark_code", "Sex", "Time period"], how="inner")
    )
    assert rows.height > 5000
    _check_comparison(
        rows, "Compared to Regions (statistical) value or percentiles", "Compared to region"
    )


def test_rows_without_data_are_not_compared(england_export: pl.DataFrame) -> None:
    rows = england_export.filter(
        (pl.col("Area Type") != "England") & pl.col("value").is_null()
    ).with_columns(pl.lit(117.0).alias("benchmark"))
    assert rows.height > 0
    got = _compared(rows, rows["lo95"].to_numpy(), rows["hi95"].to_numpy())
    assert (got == "Not compared").all()
    assert (rows["Compared to England value or percentiles"] == "Not compared").all()

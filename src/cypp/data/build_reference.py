"""Rebuild the reference tables shipped in ``cypp/data/reference/`` from the published files.

The shipped CSVs are derived, not hand-typed, so they can be checked against their
sources at any time (the tests do) and refreshed when DfE publishes a new
statistical-neighbour model. Run ``python -m cypp.data.build_reference SOURCE_DIR``
where ``SOURCE_DIR`` holds the ``reference/`` folder of published files described in
``cypp/data/reference/NOTICE.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

__all__ = ["REFERENCE_DIR", "build_areas", "build_lait_measures", "build_neighbours", "main"]

REFERENCE_DIR = Path(__file__).with_name("reference")

# DfE's 3-digit codes for England and the regions (as LAIT uses them) beside their ONS codes.
# LAIT names them slightly differently from ONS, so they are joined here on codes by hand
# once, and the test suite checks each pair against LAIT's own code list.
NATIONAL_AND_REGIONAL = [
    ("E92000001", 970, "England", "country", None),
    ("E12000001", 980, "North East", "region", None),
    ("E12000002", 981, "North West", "region", None),
    ("E12000003", 982, "Yorkshire and The Humber", "region", None),
    ("E12000004", 983, "East Midlands", "region", None),
    ("E12000005", 984, "West Midlands", "region", None),
    ("E12000006", 985, "East of England", "region", None),
    ("E12000007", 986, "London", "region", None),
    ("E13000001", 987, "Inner London", "london_subregion", "E12000007"),
    ("E13000002", 988, "Outer London", "london_subregion", "E12000007"),
    ("E12000008", 989, "South East", "region", None),
    ("E12000009", 990, "South West", "region", None),
]

AREA_SCHEMA = {
    "ons_code": pl.String,
    "dfe_code": pl.Int64,
    "name": pl.String,
    "kind": pl.String,
    "la_type": pl.String,
    "region_code": pl.String,
    "valid_from": pl.Date,
    "valid_to": pl.Date,
}

# The first and last reporting years in the DfE files (years ending 31 March) that the
# lookup covers; an LA seen over the whole span has no known start or end.
_FIRST_YEAR, _LAST_YEAR = 2013, 2025


def build_areas(source: Path) -> pl.DataFrame:
    """England, regions and every upper-tier LA with the dates its ONS code was in use."""
    lookup = pl.read_csv(source / "la_lookup_upper_tier_dfe_ons_region.csv", infer_schema=False)
    first = pl.col("first_year").cast(pl.Int32)
    last = pl.col("last_year").cast(pl.Int32)
    las = lookup.select(
        pl.col("ons_la_code").alias("ons_code"),
        pl.col("dfe_la_code").cast(pl.Int64).alias("dfe_code"),
        pl.col("la_name").alias("name"),
        pl.lit("la").alias("kind"),
        # LAIT types the LA by its DfE code, so an LA that became unitary under the same
        # code (Buckinghamshire, North Yorkshire, Somerset) keeps "SC"; the ONS prefix
        # says what each code was.
        pl.when(pl.col("ons_la_code").str.starts_with("E06"))
        .then(pl.lit("UA"))
        .when(pl.col("ons_la_code").str.starts_with("E10"))
        .then(pl.lit("SC"))
        .otherwise(pl.col("lait_la_type"))
        .alias("la_type"),
        pl.col("ons_region_code").alias("region_code"),
        # A reporting year N runs from 1 April N-1 to 31 March N.
        pl.when(first > _FIRST_YEAR).then(pl.date(first - 1, 4, 1)).alias("valid_from"),
        pl.when(last < _LAST_YEAR).then(pl.date(last, 3, 31)).alias("valid_to"),
    )
    top = pl.DataFrame(
        [
            {
                "ons_code": code,
                "dfe_code": dfe,
                "name": name,
                "kind": kind,
                "la_type": None,
                "region_code": parent,
                "valid_from": None,
                "valid_to": None,
            }
            for code, dfe, name, kind, parent in NATIONAL_AND_REGIONAL
        ],
        schema=AREA_SCHEMA,
    )
    return pl.concat([top, las.cast(AREA_SCHEMA)]).sort("kind", "ons_code")  # type: ignore[arg-type]


def build_neighbours(source: Path) -> pl.DataFrame:
    """DfE children's services statistical neighbours, one row per LA and rank, both models.

    Rows whose neighbour is ``-`` (LAs created after the 2021 model) are left out: the
    model has no neighbours for them.
    """
    raw = pl.read_csv(source / "dfe_statistical_neighbours_long.csv", infer_schema=False)
    closeness = pl.col("closeness").str.strip_chars()
    return (
        raw.filter(pl.col("neighbour_dfe_la_code").str.strip_chars() != "-")
        .select(
            pl.col("vintage").str.extract(r"(\d{4})").alias("model"),
            pl.col("dfe_la_code").cast(pl.Int64).alias("dfe_code"),
            pl.col("rank").cast(pl.Int64),
            pl.col("neighbour_dfe_la_code").cast(pl.Int64).alias("neighbour_dfe_code"),
            (
                closeness.str.slice(0, 1).str.to_uppercase()
                + closeness.str.slice(1).str.to_lowercase()
            ).alias("closeness"),
        )
        .sort("model", "dfe_code", "rank")
    )


# LAIT's y-axis captions, read into units: the first pattern that matches wins.
_LAIT_UNITS = [
    (r"(?i)rate per 100,000", "rate_per_100000"),
    (r"(?i)rate per 10,000", "rate_per_10000"),
    (r"(?i)rate per 1,?000", "rate_per_1000"),
    (r"%|(?i)^(turnover|absence) rate$", "percent"),
    (r"(?i)score|^average", "score"),
    (r"(?i)^(number|entries|total cases|social workers|starters|leavers)", "count"),
]

# LAIT's year types, read into the kind of period its year labels name.
_LAIT_YEAR_TYPES = {
    "Academic Year": "academic",
    "Annual - January": "academic",
    "Financial Year": "financial",
    "Annual": "financial",
    "Calendar Year": "calendar",
    "Annual (end of Sept)": "september",
}


def build_lait_measures(dictionary: Path) -> pl.DataFrame:
    """LAIT measure codes with their unit, period kind and polarity, from LAIT's dictionary.

    ``period_kind`` says how to read LAIT's year labels: ``academic`` ("2019" is 2018/19,
    including January census counts), ``financial`` ("2019" is 2018-19, including DfE
    reporting years to 31 March), ``calendar``, or ``september`` (a count at 30 September).
    """
    raw = pl.read_csv(dictionary, infer_schema=False).unique("Measure_short", keep="first")
    caption = pl.col("y_axis_name").fill_null("")
    unit = pl.lit("other")
    for pattern, name in reversed(_LAIT_UNITS):
        unit = pl.when(caption.str.contains(pattern)).then(pl.lit(name)).otherwise(unit)
    polarity = pl.col("Polarity").replace_strict(
        {"High": "higher_is_better", "Low": "lower_is_better"}, default="none"
    )
    return raw.select(
        pl.col("Measure_short").alias("code"),
        pl.col("Measure").str.strip_chars().alias("name"),
        unit.alias("unit"),
        pl.col("Year_Type").replace_strict(_LAIT_YEAR_TYPES).alias("period_kind"),
        polarity.alias("polarity"),
        caption.alias("caption"),
    ).sort("code")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m cypp.data.build_reference SOURCE_REFERENCE_DIR", file=sys.stderr)
        return 2
    source = Path(args[0])
    build_areas(source).write_csv(REFERENCE_DIR / "areas.csv")
    build_neighbours(source).write_csv(REFERENCE_DIR / "statistical_neighbours.csv")
    dictionary = source.parent / "lait" / "lait_data_dictionary.csv"
    build_lait_measures(dictionary).write_csv(REFERENCE_DIR / "lait_measures.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""OHID Fingertips bulk CSV export (``/api/all_data/csv/by_indicator_id`` and friends).

Quirks handled: England rows appear twice (blank and ``E92000001`` parent code) and are
read once; the 23rd column's name depends on the parent area type (``Compared to
percentiles`` or ``Compared to <parent type> value or percentiles``), so comparison
columns are recognised by pattern and not read (cypp computes its own comparisons).
A blank value with a ``Value note`` (``Value suppressed for disclosure control…``,
``Not presented due to…``) is stored as suppressed with the note as its reason; a blank
value without one is left out and counted in the batch notes.

Breakdowns: ``Persons`` and no category is ``all``; otherwise the sex and the category
with its type (e.g. ``Female``, ``County & UA deprivation deciles in England (IMD2019,
4/23 geography): Most deprived decile (IMD2019)``) and, where the file holds several
ages for an indicator, the age.
"""

from __future__ import annotations

import re

import polars as pl

from cypp.data.formats.common import Reading, blank, require_columns, text

__all__ = ["FINGERTIPS_COLUMNS", "comparison_columns", "looks_like_fingertips", "read_fingertips"]

FINGERTIPS_COLUMNS = ("Indicator ID", "Area Code", "Time period", "Value", "Sex", "Age")
_COMPARED = re.compile(r"^Compared to (percentiles|.+ value or percentiles|goal)$")
_NUMERIC = {
    "Lower CI 95.0 limit": "lower_ci95",
    "Upper CI 95.0 limit": "upper_ci95",
    "Lower CI 99.8 limit": "lower_ci998",
    "Upper CI 99.8 limit": "upper_ci998",
    "Count": "count",
    "Denominator": "denominator",
}


def looks_like_fingertips(columns: list[str]) -> bool:
    return set(FINGERTIPS_COLUMNS) <= set(columns)


def comparison_columns(columns: list[str]) -> list[str]:
    """The significance columns, whatever the parent area type made them be called."""
    return [c for c in columns if _COMPARED.match(c)]


def _period(column: str) -> pl.Expr:
    # "2016 - 18" (three calendar years) is written in full so it reads as a span.
    return (
        text(column)
        .str.replace(r"^(\d{2})(\d{2})\s*-\s*(\d{2})$", "${1}${2}-${1}${3}")
        .alias("period")
    )


def read_fingertips(frame: pl.DataFrame, file: str) -> Reading:
    require_columns(frame, FINGERTIPS_COLUMNS, file, "a Fingertips export")
    optional = [c for c in ("Category Type", "Category", "Value note") if c not in frame.columns]
    frame = frame.with_columns(pl.lit("").alias(c) for c in optional)
    frame = frame.with_columns(pl.lit("").alias(c) for c in _NUMERIC if c not in frame.columns)
    notes: list[str] = []
    ignore = {"_row", "Parent Code", "Parent Name", *comparison_columns(frame.columns)}
    same = [c for c in frame.columns if c not in ignore]
    before = frame.height
    frame = frame.unique(subset=same, keep="first", maintain_order=True)
    if frame.height < before:
        notes.append(
            f"{before - frame.height} repeated rows (England listed under two parent codes) "
            "were read once"
        )
    ages = frame.group_by("Indicator ID").agg(pl.col("Age").n_unique().alias("_ages"))
    frame = frame.join(ages, on="Indicator ID", how="left")
    sex = text("Sex")
    parts = pl.concat_list(
        pl.when(sex.str.to_lowercase().is_in(["persons", ""])).then(None).otherwise(sex),
        pl.when(pl.col("_ages") > 1).then(text("Age")).otherwise(None),
        pl.when(blank("Category"))
        .then(None)
        .otherwise(pl.concat_str(text("Category Type"), pl.lit(": "), text("Category"))),
    ).list.drop_nulls()
    breakdown = pl.when(parts.list.len() == 0).then(pl.lit("all")).otherwise(parts.list.join("; "))
    value_blank = blank("Value")
    has_note = ~blank("Value note")
    dropped = frame.filter(value_blank & ~has_note).height
    if dropped:
        notes.append(f"{dropped} rows with neither a value nor a value note were left out")
    frame = frame.filter(~(value_blank & ~has_note)).select(
        "_row",
        ("fingertips:" + text("Indicator ID")).alias("indicator"),
        text("Area Code").alias("area_code"),
        _period("Time period"),
        breakdown.alias("breakdown"),
        pl.when(value_blank).then(pl.lit("..")).otherwise(text("Value")).alias("value"),
        *(text(source).alias(target) for source, target in _NUMERIC.items()),
        text("Value note").alias("note"),
    )
    return Reading(frame, "fingertips", source="OHID Fingertips", notes=notes)

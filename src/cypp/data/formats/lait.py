"""DfE Local Authority Interactive Tool (LAIT) long format ("big data set").

Columns: ``Short Desc`` (measure code), ``Years``, ``LA Number`` (DfE code; England 970,
regions 980-990), ``Values`` (``-`` where there is no figure), plus ``Data item``,
``LA and Regions`` and ``Region``, which are not needed (areas are joined on codes).

LAIT labels a year by the year it ends in ("2019" is 2018/19); whether that is an
academic or financial year, or a count at 30 September, comes from LAIT's data
dictionary, shipped as ``reference/lait_measures.csv``. Suffixes become quality flags:
``(Rev)`` revised, ``(prov)`` provisional, ``(Final)`` final, ``(OT)`` final (outturn).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import polars as pl

from cypp.data.formats.common import Reading, require_columns
from cypp.data.frames import lookup
from cypp.domain.periods import Period

__all__ = ["LAIT_COLUMNS", "lait_measures", "lait_period", "looks_like_lait", "read_lait"]

LAIT_COLUMNS = ("Short Desc", "Years", "LA Number", "Values")
_SUFFIX = re.compile(r"^(?P<base>.*?)\s*\((?P<flag>Rev|prov|Final|OT)\)\s*$", re.IGNORECASE)
_QUALITY = {"rev": "revised", "prov": "provisional", "final": "final", "ot": "final"}


@cache
def lait_measures() -> pl.DataFrame:
    """``code, name, unit, period_kind, polarity, caption`` for every LAIT measure."""
    path = resources.files("cypp.data").joinpath("reference", "lait_measures.csv")
    with resources.as_file(path) as real:
        return pl.read_csv(real, infer_schema=False)


def looks_like_lait(columns: list[str]) -> bool:
    return set(LAIT_COLUMNS) <= set(columns)


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


@cache
def lait_period(label: str, kind: str | None) -> str | None:
    """A LAIT year label as a period label cypp reads, or None if it names no period."""
    match = _SUFFIX.match(label)
    base = (match["base"] if match else label).strip()
    single = re.fullmatch(r"\d{4}", base)
    pair = re.fullmatch(r"(\d{4})[-/](\d{2}|\d{4})", base)
    span = re.fullmatch(r"(\d{4})/\d{2}-(\d{2})/\d{2}", base)
    if kind == "calendar":
        if single:
            return base
        if pair and _year(pair[2]) > int(pair[1]):
            return f"{pair[1]}-{_year(pair[2])}"
        return None
    if kind == "september":
        return f"at 30 September {base}" if single else None
    if kind not in ("academic", "financial"):
        return None
    year = Period.academic_year if kind == "academic" else Period.financial_year
    if single and int(base) > 1900:
        return year(int(base) - 1).canonical_label
    if pair and _year(pair[2]) == int(pair[1]) + 1:
        return year(int(pair[1])).canonical_label
    if span:
        first, last = int(span[1]), int(span[1][:2] + span[2])
        return Period.between(year(first), year(last)).canonical_label
    return None


def read_lait(frame: pl.DataFrame, file: str) -> Reading:
    require_columns(frame, LAIT_COLUMNS, file, "a LAIT file")
    # Each of the few distinct (measure, year label) pairs is read once into a small table,
    # then mapped onto the rows by key: no join over the whole (large) file.
    frame = frame.select(
        "_row",
        pl.col("Short Desc").fill_null("").alias("_code"),
        pl.col("Years").fill_null("").alias("_years"),
        pl.col("LA Number").fill_null("").alias("_area"),
        pl.col("Values").alias("value"),
    ).with_columns(pl.concat_str("_code", "_years", separator="\x1f").alias("_key"))
    pairs = frame.select("_key", "_code", "_years").unique("_key")
    kinds = dict(lait_measures().select("code", "period_kind").iter_rows())
    units = dict(lait_measures().select("code", "unit").iter_rows())
    table = pl.DataFrame(
        [
            (
                key,
                f"lait:{code}",
                units.get(code),
                lait_period(years, kinds.get(code)),
                _quality(years),
                "outturn" if re.search(r"\(OT\)\s*$", years) else None,
                code not in kinds,
            )
            for key, code, years in pairs.iter_rows()
        ],
        schema={
            "key": pl.String,
            "indicator": pl.String,
            "unit": pl.String,
            "period": pl.String,
            "quality": pl.String,
            "note": pl.String,
            "unknown": pl.Boolean,
        },
        orient="row",
    )
    notes = []
    unreadable = table.filter(pl.col("period").is_null())["key"]
    if unreadable.len():
        empty = frame.filter(pl.col("_key").is_in(unreadable.implode()) & (pl.col("value") == "-"))
        if empty.height:
            labels_text = ", ".join(sorted(empty["_years"].unique().to_list()))
            notes.append(
                f"{empty.height} rows with no figure ('-') and a year label that names no "
                f"period ({labels_text}) were left out"
            )
            frame = frame.filter(
                ~(pl.col("_key").is_in(unreadable.implode()) & (pl.col("value") == "-"))
            )
    unknown = table.filter(pl.col("unknown"))["indicator"].unique()
    if unknown.len():
        notes.append(
            "measure codes not in LAIT's data dictionary, read with their year labels as "
            f"written: {', '.join(sorted(unknown.to_list())[:10])}"
        )
    names = ("indicator", "unit", "period", "quality", "note")
    frame = lookup(frame, "_key", table, "key", {n: n for n in names})
    # DfE codes, tidied once per distinct cell ("885.0" from a spreadsheet is 885).
    areas = frame.select(pl.col("_area").unique())
    areas = areas.with_columns(
        pl.col("_area")
        .str.strip_chars()
        .str.replace(r"\.0+$", "")
        .str.to_uppercase()
        .replace("", None)
        .alias("area_code")
    )
    frame = lookup(frame, "_area", areas, "_area", {"area_code": "area_code"})
    frame = frame.with_columns(pl.coalesce("period", "_years").alias("period"))
    return Reading(
        frame.drop("_code", "_years", "_key", "_area"),
        "lait",
        source="DfE LAIT",
        notes=notes,
        clean=frozenset({"measure", "area_code", "period", "unit", "quality", "note"}),
    )


def _quality(years: str) -> str | None:
    flag = re.search(r"\((Rev|prov|Final|OT)\)\s*$", years, re.IGNORECASE)
    return _QUALITY[flag[1].lower()] if flag else None

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

import numpy as np
import polars as pl

from cypp.data.formats.common import Reading, require_columns
from cypp.data.frames import as_enum, factorize
from cypp.domain.periods import Period

__all__ = ["LAIT_COLUMNS", "lait_measures", "lait_period", "looks_like_lait", "read_lait"]

LAIT_COLUMNS = ("Short Desc", "Years", "LA Number", "Values")
_SUFFIX = re.compile(r"^(?P<base>.*?)\s*\((?P<flag>Rev|prov|Final|OT)\)\s*$", re.IGNORECASE)
#: The columns read from the (measure, year label) table.
NAMES = ("indicator", "unit", "period", "quality", "note")
#: Up to this many possible (measure, year) pairs, pairs are indexed through a flat table.
_DENSE_PAIRS = 2**24
_FLAG = re.compile(r"\((Rev|prov|Final|OT)\)\s*$", re.IGNORECASE)
_OUTTURN = re.compile(r"\(OT\)\s*$")
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


def _coded(cells: pl.Series) -> tuple[list[str], pl.Series]:
    """Distinct texts (an empty cell read as ``""``) and each row's index into them."""
    values, codes = factorize(cells)
    texts = values.to_list()
    if codes.null_count():
        codes = codes.fill_null(len(texts))
        texts.append("")
    return texts, codes


def _runs(*columns: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The first row of each run of rows equal in every column, and each row's run number.

    Comparing each row with the one before is much cheaper than hashing every text.
    """
    length = columns[0].len()
    if length == 0:
        return pl.Series([], dtype=pl.UInt32), pl.Series([], dtype=pl.UInt32)
    starts = np.zeros(length, dtype=np.bool_)
    starts[0] = True
    for column in columns:
        after, before = column.slice(1), column.slice(0, length - 1)
        starts[1:] |= after.ne_missing(before).to_numpy()
    return (
        pl.Series(np.flatnonzero(starts).astype(np.uint32)),
        pl.Series(np.cumsum(starts, dtype=np.uint32) - np.uint32(1)),
    )


def _area_numbers(cells: pl.Series) -> tuple[pl.Series, pl.Series]:
    """As :func:`factorize`; LA numbers written plainly ("885") are coded as integers.

    Reading a short number and indexing a small table is cheaper than hashing its text.
    A cell is plain when it reads as a whole number below a million with exactly as many
    characters as digits (so not "0885", " 885" or "+885"); any other cell sends the whole
    column through :func:`factorize`.
    """
    text = cells.cast(pl.String)
    numbers = text.cast(pl.Int64, strict=False).fill_null(-1).to_numpy()
    digits = np.ones(len(numbers), dtype=np.int64)
    for power in (10, 100, 1_000, 10_000, 100_000):
        digits += numbers >= power
    written = text.str.len_bytes().fill_null(0).to_numpy()
    plain = (numbers >= 0) & (numbers < 1_000_000) & (written == digits)
    if not len(numbers) or not plain.all():
        return factorize(cells)
    seen = np.zeros(int(numbers.max()) + 1, dtype=np.bool_)
    seen[numbers] = True
    used = np.flatnonzero(seen)
    position = np.zeros(len(seen), dtype=np.uint32)
    position[used] = np.arange(len(used), dtype=np.uint32)
    return (
        pl.Series([str(number) for number in used.tolist()], dtype=pl.String),
        pl.Series(cells.name, position[numbers]),
    )


def _pairs(pair: pl.Series, possible: int) -> tuple[pl.Series, pl.Series]:
    """The distinct pair numbers (sorted) and each row's index into them."""
    if possible > _DENSE_PAIRS:
        pairs = pair.unique().sort()
        dense = pl.Series(range(pairs.len()), dtype=pl.UInt32)
        return pairs, pair.replace_strict(pairs, dense, return_dtype=pl.UInt32)
    seen = np.bincount(pair.to_numpy(), minlength=possible)
    pairs = pl.Series(np.flatnonzero(seen), dtype=pl.UInt64)
    # Each possible pair's place in the table: one gather, no hashing of the rows.
    position = np.zeros(possible, dtype=np.uint32)
    position[pairs.to_numpy()] = np.arange(pairs.len(), dtype=np.uint32)
    return pairs, pl.Series(position).gather(pair)


def read_lait(frame: pl.DataFrame, file: str) -> Reading:
    require_columns(frame, LAIT_COLUMNS, file, "a LAIT file")
    # Each of the few distinct (measure, year label) pairs is read once into a small table;
    # rows carry the pair's index, and the table's texts reach validation as Enum columns.
    # LAIT lists each (measure, year) block together: the texts are coded once per run.
    heads, run = _runs(frame["Short Desc"], frame["Years"])
    codes, code_index = _coded(frame["Short Desc"].gather(heads))
    years, year_index = _coded(frame["Years"].gather(heads))
    pair = code_index.cast(pl.UInt64) * len(years) + year_index
    pairs, run_pair = _pairs(pair, len(codes) * len(years))
    pair_index = run_pair.gather(run)
    kinds = dict(lait_measures().select("code", "period_kind").iter_rows())
    units = dict(lait_measures().select("code", "unit").iter_rows())
    flags = {
        label: (_quality(label), "outturn" if _OUTTURN.search(label) else None) for label in years
    }
    entries = []
    for key in pairs.to_list():
        code, label = codes[key // len(years)], years[key % len(years)]
        period = lait_period(label, kinds.get(code))
        entries.append(
            (
                f"lait:{code}",
                units.get(code),
                period,
                label if period is None else period,
                *flags[label],
                code not in kinds,
                label,
            )
        )
    table = pl.DataFrame(
        entries,
        schema={
            "indicator": pl.String,
            "unit": pl.String,
            "read": pl.String,
            "period": pl.String,
            "quality": pl.String,
            "note": pl.String,
            "unknown": pl.Boolean,
            "label": pl.String,
        },
        orient="row",
    )
    notes = []
    value, rows = frame["Values"].cast(pl.String), frame["_row"]
    # DfE codes, tidied once per distinct cell ("885.0" from a spreadsheet is 885).
    areas, area_index = _area_numbers(frame["LA Number"])
    unreadable = table["read"].is_null().arg_true()
    if unreadable.len():
        # Rows with no figure under a year label that names no period are not records.
        empty = pair_index.is_in(unreadable.implode()) & (value == "-")
        if empty.any():
            labels = table["label"].gather(pair_index.filter(empty).unique())
            notes.append(
                f"{int(empty.sum())} rows with no figure ('-') and a year label that names no "
                f"period ({', '.join(sorted(labels.unique().to_list()))}) were left out"
            )
            keep = ~empty
            rows, value, pair_index = rows.filter(keep), value.filter(keep), pair_index.filter(keep)
            area_index = area_index.filter(keep)
    unknown = table.filter(pl.col("unknown"))["indicator"].unique()
    if unknown.len():
        notes.append(
            "measure codes not in LAIT's data dictionary, read with their year labels as "
            f"written: {', '.join(sorted(unknown.to_list())[:10])}"
        )
    tidied = areas.to_frame("area").select(
        pl.col("area")
        .str.strip_chars()
        .str.replace(r"\.0+$", "")
        .str.to_uppercase()
        .replace("", None)
    )["area"]
    columns = {name: as_enum(table[name], pair_index) for name in NAMES}
    return Reading(
        pl.DataFrame(
            {
                "_row": rows,
                "value": value,
                **columns,
                "area_code": as_enum(tidied, area_index),
            }
        ),
        "lait",
        source="DfE LAIT",
        notes=notes,
        clean=frozenset({"measure", "area_code", "period", "unit", "quality", "note"}),
    )


def _quality(years: str) -> str | None:
    flag = _FLAG.search(years)
    return _QUALITY[flag[1].lower()] if flag else None

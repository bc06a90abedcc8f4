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
import pyarrow as pa

from cypp.data.coded import Coded
from cypp.data.formats.common import Reading, require_columns
from cypp.data.formats.tables import as_text
from cypp.data.frames import factorize
from cypp.domain.periods import Period

__all__ = ["LAIT_COLUMNS", "lait_measures", "lait_period", "looks_like_lait", "read_lait"]

LAIT_COLUMNS = ("Short Desc", "Years", "LA Number", "Values")
_SUFFIX = re.compile(r"^(?P<base>.*?)\s*\((?P<flag>Rev|prov|Final|OT)\)\s*$", re.IGNORECASE)
#: The columns read from the (measure, year label) table.
NAMES = ("indicator", "unit", "period", "quality", "note")
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


def _coded(cells: pl.Series) -> tuple[list[str], np.ndarray]:
    """Distinct texts (an empty cell read as ``""``) and each cell's index into them.

    For the few cells that start runs: a dictionary costs less than a polars query."""
    position: dict[str | None, int] = {}
    codes = [position.setdefault(cell, len(position)) for cell in cells.to_list()]
    return ["" if text is None else text for text in position], np.array(codes, dtype=np.int64)


def _changes(column: pl.Series) -> np.ndarray:
    """For each row after the first, whether it may differ from the row before.

    Polars keeps a text as a 16-byte view (short texts inline, longer ones as a place in
    a buffer); equal views are equal texts, so comparing views finds every change, and
    texts decoded from a Parquet dictionary share their views. Where views differ too
    often to help (long texts read from CSV), the texts are compared.
    """
    length = column.len()
    if column.dtype == pl.String and not column.null_count() and length > 1:
        changed = np.ones(length - 1, dtype=np.bool_)  # a chunk's first row: compared as new
        start = 0
        for piece in column.chunk_lengths():
            # A slice along a chunk is that chunk: its arrow form is not a copy.
            chunk = column.slice(start, piece)
            array = chunk.to_arrow(compat_level=pl.CompatLevel.newest())
            if not isinstance(array, pa.StringViewArray):
                break
            # Each half of a view against the same half of the view before, in one pass
            # over the words as stored; a view's two answers are then read as one number.
            words = np.frombuffer(array.buffers()[1], dtype=np.uint64)
            words = words[2 * array.offset : 2 * (array.offset + piece)]
            halves = np.not_equal(words[2:], words[:-2])
            np.not_equal(halves.view(np.uint16), 0, out=changed[start : start + piece - 1])
            start += piece
        else:
            if np.count_nonzero(changed) <= length // 8:
                return changed
    return column.slice(1).ne_missing(column.slice(0, length - 1)).to_numpy()


def _runs(*columns: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """The first row of each run of rows equal in every column, and the length of each run.

    Comparing each row with the one before is much cheaper than hashing every text. A run
    may be split where texts are equal (see :func:`_changes`): its texts are coded again.
    """
    length = columns[0].len()
    if length == 0:
        return pl.Series([], dtype=pl.UInt32), np.zeros(0, dtype=np.int64)
    starts = np.zeros(length, dtype=np.bool_)
    starts[0] = True
    for column in columns:
        starts[1:] |= _changes(column)
    heads = np.flatnonzero(starts)
    return pl.Series(heads.astype(np.uint32)), np.diff(heads, append=length)


def _run_rows(heads: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The rows of the runs starting at ``heads`` (ascending) with ``lengths``."""
    starts = heads.astype(np.int64) - (np.cumsum(lengths) - lengths)
    return np.repeat(starts, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)


#: Up to this many blocks of left-out rows, the kept rows are slices (see _without).
_BLOCKS = 64


def _without(rows: np.ndarray, *columns: pl.Series) -> list[pl.Series]:
    """``columns`` without ``rows`` (ascending). Rows left out come in a few blocks (a
    measure-year run), so the kept rows are slices of the columns joined without a copy;
    many blocks are filtered out."""
    if not len(rows):
        return list(columns)
    length = columns[0].len()
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    if len(breaks) >= _BLOCKS:
        keep = np.ones(length, dtype=np.bool_)
        keep[rows] = False
        mask = pl.Series(keep)
        return [column.filter(mask) for column in columns]
    block_starts = rows[np.concatenate(([0], breaks))].tolist()
    block_ends = (rows[np.concatenate((breaks - 1, [len(rows) - 1]))] + 1).tolist()
    kept = [
        (start, end)
        for start, end in zip([0, *block_ends], [*block_starts, length], strict=True)
        if end > start
    ]
    if not kept:
        return [column.clear() for column in columns]
    return [
        pl.concat([column.slice(start, end - start) for start, end in kept], rechunk=False)
        for column in columns
    ]


def _area_numbers(cells: pl.Series) -> tuple[pl.Series, pl.Series, np.ndarray | None]:
    """As :func:`factorize`, with how many rows hold each text where that comes free (LA
    numbers written plainly, "885", are coded as integers, and counted).

    Reading a short number and indexing a small table is cheaper than hashing its text.
    A cell is plain when it reads as a whole number below a million with exactly as many
    characters as digits (so not "0885", " 885" or "+885"), or is such a number in a
    numeric (Parquet) column; any other cell sends the whole column, as text, through
    :func:`factorize`.
    """
    if cells.dtype.is_float() or cells.dtype.is_integer():
        whole = _whole_numbers(cells) if not cells.null_count() and cells.len() else None
        if whole is not None:
            return _number_table(whole, cells.name)
        cells = as_text(cells.to_frame())[cells.name]
    text = cells.cast(pl.String)
    numbers = text.cast(pl.Int64, strict=False).fill_null(-1).to_numpy()
    digits = np.ones(len(numbers), dtype=np.int64)
    for power in (10, 100, 1_000, 10_000, 100_000):
        digits += numbers >= power
    written = text.str.len_bytes().fill_null(0).to_numpy()
    plain = (numbers >= 0) & (numbers < 1_000_000) & (written == digits)
    if not len(numbers) or not plain.all():
        return *factorize(cells), None
    return _number_table([numbers.astype(np.int32)], cells.name)


def _whole_numbers(cells: pl.Series) -> list[np.ndarray] | None:
    """``cells`` (numbers, none empty) as 32-bit integers, a part per chunk, or None unless
    each is a whole number from 0 to 999,999. Each chunk is read as it is stored (no
    copy of the column) and each part is small enough to stay in the cache."""
    parts = []
    start = 0
    for piece in cells.chunk_lengths():
        if not piece:
            continue
        numbers = cells.slice(start, piece).to_numpy()
        lowest, highest = numbers.min(), numbers.max()  # NaN, if any, is both
        if not (lowest >= 0 and highest < 1_000_000):
            return None
        part = numbers.astype(np.int32)
        if numbers.dtype.kind == "f" and not np.array_equal(part, numbers):
            return None
        parts.append(part)
        start += piece
    return parts


def _number_table(parts: list[np.ndarray], name: str) -> tuple[pl.Series, pl.Series, np.ndarray]:
    """The distinct numbers (as text, in order), each row's index into them, and how many
    rows hold each. Counted part by part: numpy widens what it counts to 64 bits first."""
    size = max(int(part.max()) for part in parts) + 1
    seen = np.zeros(size, dtype=np.int64)
    for part in parts:
        seen += np.bincount(part, minlength=size)
    used = np.flatnonzero(seen)
    position = np.zeros(size, dtype=np.uint32)
    position[used] = np.arange(len(used), dtype=np.uint32)
    codes = np.empty(sum(len(part) for part in parts), dtype=np.uint32)
    start = 0
    for part in parts:
        np.take(position, part, out=codes[start : start + len(part)], mode="clip")  # in range
        start += len(part)
    return (
        pl.Series([str(number) for number in used.tolist()], dtype=pl.String),
        pl.Series(name, codes),
        seen[used],
    )


def _level(texts: list[str | None], key_of: np.ndarray) -> Coded:
    """A column kept per pair: ``texts`` per key (a measure code, a year label...) and
    each pair's key; coded with only the texts some pair holds (every pair has rows)."""
    held = np.flatnonzero(np.bincount(key_of, minlength=len(texts))).tolist()
    distinct = list(dict.fromkeys(t for t in (texts[k] for k in held) if t is not None))
    position = {text: index for index, text in enumerate(distinct)}
    per_key = np.array([-1 if t is None else position.get(t, -1) for t in texts], dtype=np.int64)
    codes = per_key[key_of] if len(key_of) else per_key[:0]
    empty = codes < 0
    # Arrow takes the empty cells as a mask, with no polars query.
    cells = pa.array(codes.astype(np.uint32), mask=empty if empty.any() else None)
    return Coded(pl.Series(distinct, dtype=pl.String), pl.Series(cells))


def read_lait(frame: pl.DataFrame, file: str) -> Reading:
    require_columns(frame, LAIT_COLUMNS, file, "a LAIT file")
    frame = as_text(frame, ["Short Desc", "Years", "Values"])
    # Each of the few distinct (measure, year label) pairs is read once; rows carry the
    # pair's index, and the pair's texts reach validation coded per pair.
    # LAIT lists each (measure, year) block together: the texts are coded once per run.
    heads, lengths = _runs(frame["Short Desc"], frame["Years"])
    codes, code_index = _coded(frame["Short Desc"].gather(heads))
    years, year_index = _coded(frame["Years"].gather(heads))
    pair = code_index * len(years) + year_index
    pairs, run_pair = np.unique(pair, return_inverse=True)
    code_of, year_of = pairs // len(years), pairs % len(years)
    kinds = _kinds()
    # A period is read once per (kind of year, label).
    kind_names = list(dict.fromkeys(kinds.get(code) for code in codes))
    kind_of = np.array([kind_names.index(kinds.get(code)) for code in codes], dtype=np.int64)
    combo = kind_of[code_of] * len(years) + year_of if len(pairs) else pairs
    combos, combo_of = np.unique(combo, return_inverse=True)
    read = [
        lait_period(years[k % len(years)], kind_names[k // len(years)]) for k in combos.tolist()
    ]
    notes = []
    value, rows = frame["Values"], frame["_row"]
    # DfE codes, tidied once per distinct cell ("885.0" from a spreadsheet is 885).
    areas, area_index, area_rows = _area_numbers(frame["LA Number"])
    kept = lengths  # each run's rows kept
    unreadable = np.flatnonzero(np.array([r is None for r in read], dtype=np.bool_)[combo_of])
    if len(unreadable):
        # Rows with no figure under a year label that names no period are not records:
        # only the rows of those pairs' runs are looked at.
        unread = np.zeros(len(pairs), dtype=np.bool_)
        unread[unreadable] = True
        runs = np.flatnonzero(unread[run_pair])
        candidates = _run_rows(heads.to_numpy()[runs], lengths[runs])
        empty = (value.gather(pl.Series(candidates)) == "-").fill_null(False).to_numpy()
        if empty.any():
            run_of = np.repeat(runs, lengths[runs])[empty]
            labels = sorted({years[year_of[p]] for p in np.unique(run_pair[run_of]).tolist()})
            notes.append(
                f"{int(np.count_nonzero(empty))} rows with no figure ('-') and a year label "
                f"that names no period ({', '.join(labels)}) were left out"
            )
            left_out = candidates[empty]
            if area_rows is not None:  # the areas of the rows left out, counted
                gone = area_index.gather(pl.Series(left_out)).to_numpy()
                area_rows = area_rows - np.bincount(gone, minlength=len(area_rows))
            rows, value, area_index = _without(left_out, rows, value, area_index)
            kept = lengths - np.bincount(run_of, minlength=len(lengths))
            area_table, area_index = _used(areas.to_frame("area"), area_index, area_rows)
            areas = area_table["area"]
    # Codes are named even where their rows were left out.
    unknown = sorted({f"lait:{codes[c]}" for c in set(code_of.tolist()) if codes[c] not in kinds})
    # Pairs left without rows are dropped: validation reads only texts some row holds.
    held = np.bincount(run_pair, weights=kept, minlength=len(pairs)) > 0
    if not held.all():
        renumber = np.cumsum(held) - 1
        run_pair = renumber[run_pair]
        pairs, code_of, year_of, combo_of = (a[held] for a in (pairs, code_of, year_of, combo_of))
    pair_index = pl.Series(np.repeat(run_pair.astype(np.uint32), kept))
    if unknown:
        notes.append(
            "measure codes not in LAIT's data dictionary, read with their year labels as "
            f"written: {', '.join(unknown[:10])}"
        )
    # Numbers read as numbers are written plainly already ("885").
    tidied = (
        areas
        if area_rows is not None
        else areas.to_frame("area").select(
            pl.col("area")
            .str.strip_chars()
            .str.replace(r"\.0+$", "")
            .str.to_uppercase()
            .replace("", None)
        )["area"]
    )
    units = _units()
    # A label that names no period is kept as written (validation then names the rows).
    periods = [
        years[k % len(years)] if period is None else period
        for k, period in zip(combos.tolist(), read, strict=True)
    ]
    per_pair = {
        "indicator": _level([f"lait:{code}" for code in codes], code_of),
        "unit": _level([units.get(code) for code in codes], code_of),
        "period": _level(periods, combo_of),
        "quality": _level([_quality(y) for y in years], year_of),
        "note": _level(["outturn" if _OUTTURN.search(y) else None for y in years], year_of),
    }
    coded = {name: Coded(c.values, c.codes, pair_index) for name, c in per_pair.items()}
    coded["area_code"] = _through(tidied, area_index)
    return Reading(
        pl.DataFrame({"_row": rows, "value": value}),
        "lait",
        source="DfE LAIT",
        notes=notes,
        clean=frozenset({"measure", "area_code", "period", "unit", "quality", "note"}),
        coded=coded,
    )


@cache
def _kinds() -> dict[str, str]:
    return dict(lait_measures().select("code", "period_kind").iter_rows())


@cache
def _units() -> dict[str, str]:
    return dict(lait_measures().select("code", "unit").iter_rows())


def _used(
    table: pl.DataFrame, index: pl.Series, seen: np.ndarray | None = None
) -> tuple[pl.DataFrame, pl.Series]:
    """The rows of ``table`` that ``index`` points at (``seen``: how many point at each,
    if known), and the index into them."""
    if seen is None:
        seen = np.bincount(index.to_numpy(), minlength=table.height)
    if seen.all():
        return table, index
    used = np.flatnonzero(seen)
    position = np.zeros(table.height, dtype=np.uint32)
    position[used] = np.arange(len(used), dtype=np.uint32)
    return table[pl.Series(used)], pl.Series(index.name, position).gather(index)


def _through(values: pl.Series, index: pl.Series) -> Coded:
    """``values.gather(index)`` coded: each distinct text once (every one of them used when
    every row of ``values`` is), and each row's index into them (null: no text)."""
    if not values.null_count() and values.n_unique() == values.len():
        return Coded(values, index)  # each text once already
    distinct, codes = factorize(values)
    return Coded(distinct, codes.gather(index))


def _quality(years: str) -> str | None:
    flag = _FLAG.search(years)
    return _QUALITY[flag[1].lower()] if flag else None

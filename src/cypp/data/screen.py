"""The quick way through :func:`~cypp.data.observations.validate_observations`.

Observation files repeat a few texts over many rows (hundreds of measures, areas and
periods in LAIT's 641k rows), so each text column is factorised once
(:func:`~cypp.data.frames.factorize`): tidying, period reading, area lookup and the
checks on a text run once per distinct text, and rows only carry small integer codes.
The duplicate-key check compares one packed integer per row.

:func:`screen` either returns the typed frame, or ``None`` when any rule may be
broken; the caller then runs the full row-by-row checks, which list every problem
with its file, row and column. The screen may send a clean file to the full checks
(that costs time, never correctness), but must never pass a file those checks refuse.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from cypp.data import observations as obs
from cypp.data.coded import Coded, nulls, spread
from cypp.data.frames import factorize
from cypp.data.periods import period_rows
from cypp.domain.units import Unit

__all__ = ["screen"]

_CODES = list(obs.SUPPRESSION_CODES)
#: Packed duplicate keys up to this range are checked with a table of flags (bytes).
_FLAG_TABLE = 2**26


def _absent(column: pl.Series) -> bool:
    """Whether every cell is empty (such a column breaks no rule)."""
    return column.null_count() == column.len()


def _tidy(values: pl.Series, case: str | None) -> pl.Series:
    text = values.str.strip_chars()
    if case == "upper":
        text = text.str.to_uppercase()
    elif case == "lower":
        text = text.str.to_lowercase()
    return text.to_frame("text").select(
        pl.when(pl.col("text") == "").then(None).otherwise(pl.col("text")).alias("text")
    )["text"]


_CASES = {"area_code": "upper", "unit": "lower", "quality": "lower"}


def _text_columns(
    raw: pl.DataFrame,
    clean: Collection[str],
    source: str | None,
    coded: Mapping[str, Coded],
) -> dict[str, Coded]:
    columns = {}
    # A column the file lacks is kept per group where the reader kept others so: then
    # it costs nothing per row.
    grouped = next((c for c in coded.values() if c.group is not None), None)
    for name in obs.TEXT_COLUMNS:
        if name in coded:
            coded_column = coded[name]
        elif name not in raw.columns:
            coded_column = Coded.empty(raw.height) if grouped is None else grouped.emptied()
        else:
            coded_column = Coded.of(raw[name])
            if name not in clean:
                coded_column = coded_column.remap(_tidy(coded_column.values, _CASES.get(name)))
        columns[name] = coded_column
    columns["breakdown"] = columns["breakdown"].fill(obs.ALL)
    if source is not None:
        columns["source"] = columns["source"].fill(source)
    return columns


def _units(unit: Coded, measure: Coded, units: Mapping[str, Unit] | None) -> Coded:
    """The ``unit`` column, with each measure's unit from ``units`` where the cell is empty."""
    if not units:
        return unit
    per_measure = measure.values.replace_strict(
        {m: Unit(u).value for m, u in units.items()}, default=None, return_dtype=pl.String
    )
    values = pl.concat([unit.values, per_measure.drop_nulls()]).unique(maintain_order=True)
    order = pl.Series(range(values.len()), dtype=pl.UInt32)
    own = unit.values.replace_strict(values, order).cast(pl.UInt32)
    from_measure = per_measure.replace_strict(values, order, default=None).cast(pl.UInt32)
    codes = own.gather(unit.row_codes).fill_null(from_measure.gather(measure.row_codes))
    return Coded(values, codes)


@dataclass
class _Numbers:
    """Parsed numeric columns, whether any cell is bad, and which rows are suppressed.

    ``codes`` holds each row's suppression code (an index into ``SUPPRESSION_CODES``,
    null for a figure); where every suppressed row has the same code (LAIT's "-") it is
    None and ``code`` is that code, so no column of codes is built.
    """

    floats: dict[str, pl.Series]
    suppressed: pl.Series
    codes: pl.Series | None
    code: int | None
    bad: bool
    #: Whether the empty values are exactly the suppressed rows.
    empty_suppressed: bool = False


def _code_index(texts: pl.Series) -> pl.Series:
    """Each text's index into ``SUPPRESSION_CODES`` (null: not a code); ``texts`` are few."""
    position = {code: index for index, code in enumerate(_CODES)}
    return pl.Series([position.get(text) for text in texts.to_list()], dtype=pl.UInt32)


def _numbers(raw: pl.DataFrame, suppression: Coded) -> _Numbers:
    """Parse every number; a cell the fast cast misses is read again once per distinct text."""
    length = raw.height
    codes: pl.Series | None = None
    code: int | None = None
    mask: pl.Series | None = None  # the rows holding ``code``
    exact = False
    if not _absent(suppression.codes):
        codes = _code_index(suppression.values.str.to_lowercase()).gather(suppression.row_codes)
    floats, bad = {}, False
    for name in obs.NUMERIC_COLUMNS:
        cells = raw[name].cast(pl.String) if name in raw.columns else None
        if cells is None or _absent(cells):
            floats[name] = nulls(length, pl.Float64)
            continue
        fast = cells.cast(pl.Float64, strict=False)
        unread = fast.is_null() & cells.is_not_null() if cells.null_count() else fast.is_null()
        if unread.any():
            unreadable = _Unread.of(cells, unread)
            read = _read_cells(unreadable.distinct)
            if not _absent(read["number"]):
                fast = fast.scatter(unreadable.rows, read["number"].gather(unreadable.index))
            if name == "value":
                known = _code_index(read["code"])
                if unreadable.distinct.len() == 1 and known[0] is not None and codes is None:
                    # One code in every unread cell (LAIT's "-"): no column of codes.
                    code, mask = known[0], unread
                    # Then the empty values are those cells, unless some cell was blank.
                    exact = not cells.null_count() and _absent(read["number"])
                elif not _absent(known):
                    found = known.gather(unreadable.index)
                    is_code = found.is_not_null()
                    codes = nulls(length, pl.UInt32) if codes is None else codes
                    codes = codes.scatter(unreadable.rows.filter(is_code), found.filter(is_code))
            else:
                # As the full check: a blank cell is empty; any other unread cell is an error.
                wrong = read.filter(
                    pl.col("number").is_null()
                    & (pl.col("code") != "")
                    & ~pl.col("cell").str.to_lowercase().is_in(_CODES)
                )
                bad = bad or wrong.height > 0
        if name != "value":
            bad = bad or not fast.is_finite().all()  # empty cells aside
        floats[name] = fast
    if mask is not None:
        return _Numbers(floats, mask, None, code, bad, empty_suppressed=exact)
    if codes is None:
        return _Numbers(floats, pl.repeat(False, length, eager=True), None, None, bad)
    return _Numbers(floats, codes.is_not_null(), codes, None, bad)


def _read_cells(distinct: pl.Series) -> pl.DataFrame:
    """``cell, code, number`` for each text a plain cast could not read. A file holds few
    such texts, the same in file after file ("-", "c"): a single one is read once."""
    if distinct.len() == 1:
        return _read_cell(distinct[0])
    return distinct.to_frame("cell").with_columns(
        pl.col("cell").str.strip_chars().str.to_lowercase().alias("code"),
        obs._number("cell").alias("number"),
    )


@lru_cache(maxsize=256)
def _read_cell(cell: str) -> pl.DataFrame:
    return _read_cells(pl.Series("cell", [cell, cell], dtype=pl.String)).head(1)


@dataclass
class _Unread:
    """The cells a cast could not read: their distinct texts and, as needed, which rows
    hold them and each one's text (an index into ``distinct``)."""

    unread: pl.Series
    distinct: pl.Series
    coded: tuple[pl.Series, pl.Series] | None

    @classmethod
    def of(cls, cells: pl.Series, unread: pl.Series) -> _Unread:
        first = cells[unread.arg_max() or 0]  # the first unread cell
        # Unread cells are few: comparing them alone costs less than comparing every cell.
        if (cells.filter(unread) == first).all():
            return cls(unread, pl.Series([first], dtype=pl.String), None)
        rows = unread.arg_true()
        distinct, index = factorize(cells.gather(rows))
        return cls(unread, distinct, (rows, index))

    @cached_property
    def rows(self) -> pl.Series:
        return self.unread.arg_true() if self.coded is None else self.coded[0]

    @property
    def index(self) -> pl.Series:
        if self.coded is None:
            return pl.zeros(self.rows.len(), pl.UInt32, eager=True)
        return self.coded[1]


def _packed_duplicates(columns: list[Coded]) -> bool:
    """Whether two rows share every code: the codes are packed into one integer per row.

    Columns kept per the same groups are packed per group first. Where the packed keys
    span a small range, each is marked in a table of flags (no hashing or sorting), a
    block of rows at a time so that the keys stay in the cache; otherwise the sorted
    keys are compared with their neighbours.
    """
    # A column with one text in every row tells no rows apart.
    columns = [c for c in columns if c.values.len() > 1 or c.codes.null_count()] or columns[:1]
    capacity = 1
    for column in columns:
        capacity *= column.values.len() + 1
        if capacity >= 2**63:
            frame = pl.DataFrame({str(i): c.row_codes for i, c in enumerate(columns)})
            return bool(frame.is_duplicated().any())
    # Per-group keys first, numbered densely (a small flag table stays in the cache).
    groups: dict[int, tuple[pl.Series, npt.NDArray[Any]]] = {}
    parts: list[tuple[npt.NDArray[Any] | None, pl.Series, int]] = []
    for column in columns:
        size = column.values.len() + 1
        codes = column.codes.fill_null(size - 1) if column.codes.null_count() else column.codes
        if column.group is None:
            parts.append((None, codes, size))
        else:
            group, packed = groups.get(id(column.group), (column.group, np.zeros(1, np.int64)))
            groups[id(column.group)] = (group, packed * size + codes.to_numpy().astype(np.int64))
    for group, packed in groups.values():
        distinct, rank = np.unique(packed, return_inverse=True)
        if len(distinct) == len(packed):  # no two groups alike: a row's group is its key
            parts.insert(0, (None, group, len(packed)))
        else:
            parts.insert(0, (rank.astype(np.int64), group, len(distinct)))
    if not parts:
        return False
    length, span = parts[0][1].len(), 1
    for _, _, radix in parts:
        span *= radix
    if span <= max(_FLAG_TABLE, 8 * length):
        seen = np.zeros(span, dtype=np.bool_)
        for start in range(0, length, _BLOCK):
            seen[_keys(parts, start, _BLOCK)] = True
        return int(np.count_nonzero(seen)) < length
    ordered = np.sort(_keys(parts, 0, length))
    return bool((ordered[1:] == ordered[:-1]).any())


#: Rows packed at a time: their 64-bit keys (512 KiB) stay in the cache.
_BLOCK = 2**16


def _keys(parts: list[tuple[npt.NDArray[Any] | None, pl.Series, int]], start: int,
          count: int) -> npt.NDArray[np.int64]:  # fmt: skip
    """The packed keys of ``count`` rows from ``start``: each part is ``(table or None,
    codes, radix)``, the codes read through the table where there is one."""
    keys: npt.NDArray[np.int64] | None = None
    for table, codes, radix in parts:
        cells = codes.slice(start, count).to_numpy()
        if keys is None:
            keys = table[cells] if table is not None else cells.astype(np.int64)
            continue
        keys *= radix
        keys += table[cells] if table is not None else cells
    return keys if keys is not None else np.zeros(0, dtype=np.int64)


def _percent_rows(unit: Coded, mask: pl.Series) -> pl.Series:
    """The rows where ``mask`` holds and the unit is a percentage."""
    texts = unit.values.to_list()
    if Unit.PERCENT.value not in texts:
        return pl.Series([], dtype=pl.UInt32)
    rows = mask.arg_true()  # an empty cell is not True
    return rows.filter((unit.codes_at(rows) == texts.index(Unit.PERCENT.value)).fill_null(False))


def _any_of(column: pl.Series, test: Callable[[pl.Series], pl.Series]) -> bool:
    """Whether ``test`` holds in any row; an empty column holds nothing."""
    return not _absent(column) and _any(test(column))


def _any(mask: pl.Series) -> bool:
    return bool(mask.fill_null(False).any())


def _unfigured(numbers: _Numbers) -> bool:
    """Whether a row has neither a figure nor a suppression code, or a figure that is not
    finite: a sum of finite figures is finite (should it overflow, the full checks run)."""
    value = numbers.floats["value"]
    if not math.isfinite(value.sum() or 0.0):
        return True
    # Where the suppressed rows are the cells that read as no number, each empty value
    # is suppressed by construction.
    return not numbers.empty_suppressed and _any(value.is_null() & ~numbers.suppressed)


def screen(
    raw: pl.DataFrame,
    *,
    source: str | None,
    units: Mapping[str, Unit] | None,
    known_measures: Collection[str] | None,
    publisher: bool,
    notes: list[str] | None,
    clean: Collection[str],
    coded: Mapping[str, Coded],
) -> pl.DataFrame | None:
    """Typed observations from ``raw``, or None if any rule may be broken (see the module).

    ``coded`` holds tidied text columns outside ``raw``."""
    text = _text_columns(raw, clean, source, coded)
    measure, area, period = text["measure"], text["area_code"], text["period"]
    unit = _units(text["unit"], measure, units)
    numbers = _numbers(raw, text["suppression"])
    value, suppressed = numbers.floats["value"], numbers.suppressed

    # Once per distinct text: periods read, areas resolved to the code in use now.
    # These tables are small: Python reads them for less than a polars query costs.
    periods = period_rows(period.values.to_list())
    canonical = period.remap(periods["period"])
    areas = area.values.to_list()
    lookup = obs.area_lookup()
    found = [lookup.get(text) for text in areas]
    current = area.remap(
        pl.Series([text if f is None else f[0] for text, f in zip(areas, found, strict=True)],
                  dtype=pl.String)
    )  # fmt: skip
    renamed = {text: f[0] for text, f in zip(areas, found, strict=True) if f is not None and f[1]}

    quality, suppression = text["quality"], text["suppression"]
    qualities = quality.values.to_list()
    floats = numbers.floats
    over = value > 100
    # Without counts or denominators no count is above its denominator.
    counted = not (_absent(floats["count"]) or _absent(floats["denominator"]))
    over_count = floats["count"] > floats["denominator"] if counted else None
    broken = (
        numbers.bad
        or bool(measure.codes.null_count() or area.codes.null_count() or period.codes.null_count())
        or (known_measures is not None and not set(measure.values.to_list()) <= {*known_measures})
        or None in found
        or any(error is not None for error in periods["period_error"].to_list())
        or _unfigured(numbers)
        or not {t.lower() for t in suppression.values.to_list()} <= {*_CODES}
        or (
            not _absent(suppression.codes)
            and _any(suppression.row_codes.is_not_null() & value.is_not_null())
        )
        or not set(qualities) <= {q.value for q in obs.Quality}
        or (
            obs.Quality.SUPPRESSED.value in qualities
            and _any(
                (quality.row_codes == qualities.index(obs.Quality.SUPPRESSED.value)) & ~suppressed
            )
        )
        or not set(unit.values.to_list()) <= {u.value for u in Unit}
        or (not publisher and _percent_rows(unit, over).len() > 0)
        or (not publisher and over_count is not None and _percent_rows(unit, over_count).len() > 0)
        or _any_of(floats["denominator"], lambda d: d < 0)
        or _any_of(floats["lower_ci95"], lambda low: low > floats["upper_ci95"])
        or _any_of(floats["lower_ci998"], lambda low: low > floats["upper_ci998"])
        or _packed_duplicates([measure, current, canonical, text["breakdown"]])
    )
    if broken:
        return None

    if notes is not None:
        notes.extend(_renamed_notes(area, renamed))
        if publisher:
            over_rows = _percent_rows(unit, over if over_count is None else over | over_count)
            notes.extend(_publisher_notes(measure, value, floats, over_rows))
    # Quality: as written, "final" where empty, "suppressed" where the figure is.
    filled = quality.fill(obs.Quality.FINAL.value)
    as_written = filled.level(filled.values.cast(obs.QUALITY_ENUM))
    columns = spread(
        {
            "measure": measure.level(_categories(measure)),
            "area_code": current.level(_categories(current)),
            "period": canonical.level(_categories(canonical)),
            "period_start": period.level(periods["period_start"]),
            "period_end": period.level(periods["period_end"]),
            "breakdown": text["breakdown"].level(_categories(text["breakdown"])),
            "unit": unit.level(unit.values.cast(obs.UNIT_ENUM)),
            "quality": as_written,
            "source": text["source"].level(_categories(text["source"])),
            "note": text["note"].level(_categories(text["note"])),
        }
    )
    # Quality: as written, "final" where empty, "suppressed" where the figure is.
    code, reason = _suppression(numbers)
    hidden = pl.DataFrame({"quality": columns["quality"], "hidden": suppressed}).select(
        pl.when(pl.col("hidden"))
        .then(pl.lit(obs.Quality.SUPPRESSED.value, obs.QUALITY_ENUM))
        .otherwise(pl.col("quality"))
        .alias("quality"),
        code.alias("suppression_code"),
        reason.alias("suppression_reason"),
    )
    return pl.DataFrame(
        {
            "measure": columns["measure"],
            "area_code": columns["area_code"],
            "period": columns["period"],
            "period_start": columns["period_start"],
            "period_end": columns["period_end"],
            "breakdown": columns["breakdown"],
            # A suppressed row never has a figure here: that is a problem for the full checks.
            "value": value,
            **{name: floats[name] for name in obs.NUMERIC_COLUMNS[1:]},
            "unit": columns["unit"],
            "quality": hidden["quality"],
            "suppression_code": hidden["suppression_code"],
            "suppression_reason": hidden["suppression_reason"],
            "source": columns["source"],
            "note": columns["note"],
            "source_row": raw["_row"].cast(pl.Int64),
        }
    )


_REASONS = pl.Series(list(obs.SUPPRESSION_CODES.values()), dtype=pl.Categorical)
_CODE_CATEGORIES = pl.Series(_CODES, dtype=pl.Categorical)


def _categories(column: Coded) -> pl.Series:
    """The distinct texts as categories: rows then take 4-byte codes, never their texts."""
    return column.values.cast(pl.Categorical)


def _suppression(numbers: _Numbers) -> tuple[pl.Expr, pl.Expr]:
    """The code and reason of each suppressed row (a row is suppressed where the column
    ``hidden`` holds), as expressions: built from that mask where one code is used."""
    codes, code = numbers.codes, numbers.code
    if codes is not None and not _absent(codes):
        low, high = codes.min(), codes.max()
        if low != high:
            return pl.lit(_CODE_CATEGORIES.gather(codes)), pl.lit(_REASONS.gather(codes))
        code = low  # type: ignore[assignment]
    if code is None:
        return pl.lit(None, pl.Categorical), pl.lit(None, pl.Categorical)
    text = _CODES[code]
    return tuple(  # type: ignore[return-value]
        pl.when(pl.col("hidden")).then(pl.lit(cell, pl.Categorical))
        for cell in (text, obs.SUPPRESSION_CODES[text])
    )


def _renamed_notes(area: Coded, renamed: dict[str, str]) -> list[str]:
    """Say which rows were stored under a new code (``renamed``: old code -> new code)."""
    if not renamed:
        return []
    texts = area.values.to_list()
    moved = pl.Series([i for i, text in enumerate(texts) if text in renamed], dtype=pl.UInt32)
    codes = area.row_codes
    rows = codes.filter(codes.is_in(moved.implode()))
    counts = np.bincount(rows.to_numpy(), minlength=len(texts))
    return [
        "rows stored under the area's current code: "
        + ", ".join(
            f"{old} → {renamed[old]} ({counts[i]})"
            for old, i in sorted((texts[i], i) for i in moved.to_list())
            if counts[i]
        )
    ]


def _publisher_notes(
    measure: Coded, value: pl.Series, floats: dict[str, pl.Series], rows: pl.Series
) -> list[str]:
    """The full checks' notes, worked out on the few rows that can have any (``rows``)."""
    if not rows.len():
        return []
    names = measure.values.to_list()
    codes = measure.codes_at(rows).to_numpy()
    values = value.gather(rows).to_numpy()  # NaN where empty
    masks = [(obs.OVER_PERCENT, values > 100)]
    if not (_absent(floats["count"]) or _absent(floats["denominator"])):
        over_count = floats["count"].gather(rows) > floats["denominator"].gather(rows)
        masks.append((obs.OVER_DENOMINATOR, over_count.fill_null(False).to_numpy()))
    notes = []
    for what, mask in masks:
        if mask.any():
            found = codes[mask]
            rows_per = np.bincount(found, minlength=len(names))
            highest = np.full(len(names), np.nan)
            np.fmax.at(highest, found, values[mask])
            per = [
                (names[i], int(rows_per[i]), None if np.isnan(highest[i]) else float(highest[i]))
                for i in np.flatnonzero(rows_per).tolist()
            ]
            notes.append(obs.publisher_note(what, per))
    return notes

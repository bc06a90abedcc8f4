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

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from cypp.data import observations as obs
from cypp.data.frames import factorize
from cypp.data.periods import period_table
from cypp.domain.units import Unit

__all__ = ["screen"]

_CODES = list(obs.SUPPRESSION_CODES)
#: Packed duplicate keys up to this range are checked with a table of flags (bytes).
_FLAG_TABLE = 2**26


@dataclass
class _Coded:
    """A text column as its distinct texts and, per row, an index into them (null: empty)."""

    values: pl.Series
    codes: pl.Series

    @classmethod
    def of(cls, cells: pl.Series) -> _Coded:
        return cls(*factorize(cells))

    @classmethod
    def empty(cls, length: int) -> _Coded:
        return cls(
            pl.Series([], dtype=pl.String), pl.repeat(None, length, dtype=pl.UInt32, eager=True)
        )

    def remap(self, new_values: pl.Series) -> _Coded:
        """Replace each distinct text by ``new_values`` (same order; null empties the cells)."""
        values, index = factorize(new_values)
        return _Coded(values, index.gather(self.codes))

    def fill(self, text: str) -> _Coded:
        """Empty cells take ``text``."""
        values = self.values
        if text not in values:
            values = values.append(pl.Series([text]))
        position = values.index_of(text)
        return _Coded(values, self.codes.fill_null(position))

    def index(self, text: str) -> int | None:
        return self.values.index_of(text)

    def rows(self) -> pl.Series:
        if self.values.len() == 1 and not self.codes.null_count():  # one text in every row
            return pl.repeat(self.values[0], self.codes.len(), dtype=pl.String, eager=True)
        return self.values.gather(self.codes)


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
    coded: Mapping[str, tuple[pl.Series, pl.Series]],
) -> dict[str, _Coded]:
    columns = {}
    for name in obs.TEXT_COLUMNS:
        if name in coded:
            coded_column = _Coded(*coded[name])
        elif name not in raw.columns:
            coded_column = _Coded.empty(raw.height)
        else:
            coded_column = _Coded.of(raw[name])
            if name not in clean:
                coded_column = coded_column.remap(_tidy(coded_column.values, _CASES.get(name)))
        columns[name] = coded_column
    columns["breakdown"] = columns["breakdown"].fill(obs.ALL)
    if source is not None:
        columns["source"] = columns["source"].fill(source)
    return columns


def _units(unit: _Coded, measure: _Coded, units: Mapping[str, Unit] | None) -> _Coded:
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
    codes = own.gather(unit.codes).fill_null(from_measure.gather(measure.codes))
    return _Coded(values, codes)


@dataclass
class _Numbers:
    """Parsed numeric columns, whether any cell is bad, and each row's suppression code
    (an index into ``SUPPRESSION_CODES``, null for a figure)."""

    floats: dict[str, pl.Series]
    suppression: pl.Series
    bad: bool


_CODE_INDEX = pl.Series(range(len(_CODES)), dtype=pl.UInt32)


def _code_index(texts: pl.Series) -> pl.Series:
    return texts.replace_strict(_CODES, _CODE_INDEX, default=None).cast(pl.UInt32)


def _numbers(raw: pl.DataFrame, suppression: _Coded) -> _Numbers:
    """Parse every number; a cell the fast cast misses is read again once per distinct text."""
    length = raw.height
    codes = _code_index(suppression.values.str.to_lowercase()).gather(suppression.codes)
    floats, bad = {}, False
    for name in obs.NUMERIC_COLUMNS:
        if name not in raw.columns:
            floats[name] = pl.repeat(None, length, dtype=pl.Float64, eager=True)
            continue
        cells = raw[name].cast(pl.String)
        fast = cells.cast(pl.Float64, strict=False)
        missed = (fast.is_null() & cells.is_not_null()).arg_true()
        if missed.len():
            distinct, index = factorize(cells.gather(missed))
            read = distinct.to_frame("cell").with_columns(
                pl.col("cell").str.strip_chars().str.to_lowercase().alias("code"),
                obs._number("cell").alias("number"),
            )
            fast = fast.scatter(missed, read["number"].gather(index))
            if name == "value":
                found = _code_index(read["code"]).gather(index)
                is_code = found.is_not_null()
                if is_code.any():
                    codes = codes.scatter(missed.filter(is_code), found.filter(is_code))
            else:
                # As the full check: a blank cell is empty; any other unread cell is an error.
                wrong = read.filter(
                    pl.col("number").is_null()
                    & (pl.col("code") != "")
                    & ~pl.col("cell").str.to_lowercase().is_in(_CODES)
                )
                bad = bad or wrong.height > 0
        if name != "value":
            bad = bad or bool((fast.is_not_null() & ~fast.is_finite()).any())
        floats[name] = fast
    return _Numbers(floats, codes, bad)


def _packed_duplicates(columns: list[_Coded]) -> bool:
    """Whether two rows share every code: the codes are packed into one integer per row.

    Where the packed keys span a small range, each is marked in a table of flags (no
    hashing or sorting); otherwise the sorted keys are compared with their neighbours.
    """
    # Signed keys (below 2**63) index the flag table without a conversion.
    keys, capacity = np.zeros(columns[0].codes.len(), dtype=np.int64), 1
    # A column with one text in every row tells no rows apart.
    columns = [c for c in columns if c.values.len() > 1 or c.codes.null_count()] or columns[:1]
    for column in columns:
        size = column.values.len() + 1
        capacity *= size
        if capacity >= 2**63:
            frame = pl.DataFrame({str(i): c.codes for i, c in enumerate(columns)})
            return bool(frame.is_duplicated().any())
        codes = column.codes.fill_null(size - 1) if column.codes.null_count() else column.codes
        keys *= size
        keys += codes.to_numpy()  # in place: no widened copy of the codes
    if capacity <= max(_FLAG_TABLE, 8 * len(keys)):
        seen = np.zeros(capacity, dtype=np.bool_)
        seen[keys] = True
        return int(np.count_nonzero(seen)) < len(keys)
    ordered = np.sort(keys)
    return bool((ordered[1:] == ordered[:-1]).any())


def _any(mask: pl.Series) -> bool:
    return bool(mask.fill_null(False).any())


def screen(
    raw: pl.DataFrame,
    *,
    source: str | None,
    units: Mapping[str, Unit] | None,
    known_measures: Collection[str] | None,
    publisher: bool,
    notes: list[str] | None,
    clean: Collection[str],
    coded: Mapping[str, tuple[pl.Series, pl.Series]],
) -> pl.DataFrame | None:
    """Typed observations from ``raw``, or None if any rule may be broken (see the module).

    ``coded`` holds tidied text columns outside ``raw`` (distinct texts, row indexes)."""
    text = _text_columns(raw, clean, source, coded)
    measure, area, period = text["measure"], text["area_code"], text["period"]
    unit = _units(text["unit"], measure, units)
    numbers = _numbers(raw, text["suppression"])
    value, suppressed = numbers.floats["value"], numbers.suppression.is_not_null()

    # Once per distinct text: periods read, areas resolved to the code in use now.
    periods = period_table(period.values)
    order = pl.Series(range(periods.height), dtype=pl.UInt32)
    periods = periods.select(
        pl.all().gather(period.values.replace_strict(periods["label"], order).cast(pl.UInt32))
    )
    canonical = period.remap(periods["period"])
    area_table = obs._area_table(area.values)
    resolved = area.values.replace_strict(area_table["raw"], area_table["code"], default=None)
    resolved = resolved.cast(pl.String)
    current = area.remap(resolved.fill_null(area.values))

    quality, suppression = text["quality"], text["suppression"]
    quality_values = [q.value for q in obs.Quality]
    is_percent = (
        unit.codes == unit.index(Unit.PERCENT.value)
        if Unit.PERCENT.value in unit.values
        else pl.repeat(False, raw.height, eager=True)
    )
    floats = numbers.floats
    broken = (
        numbers.bad
        or bool(measure.codes.null_count() or area.codes.null_count() or period.codes.null_count())
        or (known_measures is not None and _any(~measure.values.is_in(list(known_measures))))
        or bool(resolved.null_count())
        or _any(periods["period_error"].is_not_null())
        or _any(value.is_null() & ~suppressed)
        or _any(value.is_not_null() & ~value.is_finite())
        or _any(~suppression.values.str.to_lowercase().is_in(_CODES))
        or _any(suppression.codes.is_not_null() & value.is_not_null())
        or _any(~quality.values.is_in(quality_values))
        or (
            obs.Quality.SUPPRESSED.value in quality.values
            and _any((quality.codes == quality.index(obs.Quality.SUPPRESSED.value)) & ~suppressed)
        )
        or _any(~unit.values.is_in([u.value for u in Unit]))
        or (not publisher and _any(is_percent & (value > 100)))
        or (not publisher and _any(is_percent & (floats["count"] > floats["denominator"])))
        or _any(floats["denominator"] < 0)
        or _any(floats["lower_ci95"] > floats["upper_ci95"])
        or _any(floats["lower_ci998"] > floats["upper_ci998"])
        or _packed_duplicates([measure, current, canonical, text["breakdown"]])
    )
    if broken:
        return None

    if notes is not None:
        notes.extend(_renamed_notes(area, area_table))
        if publisher:
            notes.extend(_publisher_notes(measure, value, floats, is_percent))
    # Quality: as written, "final" where empty, "suppressed" where the figure is.
    qualities = quality.values.append(pl.Series([q.value for q in obs.Quality]))
    final, hidden = (
        qualities.index_of(q.value) for q in (obs.Quality.FINAL, obs.Quality.SUPPRESSED)
    )
    quality_codes = quality.codes.fill_null(final).zip_with(
        ~suppressed, pl.repeat(hidden, raw.height, dtype=pl.UInt32, eager=True)
    )
    reasons = pl.Series(list(obs.SUPPRESSION_CODES.values()), dtype=pl.String)
    return pl.DataFrame(
        {
            "measure": measure.rows(),
            "area_code": current.rows(),
            "period": canonical.rows(),
            "period_start": periods["period_start"].gather(period.codes),
            "period_end": periods["period_end"].gather(period.codes),
            "breakdown": text["breakdown"].rows(),
            # A suppressed row never has a figure here: that is a problem for the full checks.
            "value": value,
            **{name: floats[name] for name in obs.NUMERIC_COLUMNS[1:]},
            "unit": unit.values.cast(obs.UNIT_ENUM).gather(unit.codes),
            "quality": qualities.cast(obs.QUALITY_ENUM).gather(quality_codes),
            "suppression_code": pl.Series(_CODES, dtype=pl.String).gather(numbers.suppression),
            "suppression_reason": reasons.gather(numbers.suppression),
            "source": text["source"].rows(),
            "note": text["note"].rows(),
            "source_row": raw["_row"].cast(pl.Int64),
        }
    )


def _renamed_notes(area: _Coded, area_table: pl.DataFrame) -> list[str]:
    moved = area_table.filter(pl.col("renamed"))
    if not moved.height:
        return []
    moved_codes = area.values.is_in(moved["raw"].implode()).arg_true().cast(pl.UInt32)
    rows = area.codes.filter(area.codes.is_in(moved_codes.implode()))
    counts = (
        pl.DataFrame({"old": area.values.gather(rows)})
        .group_by("old")
        .len()
        .join(moved, left_on="old", right_on="raw")
        .sort("old")
    )
    return [
        "rows stored under the area's current code: "
        + ", ".join(f"{old} → {new} ({n})" for old, n, new, _ in counts.iter_rows())
    ]


def _publisher_notes(
    measure: _Coded, value: pl.Series, floats: dict[str, pl.Series], is_percent: pl.Series
) -> list[str]:
    """The full checks' notes, worked out on the few rows that can have any."""
    over = is_percent & ((value > 100) | (floats["count"] > floats["denominator"]))
    rows = over.fill_null(False).arg_true()
    if not rows.len():
        return []
    found = pl.DataFrame(
        {
            "measure": measure.values.gather(measure.codes.gather(rows)),
            "unit": pl.repeat(Unit.PERCENT.value, rows.len(), eager=True),
            "_value": value.gather(rows),
            "_count": floats["count"].gather(rows),
            "_denominator": floats["denominator"].gather(rows),
        }
    )
    return obs._publisher_notes(found)

"""A text column as its distinct texts and, per row, a small integer code.

Observation files repeat a few texts over many rows, so readers and validation work on
each distinct text once and carry codes. Where several columns depend on one small
table (LAIT: a row's measure, period, unit and quality all follow from its (measure,
year) pair), their codes are kept per table row, with ``group`` giving each row's table
row: per-row work then happens once for all of those columns, not once per column.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from cypp.data.frames import factorize

__all__ = ["Coded", "nulls", "spread"]


def nulls(length: int, dtype: pl.DataType | type[pl.DataType]) -> pl.Series:
    """A column of ``length`` empty cells."""
    return pl.Series([None], dtype=dtype).new_from_index(0, length)


@dataclass
class Coded:
    """``values``: distinct texts; ``codes``: an index into them (UInt32, null: empty), per
    row or, with ``group``, per group (``group`` holds each row's group).

    Readers hand columns over with every text used by some row, and every group by some
    row; otherwise validation may read texts no row holds (and fail where nothing is wrong).
    """

    values: pl.Series
    codes: pl.Series
    group: pl.Series | None = None

    @classmethod
    def of(cls, cells: pl.Series) -> Coded:
        return cls(*factorize(cells))

    @classmethod
    def empty(cls, length: int) -> Coded:
        return cls(pl.Series([], dtype=pl.String), nulls(length, pl.UInt32))

    @property
    def length(self) -> int:
        return (self.codes if self.group is None else self.group).len()

    @cached_property
    def row_codes(self) -> pl.Series:
        """Each row's code."""
        return self.codes if self.group is None else self.codes.gather(self.group)

    def codes_at(self, rows: pl.Series) -> pl.Series:
        """The codes of a few rows."""
        return self.codes.gather(rows if self.group is None else self.group.gather(rows))

    def remap(self, new_values: pl.Series) -> Coded:
        """Replace each distinct text by ``new_values`` (same order; null empties the cells).

        The distinct texts are few: Python codes them for less than a polars query costs."""
        texts = new_values.to_list()
        if None not in texts and len(set(texts)) == len(texts):
            return Coded(new_values, self.codes, self.group)  # no two texts become one
        position: dict[object, int] = {}
        index = [None if t is None else position.setdefault(t, len(position)) for t in texts]
        values = pl.Series(list(position), dtype=new_values.dtype)
        return Coded(values, pl.Series(index, dtype=pl.UInt32).gather(self.codes), self.group)

    def emptied(self) -> Coded:
        """A column of empty cells kept as this one is (per row or per group)."""
        return Coded(pl.Series([], dtype=pl.String), nulls(self.codes.len(), pl.UInt32), self.group)

    def fill(self, text: str) -> Coded:
        """Empty cells take ``text``."""
        empty = self.codes.null_count()
        if empty == self.codes.len():
            return Coded(pl.Series([text]), pl.zeros(self.codes.len(), pl.UInt32, eager=True),
                         self.group)  # fmt: skip
        if not empty:
            return self
        texts = self.values.to_list()  # few: Python finds the text for less than polars
        if text in texts:
            return Coded(self.values, self.codes.fill_null(texts.index(text)), self.group)
        values = pl.concat([self.values, pl.Series([text], dtype=self.values.dtype)])
        return Coded(values, self.codes.fill_null(len(texts)), self.group)

    def index(self, text: str) -> int | None:
        return self.values.index_of(text)

    def level(self, table: pl.Series | None = None) -> tuple[pl.Series | None, pl.Series]:
        """``table`` (default: the texts) at each code, and the groups to spread it over
        (None: it is per row already). A column with one value needs no spreading."""
        table = self.values if table is None else table
        length, empty = self.length, self.codes.null_count()
        if empty == self.codes.len():
            return None, nulls(length, table.dtype)
        if table.len() == 1 and not empty:  # one text in every row
            return None, table.new_from_index(0, length)
        return self.group, table.gather(self.codes)

    def rows(self) -> pl.Series:
        group, cells = self.level()
        return cells if group is None else cells.gather(group)


def spread(columns: dict[str, tuple[pl.Series | None, pl.Series]]) -> dict[str, pl.Series]:
    """Each column per row: columns kept per group are gathered together, group by group
    (one gather of a small frame costs much less than one per column)."""
    result = {name: cells for name, (group, cells) in columns.items() if group is None}
    groups = {id(g): g for g, _ in columns.values() if g is not None}
    for key, group in groups.items():
        names = [name for name, (g, _) in columns.items() if g is not None and id(g) == key]
        table = pl.DataFrame({name: columns[name][1] for name in names})
        result.update(table[group].to_dict())
    return {name: result[name] for name in columns}

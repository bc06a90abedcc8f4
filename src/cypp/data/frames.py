"""Small polars helpers shared by the data layer."""

from __future__ import annotations

import numpy as np
import polars as pl

__all__ = ["as_enum", "duplicated", "factorize", "lookup"]


def lookup(
    frame: pl.DataFrame, column: str, table: pl.DataFrame, key: str, outputs: dict[str, str]
) -> pl.DataFrame:
    """Add ``table`` columns to ``frame`` where ``frame[column] == table[key]`` (null if none).

    The small table is indexed once and each output gathered by position, which is much
    cheaper than joining or replacing value by value over a large frame.
    """
    index = pl.Series(range(table.height), dtype=pl.UInt32)
    position = frame[column].replace_strict(table[key], index, default=None, return_dtype=pl.UInt32)
    return frame.with_columns(
        table[source].gather(position).alias(target) for source, target in outputs.items()
    )


def duplicated(frame: pl.DataFrame, key: list[str]) -> pl.Series:
    """Rows whose ``key`` values occur more than once (hash first, then exact on the few)."""
    hashes = frame.select(pl.struct(key).hash()).to_series()
    maybe = hashes.is_duplicated()
    if not maybe.any():
        return maybe
    candidates = maybe.arg_true()
    exact = frame[candidates].select(pl.struct(key).is_duplicated()).to_series()
    return maybe.scatter(candidates, exact)


def factorize(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The distinct non-null texts of ``values`` and, per row, the index of its text.

    Data files repeat a few codes (measures, areas, periods) over many rows: work on
    each distinct text once and map the result back through the index (``UInt32``, null
    where the cell is null), instead of hashing every row's text again for each step.
    An ``Enum`` column (as readers hand over) is already in this form.
    """
    if isinstance(values.dtype, pl.Enum):
        categories = values.dtype.categories
        codes = values.to_physical().cast(pl.UInt32)
        present = codes.drop_nulls() if codes.null_count() else codes
        counts = np.bincount(present.to_numpy(), minlength=categories.len())
        if not counts.all():  # keep only texts that occur
            used = pl.Series(np.flatnonzero(counts), dtype=pl.UInt32)
            dense = pl.Series(range(used.len()), dtype=pl.UInt32)
            index = pl.repeat(None, categories.len(), dtype=pl.UInt32, eager=True)
            codes = index.scatter(used, dense).gather(codes)
            categories = categories.gather(used)
        return categories, codes.alias(values.name)
    text = values.cast(pl.String)
    distinct = text.drop_nulls().unique()
    codes = text.cast(pl.Enum(distinct)).to_physical().cast(pl.UInt32)
    return distinct, codes.alias(values.name)


def as_enum(values: pl.Series, index: pl.Series) -> pl.Series:
    """``values`` (a small table's column) at each ``index``, as an ``Enum`` column.

    Readers hand such columns to validation, which then reads each distinct text once.
    """
    return values.cast(pl.Enum(values.drop_nulls().unique())).gather(index)

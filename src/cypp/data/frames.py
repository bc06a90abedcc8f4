"""Small polars helpers shared by the data layer."""

from __future__ import annotations

import polars as pl

__all__ = ["duplicated", "lookup"]


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

"""What every format reader hands back, and helpers they share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from cypp.data.coded import Coded
from cypp.data.errors import DataImportError, Problem

__all__ = ["Reading", "blank", "require_columns", "text"]


@dataclass
class Reading:
    """A format reader's output: long-format text cells, before mapping and validation.

    ``frame`` has ``_row`` and the long-format columns; publisher formats put the
    series key (:attr:`cypp.data.indicators.IndicatorRef.key`) in ``indicator`` and may
    keep EES filter columns (``filter:NAME``) for mapping. ``publisher`` is True for
    files the importer cannot correct (national statistics), where out-of-range
    figures are reported as notes rather than refused.
    """

    frame: pl.DataFrame
    format: str
    source: str
    notes: list[str] = field(default_factory=list)
    publisher: bool = True
    #: Text columns already tidied (trimmed, cased, null when empty): validation skips them.
    clean: frozenset[str] = frozenset()
    #: Tidied text columns kept out of ``frame``, coded: validation need not code them again.
    coded: dict[str, Coded] = field(default_factory=dict)

    def plain_frame(self) -> pl.DataFrame:
        """``frame`` with the coded columns in it (as Enum columns)."""
        return self.frame.with_columns(
            Coded(column.values.cast(pl.Enum(column.values)), column.codes, column.group)
            .rows()
            .alias(name)
            for name, column in self.coded.items()
        )


def require_columns(frame: pl.DataFrame, names: Iterable[str], file: str, what: str) -> None:
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise DataImportError(
            [Problem(file, 1, name, f"{what} needs the column {name!r}") for name in missing]
        )


def text(name: str) -> pl.Expr:
    """A cell as trimmed text ('' for a missing cell)."""
    return pl.col(name).cast(pl.String).fill_null("").str.strip_chars()


def blank(name: str) -> pl.Expr:
    return text(name) == ""

"""Period labels in observation data.

Every period in an observation frame goes through :func:`read_period`, the one place
that decides what a label means, so the rule can change without touching readers.
It uses the domain's :func:`~cypp.domain.periods.parse_period` and stores the
canonical label (``2014-15`` and ``2014/15`` become the same ``2014/15``) with the
first and last day the period covers.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import polars as pl

from cypp.domain.periods import PeriodError, parse_period

__all__ = ["PERIOD_TABLE_SCHEMA", "period_rows", "period_table", "read_period"]

PERIOD_TABLE_SCHEMA = {
    "label": pl.String,
    "period": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "period_error": pl.String,
}


def read_period(text: str) -> tuple[str, date, date]:
    """``(canonical label, first day, last day)``; raises ``PeriodError`` naming the problem.

    A period that names no place in time (``Q3``, ``over 5 years``) cannot hold data.
    """
    period = parse_period(text)
    if period.start is None or period.end is None:
        raise PeriodError(f"{text!r} does not say which year it is")
    return period.canonical_label, period.start, period.end


def period_table(labels: pl.Series) -> pl.DataFrame:
    """Read each distinct label once (files repeat a handful of periods over many rows)."""
    return period_rows(labels.drop_nulls().unique().to_list())


def period_rows(labels: list[str]) -> pl.DataFrame:
    """:func:`period_table` of distinct labels, a row per label in their order."""
    return pl.DataFrame([_row(label) for label in labels], schema=PERIOD_TABLE_SCHEMA, orient="row")


@lru_cache(maxsize=4096)
def _row(label: str) -> tuple[str, str | None, date | None, date | None, str | None]:
    """One label's row of the table (files of one publisher repeat their labels)."""
    try:
        canonical, start, end = read_period(label)
    except PeriodError as error:
        return label, None, None, None, str(error)
    return label, canonical, start, end, None

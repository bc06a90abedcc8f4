"""The project's own long format: one figure per row (see ``docs/data-formats.md``).

Required columns: ``measure, area_code, period, value``. Optional: ``breakdown, count,
denominator, lower_ci95, upper_ci95, lower_ci998, upper_ci998, unit, quality,
suppression, source, note``. Header names are matched without regard to case, spaces
or hyphens (``Area code`` is ``area_code``), so a spreadsheet header reads as written.
"""

from __future__ import annotations

import re

import polars as pl

from cypp.data.errors import DataImportError, Problem
from cypp.data.formats.common import Reading
from cypp.data.observations import NUMERIC_COLUMNS, REQUIRED_COLUMNS, TEXT_COLUMNS

__all__ = ["COLUMNS", "looks_like_long", "normalise_header", "read_long"]

COLUMNS = (*TEXT_COLUMNS, *NUMERIC_COLUMNS)
_ALIASES = {"area": "area_code", "ons_code": "area_code", "measure_id": "measure"}


def normalise_header(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return _ALIASES.get(key, key)


def looks_like_long(columns: list[str]) -> bool:
    names = {normalise_header(c) for c in columns}
    return set(REQUIRED_COLUMNS) <= names


def read_long(frame: pl.DataFrame, file: str) -> Reading:
    renames = {c: normalise_header(c) for c in frame.columns if c != "_row"}
    seen: dict[str, str] = {}
    problems = []
    for column, name in renames.items():
        if name in COLUMNS and name in seen:
            problems.append(
                Problem(
                    file, 1, column, f"{column!r} and {seen[name]!r} are both the {name} column"
                )
            )
        seen.setdefault(name, column)
    if problems:
        raise DataImportError(problems)
    notes = []
    unknown = sorted(n for c, n in renames.items() if n not in COLUMNS)
    if unknown:
        notes.append(f"columns not part of the long format were not read: {', '.join(unknown)}")
    frame = frame.rename(renames).select("_row", *(n for n in renames.values() if n in COLUMNS))
    return Reading(frame, "long", source=file, notes=notes, publisher=False)

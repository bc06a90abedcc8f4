"""Helpers shared by the data tests (imported by module name: tests are not a package)."""

from __future__ import annotations

import polars as pl

from cypp.data.observations import ObservationBatch, validate_observations

WORCESTERSHIRE = "E10000034"
ENGLAND = "E92000001"


def batch_from_rows(rows: list[dict[str, str]], file: str = "figures.csv") -> ObservationBatch:
    """Validate rows of text cells the way a reader does and wrap them as a batch."""
    raw = pl.DataFrame(rows, schema={name: pl.String for name in rows[0]})
    frame = validate_observations(raw, file=file)
    return ObservationBatch(frame=frame, format="long", file=file)

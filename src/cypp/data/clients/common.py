"""What both clients do with a downloaded CSV: read, map, validate, keep the comparators."""

from __future__ import annotations

import polars as pl

from cypp.data.areas import comparison_areas
from cypp.data.formats import Format, read_table_observations
from cypp.data.formats.tables import read_csv_bytes
from cypp.data.indicators import IndicatorRef, MeasureSpec
from cypp.data.observations import ObservationBatch
from cypp.domain.units import Unit

__all__ = ["batch_for_areas"]


def batch_for_areas(
    body: bytes,
    *,
    name: str,
    format: Format,
    ref: IndicatorRef,
    area_code: str,
    measure: str | None,
    unit: Unit | None,
    model: str,
    dataset: str = "data",
) -> ObservationBatch:
    """Validate a whole response, then keep the rows for the area and its comparators."""
    table = read_csv_bytes(body, name)
    measure_id = measure or ref.key
    specs = {measure_id: MeasureSpec(measure_id, unit, (ref,))}
    batch = read_table_observations(table, format=format, plan_measures=specs, dataset=dataset)
    wanted = [a.ons_code for a in comparison_areas(area_code, model)]
    kept = batch.frame.filter(pl.col("area_code").is_in(wanted))
    missing = sorted(set(wanted) - set(kept["area_code"]))
    notes = [
        *batch.notes,
        f"kept {kept.height} of {batch.frame.height} rows: the area, England, "
        "its region and its statistical neighbours",
    ]
    if missing:
        notes.append(f"no figures for: {', '.join(missing)}")
    return ObservationBatch(kept, batch.format, batch.file, notes)

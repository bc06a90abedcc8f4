"""Read observation files: the project's long format and three publishers' formats.

The one entry point is :func:`read_observations`::

    batch = read_observations(Path("returns.xlsx"), plan_measures=specs)
    batch.frame      # polars frame with OBSERVATION_SCHEMA (cypp.data.observations)
    batch.notes      # what the reader did beyond copying cells, in words

It reads CSV (any common encoding and delimiter), XLSX, ODS and Parquet; sniffs the
format from the header unless ``format`` names it (``long``, ``fingertips``, ``ees``,
``lait``); maps publishers' series to plan measures; validates every row; and either
returns a complete :class:`~cypp.data.observations.ObservationBatch` or raises
:class:`~cypp.data.errors.DataImportError` listing every problem by file, row and column.
Nothing is returned in part.

``plan_measures`` (``{measure id: MeasureSpec}``, from
:func:`cypp.data.indicators.measure_specs`) restricts the long format to the plan's
measures and gives units; for publisher formats it maps each series to the plan
measures that name it, leaving out (and counting) the series no measure names.
``default_measure`` puts every row of a one-series publisher file under that measure
(the CLI's ``--measure``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import polars as pl

from cypp.data.errors import DataImportError, Problem
from cypp.data.formats.common import Reading
from cypp.data.formats.ees import FILTER_PREFIX, ees_breakdown, looks_like_ees, read_ees
from cypp.data.formats.fingertips import looks_like_fingertips, read_fingertips
from cypp.data.formats.lait import LAIT_COLUMNS, looks_like_lait, read_lait
from cypp.data.formats.long import looks_like_long, read_long
from cypp.data.formats.tables import Table, as_text, read_table
from cypp.data.indicators import IndicatorRef, MeasureSpec, Publisher
from cypp.data.observations import ObservationBatch, validate_observations
from cypp.domain.units import Unit

__all__ = ["FORMATS", "Format", "read_observations", "read_table_observations", "sniff_format"]

Format = Literal["long", "fingertips", "ees", "lait"]
FORMATS: tuple[Format, ...] = ("long", "fingertips", "ees", "lait")
_FORMAT_NAMES = {
    "long": "the cypp long format",
    "fingertips": "a Fingertips bulk export",
    "ees": "a DfE Explore Education Statistics file",
    "lait": "a LAIT data file",
}


def sniff_format(columns: list[str]) -> Format | None:
    """Which format a header belongs to (None: none of them)."""
    if looks_like_fingertips(columns):
        return "fingertips"
    if looks_like_lait(columns):
        return "lait"
    if looks_like_ees(columns):
        return "ees"
    if looks_like_long(columns):
        return "long"
    return None


def read_observations(
    path: Path,
    *,
    format: Format | None = None,
    plan_measures: Mapping[str, MeasureSpec] | None = None,
    default_measure: str | None = None,
    name: str | None = None,
) -> ObservationBatch:
    """Read, map and validate one file; all of it or, with every problem listed, none.

    ``name`` is the file name to show in messages (an upload's original name) and, for
    EES files, the data-set name in series keys; it defaults to the path's name.
    """
    table = read_table(path, name=name, columns=lambda header: _needed(header, format), native=True)
    dataset = Path(name or path.name).stem
    return read_table_observations(
        table,
        format=format,
        plan_measures=plan_measures,
        default_measure=default_measure,
        dataset=dataset,
    )


def _needed(header: list[str], format: Format | None) -> tuple[str, ...] | None:
    """Columns a format reads from a wide file (None: every column is needed)."""
    if (format or sniff_format(header)) == "lait" and looks_like_lait(header):
        return LAIT_COLUMNS
    return None


def read_table_observations(
    table: Table,
    *,
    format: Format | None = None,
    plan_measures: Mapping[str, MeasureSpec] | None = None,
    default_measure: str | None = None,
    dataset: str = "data",
) -> ObservationBatch:
    """As :func:`read_observations`, for a table already read (e.g. from an API response)."""
    columns = [c for c in table.frame.columns if c != "_row"]
    detected = format or sniff_format(columns)
    if detected is None:
        raise DataImportError(
            [
                Problem(
                    table.file,
                    1,
                    None,
                    "the header matches no known format: the long format needs measure, "
                    "area_code, period and value columns (see the data formats page); "
                    f"this file has {', '.join(columns[:8])}",
                )
            ]
        )
    if (
        default_measure is not None
        and plan_measures is not None
        and default_measure not in plan_measures
    ):
        raise DataImportError(
            [Problem(table.file, None, None, f"the plan has no measure {default_measure!r}")]
        )
    reading = _read(table, detected, dataset)
    notes = [*table.notes, *reading.notes]
    frame, coded = reading.frame, dict(reading.coded)
    units: dict[str, Unit] = {}
    if plan_measures:
        units = {m: s.unit for m, s in plan_measures.items() if s.unit is not None}
    if (
        reading.publisher
        and "indicator" in coded
        and plan_measures is None
        and default_measure is None
    ):
        coded["measure"] = coded.pop("indicator")  # each series is its own measure
    elif reading.publisher:
        frame, coded = reading.plain_frame(), {}
        frame = _assign_measures(frame, table.file, plan_measures, default_measure, notes)
    elif default_measure is not None and "measure" not in frame.columns:
        frame = frame.with_columns(pl.lit(default_measure).alias("measure"))
    filters = [c for c in frame.columns if c.startswith(FILTER_PREFIX)]
    frame = frame.drop(filters) if filters else frame
    result = validate_observations(
        frame,
        file=table.file,
        source=reading.source,
        units=units,
        known_measures=list(plan_measures) if plan_measures is not None else None,
        publisher=reading.publisher,
        notes=notes,
        clean=reading.clean,
        coded=coded,
    )
    if plan_measures:
        notes.extend(_unit_notes(result, plan_measures))
    return ObservationBatch(result, detected, table.file, notes)


def _unit_notes(frame: pl.DataFrame, plan_measures: Mapping[str, MeasureSpec]) -> list[str]:
    """Say where published figures come in another unit than the plan measure states."""
    notes = []
    units = frame.select("measure", pl.col("unit").cast(pl.String)).unique().drop_nulls()
    for measure, unit in units.sort("measure").iter_rows():
        spec = plan_measures.get(measure)
        if spec is not None and spec.unit is not None and spec.unit.value != unit:
            notes.append(
                f"{measure}: the figures are {unit}, but the plan measure is {spec.unit.value}"
            )
    return notes


def _read(table: Table, format: Format, dataset: str) -> Reading:
    frame, file = table.frame, table.file
    if format == "lait":  # it reads numbers from Parquet as they are
        return read_lait(frame, file)
    frame = as_text(frame)
    if format == "long":
        return read_long(frame, file)
    if format == "fingertips":
        return read_fingertips(frame, file)
    return read_ees(frame, file, dataset)


def _matches(ref: IndicatorRef, frame: pl.DataFrame) -> pl.Expr:
    mask = pl.col("indicator") == ref.key
    if ref.publisher is Publisher.EES and ref.dataset == "*":
        mask = pl.col("indicator").str.ends_with(f":{ref.code}")
    for column, value in ref.filters:
        name = FILTER_PREFIX + column
        mask = mask & (pl.col(name) == value) if name in frame.columns else pl.lit(False)
    return mask


def _assign_measures(
    frame: pl.DataFrame,
    file: str,
    plan_measures: Mapping[str, MeasureSpec] | None,
    default_measure: str | None,
    notes: list[str],
) -> pl.DataFrame:
    """Put each publisher row under the plan measure(s) its series is mapped to."""
    filters = [c for c in frame.columns if c.startswith(FILTER_PREFIX)]
    frame = frame.with_row_index("_id")
    if default_measure is not None:
        series = frame["indicator"].unique().to_list()
        if len(series) > 1:
            raise DataImportError(
                [
                    Problem(
                        file,
                        None,
                        None,
                        f"the file holds {len(series)} series ({', '.join(sorted(series)[:5])}); "
                        "a single measure can take only one — map the series to measures instead",
                    )
                ]
            )
        return frame.with_columns(pl.lit(default_measure).alias("measure")).drop("_id")
    if plan_measures is None:
        return frame.with_columns(pl.col("indicator").alias("measure")).drop("_id")
    frame = frame.with_columns(pl.col("indicator").cast(pl.String))
    parts = []
    for measure, spec in plan_measures.items():
        for ref in spec.indicators:
            mask = _matches(ref, frame)
            chosen = frame.filter(mask)
            if not chosen.height:
                continue
            fixed = {FILTER_PREFIX + name for name, _ in ref.filters}
            varying = [c for c in filters if c not in fixed and chosen[c].n_unique() > 1]
            chosen = chosen.with_columns(pl.lit(measure).alias("measure"))
            if filters:
                chosen = chosen.with_columns(ees_breakdown(varying).alias("breakdown"))
            parts.append(chosen)
    mapped = pl.concat(parts, how="diagonal_relaxed") if parts else frame.clear()
    if not parts:
        raise DataImportError(
            [
                Problem(
                    file,
                    None,
                    None,
                    "no series in the file is mapped to a plan measure (series found: "
                    f"{', '.join(sorted(frame['indicator'].unique().to_list())[:8])})",
                )
            ]
        )
    unused = frame.filter(~pl.col("_id").is_in(mapped["_id"].implode()))
    if unused.height:
        notes.append(
            f"{unused.height} rows of {unused['indicator'].n_unique()} series not mapped to "
            "any plan measure were left out"
        )
    return mapped.drop("_id")

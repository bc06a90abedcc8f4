"""The observation record: one published or returned figure, and the checks it must pass.

Every reader turns its file into a *raw* frame of text cells with the column names
below plus ``_row`` (the spreadsheet row the cells came from) and hands it to
:func:`validate_observations`. That function either returns a typed frame with
:data:`OBSERVATION_SCHEMA` or raises :class:`~cypp.data.errors.DataImportError`
listing every problem by file, row and column, so nothing half-imported is ever
written. A web layer can take the returned frame and store it in one transaction.

Suppressed cells (``c``, ``x``, ``*``, ``<5`` …) are kept as suppressed rows with
their code and its meaning, never as zero or as a missing row, because "the figure
exists but may not be shown" is information a scorecard has to show.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

import polars as pl

from cypp.data.areas import areas_frame
from cypp.data.coded import Coded
from cypp.data.errors import DataImportError, Problem
from cypp.data.frames import duplicated, lookup
from cypp.data.periods import period_table
from cypp.domain.units import Unit

__all__ = [
    "ALL",
    "KEY",
    "NUMERIC_COLUMNS",
    "OBSERVATION_SCHEMA",
    "REQUIRED_COLUMNS",
    "SUPPRESSION_CODES",
    "TEXT_COLUMNS",
    "ObservationBatch",
    "Quality",
    "empty_observations",
    "problems_frame_to_list",
    "validate_observations",
]

#: The breakdown of a whole-population figure (rather than e.g. ``Female`` or ``FSM``).
ALL = "all"


class Quality(StrEnum):
    FINAL = "final"
    PROVISIONAL = "provisional"
    REVISED = "revised"
    ESTIMATED = "estimated"
    SUPPRESSED = "suppressed"


#: Codes that publishers write in place of a figure, with what they mean. Keys are
#: lower case; cells are matched case-insensitively after trimming spaces.
SUPPRESSION_CODES: dict[str, str] = {
    "c": "confidential: suppressed to protect individuals (DfE)",
    "x": "not available (DfE)",
    "z": "not applicable (DfE)",
    "u": "low reliability (DfE)",
    "k": "rounds to zero: a positive figure below 0.5 (DfE)",
    "*": "suppressed: small number",
    "<5": "suppressed: fewer than 5",
    "-": "missing or not published",
    "..": "not available",
    ":": "not available",
}

QUALITY_ENUM = pl.Enum([q.value for q in Quality])
UNIT_ENUM = pl.Enum([u.value for u in Unit])

KEY = ("measure", "area_code", "period", "breakdown")
NUMERIC_COLUMNS = (
    "value",
    "count",
    "denominator",
    "lower_ci95",
    "upper_ci95",
    "lower_ci998",
    "upper_ci998",
)
TEXT_COLUMNS = (
    "measure",
    "area_code",
    "period",
    "breakdown",
    "unit",
    "quality",
    "suppression",
    "source",
    "note",
)
REQUIRED_COLUMNS = ("measure", "area_code", "period", "value")

#: Text columns repeat a few texts over many rows: as ``Categorical`` each row holds a
#: 4-byte code (a text column holds a 16-byte view per row), built from the distinct texts.
OBSERVATION_SCHEMA: dict[str, pl.DataType] = {
    "measure": pl.Categorical(),
    "area_code": pl.Categorical(),
    "period": pl.Categorical(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "breakdown": pl.Categorical(),
    "value": pl.Float64(),
    "count": pl.Float64(),
    "denominator": pl.Float64(),
    "lower_ci95": pl.Float64(),
    "upper_ci95": pl.Float64(),
    "lower_ci998": pl.Float64(),
    "upper_ci998": pl.Float64(),
    "unit": UNIT_ENUM,
    "quality": QUALITY_ENUM,
    "suppression_code": pl.Categorical(),
    "suppression_reason": pl.Categorical(),
    "source": pl.Categorical(),
    "note": pl.Categorical(),
    "source_row": pl.Int64(),
}

#: Optional raw column: the file's own name for the column each ``value`` came from.
VALUE_COLUMN = "_value_column"

_PROBLEM_SCHEMA = {"row": pl.Int64, "column": pl.String, "message": pl.String}
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?%?$"


@dataclass
class ObservationBatch:
    """A validated file: the observations, the format read and what the reader did.

    ``notes`` says in words anything the reader did beyond copying cells (rows
    de-duplicated, rows without any figure left out), so nothing is dropped silently.
    """

    frame: pl.DataFrame
    format: str
    file: str
    notes: list[str] = field(default_factory=list)


def empty_observations() -> pl.DataFrame:
    return pl.DataFrame(schema=OBSERVATION_SCHEMA)


def problems_frame_to_list(problems: pl.DataFrame, file: str) -> list[Problem]:
    return [
        Problem(file, row, column, message)
        for row, column, message in problems.select("row", "column", "message").iter_rows()
    ]


def _blank_to_null(name: str) -> pl.Expr:
    text = pl.col(name).cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text).alias(name)


def _empty_to_null(name: str) -> pl.Expr:
    text = pl.col(name).cast(pl.String)
    return pl.when(text.str.strip_chars() == "").then(None).otherwise(text).alias(name)


def _number(name: str) -> pl.Expr:
    """Parse a cell as a number: thousands separators and a trailing % are allowed."""
    text = pl.col(name)
    plain = (
        pl.when(text.str.contains(_THOUSANDS)).then(text.str.replace_all(",", "")).otherwise(text)
    ).str.strip_suffix("%")
    return plain.str.strip_chars().cast(pl.Float64, strict=False)


def _numbers(frame: pl.DataFrame, names: Collection[str]) -> pl.DataFrame:
    """Add ``_NAME`` floats and ``_suppression`` (the code in ``value`` or ``suppression``).

    A plain cast reads almost every cell; only the cells it misses (suppression codes,
    thousands separators, stray spaces) get the slower reading.
    """
    columns = []
    length = frame.height
    suppression = frame["suppression"].str.to_lowercase().alias("_suppression")
    for name in names:
        cells = frame[name]
        if cells.null_count() == length:
            columns.append(pl.repeat(None, length, dtype=pl.Float64, eager=True).alias(f"_{name}"))
            continue
        fast = cells.cast(pl.Float64, strict=False)
        missed = (fast.is_null() & cells.is_not_null()).arg_true()
        if missed.len():
            missed_cells = cells.gather(missed)
            # Suppression codes are the usual misses (LAIT's "-"): found once per distinct cell.
            distinct = pl.DataFrame({name: missed_cells.unique()})
            distinct = distinct.with_columns(
                pl.col(name).str.strip_chars().str.to_lowercase().alias("_code"),
                _number(name).alias("_number"),
            )
            found = pl.DataFrame({name: missed_cells}).join(
                distinct, on=name, how="left", maintain_order="left"
            )
            fast = fast.scatter(missed, found["_number"])
            if name == "value":
                code = found["_code"]
                is_code = code.is_in(list(SUPPRESSION_CODES))
                if is_code.any():
                    suppression = suppression.scatter(missed.filter(is_code), code.filter(is_code))
        columns.append(fast.alias(f"_{name}"))
    return frame.with_columns(*columns, suppression)


def validate_observations(
    raw: pl.DataFrame,
    *,
    file: str,
    source: str | None = None,
    units: Mapping[str, Unit] | None = None,
    known_measures: Collection[str] | None = None,
    publisher: bool = False,
    notes: list[str] | None = None,
    clean: Collection[str] = (),
    coded: Mapping[str, Coded] | None = None,
) -> pl.DataFrame:
    """Check a raw frame of text cells and return typed observations, or raise with every problem.

    ``raw`` has the columns of the long format (``measure, area_code, period, value`` are
    required; ``breakdown, count, denominator, lower_ci95, upper_ci95, lower_ci998,
    upper_ci998, unit, quality, suppression, source, note`` are optional) and ``_row``,
    the spreadsheet row of each record (added from the frame order if absent).
    ``units`` gives the unit of each measure where the file has no ``unit`` column;
    ``known_measures`` rejects measure keys the caller does not know.

    ``publisher`` marks national statistics, which the importer cannot correct: there a
    percentage above 100 or a count above its denominator (which such files do hold,
    e.g. early-years take-up measured against a resident population) is kept as
    published and described in ``notes`` instead of refusing the file. Area codes that
    were replaced by a new code for the same area (Buckinghamshire E10000002) are stored
    under the current code, and ``notes`` says so.

    ``clean`` names text columns a reader has already trimmed, upper-cased (area codes) or
    lower-cased (unit, quality), with null for an empty cell, so they are not tidied twice.
    ``coded`` holds such columns outside ``raw``, coded (:class:`~cypp.data.coded.Coded`).
    """
    coded = coded or {}
    clean = {*clean, *coded}
    if "_row" not in raw.columns:
        raw = raw.with_row_index("_row", offset=2)
    missing = [n for n in REQUIRED_COLUMNS if n not in raw.columns and n not in coded]
    if missing:
        raise DataImportError(
            [
                Problem(file, 1, name, f"required column {name!r} is missing from the header")
                for name in missing
            ]
        )
    from cypp.data.screen import screen  # it builds on this module's rules

    screened = screen(
        raw,
        source=source,
        units=units,
        known_measures=known_measures,
        publisher=publisher,
        notes=notes,
        clean=clean,
        coded=coded,
    )
    if screened is not None:
        return screened
    # Some rule may be broken: the row-by-row checks below name every problem.
    raw = raw.with_columns(
        *(column.rows().alias(name) for name, column in coded.items()),
    ).with_columns(pl.col(pl.Enum).cast(pl.String))
    present = [name for name in (*TEXT_COLUMNS, *NUMERIC_COLUMNS) if name in raw.columns]
    # A wide file (EES) says which of its columns each value came from, for messages.
    origin = [pl.col(VALUE_COLUMN)] if VALUE_COLUMN in raw.columns else []
    frame = raw.lazy().select(
        pl.col("_row").cast(pl.Int64),
        *origin,
        *(_blank_to_null(n) for n in present if n not in NUMERIC_COLUMNS and n not in clean),
        *(pl.col(n) for n in present if n in clean),
        # Numbers are cast as they stand; only cells the cast misses are trimmed (_numbers).
        *(_empty_to_null(n) for n in present if n in NUMERIC_COLUMNS),
    )
    for name in (*TEXT_COLUMNS, *NUMERIC_COLUMNS):
        if name not in present:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(name))

    def tidy(name: str, expr: pl.Expr) -> pl.Expr:
        return pl.col(name) if name in clean else expr

    frame = frame.with_columns(
        tidy("area_code", pl.col("area_code").str.to_uppercase()),
        pl.col("breakdown").fill_null(ALL),
        tidy("quality", pl.col("quality").str.to_lowercase()),
        tidy("unit", pl.col("unit").str.to_lowercase()),
        pl.col("source").fill_null(source) if source is not None else pl.col("source"),
    )
    if units:
        unit_table = pl.LazyFrame(
            {"measure": list(units), "_unit": [Unit(u).value for u in units.values()]}
        )
        frame = (
            frame.join(unit_table, on="measure", how="left", maintain_order="left")
            .with_columns(pl.col("unit").fill_null(pl.col("_unit")))
            .drop("_unit")
        )

    collected = _numbers(frame.collect(), NUMERIC_COLUMNS)

    # Periods and area codes: each distinct label is read once, then mapped back
    # (replacing through a small table is far cheaper than joining the whole frame).
    periods = period_table(collected["period"])
    collected = lookup(
        collected,
        "period",
        periods,
        "label",
        {
            "period": "_canonical",
            "period_start": "period_start",
            "period_end": "period_end",
            "period_error": "period_error",
        },
    )
    area_table = _area_table(collected["area_code"])
    collected = lookup(
        collected.with_columns(pl.col("area_code").alias("_raw_area")),
        "area_code",
        area_table,
        "raw",
        {"code": "_resolved"},
    ).with_columns(
        pl.col("_resolved").is_not_null().alias("_known"),
        pl.coalesce("_resolved", "area_code").alias("area_code"),
    )
    if notes is not None:
        moved = area_table.filter(pl.col("renamed"))
        if moved.height:
            counts = collected.filter(pl.col("_raw_area").is_in(moved["raw"].implode()))
            per = (
                counts.group_by("_raw_area")
                .len()
                .sort("_raw_area")
                .join(moved, left_on="_raw_area", right_on="raw")
            )
            notes.append(
                "rows stored under the area's current code: "
                + ", ".join(f"{old} → {new} ({n})" for old, n, new, _ in per.iter_rows())
            )

    problems = _problems(collected, known_measures=known_measures, publisher=publisher)
    if publisher and notes is not None:
        notes.extend(_publisher_notes(collected))
    if problems.height:
        raise DataImportError(problems_frame_to_list(problems, file))

    suppressed = pl.col("_suppression").is_not_null()
    result = collected.select(
        "measure",
        "area_code",
        pl.col("_canonical").alias("period"),
        "period_start",
        "period_end",
        "breakdown",
        pl.when(suppressed).then(None).otherwise(pl.col("_value")).alias("value"),
        *(pl.col(f"_{name}").alias(name) for name in NUMERIC_COLUMNS[1:]),
        pl.col("unit").cast(UNIT_ENUM),
        pl.when(suppressed)
        .then(pl.lit(Quality.SUPPRESSED.value))
        .otherwise(pl.col("quality").fill_null(Quality.FINAL.value))
        .cast(QUALITY_ENUM)
        .alias("quality"),
        pl.col("_suppression").alias("suppression_code"),
        pl.col("_suppression")
        .replace_strict(SUPPRESSION_CODES, default=None)
        .alias("suppression_reason"),
        "source",
        "note",
        pl.col("_row").alias("source_row"),
    )
    return result.cast(OBSERVATION_SCHEMA)  # type: ignore[arg-type]


def _area_table(raw_codes: pl.Series) -> pl.DataFrame:
    """``raw, code, renamed`` for each distinct code: DfE codes and superseded ONS codes
    become the ONS code in use now; unknown codes are left out."""
    table = _area_codes()
    return table.filter(pl.col("raw").is_in(raw_codes.drop_nulls().unique().implode()))


@cache
def area_lookup() -> dict[str, tuple[str, bool]]:
    """``{raw code: (code in use now, renamed)}`` for every code :func:`_area_table` knows."""
    return {raw: (code, renamed) for raw, code, renamed in _area_codes().iter_rows()}


@cache
def _area_codes() -> pl.DataFrame:
    """``raw, code, renamed`` for every code :func:`_area_table` knows."""
    areas = areas_frame()
    dfe = (
        areas.filter(pl.col("dfe_code").is_not_null())
        .sort("valid_to", nulls_last=True)
        .group_by("dfe_code")
        .agg(pl.col("ons_code").last().alias("code"))
        .select(
            pl.col("dfe_code").cast(pl.String).alias("raw"), "code", pl.lit(False).alias("renamed")
        )
    )
    ons = areas.select(pl.col("ons_code").alias("raw"), pl.col("ons_code").alias("code"))
    current = _current_codes().rename({"area_code": "raw", "_current": "code"})
    ons = ons.join(current, on="raw", how="left", suffix="_now").select(
        "raw",
        pl.coalesce("code_now", "code").alias("code"),
        pl.col("code_now").is_not_null().alias("renamed"),
    )
    return pl.concat([dfe, ons])


def _current_codes() -> pl.DataFrame:
    """Superseded ONS codes of LAs that carry on under a new code (same DfE code)."""
    frame = areas_frame().filter(pl.col("dfe_code").is_not_null())
    current = frame.filter(pl.col("valid_to").is_null()).select("dfe_code", "ons_code")
    return (
        frame.filter(pl.col("valid_to").is_not_null())
        .join(current, on="dfe_code", suffix="_now")
        .select(pl.col("ons_code").alias("area_code"), pl.col("ons_code_now").alias("_current"))
    )


def _over_percent(frame: pl.DataFrame) -> pl.Expr:
    return (pl.col("unit") == Unit.PERCENT.value) & (pl.col("_value") > 100)


def _over_denominator(frame: pl.DataFrame) -> pl.Expr:
    return (pl.col("unit") == Unit.PERCENT.value) & (pl.col("_count") > pl.col("_denominator"))


#: What a publisher note is about: rows over 100 %, and counts over their denominator.
OVER_PERCENT, OVER_DENOMINATOR = "percentages above 100", "counts above their denominator"


def _publisher_notes(frame: pl.DataFrame) -> list[str]:
    notes = []
    for mask, what in (
        (_over_percent(frame), OVER_PERCENT),
        (_over_denominator(frame), OVER_DENOMINATOR),
    ):
        found = frame.filter(mask)
        if found.height:
            per = found.group_by("measure").agg(pl.len(), pl.col("_value").max())
            notes.append(publisher_note(what, per.iter_rows()))
    return notes


def publisher_note(what: str, per_measure: Iterable[tuple[str, int, float | None]]) -> str:
    """The note on figures kept as published, from ``(measure, rows, highest value)``."""
    per = sorted(per_measure, key=lambda row: (row[0] is not None, row[0] or ""))
    listed = ", ".join(
        f"{m} ({n} rows" + (f", up to {v:g})" if v is not None else ")") for m, n, v in per
    )
    return f"{sum(n for _, n, _ in per)} {what} kept as published: {listed}"


def _problems(
    frame: pl.DataFrame, *, known_measures: Collection[str] | None, publisher: bool = False
) -> pl.DataFrame:
    """Every rule broken, one row per (row, column, message), found with whole-column checks."""
    checks: list[tuple[pl.Expr, str, pl.Expr]] = []
    problems_found: list[pl.DataFrame] = []

    def check(mask: pl.Expr, column: str, message: pl.Expr | str) -> None:
        checks.append((mask, column, pl.lit(message) if isinstance(message, str) else message))

    codes_text = ", ".join(f"'{c}'" for c in SUPPRESSION_CODES)
    value, suppressed = pl.col("_value"), pl.col("_suppression").is_not_null()
    is_percent = pl.col("unit") == Unit.PERCENT.value

    check(pl.col("measure").is_null(), "measure", "measure is empty")
    if known_measures is not None:
        check(
            pl.col("measure").is_not_null() & ~pl.col("measure").is_in(list(known_measures)),
            "measure",
            pl.format("unknown measure '{}'", pl.col("measure")),
        )
    check(pl.col("area_code").is_null(), "area_code", "area code is empty")
    check(
        pl.col("area_code").is_not_null() & ~pl.col("_known"),
        "area_code",
        pl.format(
            "unknown area code '{}' (expected the ONS code of England, an English region or "
            "upper-tier LA, like E10000034, or its DfE code, like 885)",
            pl.col("area_code"),
        ),
    )
    check(pl.col("period").is_null(), "period", "period is empty")
    check(
        pl.col("period_error").is_not_null(),
        "period",
        pl.format("unknown period: {}", pl.col("period_error")),
    )
    check(
        pl.col("value").is_null() & ~suppressed,
        "value",
        f"value is empty: write the figure, or a suppression code ({codes_text})",
    )
    check(
        pl.col("value").is_not_null() & ~suppressed & value.is_null(),
        "value",
        pl.format(f"'{{}}' is not a number or a suppression code ({codes_text})", pl.col("value")),
    )
    check(
        value.is_not_null() & ~value.is_finite(),
        "value",
        pl.format("'{}' is not a finite number", pl.col("value")),
    )
    check(
        pl.col("suppression").is_not_null()
        & ~pl.col("suppression").str.to_lowercase().is_in(list(SUPPRESSION_CODES)),
        "suppression",
        pl.format(f"'{{}}' is not a suppression code ({codes_text})", pl.col("suppression")),
    )
    check(
        pl.col("suppression").is_not_null() & value.is_not_null(),
        "value",
        "a suppressed figure cannot also have a value",
    )
    check(
        (pl.col("quality") == Quality.SUPPRESSED.value) & ~suppressed,
        "quality",
        "quality is 'suppressed' but the value is not a suppression code",
    )
    check(
        pl.col("quality").is_not_null() & ~pl.col("quality").is_in([q.value for q in Quality]),
        "quality",
        pl.format(
            "'{}' is not a quality flag ({})",
            pl.col("quality"),
            pl.lit(", ".join(q.value for q in Quality)),
        ),
    )
    check(
        pl.col("unit").is_not_null() & ~pl.col("unit").is_in([u.value for u in Unit]),
        "unit",
        pl.format(
            "'{}' is not a unit ({})", pl.col("unit"), pl.lit(", ".join(u.value for u in Unit))
        ),
    )
    for name in NUMERIC_COLUMNS[1:]:
        raw_cell = pl.col(name)
        check(
            raw_cell.is_not_null()
            & ~raw_cell.str.to_lowercase().is_in(list(SUPPRESSION_CODES))
            & (pl.col(f"_{name}").is_null() | ~pl.col(f"_{name}").is_finite()),
            name,
            pl.format("'{}' is not a number", raw_cell),
        )
    check(
        is_percent & (value > 100) & pl.lit(not publisher),
        "value",
        pl.format("{} is a percentage above 100", pl.col("value")),
    )
    check(
        is_percent & (pl.col("_count") > pl.col("_denominator")) & pl.lit(not publisher),
        "count",
        pl.format(
            "count {} is larger than its denominator {}, impossible for a percentage",
            pl.col("count"),
            pl.col("denominator"),
        ),
    )
    check(pl.col("_denominator") < 0, "denominator", "a denominator cannot be negative")
    for level in ("95", "998"):
        lower, upper = pl.col(f"_lower_ci{level}"), pl.col(f"_upper_ci{level}")
        check(
            lower > upper,
            f"lower_ci{level}",
            pl.format("lower limit {} is above upper limit {}", lower, upper),
        )
    # Window results are computed on the whole frame before filtering, so that the
    # message names the first row of each duplicate group.
    key = ["measure", "area_code", "_canonical", "breakdown"]
    key_known = pl.all_horizontal(pl.col(k).is_not_null() for k in key[:3])
    # Hashing the key once finds the few duplicated rows; only those get a window.
    repeated = frame.filter(duplicated(frame, key) & key_known)
    if repeated.height:
        repeated = repeated.with_columns(pl.col("_row").min().over(key).alias("_first_row"))
        problems_found.append(
            repeated.filter(pl.col("_row") != pl.col("_first_row")).select(
                pl.col("_row").alias("row"),
                pl.lit("measure").alias("column"),
                pl.format(
                    "duplicate of row {}: same measure, area, period and breakdown",
                    pl.col("_first_row"),
                ).alias("message"),
            )
        )
    # One pass finds which rules are broken at all; only those build their messages.
    flags = frame.select(
        mask.fill_null(False).alias(f"_check{i}") for i, (mask, _, _) in enumerate(checks)
    )
    broken = flags.select(pl.all().any()).row(0)
    found = problems_found + [
        frame.filter(flags[f"_check{i}"]).select(
            pl.col("_row").alias("row"),
            (
                pl.coalesce(VALUE_COLUMN, pl.lit(column))
                if column == "value" and VALUE_COLUMN in frame.columns
                else pl.lit(column)
            ).alias("column"),
            message.alias("message"),
        )
        for i, (_, column, message) in enumerate(checks)
        if broken[i]
    ]
    return (
        pl.concat([pl.DataFrame(schema=_PROBLEM_SCHEMA), *found])
        .cast(
            _PROBLEM_SCHEMA  # type: ignore[arg-type]
        )
        .sort("row", "column")
    )

"""DfE Explore Education Statistics (EES) open-data CSV.

Standard layout: ``time_period, time_identifier, geographic_level`` and geography
columns (``country_code``, ``region_code``, ``old_la_code``, ``new_la_code`` …), then
*filter* columns (text, e.g. ``population_type``) and *indicator* columns (mostly figures
or the suppression codes ``c x z u k``; a name with the word age, year, group, code, id,
type, breakdown or characteristic marks a filter). A wide file holds several indicators as columns;
each becomes its own series ``ees:DATASET:INDICATOR`` (DATASET is the file name without
``.csv``). Filter columns whose value varies across the file make the breakdown
(``Total`` values count as the whole population) unless a mapping fixes them.

Rows at National, Regional and Local authority level are read (England, region and LA
codes); other levels are left out and counted in the batch notes. A ``version`` column
(Final, Revised, Provisional) gives the quality flag.
"""

from __future__ import annotations

import re

import polars as pl

from cypp.data.errors import DataImportError, Problem
from cypp.data.formats.common import Reading, require_columns, text
from cypp.data.observations import SUPPRESSION_CODES, VALUE_COLUMN

__all__ = ["EES_COLUMNS", "ees_breakdown", "ees_period", "looks_like_ees", "read_ees"]

EES_COLUMNS = ("time_period", "time_identifier", "geographic_level")
GEOGRAPHY_COLUMNS = {
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "lad_code",
    "lad_name",
    "english_devolved_area_code",
    "english_devolved_area_name",
    "opportunity_area_code",
    "opportunity_area_name",
    "pcon_code",
    "pcon_name",
    "lsip_code",
    "lsip_name",
    "school_urn",
    "school_laestab",
    "school_name",
    "provider_ukprn",
    "provider_name",
    "ward_code",
    "ward_name",
    "trust_id",
    "trust_name",
    "sponsor_id",
    "sponsor_name",
    "local_enterprise_partnership_code",
    "local_enterprise_partnership_name",
    "mayoral_combined_authority_code",
    "mayoral_combined_authority_name",
    "rsc_region_lead_name",
    "institution_id",
    "institution_name",
    "planning_area_code",
    "planning_area_name",
}
_LEVELS = {"national": "country_code", "regional": "region_code", "local authority": "new_la_code"}
_QUALITY = {"final": "final", "revised": "revised", "provisional": "provisional"}
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
FILTER_PREFIX = "filter:"


def looks_like_ees(columns: list[str]) -> bool:
    return set(EES_COLUMNS) <= set(columns)


def ees_period(time_period: str, identifier: str) -> str:
    """An EES period as a label cypp reads (academic ``202425`` is ``2024/25 (academic year)``)."""
    kind = identifier.strip().lower()
    six = re.fullmatch(r"(\d{4})(\d{2})", time_period)
    four = re.fullmatch(r"\d{4}", time_period)
    if kind == "academic year" and six:
        return f"{six[1]}/{six[2]} (academic year)"
    if kind in ("financial year", "reporting year", "tax year") and six:
        return f"{six[1]}/{six[2]}"
    if kind in ("reporting year", "financial year") and four:
        # DfE's children's social care "reporting year N" is the year to 31 March N.
        start = int(time_period) - 1
        return f"{start}/{(start + 1) % 100:02d}"
    if kind == "calendar year" and four:
        return time_period
    return f"{time_period} {identifier}".strip()


_FILTER_WORDS = {"age", "year", "group", "code", "id", "type", "breakdown", "characteristic"}


def _is_indicator(name: str) -> pl.Expr:
    """Most cells are figures or suppression codes (a few bad cells are reported later)."""
    if set(name.lower().split("_")) & _FILTER_WORDS:
        return pl.lit(False)
    cell = text(name).str.to_lowercase()
    figure = cell.str.contains(_NUMBER) | cell.is_in(list(SUPPRESSION_CODES))
    filled = cell != ""
    return (figure & filled).sum() > filled.sum() / 2


def read_ees(frame: pl.DataFrame, file: str, dataset: str) -> Reading:
    require_columns(frame, EES_COLUMNS, file, "an EES file")
    candidates = [
        c
        for c in frame.columns
        if c != "_row" and c not in EES_COLUMNS and c not in GEOGRAPHY_COLUMNS and c != "version"
    ]
    kinds = frame.select(_is_indicator(c).alias(c) for c in candidates).row(0, named=True)
    indicators = [c for c in candidates if kinds[c]]
    filters = [c for c in candidates if not kinds[c]]
    if not indicators:
        raise DataImportError(
            [Problem(file, 1, None, "an EES file needs at least one indicator (figures) column")]
        )
    notes = []
    level = text("geographic_level").str.to_lowercase()
    known = level.is_in(list(_LEVELS))
    skipped = frame.filter(~known)
    if skipped.height:
        levels = ", ".join(sorted(skipped["geographic_level"].unique().to_list()))
        notes.append(f"{skipped.height} rows at other geographic levels ({levels}) were left out")
    area = pl.coalesce(
        *(
            pl.when(level == name).then(pl.when(text(col) != "").then(text(col)))
            for name, col in _LEVELS.items()
        ),
        pl.when(level == "local authority").then(text("old_la_code"))
        if "old_la_code" in frame.columns
        else pl.lit(None, pl.String),
    )
    for col in _LEVELS.values():
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(col))
    periods = frame.select("time_period", "time_identifier").unique()
    periods = periods.with_columns(
        pl.Series(
            "period",
            [ees_period(str(p), str(i)) for p, i in periods.iter_rows()],
            dtype=pl.String,
        )
    )
    quality = (
        text("version").str.to_lowercase().replace_strict(_QUALITY, default=None)
        if "version" in frame.columns
        else pl.lit(None, pl.String)
    )
    base = (
        frame.filter(known)
        .join(periods, on=["time_period", "time_identifier"], how="left")
        .select(
            "_row",
            area.fill_null("").alias("area_code"),
            "period",
            quality.alias("quality"),
            *(text(f).alias(FILTER_PREFIX + f) for f in filters),
            *(text(i).alias(i) for i in indicators),
        )
    )
    long = base.unpivot(
        index=["_row", "area_code", "period", "quality", *(FILTER_PREFIX + f for f in filters)],
        on=indicators,
        variable_name="indicator_code",
        value_name="value",
    ).with_columns(
        pl.lit(f"ees:{dataset}:").add(pl.col("indicator_code")).alias("indicator"),
        pl.col("indicator_code").alias(VALUE_COLUMN),
        pl.col("indicator_code")
        .replace_strict({i: _unit(i) for i in indicators}, return_dtype=pl.String)
        .alias("unit"),
    )
    varying = [FILTER_PREFIX + f for f in filters if base[FILTER_PREFIX + f].n_unique() > 1]
    long = long.with_columns(ees_breakdown(varying).alias("breakdown")).drop("indicator_code")
    if len(indicators) > 1:
        notes.append(f"{len(indicators)} indicator columns read: {', '.join(indicators)}")
    return Reading(long, "ees", source=f"DfE Explore Education Statistics ({dataset})", notes=notes)


def ees_breakdown(filter_columns: list[str]) -> pl.Expr:
    """Join the given filter values into a breakdown; only ``Total`` values means ``all``."""
    if not filter_columns:
        return pl.lit("all")
    parts = pl.concat_list(
        pl.when(pl.col(c).str.to_lowercase().is_in(["total", ""])).then(None).otherwise(pl.col(c))
        for c in filter_columns
    ).list.drop_nulls()
    return pl.when(parts.list.len() == 0).then(pl.lit("all")).otherwise(parts.list.join("; "))


def _unit(name: str) -> str | None:
    lower = name.lower()
    if lower.startswith("pt_") or lower.endswith(("_percent", "_pct", "_percentage")):
        return "percent"
    if "per_10000" in lower or "per_10k" in lower:
        return "rate_per_10000"
    if "per_100000" in lower or "per_100k" in lower:
        return "rate_per_100000"
    if "per_1000" in lower:
        return "rate_per_1000"
    if lower.startswith(("avg_",)) or "score" in lower:
        return "score"
    if lower.startswith("t_") or lower.endswith(("_count", "_episodes", "_child", "_estimate")):
        return "count"
    return None

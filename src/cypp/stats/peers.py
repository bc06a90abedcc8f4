"""An area's position among its peers: rank, quartile, quintile and statistical neighbours.

Two quartile conventions exist and both are here:

* **LAIT bands A-D** (DfE Local Authority Interactive Tool): bounds are the
  linear-interpolation quartiles of all local authorities' latest values; a
  value on a bound falls into the lower-valued band; **A is the best quartile**
  (lowest values when low is good, highest when high is good) and there is no
  band when the measure has no polarity.
* **Fingertips categories** (quintiles/quartiles, 1..K): bounds as above,
  rounded to 10 d.p.; quintile 1 is best for RAG polarities, lowest otherwise;
  quartiles never reverse.

Ranks follow LAIT: 1 = best, ties share the smallest rank.
Statistical-neighbour groups are passed in as a mapping, never read from files here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from cypp.domain.units import Polarity
from cypp.stats.ci import ArrayLike, FloatArray

IntArray = npt.NDArray[np.int64]
QUARTILE_BANDS = ("A", "B", "C", "D")


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def _goodness_key(values: FloatArray, polarity: Polarity) -> FloatArray:
    """Values turned so that smaller means better."""
    return -values if polarity is Polarity.HIGHER_IS_BETTER else values


def rank(values: ArrayLike, polarity: Polarity) -> IntArray:
    """Polarity-aware rank (1 = best, ties share the minimum rank, 0 = missing or no polarity)."""
    v = _f(values)
    out = np.zeros(v.shape, dtype=np.int64)
    if polarity is Polarity.NONE:
        return out
    ok = ~np.isnan(v)
    key = _goodness_key(v[ok], polarity)
    sorted_key = np.sort(key)
    out[ok] = np.searchsorted(sorted_key, key, side="left") + 1
    return out


def rank_of(value: float, peer_values: ArrayLike, polarity: Polarity) -> int:
    """Rank a value would take among peer values (which should include it), 0 if unrankable."""
    v = _f(peer_values)
    v = v[~np.isnan(v)]
    if polarity is Polarity.NONE or np.isnan(value):
        return 0
    key = _goodness_key(v, polarity)
    mine = -value if polarity is Polarity.HIGHER_IS_BETTER else value
    return int(np.count_nonzero(key < mine)) + 1


def percentile_bounds(values: ArrayLike, parts: int) -> FloatArray | None:
    """Fingertips bounds [min, ..., max] at k/parts (linear interpolation, 10 d.p.).

    None when fewer than 4 valid values exist.
    """
    v = _f(values)
    v = v[~np.isnan(v)]
    if v.size < 4:
        return None
    q = np.quantile(v, np.arange(parts + 1) / parts, method="linear")
    return np.asarray(np.round(q, 10), dtype=np.float64)


def fingertips_category(
    values: ArrayLike, all_values: ArrayLike, parts: int, polarity: Polarity
) -> IntArray:
    """Fingertips quintile (parts=5) or quartile (parts=4) category, 0 = not assigned.

    Quintile 1 is best for RAG polarities (lowest values when no polarity);
    quartiles are never reversed.
    """
    v = _f(values)
    bounds = percentile_bounds(all_values, parts)
    n_valid = int(np.count_nonzero(~np.isnan(_f(all_values))))
    if bounds is None or (parts == 5 and n_valid < 5):
        return np.zeros(v.shape, dtype=np.int64)
    cat = np.searchsorted(bounds[1:], v, side="left") + 1
    cat = np.minimum(cat, parts).astype(np.int64)
    if parts == 5 and polarity is Polarity.HIGHER_IS_BETTER:
        cat = parts + 1 - cat
    return np.where(np.isnan(v), 0, cat).astype(np.int64)


def quartile_bounds(values: ArrayLike) -> FloatArray | None:
    """LAIT quartile bounds [0%, 25%, 50%, 75%, 100%] (R's default quantile); None if empty."""
    v = _f(values)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return None
    return np.asarray(np.quantile(v, [0, 0.25, 0.5, 0.75, 1.0], method="linear"), np.float64)


def quartile_band(
    values: ArrayLike, all_values: ArrayLike, polarity: Polarity
) -> npt.NDArray[np.str_]:
    """LAIT quartile band A-D (A = best), '' for missing, 'Not applicable' without polarity."""
    v = _f(values)
    if polarity is Polarity.NONE:
        return np.full(v.shape, "Not applicable")
    bounds = quartile_bounds(all_values)
    if bounds is None:
        return np.full(v.shape, "")
    idx = np.searchsorted(bounds[1:4], v, side="left")  # 0..3, ascending by value
    if polarity is Polarity.HIGHER_IS_BETTER:
        idx = 3 - idx
    out = np.asarray(QUARTILE_BANDS)[idx]
    return np.where(np.isnan(v), "", out)


@dataclass(frozen=True, slots=True)
class NeighbourPosition:
    """An area against its statistical neighbours."""

    value: float | None
    neighbour_mean: float | None
    neighbour_median: float | None
    neighbours_with_data: int
    neighbours_total: int
    position: int  # 1 = best among the area and its neighbours; 0 = not ranked
    group_size: int  # area plus neighbours with data
    versus_mean: str  # Better/Worse/Same (Higher/Lower without polarity), or Not compared


def neighbour_position(
    value: float | None,
    neighbour_values: Sequence[float | None] | ArrayLike,
    polarity: Polarity,
) -> NeighbourPosition:
    """Mean, median and the area's rank among itself and its neighbours."""
    raw = np.array(
        [np.nan if x is None else float(x) for x in np.asarray(neighbour_values, dtype=object)],
        dtype=np.float64,
    )
    nv = raw[~np.isnan(raw)]
    mean = float(np.mean(nv)) if nv.size else None
    median = float(np.median(nv)) if nv.size else None
    has_value = value is not None and not np.isnan(value)
    position = 0
    if has_value and polarity is not Polarity.NONE:
        position = rank_of(float(value), np.append(nv, value), polarity)  # type: ignore[arg-type]
    versus = "Not compared"
    if has_value and mean is not None:
        v = float(value)  # type: ignore[arg-type]
        if v == mean:
            versus = "Same"
        elif polarity is Polarity.NONE:
            versus = "Higher" if v > mean else "Lower"
        else:
            better = (v > mean) == (polarity is Polarity.HIGHER_IS_BETTER)
            versus = "Better" if better else "Worse"
    return NeighbourPosition(
        value if has_value else None,
        mean,
        median,
        int(nv.size),
        int(raw.size),
        position,
        int(nv.size) + (1 if has_value else 0),
        versus,
    )


# --------------------------------------------------------------------------- whole tables


def sn_frame(groups: Mapping[str, Sequence[str]]) -> pl.DataFrame:
    """Statistical-neighbour groups as a two-column frame (area, neighbour)."""
    areas = [a for a, ns in groups.items() for _ in ns]
    neighbours = [n for ns in groups.values() for n in ns]
    return pl.DataFrame(
        {"area": areas, "neighbour": neighbours}, schema={"area": pl.String, "neighbour": pl.String}
    )


def peer_table(
    data: pl.DataFrame | pl.LazyFrame,
    polarity: Mapping[str, Polarity],
    sn_groups: Mapping[str, Sequence[str]],
    *,
    indicator: str = "indicator",
    period: str = "period",
    area: str = "area",
    value: str = "value",
) -> pl.DataFrame:
    """Rank, LAIT quartile band and statistical-neighbour position for every row.

    ``data`` holds one row per (indicator, period, area) for the peer set only
    (e.g. English upper-tier LAs); ``polarity`` maps indicator -> Polarity
    (missing means no polarity). Output adds ``rank``, ``peer_count``,
    ``quartile`` (A-D), ``sn_mean``, ``sn_median``, ``sn_count`` and ``sn_position``.
    """
    lf = data.lazy().select(
        pl.col(indicator).cast(pl.String).alias("indicator"),
        pl.col(period).cast(pl.String).alias("period"),
        pl.col(area).cast(pl.String).alias("area"),
        pl.col(value).cast(pl.Float64).alias("value"),
    )
    pol = pl.DataFrame(
        {
            "indicator": list(polarity.keys()),
            "sign": [
                -1.0
                if p is Polarity.HIGHER_IS_BETTER
                else (1.0 if p is Polarity.LOWER_IS_BETTER else None)
                for p in polarity.values()
            ],
        },
        schema={"indicator": pl.String, "sign": pl.Float64},
    ).lazy()
    grp = ["indicator", "period"]
    lf = (
        lf.filter(pl.col("value").is_not_nan() | pl.col("value").is_null())
        .join(pol, on="indicator", how="left")
        .with_columns((pl.col("value") * pl.col("sign")).alias("_key"))
    )
    q = [pl.col("value").quantile(f, "linear").over(grp).alias(f"_q{i}") for i, f in
         ((1, 0.25), (2, 0.5), (3, 0.75))]  # fmt: skip
    low_band = (
        pl.when(pl.col("value").is_null())
        .then(None)
        .when(pl.col("value") <= pl.col("_q1"))
        .then(0)
        .when(pl.col("value") <= pl.col("_q2"))
        .then(1)
        .when(pl.col("value") <= pl.col("_q3"))
        .then(2)
        .otherwise(3)
    )
    band_idx = pl.when(pl.col("sign") < 0).then(3 - low_band).otherwise(low_band)
    lf = lf.with_columns(
        pl.col("_key").rank("min").over(grp).cast(pl.Int32).alias("rank"),
        pl.col("value").count().over(grp).alias("peer_count"),
        *q,
    ).with_columns(
        pl.when(pl.col("sign").is_null())
        .then(None)
        .otherwise(band_idx.replace_strict([0, 1, 2, 3], list(QUARTILE_BANDS), default=None))
        .alias("quartile")
    )
    sn = sn_frame(sn_groups).lazy()
    neighbours = (
        lf.select("indicator", "period", "area", "_key", "value")
        .join(sn, on="area", how="inner")
        .join(
            lf.select(
                "indicator",
                "period",
                pl.col("area").alias("neighbour"),
                pl.col("value").alias("_nv"),
                pl.col("_key").alias("_nkey"),
            ),
            on=["indicator", "period", "neighbour"],
            how="left",
        )
        .group_by("indicator", "period", "area")
        .agg(
            pl.col("_nv").mean().alias("sn_mean"),
            pl.col("_nv").median().alias("sn_median"),
            pl.col("_nv").count().alias("sn_count"),
            pl.when(pl.col("_key").first().is_null())
            .then(None)
            .otherwise((pl.col("_nkey") < pl.col("_key")).sum() + 1)
            .cast(pl.Int32)
            .alias("sn_position"),
        )
    )
    out = lf.join(neighbours, on=["indicator", "period", "area"], how="left").drop(
        "_key", "_q1", "_q2", "_q3", "sign"
    )
    return out.collect()

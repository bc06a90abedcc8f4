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
    sn_groups: Mapping[str, Sequence[str]] | pl.DataFrame,
    *,
    indicator: str = "indicator",
    period: str = "period",
    area: str = "area",
    value: str = "value",
) -> pl.DataFrame:
    """Rank, LAIT quartile band and statistical-neighbour position for every row.

    ``data`` holds one row per (indicator, period, area) for the peer set only
    (e.g. English upper-tier LAs); ``polarity`` maps indicator -> Polarity
    (missing means no polarity); ``sn_groups`` maps each area to its neighbours, or
    is a frame with columns ``area`` and ``neighbour``. Output adds ``rank``,
    ``peer_count``, ``quartile`` (A-D), ``sn_mean``, ``sn_median``, ``sn_count`` and
    ``sn_position`` (1 = best among the area and its neighbours with data). Rank,
    quartile and position are empty without a polarity or a value; the
    neighbour columns are empty for areas without a neighbour group.

    The work is done on a dense (indicator-period x area) matrix, so every group
    is ranked, cut into quartiles and compared with its neighbours in a few numpy
    passes; the same rules as :func:`rank`, :func:`quartile_band` and
    :func:`neighbour_position`.
    """
    df = (
        data.lazy()
        .select(
            pl.col(indicator).cast(pl.String).alias("indicator"),
            pl.col(period).cast(pl.String).alias("period"),
            pl.col(area).cast(pl.String).alias("area"),
            pl.col(value).cast(pl.Float64).alias("value"),
        )
        .filter(pl.col("value").is_not_nan() | pl.col("value").is_null())
        .collect()
    )
    codes = df.select(pl.col("indicator", "period", "area").cast(pl.Categorical).to_physical())
    ind = codes["indicator"].to_numpy().astype(np.int64)
    per = codes["period"].to_numpy().astype(np.int64)
    group_key = ind * (int(per.max()) + 1 if df.height else 1) + per
    _, g_first, g_idx = np.unique(group_key, return_index=True, return_inverse=True)
    _, a_first, a_idx = np.unique(codes["area"].to_numpy(), return_index=True, return_inverse=True)
    n_groups, n_areas = g_first.size, a_first.size
    area_names = df["area"].gather(a_first).to_list()
    group_ind = df["indicator"].gather(g_first).to_list()
    values = np.full((n_groups, n_areas), np.nan)
    values[g_idx, a_idx] = df["value"].fill_null(np.nan).to_numpy()
    sign = np.array([_sign(polarity.get(name)) for name in group_ind], dtype=np.float64)
    keys = values * sign[:, None]  # smaller is better; NaN without polarity or value
    ranks = _matrix_ranks(keys)
    peer_count = (~np.isnan(values)).sum(axis=1)
    bands = _matrix_bands(values, sign)
    sn = _matrix_neighbours(values, keys, area_names, sn_groups)
    at = (g_idx, a_idx)
    out = df.with_columns(
        pl.Series("rank", ranks[at], dtype=pl.Int32).fill_nan(None),
        pl.Series("peer_count", peer_count[g_idx], dtype=pl.UInt32),
        pl.Series("quartile", bands[at], dtype=pl.Int8),
        *(pl.Series(name, m[at]) for name, m in sn.items()),
    )
    return (
        out.with_columns(
            pl.col("rank").replace(0, None),
            pl.col("quartile").replace_strict(
                [0, 1, 2, 3], list(QUARTILE_BANDS), default=None, return_dtype=pl.String
            ),
            pl.col("sn_mean", "sn_median").fill_nan(None),
            pl.col("sn_count").cast(pl.UInt32),
            pl.col("sn_position").replace(0, None).cast(pl.Int32),
        )
        .with_columns(
            pl.when(pl.col("_has_sn")).then(pl.col("sn_count")).otherwise(None).alias("sn_count"),
        )
        .drop("_has_sn")
    )


def _sign(p: Polarity | None) -> float:
    if p is Polarity.HIGHER_IS_BETTER:
        return -1.0
    if p is Polarity.LOWER_IS_BETTER:
        return 1.0
    return np.nan


def _matrix_ranks(keys: FloatArray) -> IntArray:
    """Row-wise minimum ranks (1 = smallest key, ties share; 0 for NaN)."""
    order = np.argsort(keys, axis=1, kind="stable")
    ordered = np.take_along_axis(keys, order, axis=1)
    pos = np.broadcast_to(np.arange(keys.shape[1]), keys.shape)
    new = np.ones(keys.shape, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.maximum.accumulate(np.where(new, pos, 0), axis=1) + 1
    ranks = np.zeros(keys.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first, axis=1)
    valid = ~np.isnan(keys)
    ranks[~valid] = 0
    return ranks


def _row_quantiles(ordered: FloatArray, counts: IntArray, fractions: Sequence[float]) -> FloatArray:
    """Linear-interpolation quantiles of each row's first ``counts`` values (sorted rows)."""
    cols = []
    last = np.maximum(counts - 1, 0)
    for f in fractions:
        h = last * f
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, last)
        v_lo = np.take_along_axis(ordered, lo[:, None], axis=1)[:, 0]
        v_hi = np.take_along_axis(ordered, hi[:, None], axis=1)[:, 0]
        cols.append(v_lo + (h - lo) * (v_hi - v_lo))
    return np.stack(cols, axis=1)


def _matrix_bands(values: FloatArray, sign: FloatArray) -> npt.NDArray[np.int8]:
    """LAIT quartile band index per cell: 0 = A (best) .. 3 = D; -1 when not assigned."""
    ordered = np.sort(values, axis=1)
    counts = (~np.isnan(values)).sum(axis=1)
    q = _row_quantiles(ordered, counts, (0.25, 0.5, 0.75))
    low_band = (values[:, :, None] > q[:, None, :]).sum(axis=2)  # 0..3 ascending by value
    band = np.where((sign < 0)[:, None], 3 - low_band, low_band)
    unassigned = np.isnan(values) | np.isnan(sign)[:, None] | (counts == 0)[:, None]
    return np.where(unassigned, -1, band).astype(np.int8)


def _neighbour_index(
    area_names: Sequence[str], sn_groups: Mapping[str, Sequence[str]] | pl.DataFrame
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """(areas x max neighbours) column indices, padded with the index of an empty column."""
    if isinstance(sn_groups, pl.DataFrame):
        pairs = sn_groups.select(
            pl.col("area").cast(pl.String), pl.col("neighbour").cast(pl.String)
        )
        groups: dict[str, list[str]] = {}
        for a, nb in pairs.iter_rows():
            groups.setdefault(a, []).append(nb)
    else:
        groups = {str(a): [str(n) for n in ns] for a, ns in sn_groups.items()}
    position = {name: i for i, name in enumerate(area_names)}
    pad = len(area_names)
    width = max((len(v) for v in groups.values()), default=0)
    index = np.full((len(area_names), max(width, 1)), pad, dtype=np.int64)
    has_group = np.zeros(len(area_names), dtype=bool)
    for name, i in position.items():
        if name in groups:
            has_group[i] = True
            cols = [position.get(nb, pad) for nb in groups[name]]
            index[i, : len(cols)] = cols
    return index, has_group


def _matrix_neighbours(
    values: FloatArray,
    keys: FloatArray,
    area_names: Sequence[str],
    sn_groups: Mapping[str, Sequence[str]] | pl.DataFrame,
) -> dict[str, npt.NDArray[np.generic]]:
    """Neighbour mean, median, count and the area's position among itself and them.

    Works area-major (areas x neighbours x groups) so each neighbour's values are
    one contiguous row; results come back as (groups x areas) views.
    """
    index, has_group = _neighbour_index(area_names, sn_groups)
    pad = np.full((values.shape[0], 1), np.nan)
    v_t = np.ascontiguousarray(np.concatenate([values, pad], axis=1).T)
    k_t = np.ascontiguousarray(np.concatenate([keys, pad], axis=1).T)
    nv = v_t[index]  # areas x neighbours x groups
    present = ~np.isnan(nv)
    count = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, nv, 0.0).sum(axis=1) / count
    median = _median_of_rows(nv, count)
    own = k_t[: len(area_names)]
    position = (k_t[index] < own[:, None, :]).sum(axis=1) + 1
    position = np.where(np.isnan(own) | ~has_group[:, None], 0, position)
    mean = np.where(has_group[:, None], mean, np.nan)
    return {
        "sn_mean": mean.T,
        "sn_median": median.T,
        "sn_count": count.T,
        "sn_position": position.T,
        "_has_sn": np.broadcast_to(has_group[None, :], values.shape),
    }


def _median_of_rows(x: FloatArray, count: IntArray) -> FloatArray:
    """Median over axis 1 ignoring NaN, for a short axis: an odd-even transposition
    sorting network (elementwise min/max), far faster than np.sort on a middle axis."""
    rows = [np.where(np.isnan(x[:, j]), np.inf, x[:, j]) for j in range(x.shape[1])]
    k = len(rows)
    for step in range(k):
        for i in range(step % 2, k - 1, 2):
            low = np.minimum(rows[i], rows[i + 1])
            rows[i + 1] = np.maximum(rows[i], rows[i + 1])
            rows[i] = low
    ordered = np.stack(rows, axis=1)
    lo = np.maximum((count - 1) // 2, 0)[:, None, :]
    hi = np.maximum(count // 2, 0)[:, None, :]
    with np.errstate(invalid="ignore"):
        median = (
            np.take_along_axis(ordered, lo, axis=1)[:, 0]
            + np.take_along_axis(ordered, hi, axis=1)[:, 0]
        ) / 2.0
    return np.where(count > 0, median, np.nan)

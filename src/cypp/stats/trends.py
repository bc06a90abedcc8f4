"""Trends: Fingertips recent-trend markers and NHS "Making Data Count" SPC (XmR) charts.

The Fingertips test works on the last five annual points: a chi-square test for
trend for proportions, a weighted regression on time otherwise, significant
only when chi-square exceeds the 99.8 % point of chi-square(1) and the slope
keeps its sign when any one point is left out. Both run on many series at once
(arrays shaped series x points).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from cypp.domain.units import Polarity
from cypp.stats.ci import ArrayLike, FloatArray

BoolArray = npt.NDArray[np.bool_]

#: 99.8 % point of chi-square with one degree of freedom (Fingertips threshold).
TREND_CHI2_THRESHOLD = 9.54953570608324
#: Points the recent trend uses.
TREND_POINTS = 5


class TrendMarker(IntEnum):
    """Fingertips trend markers (same numbers as Fingertips)."""

    CANNOT_BE_CALCULATED = 0
    INCREASING = 1
    DECREASING = 2
    NO_CHANGE = 3


def trend_label(marker: TrendMarker | int, polarity: Polarity) -> str:
    """Fingertips wording, e.g. 'Increasing and getting better'."""
    m = TrendMarker(int(marker))
    if m is TrendMarker.CANNOT_BE_CALCULATED:
        return "Cannot be calculated"
    if m is TrendMarker.NO_CHANGE:
        return "No significant change"
    word = "Increasing" if m is TrendMarker.INCREASING else "Decreasing"
    if polarity is Polarity.NONE:
        return word
    better = (m is TrendMarker.INCREASING) == (polarity is Polarity.HIGHER_IS_BETTER)
    return f"{word} and getting {'better' if better else 'worse'}"


@dataclass(frozen=True, slots=True)
class TrendResult:
    """Recent-trend results for one or more series."""

    marker: npt.NDArray[np.int8]
    chi_square: FloatArray
    slope: FloatArray
    method: str

    def labels(self, polarity: Polarity) -> list[str]:
        return [trend_label(int(m), polarity) for m in np.atleast_1d(self.marker)]


def _as_2d(x: ArrayLike) -> FloatArray:
    a = np.asarray(x, dtype=np.float64)
    return a[np.newaxis, :] if a.ndim == 1 else a


def _slopes_loo(
    y: FloatArray, w: FloatArray, t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Weighted least-squares slope, its chi-square, and the leave-one-out slopes (series x k)."""
    s1 = w.sum(axis=1)
    s2 = (w * t * y).sum(axis=1)
    s3 = (w * t).sum(axis=1)
    s4 = (w * y).sum(axis=1)
    s5 = (w * t * t).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        det = s1 * s5 - s3 * s3
        slope = (s1 * s2 - s3 * s4) / det
        chi2 = slope * slope * det / s1
        # Leaving point j out removes its terms from each sum.
        wj, tj, yj = w, t, y
        l1 = s1[:, None] - wj
        l2 = s2[:, None] - wj * tj * yj
        l3 = s3[:, None] - wj * tj
        l4 = s4[:, None] - wj * yj
        l5 = s5[:, None] - wj * tj * tj
        loo = (l1 * l2 - l3 * l4) / (l1 * l5 - l3 * l3)
    return slope, chi2, loo


def _marker(
    slope: FloatArray, chi2: FloatArray, loo: FloatArray, valid: BoolArray
) -> npt.NDArray[np.int8]:
    sign = np.sign(slope)
    same_sign = np.all(np.sign(loo) == sign[:, None], axis=1) & (sign != 0)
    significant = same_sign & (chi2 > TREND_CHI2_THRESHOLD)
    marker = np.where(
        significant,
        np.where(slope > 0, TrendMarker.INCREASING, TrendMarker.DECREASING),
        TrendMarker.NO_CHANGE,
    )
    return np.where(valid, marker, TrendMarker.CANNOT_BE_CALCULATED).astype(np.int8)


def recent_trend(values: ArrayLike, lower95: ArrayLike, upper95: ArrayLike) -> TrendResult:
    """Weighted regression trend over the last five points (oldest first; series x points).

    Weights are 1/SE^2 with SE = (U95 - L95)/3.92. Fewer than five points, or a
    missing value or limit among the last five, gives "Cannot be calculated".
    """
    y, lo, hi = _as_2d(values), _as_2d(lower95), _as_2d(upper95)
    y, lo, hi = y[:, -TREND_POINTS:], lo[:, -TREND_POINTS:], hi[:, -TREND_POINTS:]
    k = y.shape[1]
    se = (hi - lo) / 3.92
    valid = (k == TREND_POINTS) & np.all(np.isfinite(y) & np.isfinite(se) & (se > 0), axis=1)
    with np.errstate(divide="ignore"):
        w = np.where(valid[:, None], 1.0 / (se * se), 1.0)
    y = np.where(valid[:, None], y, 0.0)
    t = np.broadcast_to(np.arange(1, k + 1, dtype=np.float64), y.shape)
    slope, chi2, loo = _slopes_loo(y, w, t)
    chi2 = np.where(valid, chi2, 0.0)
    return TrendResult(_marker(slope, chi2, loo, valid), chi2, slope, "weighted regression")


def recent_trend_proportion(counts: ArrayLike, denominators: ArrayLike) -> TrendResult:
    """Chi-square test for trend (Cochran-Armitage, scores 1..5) over the last five points.

    The sign check and direction use the slope of logit(c/(n-c)) on time, so a
    point with c = 0 or c = n gives "Cannot be calculated".
    """
    c, n = _as_2d(counts)[:, -TREND_POINTS:], _as_2d(denominators)[:, -TREND_POINTS:]
    k = c.shape[1]
    valid = (
        (k == TREND_POINTS)
        & np.all(np.isfinite(c) & np.isfinite(n), axis=1)
        & np.all((c > 0) & (c < n), axis=1)
    )
    c = np.where(valid[:, None], c, 1.0)
    n = np.where(valid[:, None], n, 2.0)
    t = np.broadcast_to(np.arange(1, k + 1, dtype=np.float64), c.shape)
    big_n = n.sum(axis=1)
    big_c = c.sum(axis=1)
    nt = (n * t).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        num = big_n * (big_n * (c * t).sum(axis=1) - big_c * nt) ** 2
        den = big_c * (big_n - big_c) * (big_n * (n * t * t).sum(axis=1) - nt * nt)
        chi2 = np.where(valid, num / den, 0.0)
        logit = np.log(c / (n - c))
    slope, _, loo = _slopes_loo(logit, np.ones_like(logit), t)
    return TrendResult(_marker(slope, chi2, loo, valid), chi2, slope, "chi-square test for trend")


def two_value_trend(
    value: ArrayLike,
    lower: ArrayLike,
    upper: ArrayLike,
    previous: ArrayLike,
    previous_lower: ArrayLike,
    previous_upper: ArrayLike,
) -> npt.NDArray[np.int8]:
    """Change since the previous value by overlapping 95 % intervals (Fingertips)."""
    from cypp.stats.compare import Significance, double_overlap

    code = double_overlap(
        value, lower, upper, previous, previous_lower, previous_upper, Polarity.HIGHER_IS_BETTER
    )
    return np.select(
        [code == Significance.BETTER, code == Significance.WORSE, code == Significance.SAME],
        [TrendMarker.INCREASING, TrendMarker.DECREASING, TrendMarker.NO_CHANGE],
        TrendMarker.CANNOT_BE_CALCULATED,
    ).astype(np.int8)


# --------------------------------------------------------------------------- SPC (XmR)

#: Moving-range constant: process limits are mean +/- 2.66 * mean moving range.
XMR_CONSTANT = 2.66
#: PTD drops moving ranges at or above this multiple of their mean when screening.
MR_SCREEN = 3.267


@dataclass(frozen=True, slots=True)
class XmrLimits:
    """Centre line, process (3 sigma) limits and 2 sigma lines of an XmR chart."""

    mean: float
    lower: float
    upper: float
    lower_2sigma: float
    upper_2sigma: float
    mean_moving_range: float
    points: int

    @property
    def trial(self) -> bool:
        """Limits from fewer than 12 points are trial limits only."""
        return self.points < 12


def xmr_limits(
    values: ArrayLike, *, screen_outliers: bool = False, baseline: int | None = None
) -> XmrLimits:
    """XmR limits from the first ``baseline`` points (all by default).

    ``screen_outliers=False`` matches the Making Data Count Excel tool; True drops
    moving ranges >= 3.267 x their mean first, as NHSRplotthedots does by default.
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[~np.isnan(x)]
    if baseline is not None:
        x = x[:baseline]
    if x.size < 2:
        raise ValueError("an XmR chart needs at least two points")
    mr = np.abs(np.diff(x))
    mr_bar = float(mr.mean())
    if screen_outliers:
        mr_bar = float(mr[mr < MR_SCREEN * mr_bar].mean())
    mean = float(x.mean())
    width = XMR_CONSTANT * mr_bar
    return XmrLimits(
        mean, mean - width, mean + width, mean - width * 2 / 3, mean + width * 2 / 3, mr_bar, x.size
    )


def _run_length(flag: BoolArray) -> npt.NDArray[np.int64]:
    """Length of the run of True ending at each position."""
    idx = np.arange(flag.size)
    last_false = np.maximum.accumulate(np.where(~flag, idx, -1))
    return np.asarray(idx - last_false, dtype=np.int64)


def rule_trend(values: ArrayLike, run: int = 7) -> npt.NDArray[np.int8]:
    """+1/-1 where a point ends a run of ``run`` points each strictly above/below the last."""
    x = np.asarray(values, dtype=np.float64)
    out = np.zeros(x.size, dtype=np.int8)
    if x.size < 2:
        return out
    d = np.diff(x)
    up = np.concatenate([[0], _run_length(d > 0)]) >= run - 1
    down = np.concatenate([[0], _run_length(d < 0)]) >= run - 1
    out[up] = 1
    out[down] = -1
    return out


def rule_shift(signs: ArrayLike, run: int = 7) -> npt.NDArray[np.int8]:
    """+1/-1 where a point ends a run of ``run`` points on one side of the mean (0 breaks it)."""
    s = np.sign(np.asarray(signs, dtype=np.float64))
    out = np.zeros(s.size, dtype=np.int8)
    out[_run_length(s > 0) >= run] = 1
    out[_run_length(s < 0) >= run] = -1
    return out


def rule_two_in_three(close: ArrayLike, signs: ArrayLike) -> npt.NDArray[np.int8]:
    """+1/-1 for every point inside a 3-point window that has 2+ points beyond 2 sigma
    and all three points on the same side of the mean."""
    c = np.asarray(close, dtype=bool)
    s = np.sign(np.asarray(signs, dtype=np.float64))
    out = np.zeros(c.size, dtype=np.int8)
    if c.size < 3:
        return out
    cw = np.lib.stride_tricks.sliding_window_view(c, 3).sum(axis=1) >= 2
    sw = np.lib.stride_tricks.sliding_window_view(s, 3)
    for side in (1, -1):
        hit = cw & np.all(sw == side, axis=1)
        mark = np.zeros(c.size, dtype=bool)
        for offset in range(3):
            mark[offset : offset + hit.size] |= hit
        out[mark] = side
    return out


class Variation(IntEnum):
    """Making Data Count variation icons."""

    COMMON_CAUSE = 0
    IMPROVEMENT = 1
    CONCERN = 2
    NEUTRAL_HIGH = 3
    NEUTRAL_LOW = 4


VARIATION_LABELS = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVEMENT: "Special cause improvement",
    Variation.CONCERN: "Special cause concern",
    Variation.NEUTRAL_HIGH: "Special cause (higher), no direction set",
    Variation.NEUTRAL_LOW: "Special cause (lower), no direction set",
}


@dataclass(frozen=True, slots=True)
class SpcResult:
    """Per-point special-cause flags and the icon for the latest point."""

    limits: XmrLimits
    astronomical: npt.NDArray[np.int8]
    trend: npt.NDArray[np.int8]
    two_in_three: npt.NDArray[np.int8]
    shift: npt.NDArray[np.int8]
    variation: npt.NDArray[np.int8]
    run: int
    assurance: str | None = None
    rules: tuple[str, ...] = field(default=("astronomical", "trend", "two_in_three", "shift"))

    @property
    def latest(self) -> Variation:
        return Variation(int(self.variation[-1]))

    @property
    def latest_label(self) -> str:
        return VARIATION_LABELS[self.latest]


def spc(
    values: ArrayLike,
    polarity: Polarity,
    *,
    run: int = 7,
    screen_outliers: bool = False,
    baseline: int | None = None,
    beyond_3sigma_counts_for_two_in_three: bool = True,
    target: float | None = None,
) -> SpcResult:
    """Making Data Count XmR analysis: special cause improvement or concern by polarity.

    ``run`` (6 or 7) sets both the trend and the shift rule. Since the 2023 MDC
    update, points beyond 3 sigma count towards two-in-three; set
    ``beyond_3sigma_counts_for_two_in_three=False`` for the older rule.
    """
    x = np.asarray(values, dtype=np.float64)
    lim = xmr_limits(x, screen_outliers=screen_outliers, baseline=baseline)
    side = np.sign(x - lim.mean)
    astro = np.where(x > lim.upper, 1, np.where(x < lim.lower, -1, 0)).astype(np.int8)
    beyond2 = (x > lim.upper_2sigma) | (x < lim.lower_2sigma)
    if not beyond_3sigma_counts_for_two_in_three:
        beyond2 &= astro == 0
    trend = rule_trend(x, run)
    # The trend flag covers every point of the run, as the charts highlight them.
    trend = _spread_runs(trend, run)
    shift = _spread_runs(rule_shift(side, run), run)
    two = rule_two_in_three(beyond2, side)
    two = np.where(beyond2, two, 0).astype(np.int8)
    high = (astro > 0) | (trend > 0) | (two > 0) | (shift > 0)
    low = (astro < 0) | (trend < 0) | (two < 0) | (shift < 0)
    if polarity is Polarity.NONE:
        variation = np.select([high, low], [Variation.NEUTRAL_HIGH, Variation.NEUTRAL_LOW], 0)
    else:
        good, bad = (high, low) if polarity is Polarity.HIGHER_IS_BETTER else (low, high)
        # When both fire, Making Data Count shows improvement.
        variation = np.select([good, bad], [Variation.IMPROVEMENT, Variation.CONCERN], 0)
    return SpcResult(
        lim,
        astro,
        trend,
        two,
        shift,
        variation.astype(np.int8),
        run,
        assurance(lim, target, polarity) if target is not None else None,
    )


def _spread_runs(flags: npt.NDArray[np.int8], run: int) -> npt.NDArray[np.int8]:
    """Mark every point of a flagged run, not only the point that completes it."""
    out = flags.copy()
    for lag in range(1, run):
        shifted = np.zeros_like(flags)
        shifted[:-lag] = flags[lag:]
        out = np.where(out == 0, shifted, out)
    return out


def assurance(limits: XmrLimits, target: float, polarity: Polarity) -> str:
    """Will the process meet the target? Consistently pass / fail or hit and miss."""
    if polarity is Polarity.NONE:
        return "No assurance without a direction of improvement"
    if polarity is Polarity.HIGHER_IS_BETTER:
        if target > limits.upper:
            return "Consistently fail the target"
        if target < limits.lower:
            return "Consistently pass the target"
    else:
        if target < limits.lower:
            return "Consistently fail the target"
        if target > limits.upper:
            return "Consistently pass the target"
    return "Hit and miss the target"

"""Comparison labels, trend labels and Making Data Count SPC rules, with polarity."""

from __future__ import annotations

import numpy as np
import pytest

from cypp.domain.units import Polarity
from cypp.stats.compare import ComparisonMethod, Significance, compare
from cypp.stats.trends import (
    TrendMarker,
    Variation,
    assurance,
    recent_trend,
    spc,
    trend_label,
    two_value_trend,
    xmr_limits,
)

LOW, HIGH, NONE = Polarity.LOWER_IS_BETTER, Polarity.HIGHER_IS_BETTER, Polarity.NONE


@pytest.mark.parametrize(
    ("england", "polarity", "label", "phrase"),
    [
        (28.2, LOW, "Worse", "significantly worse than England (28.2)"),
        (28.2, HIGH, "Better", "significantly better than England (28.2)"),
        (28.2, NONE, "Higher", "significantly higher than England (28.2)"),
        (31.0, LOW, "Similar", "similar to England (31)"),
        (40.0, LOW, "Better", "significantly better than England (40)"),
        (40.0, NONE, "Lower", "significantly lower than England (40)"),
        (None, LOW, "Not compared", "not compared with England"),
    ],
)
def test_comparison_labels(
    england: float | None, polarity: Polarity, label: str, phrase: str
) -> None:
    c = compare(33.0, england, polarity, lower95=29.5, upper95=36.8)
    assert c.label == label
    assert c.explain() == phrase


def test_missing_limits_are_not_compared() -> None:
    c = compare(33.0, 28.2, LOW)
    assert c.significance is Significance.NONE and not c.compared


def test_two_levels_gives_best_and_worst() -> None:
    kw = {"lower95": 29.5, "upper95": 36.8, "lower998": 27.5, "upper998": 39.5}
    worst = compare(33.0, 27.0, LOW, method=ComparisonMethod.CI95_998, **kw)
    assert worst.significance is Significance.WORST
    assert worst.explain() == "significantly worse than England (27) at 99.8%"
    assert compare(33.0, 28.0, LOW, method=ComparisonMethod.CI95_998, **kw).label == "Worse"
    assert compare(33.0, 40.0, HIGH, method=ComparisonMethod.CI95_998, **kw).label == "Worst"


@pytest.mark.parametrize(
    ("marker", "polarity", "label"),
    [
        (TrendMarker.INCREASING, LOW, "Increasing and getting worse"),
        (TrendMarker.INCREASING, HIGH, "Increasing and getting better"),
        (TrendMarker.INCREASING, NONE, "Increasing"),
        (TrendMarker.DECREASING, LOW, "Decreasing and getting better"),
        (TrendMarker.DECREASING, HIGH, "Decreasing and getting worse"),
        (TrendMarker.DECREASING, NONE, "Decreasing"),
        (TrendMarker.NO_CHANGE, HIGH, "No significant change"),
        (TrendMarker.CANNOT_BE_CALCULATED, LOW, "Cannot be calculated"),
    ],
)
def test_trend_labels(marker: TrendMarker, polarity: Polarity, label: str) -> None:
    assert trend_label(marker, polarity) == label


def test_recent_trend_needs_five_points_with_limits() -> None:
    four = recent_trend([1, 2, 3, 4], [0.5, 1.5, 2.5, 3.5], [1.5, 2.5, 3.5, 4.5])
    assert four.labels(HIGH) == ["Cannot be calculated"]
    gap = recent_trend([1, 2, np.nan, 4, 5], [0.9] * 5, [1.1] * 5)
    assert int(gap.marker[0]) == TrendMarker.CANNOT_BE_CALCULATED


def test_recent_trend_runs_on_many_series_at_once() -> None:
    y = np.array([[10, 12, 14, 16, 18], [18, 16, 14, 12, 10], [10, 11, 10, 11, 10]], float)
    res = recent_trend(y, y - 0.5, y + 0.5)
    assert res.labels(LOW) == [
        "Increasing and getting worse",
        "Decreasing and getting better",
        "No significant change",
    ]


def test_recent_trend_ignores_a_single_outlier_driven_slope() -> None:
    """Leaving the last point out reverses the slope: not significant (robustness check)."""
    y = np.array([20.0, 19.9, 19.8, 19.7, 40.0])
    res = recent_trend(y, y - 0.2, y + 0.2)
    assert res.chi_square[0] > 9.55
    assert int(res.marker[0]) == TrendMarker.NO_CHANGE


def test_two_value_trend() -> None:
    got = two_value_trend([30, 30, 30], [29, 29, 29], [31, 31, 31], [25, 30.5, 35], [24, 29, 34],
                          [26, 32, 36])  # fmt: skip
    assert list(got) == [TrendMarker.INCREASING, TrendMarker.NO_CHANGE, TrendMarker.DECREASING]


# --------------------------------------------------------------------------- SPC

BASE = [10.0, 11.0, 9.0, 10.0, 12.0, 8.0, 10.0, 11.0, 9.0, 10.0, 11.0, 9.0]


def test_xmr_limits() -> None:
    lim = xmr_limits(BASE)
    mr = np.mean(np.abs(np.diff(BASE)))
    assert lim.mean == pytest.approx(10.0)
    assert lim.upper == pytest.approx(10 + 2.66 * mr)
    assert lim.upper_2sigma == pytest.approx(10 + 2.66 * mr * 2 / 3)
    assert lim.trial is False
    assert xmr_limits(BASE[:6]).trial is True


@pytest.mark.parametrize(
    ("polarity", "variation"),
    [(HIGH, Variation.IMPROVEMENT), (LOW, Variation.CONCERN), (NONE, Variation.NEUTRAL_HIGH)],
)
def test_point_beyond_the_upper_limit(polarity: Polarity, variation: Variation) -> None:
    res = spc([*BASE, 20.0], polarity, baseline=len(BASE))
    assert res.astronomical[-1] == 1
    assert res.latest is variation


def test_point_below_the_lower_limit_is_concern_when_high_is_good() -> None:
    res = spc([*BASE, 0.0], HIGH, baseline=len(BASE))
    assert res.astronomical[-1] == -1
    assert res.latest is Variation.CONCERN
    assert res.latest_label == "Special cause concern"


def test_seven_point_shift_below_the_mean() -> None:
    start = [*BASE, 11.0]  # the last baseline point is below the mean; 11 ends that run
    below = [9.5, 9.5, 9.4, 9.6, 9.5, 9.5, 9.5]
    res = spc([*start, *below], LOW, baseline=len(BASE))
    assert list(res.shift[-7:]) == [-1] * 7
    assert res.shift[len(BASE)] == 0
    assert res.latest is Variation.IMPROVEMENT
    six = [*start, *below[:6]]
    assert not spc(six, LOW, baseline=len(BASE)).shift.any()
    assert spc(six, LOW, baseline=len(BASE), run=6).shift[-1] == -1


def test_a_point_on_the_mean_breaks_a_shift() -> None:
    res = spc([*BASE, 11.0, 9.5, 9.5, 9.4, 10.0, 9.6, 9.5, 9.5], LOW, baseline=len(BASE))
    assert not res.shift.any()


def test_seven_point_trend() -> None:
    rising = [*BASE, 8.5, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5]
    res = spc(rising, LOW, baseline=len(BASE))
    assert list(res.trend[-7:]) == [1] * 7
    assert res.latest is Variation.CONCERN
    tie = [*BASE, 8.5, 9.0, 9.5, 9.5, 10.5, 11.0, 11.5]
    assert not spc(tie, LOW, baseline=len(BASE)).trend.any()


def test_two_of_three_beyond_two_sigma() -> None:
    lim = xmr_limits(BASE)
    close = (lim.upper_2sigma + lim.upper) / 2
    res = spc([*BASE, close, 10.5, close], HIGH, baseline=len(BASE))
    assert list(res.two_in_three[-3:]) == [1, 0, 1]  # only the close points are flagged
    assert res.latest is Variation.IMPROVEMENT
    other_side = spc([*BASE, close, 9.5, close], HIGH, baseline=len(BASE))
    assert not other_side.two_in_three.any()


def test_beyond_three_sigma_counts_for_two_of_three_since_2023() -> None:
    lim = xmr_limits(BASE)
    close = (lim.upper_2sigma + lim.upper) / 2
    series = [*BASE, close, 10.5, lim.upper + 1]
    assert spc(series, HIGH, baseline=len(BASE)).two_in_three[-3] == 1
    older = spc(series, HIGH, baseline=len(BASE), beyond_3sigma_counts_for_two_in_three=False)
    assert older.two_in_three[-3] == 0


def test_common_cause() -> None:
    res = spc(BASE, HIGH)
    assert res.latest is Variation.COMMON_CAUSE
    assert not (res.astronomical.any() or res.shift.any() or res.trend.any())


@pytest.mark.parametrize(
    ("target", "polarity", "words"),
    [
        (20.0, HIGH, "Consistently fail the target"),
        (0.0, HIGH, "Consistently pass the target"),
        (20.0, LOW, "Consistently pass the target"),
        (10.0, LOW, "Hit and miss the target"),
    ],
)
def test_assurance(target: float, polarity: Polarity, words: str) -> None:
    assert assurance(xmr_limits(BASE), target, polarity) == words
    assert spc(BASE, polarity, target=target).assurance == words

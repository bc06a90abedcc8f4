"""Comparison of an area's value with a benchmark, as Fingertips does it.

Each comparer first gives a *raw* answer in which "better" means higher, then
polarity turns it into Better/Worse (or Higher/Lower when there is no
polarity). Codes follow Fingertips' ``Significance`` enum so stored results
can be read next to Fingertips exports. All comparers are vectorised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum, StrEnum

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from cypp.domain.units import Polarity
from cypp.stats.ci import ArrayLike, FloatArray, normalise_confidence, z_value

CodeArray = npt.NDArray[np.int8]


class Significance(IntEnum):
    """Fingertips significance codes; raw codes read WORSE=lower, BETTER=higher."""

    NONE = 0
    WORSE = 1
    SAME = 2
    BETTER = 3
    WORST = 4
    BEST = 5


class ComparisonMethod(StrEnum):
    """How an area is compared with its benchmark."""

    CI95 = "single overlapping 95% confidence interval"
    CI95_998 = "single overlapping 95% and 99.8% confidence intervals"
    DOUBLE_OVERLAP = "double overlapping 95% confidence intervals"
    SPC_PROPORTION = "control limits for proportions around the benchmark"
    SPC_DSR = "Poisson control limits for rates around the benchmark"
    VALUE = "value only, without significance testing"


_SWAP = np.array([0, 3, 2, 1, 5, 4], dtype=np.int8)
_RAG_LABELS = np.array(["Not compared", "Worse", "Similar", "Better", "Worst", "Best"])
_BOB_LABELS = np.array(["Not compared", "Lower", "Similar", "Higher", "Lower", "Higher"])


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def adjust_for_polarity(raw: ArrayLike, polarity: Polarity) -> CodeArray:
    """Swap Better/Worse (and Best/Worst) when lower values are better."""
    codes = np.asarray(raw, dtype=np.int8)
    if polarity is Polarity.LOWER_IS_BETTER:
        return _SWAP[codes]
    return codes


def labels(codes: ArrayLike, polarity: Polarity) -> npt.NDArray[np.str_]:
    """Words shown to users: Better/Similar/Worse, or Higher/Similar/Lower with no polarity."""
    lut = _BOB_LABELS if polarity is Polarity.NONE else _RAG_LABELS
    return lut[np.asarray(codes, dtype=np.int8)]


def label(code: int, polarity: Polarity) -> str:
    """One label for one code."""
    return str(labels(np.int8(code), polarity))


def _missing(*arrays: FloatArray) -> npt.NDArray[np.bool_]:
    out = np.zeros(np.broadcast(*arrays).shape, dtype=bool)
    for a in arrays:
        out |= np.isnan(a)
    return out


def single_ci(
    value: ArrayLike,
    lower: ArrayLike,
    upper: ArrayLike,
    comparator: ArrayLike,
    polarity: Polarity,
) -> CodeArray:
    """Fingertips method 1: benchmark inside the area's CI (inclusive) means Similar."""
    v, lo, hi, c = _f(value), _f(lower), _f(upper), _f(comparator)
    raw = np.where(
        (lo <= c) & (c <= hi),
        np.int8(Significance.SAME),
        np.where(v < c, np.int8(Significance.WORSE), np.int8(Significance.BETTER)),
    ).astype(np.int8)
    raw = np.where(_missing(v, lo, hi, c), np.int8(0), raw).astype(np.int8)
    return adjust_for_polarity(raw, polarity)


def two_ci_levels(
    value: ArrayLike,
    lower95: ArrayLike,
    upper95: ArrayLike,
    lower998: ArrayLike,
    upper998: ArrayLike,
    comparator: ArrayLike,
    polarity: Polarity,
) -> CodeArray:
    """Fingertips method 17: Better/Worse at 95 %, Best/Worst beyond the 99.8 % limits."""
    lo95, hi95, lo998, hi998, c = (
        _f(lower95),
        _f(upper95),
        _f(lower998),
        _f(upper998),
        _f(comparator),
    )
    v = _f(value)
    conds = [
        (lo95 <= c) & (c <= hi95),
        (lo998 <= c) & (c < lo95),
        c < lo998,
        (hi95 < c) & (c <= hi998),
        c > hi998,
    ]
    choices = [Significance.SAME, Significance.BETTER, Significance.BEST, Significance.WORSE]
    raw = np.select(conds, [*choices, Significance.WORST], default=0).astype(np.int8)
    raw = np.where(_missing(v, lo95, hi95, lo998, hi998, c), np.int8(0), raw).astype(np.int8)
    return adjust_for_polarity(raw, polarity)


def double_overlap(
    value: ArrayLike,
    lower: ArrayLike,
    upper: ArrayLike,
    comparator: ArrayLike,
    comparator_lower: ArrayLike,
    comparator_upper: ArrayLike,
    polarity: Polarity,
) -> CodeArray:
    """Fingertips method 12: Similar when the two 95 % intervals overlap (conservative)."""
    v, lo, hi = _f(value), _f(lower), _f(upper)
    c, clo, chi = _f(comparator), _f(comparator_lower), _f(comparator_upper)
    area_smaller = v <= c
    lower_of_bigger = np.where(area_smaller, clo, lo)
    upper_of_smaller = np.where(area_smaller, hi, chi)
    raw = np.where(
        lower_of_bigger <= upper_of_smaller,
        np.int8(Significance.SAME),
        np.where(v < c, np.int8(Significance.WORSE), np.int8(Significance.BETTER)),
    ).astype(np.int8)
    raw = np.where(_missing(v, lo, hi, c, clo, chi), np.int8(0), raw).astype(np.int8)
    return adjust_for_polarity(raw, polarity)


def spc_proportion_limits(
    denominator: ArrayLike, comparator: ArrayLike, z: float, unit: float = 100.0
) -> tuple[FloatArray, FloatArray]:
    """Wilson-form control limits (as proportions times unit) centred on the benchmark."""
    n = _f(denominator)
    p0 = _f(comparator) / unit
    e = n * p0
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        root = z * np.sqrt(np.maximum(z2 + 4.0 * e * (1.0 - e / n), 0.0))
        lower = (2.0 * e + z2 - root) / (2.0 * (n + z2))
        upper = (2.0 * e + z2 + root) / (2.0 * (n + z2))
    return lower * unit, upper * unit


def spc_proportion(
    value: ArrayLike,
    denominator: ArrayLike,
    comparator: ArrayLike,
    polarity: Polarity,
    confidence: float = 0.95,
    unit: float = 100.0,
    z: float | None = None,
) -> CodeArray:
    """Fingertips method 5: the area's proportion against control limits around the benchmark."""
    zz = z_value(confidence) if z is None else float(z)
    v, n = _f(value), _f(denominator)
    lower, upper = spc_proportion_limits(n, comparator, zz, unit)
    raw = np.select([v > upper, v < lower], [Significance.BETTER, Significance.WORSE], 2)
    bad = _missing(v, n, _f(comparator)) | ~(n > 0)
    return adjust_for_polarity(np.where(bad, 0, raw).astype(np.int8), polarity)


def spc_dsr_limits(
    denominator2: ArrayLike, comparator: ArrayLike, tail: float, unit: float = 100_000.0
) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson limits around the expected count E = C*N/unit, returned as rates.

    Equivalent to Fingertips' bisection: P(X >= E | lower) = tail and P(X <= E | upper) = tail
    over whole numbers of events.
    """
    n = _f(denominator2)
    e = _f(comparator) * n / unit
    with np.errstate(invalid="ignore"):
        up_k = np.ceil(e)
        lam_lo = np.where(up_k > 0, sps.chi2.ppf(tail, 2.0 * np.maximum(up_k, 1.0)) / 2.0, 0.0)
        lam_hi = sps.chi2.ppf(1.0 - tail, 2.0 * (np.floor(e) + 1.0)) / 2.0
    return lam_lo / n * unit, lam_hi / n * unit


def spc_dsr(
    value: ArrayLike,
    denominator2: ArrayLike,
    comparator: ArrayLike,
    polarity: Polarity,
    confidence: float = 0.95,
    unit: float = 100_000.0,
    tail: float | None = None,
) -> CodeArray:
    """Fingertips method 6: a standardised rate against Poisson limits around the benchmark."""
    p = (1.0 - normalise_confidence(confidence)) / 2.0 if tail is None else float(tail)
    v, n = _f(value), _f(denominator2)
    lower, upper = spc_dsr_limits(n, comparator, p, unit)
    raw = np.select([v > upper, v < lower], [Significance.BETTER, Significance.WORSE], 2)
    bad = _missing(v, n, _f(comparator)) | ~(n > 0)
    return adjust_for_polarity(np.where(bad, 0, raw).astype(np.int8), polarity)


def value_only(value: ArrayLike, comparator: ArrayLike, polarity: Polarity) -> CodeArray:
    """No significance test: just higher, equal or lower than the benchmark."""
    v, c = _f(value), _f(comparator)
    raw = np.select([v > c, v < c], [Significance.BETTER, Significance.WORSE], 2)
    return adjust_for_polarity(np.where(_missing(v, c), 0, raw).astype(np.int8), polarity)


# --------------------------------------------------------------------------- goals

_RAG_OF_CODE = np.array(["Not compared", "Red", "Amber", "Green"])


def goal_range(
    value: ArrayLike, lower_limit: ArrayLike, upper_limit: ArrayLike, polarity: Polarity
) -> CodeArray:
    """Fingertips benchmark against a goal range: Better = Green, Same = Amber, Worse = Red.

    Higher is better: below the lower limit is Worse, at or above the upper limit Better.
    Lower is better mirrors this (above the upper limit Worse, at or below the lower Better).
    """
    v, lo, hi = _f(value), _f(lower_limit), _f(upper_limit)
    if polarity is Polarity.LOWER_IS_BETTER:
        code = np.select([v > hi, v <= lo], [Significance.WORSE, Significance.BETTER], 2)
    elif polarity is Polarity.HIGHER_IS_BETTER:
        code = np.select([v < lo, v >= hi], [Significance.WORSE, Significance.BETTER], 2)
    else:
        code = np.zeros(np.broadcast(v, lo, hi).shape, dtype=np.int8)
    return np.where(_missing(v, lo, hi), 0, code).astype(np.int8)


def goal_labels(codes: ArrayLike) -> npt.NDArray[np.str_]:
    """Red / Amber / Green for goal comparisons."""
    return _RAG_OF_CODE[np.asarray(codes, dtype=np.int8)]


# --------------------------------------------------------------------------- funnels


def _funnel_z(one_sided: float) -> float:
    return float(sps.norm.ppf(one_sided))


def proportion_funnel_limits(
    population: ArrayLike, average: float, confidence: float = 0.95, multiplier: float = 1.0
) -> tuple[FloatArray, FloatArray]:
    """Funnel limits for proportions: a +/- z sqrt(a(1-a)/n), where the area's Wilson CI
    would just reach the average a (given as a proportion times ``multiplier``)."""
    a = float(average) / multiplier
    z = z_value(confidence)
    half = z * np.sqrt(a * (1.0 - a) / _f(population))
    return (a - half) * multiplier, (a + half) * multiplier


def proportion_funnel_significance(
    numerator: ArrayLike, denominator: ArrayLike, average: float
) -> npt.NDArray[np.str_]:
    """PHE funnel labels: 'High (0.001)', 'High (0.025)', 'Low ...', 'Not significant'."""
    o, n = _f(numerator), _f(denominator)
    p = o / n
    out = np.full(np.broadcast(o, n).shape, "Not significant", dtype=object)
    for conf, tag in ((0.95, "0.025"), (0.998, "0.001")):
        z = z_value(conf)
        half = z * np.sqrt(average * (1.0 - average) / n)
        out = np.where(p > average + half, f"High ({tag})", out)
        out = np.where(p < average - half, f"Low ({tag})", out)
    return out.astype(np.str_)


def ratio_funnel_significance(observed: ArrayLike, expected: ArrayLike) -> npt.NDArray[np.str_]:
    """PHE funnel labels for ratios: the O/E interval (exact below 10 events) against 1."""
    from cypp.stats.ci import poisson_limits

    o, e = _f(observed), _f(expected)
    out = np.full(np.broadcast(o, e).shape, "Not significant", dtype=object)
    for conf, tag in ((0.95, "0.025"), (0.998, "0.001")):
        lo, hi = poisson_limits(o, conf)
        out = np.where(lo / e > 1.0, f"High ({tag})", out)
        out = np.where(hi / e < 1.0, f"Low ({tag})", out)
    return out.astype(np.str_)


# --------------------------------------------------------------------------- one comparison


@dataclass(frozen=True, slots=True)
class Comparison:
    """One area compared with one benchmark, with what was used to decide."""

    significance: Significance
    label: str
    method: ComparisonMethod
    benchmark: str
    benchmark_value: float | None
    value: float | None
    lower: float | None
    upper: float | None
    confidence: float | None
    polarity: Polarity

    @property
    def compared(self) -> bool:
        return self.significance is not Significance.NONE

    def explain(self, fmt: str = "{:,.1f}") -> str:
        """A phrase such as 'significantly worse than England (28.2)'."""
        bench = (
            self.benchmark
            if self.benchmark_value is None
            else f"{self.benchmark} ({_fmt(self.benchmark_value)})"
        )
        if not self.compared:
            return f"not compared with {bench}"
        word = self.label.lower()
        if self.significance is Significance.SAME:
            return f"similar to {bench}"
        if self.method is ComparisonMethod.VALUE:
            return f"{word} than {bench}"
        if self.significance in (Significance.BEST, Significance.WORST):
            stem = "better" if self.significance is Significance.BEST else "worse"
            if self.polarity is Polarity.NONE:
                stem = word
            return f"significantly {stem} than {bench} at 99.8%"
        return f"significantly {word} than {bench}"


def _fmt(x: float) -> str:
    from cypp.stats.formatting import format_number

    return format_number(x)


def _opt(x: float | None) -> float:
    return math.nan if x is None else float(x)


def compare(
    value: float | None,
    benchmark_value: float | None,
    polarity: Polarity,
    *,
    lower95: float | None = None,
    upper95: float | None = None,
    lower998: float | None = None,
    upper998: float | None = None,
    benchmark_lower95: float | None = None,
    benchmark_upper95: float | None = None,
    method: ComparisonMethod = ComparisonMethod.CI95,
    benchmark: str = "England",
) -> Comparison:
    """Compare one value with one benchmark; missing inputs give 'Not compared'."""
    v, c = _opt(value), _opt(benchmark_value)
    confidence: float | None = 0.95
    if method is ComparisonMethod.CI95:
        code = single_ci(v, _opt(lower95), _opt(upper95), c, polarity)
    elif method is ComparisonMethod.CI95_998:
        code = two_ci_levels(
            v, _opt(lower95), _opt(upper95), _opt(lower998), _opt(upper998), c, polarity
        )
        confidence = 0.998
    elif method is ComparisonMethod.DOUBLE_OVERLAP:
        code = double_overlap(
            v,
            _opt(lower95),
            _opt(upper95),
            c,
            _opt(benchmark_lower95),
            _opt(benchmark_upper95),
            polarity,
        )
    elif method is ComparisonMethod.VALUE:
        code = value_only(v, c, polarity)
        confidence = None
    else:
        raise ValueError(f"{method} needs denominators: call spc_proportion or spc_dsr")
    sig = Significance(int(code))
    return Comparison(
        sig,
        label(int(code), polarity),
        method,
        benchmark,
        benchmark_value,
        value,
        lower95,
        upper95,
        confidence,
        polarity,
    )

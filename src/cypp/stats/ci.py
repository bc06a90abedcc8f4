"""Confidence intervals used by OHID/PHE (Fingertips) for indicator values.

Every function is vectorised over numpy arrays and also accepts scalars
(which come back as 0-d arrays; ``float(ci.lower)`` gives the number).
The formulas follow the PHE "PHEindicatormethods" package so that our limits
agree with the ones published in Fingertips.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike

#: Counts below this use the exact Poisson (chi-square) limits instead of Byar.
EXACT_BELOW = 10
#: Directly standardised rates are suppressed below this many events.
DSR_MIN_EVENTS = 10

#: European Standard Population 2013, 19 bands 0-4 ... 85-89, 90+.
ESP2013: tuple[float, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Interval:
    """A value with its lower and upper limits at one confidence level."""

    value: FloatArray
    lower: FloatArray
    upper: FloatArray
    confidence: float
    method: str


def normalise_confidence(confidence: float) -> float:
    """Accept 0.95 or 95 (as PHE functions do) and return a fraction."""
    conf = float(confidence)
    if conf > 1:
        conf /= 100.0
    if not 0.0 < conf <= 1.0:
        raise ValueError(f"confidence must be in (0, 1] or (0, 100], got {confidence!r}")
    return conf


@lru_cache(maxsize=64)
def z_value(confidence: float) -> float:
    """Two-sided normal quantile, exact (1.959964 for 95 %, 3.090232 for 99.8 %)."""
    conf = normalise_confidence(confidence)
    if conf >= 1.0:
        return float("inf")
    return float(sps.norm.ppf(1.0 - (1.0 - conf) / 2.0))


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


# --------------------------------------------------------------------------- proportions


def wilson(
    numerator: ArrayLike,
    denominator: ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 1.0,
) -> Interval:
    """Wilson score interval for a proportion (PHE's method for proportions).

    Value and limits are multiplied by ``multiplier`` (100 for percentages).
    Rows with a denominator of 0 or less give NaN.
    """
    o = _f(numerator)
    n = _f(denominator)
    conf = normalise_confidence(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = n > 0
        p = np.where(valid, o / np.where(valid, n, 1.0), np.nan)
        if conf >= 1.0:
            lower = np.where(valid, 0.0, np.nan)
            upper = np.where(valid, 1.0, np.nan)
        else:
            z = z_value(conf)
            z2 = z * z
            root = z * np.sqrt(np.maximum(z2 + 4.0 * o * (1.0 - p), 0.0))
            denom = 2.0 * (n + z2)
            lower = np.clip((2.0 * o + z2 - root) / denom, 0.0, 1.0)
            upper = np.clip((2.0 * o + z2 + root) / denom, 0.0, 1.0)
            lower = np.where(valid, lower, np.nan)
            upper = np.where(valid, upper, np.nan)
    m = float(multiplier)
    return Interval(p * m, lower * m, upper * m, conf, "Wilson")


# --------------------------------------------------------------------------- counts and rates


def byar_limits(count: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximation to Poisson limits for a count (NaN for a negative lower limit).

    This is the raw helper; use :func:`poisson_limits` to switch to exact limits
    for small counts as PHE does.
    """
    o = _f(count)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = _byar_term(o, -z) * o
        o1 = o + 1.0
        upper = _byar_term(o1, z) * o1
    lower = np.where(lower < 0, np.nan, lower)
    return lower, upper


def _byar_term(o: FloatArray, signed_z: float) -> FloatArray:
    """(1 - 1/(9o) + z/(3 sqrt(o)))^3, cubed by multiplication (much faster than a power)."""
    shape = o.shape
    o = o.reshape(-1)
    base = 9.0 * o
    np.divide(1.0, base, out=base)
    np.subtract(1.0, base, out=base)
    root = np.sqrt(o)
    np.multiply(root, 3.0, out=root)
    np.divide(signed_z, root, out=root)
    np.add(base, root, out=base)
    cube = base * base
    cube *= base
    return cube.reshape(shape)


@lru_cache(maxsize=64)
def _exact_table(confidence: float) -> tuple[FloatArray, FloatArray]:
    """Exact limits for the integer counts 0..EXACT_BELOW-1, looked up instead of recomputed."""
    k = np.arange(EXACT_BELOW, dtype=np.float64)
    lo, hi = _exact_limits(k, confidence)
    lo.setflags(write=False)
    hi.setflags(write=False)
    return lo, hi


def _exact_limits(o: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    alpha = 1.0 - normalise_confidence(confidence)
    safe = np.where(o > 0, o, 1.0)
    lower = np.where(o > 0, sps.chi2.ppf(alpha / 2.0, 2.0 * safe) / 2.0, 0.0)
    upper = sps.chi2.ppf(1.0 - alpha / 2.0, 2.0 * o + 2.0) / 2.0
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def exact_poisson_limits(
    count: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Exact (chi-square) Poisson limits; a count of 0 has lower limit 0 (scipy gives NaN)."""
    return _exact_limits(_f(count), confidence)


def poisson_limits(count: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Limits for a count: exact below 10 events, Byar from 10 (PHE rule)."""
    o = _f(count)
    conf = normalise_confidence(confidence)
    if conf >= 1.0:
        return np.zeros_like(o), np.full_like(o, np.inf)
    lower, upper = byar_limits(o, conf)
    small = o < EXACT_BELOW
    if np.any(small):
        os = o[small] if o.ndim else o
        as_int = np.rint(os)
        if np.all((as_int == os) & (os >= 0)):
            lo_t, hi_t = _exact_table(conf)
            idx = as_int.astype(np.intp)
            lo_s, hi_s = lo_t[idx], hi_t[idx]
        else:
            lo_s, hi_s = _exact_limits(os, conf)
        if o.ndim:
            lower[small] = lo_s
            upper[small] = hi_s
        else:
            lower, upper = np.asarray(lo_s, np.float64), np.asarray(hi_s, np.float64)
    neg = o < 0
    if np.any(neg):
        lower = np.where(neg, np.nan, lower)
        upper = np.where(neg, np.nan, upper)
    return lower, upper


def poisson_method(count: ArrayLike) -> npt.NDArray[np.str_]:
    """Which Poisson method each count gets: "Exact" below 10, "Byars" otherwise."""
    return np.where(_f(count) < EXACT_BELOW, "Exact", "Byars")


def crude_rate(
    count: ArrayLike,
    denominator: ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100_000.0,
) -> Interval:
    """Crude rate O/n*m with Byar limits (exact below 10 events); counts may exceed n."""
    o = _f(count)
    n = _f(denominator)
    lower, upper = poisson_limits(o, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n > 0, float(multiplier) / np.where(n > 0, n, 1.0), np.nan)
    return Interval(
        o * scale, lower * scale, upper * scale, normalise_confidence(confidence), "Byar/exact"
    )


def count_interval(count: ArrayLike, confidence: float = 0.95) -> Interval:
    """A count with its Poisson limits (exact below 10, Byar otherwise)."""
    o = _f(count)
    lower, upper = poisson_limits(o, confidence)
    return Interval(o, lower, upper, normalise_confidence(confidence), "Byar/exact")


# --------------------------------------------------------------------------- standardised rates


@dataclass(frozen=True, slots=True)
class StandardisedRate:
    """A directly standardised rate with its total events and population."""

    value: float | None
    lower: float | None
    upper: float | None
    total_count: float
    total_pop: float
    confidence: float
    method: str
    note: str = ""


def _bands(x: Sequence[float | None] | ArrayLike) -> FloatArray:
    arr = np.array(
        [np.nan if v is None else v for v in x] if isinstance(x, list | tuple) else x,
        dtype=np.float64,
    )
    return arr


def _dsr_core(
    events_by_band: FloatArray,
    variance: float,
    pops: FloatArray,
    weights: FloatArray,
    confidence: float,
    multiplier: float,
    method: str,
) -> StandardisedRate:
    total = float(np.sum(events_by_band))
    total_pop = float(np.sum(pops))
    conf = normalise_confidence(confidence)
    if total < DSR_MIN_EVENTS:
        return StandardisedRate(
            None, None, None, total, total_pop, conf, method, "dsr NA for total count < 10"
        )
    sw = float(np.sum(weights))
    dsr = float(np.sum(weights * events_by_band / pops) / sw)
    lo_o, hi_o = byar_limits(total, conf)
    sd = np.sqrt(variance / total)
    lower = (dsr + sd * (float(lo_o) - total)) * multiplier
    upper = (dsr + sd * (float(hi_o) - total)) * multiplier
    return StandardisedRate(
        dsr * multiplier, float(lower), float(upper), total, total_pop, conf, method
    )


def dsr(
    counts: Sequence[float | None] | ArrayLike,
    pops: Sequence[float] | ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100_000.0,
    standard_pop: Sequence[float] | ArrayLike = ESP2013,
) -> StandardisedRate:
    """Directly standardised rate with Dobson limits (suppressed below 10 events).

    Missing age-band counts count as 0; populations must all be present and positive.
    """
    o = np.nan_to_num(_bands(counts), nan=0.0)
    n = _bands(pops)
    w = _bands(standard_pop)
    _check_bands(o, n, w)
    sw = float(np.sum(w))
    variance = float(np.sum(w * w * o / (n * n)) / (sw * sw))
    return _dsr_core(o, variance, n, w, confidence, multiplier, "Dobson")


def dsr_non_independent(
    persons_by_frequency: Mapping[int | str, Sequence[float | None] | ArrayLike],
    pops: Sequence[float] | ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100_000.0,
    standard_pop: Sequence[float] | ArrayLike = ESP2013,
) -> StandardisedRate:
    """DSR when a person can have several events: Dobson limits with V = sum f^2 V_f.

    ``persons_by_frequency`` maps f (events per person) to the number of persons
    with exactly f events in each age band. Same value as the independent DSR, wider limits.
    """
    n = _bands(pops)
    w = _bands(standard_pop)
    sw = float(np.sum(w))
    events = np.zeros_like(n)
    variance = 0.0
    for f_key, persons in persons_by_frequency.items():
        f = float(f_key)
        p = np.nan_to_num(_bands(persons), nan=0.0)
        _check_bands(p, n, w)
        events += f * p
        variance += f * f * float(np.sum(w * w * p / (n * n)) / (sw * sw))
    return _dsr_core(events, variance, n, w, confidence, multiplier, "Dobson (non-independent)")


def _check_bands(o: FloatArray, n: FloatArray, w: FloatArray) -> None:
    if not (o.shape == n.shape == w.shape):
        raise ValueError("counts, populations and standard populations need the same age bands")
    if np.any(~np.isfinite(n)) or np.any(n <= 0):
        raise ValueError("every age band needs a positive population")


@dataclass(frozen=True, slots=True)
class IndirectResult:
    """An indirectly standardised ratio or rate, with observed and expected events."""

    value: float
    lower: float
    upper: float
    observed: float
    expected: float
    ref_rate: float | None
    confidence: float
    method: str


def expected_events(
    pops: Sequence[float | None] | ArrayLike,
    ref_counts: Sequence[float | None] | ArrayLike,
    ref_pops: Sequence[float | None] | ArrayLike,
) -> float:
    """E = sum (R_i / N_i) * n_i over age bands matched by position (missing = 0)."""
    n = np.nan_to_num(_bands(pops), nan=0.0)
    r = np.nan_to_num(_bands(ref_counts), nan=0.0)
    big_n = _bands(ref_pops)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(big_n > 0, r / big_n * n, 0.0)
    return float(np.nansum(terms))


def isr_ratio(
    observed: float,
    pops: Sequence[float | None] | ArrayLike,
    ref_counts: Sequence[float | None] | ArrayLike,
    ref_pops: Sequence[float | None] | ArrayLike,
    confidence: float = 0.95,
    refvalue: float = 1.0,
) -> IndirectResult:
    """Standardised ratio O/E (e.g. SMR) with exact limits below 10 events, Byar otherwise."""
    e = expected_events(pops, ref_counts, ref_pops)
    lo, hi = poisson_limits(observed, confidence)
    return IndirectResult(
        observed / e * refvalue,
        float(lo) / e * refvalue,
        float(hi) / e * refvalue,
        float(observed),
        e,
        None,
        normalise_confidence(confidence),
        str(poisson_method(observed)),
    )


def isr_rate(
    observed: float,
    pops: Sequence[float | None] | ArrayLike,
    ref_counts: Sequence[float | None] | ArrayLike,
    ref_pops: Sequence[float | None] | ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100_000.0,
) -> IndirectResult:
    """Indirectly standardised rate: (O/E) times the reference rate sum(R)/sum(N)*m."""
    r = np.nan_to_num(_bands(ref_counts), nan=0.0)
    big_n = np.nan_to_num(_bands(ref_pops), nan=0.0)
    ref_rate = float(np.sum(r) / np.sum(big_n) * multiplier)
    ratio = isr_ratio(observed, pops, ref_counts, ref_pops, confidence, 1.0)
    return IndirectResult(
        ratio.value * ref_rate,
        ratio.lower * ref_rate,
        ratio.upper * ref_rate,
        ratio.observed,
        ratio.expected,
        ref_rate,
        ratio.confidence,
        ratio.method,
    )


# --------------------------------------------------------------------------- means


@dataclass(frozen=True, slots=True)
class MeanResult:
    """A mean with its sample standard deviation and Student-t limits."""

    value: float
    stdev: float
    lower: float
    upper: float
    count: int
    confidence: float


def mean_ci(values: Sequence[float] | ArrayLike, confidence: float = 0.95) -> MeanResult:
    """Mean with limits mean +/- t(alpha/2, k-1) s / sqrt(k) (missing values dropped)."""
    x = _f(values).ravel()
    x = x[np.isfinite(x)]
    k = x.size
    conf = normalise_confidence(confidence)
    if k < 2:
        raise ValueError("a mean's confidence interval needs at least two values")
    mean = float(np.mean(x))
    sd = float(np.std(x, ddof=1))
    t = float(sps.t.ppf(1.0 - (1.0 - conf) / 2.0, k - 1))
    half = t * sd / np.sqrt(k)
    return MeanResult(mean, sd, mean - half, mean + half, k, conf)


# --------------------------------------------------------------------------- life expectancy


@dataclass(frozen=True, slots=True)
class LifeExpectancy:
    """Life expectancy at each band's start age (Chiang II, Silcocks variance for the last band)."""

    start_ages: FloatArray
    value: FloatArray
    lower: FloatArray
    upper: FloatArray
    confidence: float
    note: str = ""

    def at(self, age: float) -> tuple[float, float, float]:
        """Value and limits at one start age."""
        idx = int(np.flatnonzero(self.start_ages == age)[0])
        return float(self.value[idx]), float(self.lower[idx]), float(self.upper[idx])


def life_expectancy(
    start_ages: Sequence[float] | ArrayLike,
    pops: Sequence[float] | ArrayLike,
    deaths: Sequence[float] | ArrayLike,
    confidence: float = 0.95,
) -> LifeExpectancy:
    """Chiang II life table (as PHE); NaN where PHE would suppress the result."""
    ages = _f(start_ages)
    p = _f(pops)
    d = _f(deaths)
    conf = normalise_confidence(confidence)
    nan = np.full_like(ages, np.nan)
    if np.any(p <= 0) or np.any(d < 0) or np.any(d > p) or not np.all(np.isfinite(p + d)):
        return LifeExpectancy(ages, nan, nan, nan, conf, "invalid deaths or populations")
    if float(np.sum(p)) <= 5000:
        return LifeExpectancy(ages, nan, nan, nan, conf, "total population 5,000 or fewer")
    k = ages.size
    width = np.append(np.diff(ages), 0.0)
    a = np.where(ages == 0, 0.1, 0.5)
    m = d / p
    with np.errstate(divide="ignore", invalid="ignore"):
        q = width * m / (1.0 + width * m * (1.0 - a))
        q = np.where(d > p / (width * a), 1.0, q)
    q[-1] = 1.0
    ell = np.empty(k)
    ell[0] = 100_000.0
    ell[1:] = 100_000.0 * np.cumprod(1.0 - q[:-1])
    ell_next = np.append(ell[1:], 0.0)
    dd = ell - ell_next
    big_l = width * (ell_next + a * dd)
    big_l[-1] = ell[-1] / m[-1]
    t = np.cumsum(big_l[::-1])[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        e = t / ell
        s2 = np.where((dd == 0) | (d == 0), 0.0, q * q * (1.0 - q) / d)
        s2[-1] = 4.0 / (d[-1] * m[-1] * m[-1])
    e_next = np.append(e[1:], 0.0)
    w = s2 * ell * ell * ((1.0 - a) * width + e_next) ** 2
    w[-1] = (ell[-1] / 2.0) ** 2 * s2[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.cumsum(w[::-1])[::-1] / (ell * ell)
    half = z_value(conf) * np.sqrt(var)
    lower, upper = e - half, e + half
    wide = (upper - lower) > 20
    note = "interval wider than 20 years at some ages" if np.any(wide) else ""
    return LifeExpectancy(
        ages,
        np.where(wide, np.nan, e),
        np.where(wide, np.nan, lower),
        np.where(wide, np.nan, upper),
        conf,
        note,
    )

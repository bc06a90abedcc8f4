"""Rate millions of observations: 95 % limits, comparison with England, RAG against a target.

Rows are counts of events among child populations the size of English local
authorities (some below 10 events, which take the exact Poisson limits), rated
as a rate per 10,000 where lower is better, against England's rate and a value
target with a 5 % amber band. cypp's :func:`cypp.stats.batch.rate_counts` is
timed against (a) a per-row loop calling scipy, on a subsample, extrapolated,
and (b) a numpy floor that makes one vectorised pass (Byar only, no checks).
"""

from __future__ import annotations

import math
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats as sps

from bench import size
from cypp.domain.units import Polarity
from cypp.stats.batch import BatchRatings, rate_counts
from cypp.stats.ci import z_value
from cypp.stats.rating import Tolerance

ROWS_ENV = "CYPP_BENCH_RATINGS_ROWS"
LOOP_ROWS_ENV = "CYPP_BENCH_RATINGS_LOOP_ROWS"
MULTIPLIER = 10_000.0
ENGLAND = 100.0  # per 10,000
TARGET = 105.0  # per 10,000, lower is better
AMBER = 0.05  # of the target
CONFIDENCE = 0.95
GOAL_LOOP_RATIO = 100.0
GOAL_FLOOR_RATIO = 5.0
GOAL_PEAK_BYTES = 2 * 1024**3


def make_data(rows: int, seed: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    """Populations of 300 to 120,000 children and Poisson counts around 1 per 100."""
    rng = np.random.default_rng(seed)
    population = rng.integers(300, 120_000, rows).astype(np.float64)
    rate = rng.gamma(20.0, 1.0 / 20.0, rows) * ENGLAND / MULTIPLIER
    count = rng.poisson(population * rate).astype(np.float64)
    return count, population


def cypp_rate(count: np.ndarray, population: np.ndarray) -> BatchRatings:
    return rate_counts(
        count,
        population,
        ENGLAND,
        TARGET,
        polarity=Polarity.LOWER_IS_BETTER,
        multiplier=MULTIPLIER,
        confidence=CONFIDENCE,
        tolerance=Tolerance(AMBER),
    )


def numpy_floor(count: np.ndarray, population: np.ndarray) -> tuple[np.ndarray, ...]:
    """One vectorised pass: Byar limits for every row, comparison and RAG, nothing else."""
    z = z_value(CONFIDENCE)
    scale = MULTIPLIER / population
    value = count * scale
    with np.errstate(divide="ignore", invalid="ignore"):
        base = 1.0 - 1.0 / (9.0 * count) - z / (3.0 * np.sqrt(count))
        lower = count * base * base * base * scale
        o1 = count + 1.0
        base = 1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))
        upper = o1 * base * base * base * scale
    sig = np.where((lower <= ENGLAND) & (upper >= ENGLAND), 2, np.where(value < ENGLAND, 3, 1))
    rag = np.where(value <= TARGET, 3, np.where(value <= TARGET * (1 + AMBER), 2, 1))
    return value, lower, upper, sig.astype(np.int8), rag.astype(np.int8)


def loop_row(count: float, population: float) -> tuple[float, float, float, int, int]:
    """One row the way a per-row script does it: scipy quantiles, then if/else."""
    alpha = 1.0 - CONFIDENCE
    if count < 10:
        lower = 0.0 if count == 0 else float(sps.chi2.ppf(alpha / 2, 2 * count)) / 2
        upper = float(sps.chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    else:
        z = float(sps.norm.ppf(1 - alpha / 2))
        lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
        o1 = count + 1
        upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    scale = MULTIPLIER / population
    value, lower, upper = count * scale, lower * scale, upper * scale
    sig = 2 if lower <= ENGLAND <= upper else 3 if value < ENGLAND else 1  # lower is better
    rag = 3 if value <= TARGET else 2 if value <= TARGET * (1 + AMBER) else 1
    return value, lower, upper, sig, rag


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def _peak(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _max_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run() -> list[dict[str, Any]]:
    rows = size(ROWS_ENV, 10_000_000, 100_000)
    loop_rows = min(rows, size(LOOP_ROWS_ENV, 5_000, 300))
    count, population = make_data(rows)

    cpu_started = time.process_time()
    cypp_s, result = _timed(lambda: cypp_rate(count, population))
    cypp_cpu_s = time.process_time() - cpu_started
    floor_s, _ = _timed(lambda: numpy_floor(count, population))
    sub_count, sub_pop = count[:loop_rows], population[:loop_rows]
    loop_s, looped = _timed(
        lambda: [loop_row(float(o), float(n)) for o, n in zip(sub_count, sub_pop, strict=True)]
    )
    loop_full_s = loop_s * rows / loop_rows
    del result  # measure the peak from a clean start
    cypp_peak = _peak(lambda: cypp_rate(count, population))
    floor_peak = _peak(lambda: numpy_floor(count, population))

    # The vectorised results must be the loop's results.
    mine = cypp_rate(sub_count, sub_pop)
    ref = np.array(looped, dtype=np.float64)
    limits_agree = bool(
        np.allclose(mine.value, ref[:, 0], rtol=1e-12)
        and np.allclose(mine.lower, ref[:, 1], rtol=1e-9)
        and np.allclose(mine.upper, ref[:, 2], rtol=1e-9)
    )
    codes_agree = bool(
        np.array_equal(mine.significance, ref[:, 3]) and np.array_equal(mine.rag, ref[:, 4])
    )
    small = int(np.count_nonzero(count < 10))
    return [
        {"metric": "rows rated", "value": rows, "unit": "rows",
         "note": f"{small:,} with fewer than 10 events (exact limits)"},
        {"metric": "cypp time", "value": cypp_s, "unit": "s"},
        {"metric": "cypp CPU time", "value": cypp_cpu_s, "unit": "s",
         "note": "not inflated by other processes"},
        {"metric": "cypp throughput", "value": rows / cypp_s, "unit": "rows/s"},
        {"metric": "numpy floor time", "value": floor_s, "unit": "s"},
        {"metric": "per-row scipy loop time (extrapolated)", "value": loop_full_s, "unit": "s",
         "note": f"measured on {loop_rows:,} rows: {loop_s:.2f} s"},
        {"metric": "speed-up over the per-row loop", "value": loop_full_s / cypp_s, "unit": "x",
         "goal": f">= {GOAL_LOOP_RATIO:g}x", "ok": loop_full_s / cypp_s >= GOAL_LOOP_RATIO},
        {"metric": "time relative to the numpy floor", "value": cypp_s / floor_s, "unit": "x",
         "goal": f"<= {GOAL_FLOOR_RATIO:g}x", "ok": cypp_s / floor_s <= GOAL_FLOOR_RATIO},
        {"metric": "cypp peak traced memory", "value": cypp_peak / 1024**2, "unit": "MiB",
         "goal": "< 2048 MiB", "ok": cypp_peak < GOAL_PEAK_BYTES},
        {"metric": "numpy floor peak traced memory", "value": floor_peak / 1024**2, "unit": "MiB"},
        {"metric": "process max RSS (inputs, both runs)", "value": _max_rss_bytes() / 1024**2,
         "unit": "MiB", "goal": "< 2048 MiB", "ok": _max_rss_bytes() < GOAL_PEAK_BYTES},
        {"metric": "results equal the per-row loop", "value": limits_agree and codes_agree,
         "ok": limits_agree and codes_agree, "note": f"checked on {loop_rows:,} rows"},
    ]  # fmt: skip

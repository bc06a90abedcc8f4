"""Rating many observations at once: limits, comparison with a benchmark and RAG.

This is the path used to rate every area and period of a data set in one go
(for example all English local authorities for every indicator). It runs the
same rules as :mod:`cypp.stats.rating` over numpy arrays, in chunks so that
memory stays bounded however many rows there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from cypp.domain.units import Polarity
from cypp.stats import ci, compare
from cypp.stats.ci import ArrayLike, FloatArray
from cypp.stats.rating import Operator, Tolerance, default_operator, value_status_codes

__all__ = ["BatchRatings", "ValueType", "rate_counts"]

CodeArray = npt.NDArray[np.int8]

#: Rows handled per chunk: large enough for numpy to be efficient, small enough for the cache.
CHUNK_ROWS = 1 << 18


class ValueType(StrEnum):
    """How a value is built from its count and denominator, which sets the CI method."""

    PROPORTION = "proportion"  # Wilson
    RATE = "rate"  # Byar, exact below 10 events


@dataclass(frozen=True, slots=True)
class BatchRatings:
    """Per-row results: value and 95 % limits, significance against the benchmark
    (:class:`~cypp.stats.compare.Significance` codes after polarity) and RAG codes
    (0 not comparable, 1 Red, 2 Amber, 3 Green)."""

    value: FloatArray
    lower: FloatArray
    upper: FloatArray
    significance: CodeArray
    rag: CodeArray
    method: str = field(default="")

    def __len__(self) -> int:
        return int(self.value.size)


def _chunk(x: FloatArray, start: int, stop: int) -> FloatArray:
    return x if x.ndim == 0 else x[start:stop]


def rate_counts(
    count: ArrayLike,
    denominator: ArrayLike,
    benchmark: ArrayLike,
    target: ArrayLike,
    *,
    polarity: Polarity,
    value_type: ValueType = ValueType.RATE,
    multiplier: float = 100_000.0,
    confidence: float = 0.95,
    operator: Operator | None = None,
    tolerance: Tolerance | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> BatchRatings:
    """Value, limits, comparison with the benchmark (single overlapping CI) and RAG
    against a value target, for every row. ``benchmark`` and ``target`` may be
    scalars or arrays of the same length as ``count``."""
    o = np.asarray(count, dtype=np.float64)
    n = np.asarray(denominator, dtype=np.float64)
    c = np.asarray(benchmark, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    rows = int(np.broadcast(o, n).size)
    op = operator or default_operator(polarity)
    tol = tolerance or Tolerance()
    value = np.empty(rows)
    lower = np.empty(rows)
    upper = np.empty(rows)
    significance = np.empty(rows, dtype=np.int8)
    rag = np.empty(rows, dtype=np.int8)
    for start in range(0, rows, chunk_rows):
        stop = min(start + chunk_rows, rows)
        oc, nc = _chunk(o, start, stop), _chunk(n, start, stop)
        if value_type is ValueType.PROPORTION:
            interval = ci.wilson(oc, nc, confidence, multiplier)
        else:
            interval = ci.crude_rate(oc, nc, confidence, multiplier)
        value[start:stop] = interval.value
        lower[start:stop] = interval.lower
        upper[start:stop] = interval.upper
        significance[start:stop] = compare.single_ci(
            interval.value, interval.lower, interval.upper, _chunk(c, start, stop), polarity
        )
        rag[start:stop] = value_status_codes(interval.value, _chunk(t, start, stop), op, tol)
    method = "Wilson" if value_type is ValueType.PROPORTION else "Byar (exact below 10)"
    return BatchRatings(value, lower, upper, significance, rag, method)

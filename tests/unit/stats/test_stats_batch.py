"""Rating many rows at once gives the same answers as rating them one by one."""

from __future__ import annotations

import numpy as np
import pytest

from cypp.domain.units import Polarity
from cypp.stats import ci, compare
from cypp.stats.batch import ValueType, rate_counts
from cypp.stats.rating import Operator, Tolerance, value_status_codes


@pytest.mark.parametrize("value_type", [ValueType.RATE, ValueType.PROPORTION])
def test_batch_equals_the_scalar_functions(value_type: ValueType) -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(20, 5000, 2000).astype(float)
    o = rng.binomial(n.astype(int), 0.2).astype(float)
    o[:50] = rng.integers(0, 10, 50)  # small counts take the exact limits
    n[60] = np.nan  # a missing denominator is not compared and not rated
    bench = rng.uniform(10, 30, o.size)
    target = 21.0
    mult = 100.0
    res = rate_counts(
        o,
        n,
        bench,
        target,
        polarity=Polarity.HIGHER_IS_BETTER,
        value_type=value_type,
        multiplier=mult,
        chunk_rows=333,
    )
    for i in range(o.size):
        one = (ci.wilson if value_type is ValueType.PROPORTION else ci.crude_rate)(
            o[i], n[i], 0.95, mult
        )
        np.testing.assert_allclose(res.lower[i], one.lower, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(res.upper[i], one.upper, rtol=1e-12, equal_nan=True)
        sig = compare.single_ci(
            one.value, one.lower, one.upper, bench[i], Polarity.HIGHER_IS_BETTER
        )
        assert res.significance[i] == sig
        rag = value_status_codes(one.value, target, Operator.AT_LEAST, Tolerance())
        assert res.rag[i] == rag
    assert res.significance[60] == 0 and res.rag[60] == 0
    assert set(np.unique(res.significance)) <= {0, 1, 2, 3}
    assert len(res) == o.size


def test_batch_lower_is_better_and_operator() -> None:
    res = rate_counts(
        [330, 330],
        [100_000, 100_000],
        [28.2, 40.0],
        [31, 34],
        polarity=Polarity.LOWER_IS_BETTER,
        multiplier=10_000,
        operator=Operator.BELOW,
        tolerance=Tolerance(1.0, relative=False),
    )
    assert list(res.significance) == [1, 3]  # worse than 28.2, better than 40
    assert list(res.rag) == [1, 3]  # 33 vs below 31 (+1): Red; vs below 34: Green

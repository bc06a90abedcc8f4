"""Benchmarks: ``python -m bench`` runs every ``bench/bench_*.py`` module (see README.md)."""

from __future__ import annotations

import os

#: Set to make every benchmark run at a small size (``python -m bench --quick``).
QUICK_ENV = "CYPP_BENCH_QUICK"


def quick() -> bool:
    """True when benchmarks should run at smoke-test size."""
    return os.environ.get(QUICK_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def size(env: str, full: int, small: int) -> int:
    """Row count for a benchmark: ``env`` if set, else ``small`` when quick, else ``full``."""
    raw = os.environ.get(env, "").replace("_", "").strip()
    if raw:
        return int(raw)
    return small if quick() else full

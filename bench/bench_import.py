"""Import time of each shared plan document (goal: under 1 s each).

Each row times the whole import (read, extract, convert, validate) and sets it
against two references measured in the same process: reading the document
into blocks alone, and the one-second goal. ``ratio`` is import time over
read time, so a slower machine leaves it roughly unchanged.

Run with ``python -m bench`` (all benchmarks) or ``python bench/bench_import.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cypp.importer.pipeline import import_document
from cypp.importer.readers import read_document

DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "plans" / "docs"
GOAL_SECONDS = 1.0
REPEATS = 3


def _best(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """Best of several runs: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def run(docs: Path = DOCS) -> list[dict[str, Any]]:
    """One row per shared plan document: seconds, and ratios to reading and to the goal."""
    rows: list[dict[str, Any]] = []
    paths = sorted(p for p in docs.glob("*") if p.suffix.lower() in (".txt", ".md"))
    for path in paths:
        import_document(path)  # warm caches (compiled patterns, schema) before timing
        read = _best(lambda path=path: read_document(path))
        full = _best(lambda path=path: import_document(path))
        measures = len(import_document(path).measures)
        rows.append(
            {
                "name": f"import {path.name}",
                "seconds": round(full, 4),
                "read_seconds": round(read, 4),
                "ratio": round(full / read, 1) if read else None,
                "goal_ratio": round(full / GOAL_SECONDS, 3),
                "measures": measures,
                "meets_goal": full < GOAL_SECONDS,
            }
        )
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)

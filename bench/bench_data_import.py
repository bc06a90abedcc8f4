"""Import of the DfE LAIT data set (641k rows) against a raw polars read of the same file.

The LAIT "big data set" is written once as CSV (the form a user uploads) in a temporary
folder; then, in the same process, polars reads it raw (``pl.read_csv``, no checks) and
cypp imports it (``read_observations``: sniff the format, read LAIT's year labels and
units, map DfE codes to ONS codes, validate every row). Best of several runs each, wall
and CPU time. Goals: import under 10 s and at most 3x the raw read. The parquet file as
published is measured the same way for reference.

Rows: ``name``, ``seconds``, ``ratio`` (to the raw read of the same file), plus the
standard ``metric``/``value``/``unit``/``goal``/``ok`` columns. ``CYPP_LAIT_DIR`` is the
LAIT folder (default ``../shared/data/lait``); ``CYPP_BENCH_LAIT_ROWS`` cuts the data set.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

import bench
from cypp.data.formats import read_observations

LAIT_DIR = Path(
    os.environ.get("CYPP_LAIT_DIR", Path(__file__).resolve().parents[2] / "shared/data/lait")
)
GOAL_SECONDS = 10.0
GOAL_RATIO = 3.0


def _best(action: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    """Best wall and CPU seconds of several runs (the least disturbed by other work)."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def _pair(label: str, path: Path, raw: Callable[[], pl.DataFrame], repeats: int,
          rows: int) -> list[dict[str, Any]]:  # fmt: skip
    raw_wall, raw_cpu, _ = _best(raw, repeats)
    wall, cpu, batch = _best(lambda: read_observations(path), repeats)
    imported = batch.frame.height  # type: ignore[attr-defined]
    ratio = wall / raw_wall
    return [
        {"name": f"raw polars read ({label})", "seconds": raw_wall, "ratio": 1.0,
         "metric": f"raw polars read, {label}", "value": raw_wall, "unit": "s",
         "cpu_seconds": raw_cpu},
        {"name": f"cypp import ({label})", "seconds": wall, "ratio": ratio,
         "metric": f"cypp import, {label}", "value": wall, "unit": "s",
         "cpu_seconds": cpu, "cpu_ratio": cpu / raw_cpu,
         "goal": f"< {GOAL_SECONDS:g} s and <= {GOAL_RATIO:g}x raw",
         "ok": wall < GOAL_SECONDS and ratio <= GOAL_RATIO,
         "note": f"{imported:,} observations from {rows:,} rows"},
    ]  # fmt: skip


def run() -> list[dict[str, Any]]:
    rows = bench.size("CYPP_BENCH_LAIT_ROWS", 641_070, 20_000)
    repeats = 2 if bench.quick() else 3
    source = pl.read_parquet(LAIT_DIR / "lait_bds_long.parquet").head(rows)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "lait_bds_long.csv"
        parquet_path = Path(folder) / "lait_bds_long.parquet"
        source.write_csv(csv_path)
        source.write_parquet(parquet_path)
        result = _pair("CSV", csv_path, lambda: pl.read_csv(csv_path), repeats, source.height)
        result += _pair(
            "parquet", parquet_path, lambda: pl.read_parquet(parquet_path), repeats, source.height
        )
        # The import keeps every row that names a period: LAIT's year "0" rows carry no figure.
        empty = source.filter(pl.col("Years") == "0").height
        imported = read_observations(csv_path).frame.height
    result.append(
        {"name": "rows kept", "seconds": None, "ratio": None, "metric": "observations imported",
         "value": imported, "goal": f"{source.height - empty:,}",
         "ok": imported == source.height - empty}
    )  # fmt: skip
    return result


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run()))

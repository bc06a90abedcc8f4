"""The data-import benchmark runs at a tiny size and checks its own result."""

from __future__ import annotations

import pytest

from bench import bench_data_import


def test_data_import_benchmark_tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYPP_BENCH_LAIT_ROWS", "3000")
    monkeypatch.setenv("CYPP_BENCH_QUICK", "1")
    rows = {r["name"]: r for r in bench_data_import.run()}
    assert rows["rows kept"]["ok"] is True
    assert rows["rows kept"]["value"] == 3000
    imported = rows["cypp import (CSV)"]
    assert imported["seconds"] > 0 and imported["ratio"] > 0
    assert rows["raw polars read (CSV)"]["ratio"] == 1.0
    assert {"name", "seconds", "ratio", "cpu_seconds", "cpu_ratio"} <= set(imported)
    assert imported["cpu_ratio"] == imported["value"] > 0
    assert "3x" in imported["goal"] and imported["runs"] == 2
    parquet = rows["cypp import (parquet)"]
    assert "3x" in parquet["goal"] and parquet["cpu_ratio"] == parquet["value"] > 0
    floor = rows["floor (parquet)"]
    assert floor["cpu_ratio"] > 0 and floor["value"] > 0 and "ok" not in floor

"""The benchmarks run (at a tiny size) and check their own results, so they do not rot."""

from __future__ import annotations

from pathlib import Path

import pytest

import bench
from bench import __main__ as runner
from bench import bench_peers, bench_ratings


def test_benchmarks_are_discovered() -> None:
    assert {"bench_peers", "bench_ratings"} <= set(runner.discover())
    assert runner.discover(["ratings"]) == ["bench_ratings"]
    with pytest.raises(SystemExit, match="no such benchmark"):
        runner.discover(["nope"])


def test_ratings_benchmark_tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bench_ratings.ROWS_ENV, "3000")
    monkeypatch.setenv(bench_ratings.LOOP_ROWS_ENV, "60")
    rows = {r["metric"]: r for r in bench_ratings.run()}
    assert rows["rows rated"]["value"] == 3000
    assert rows["results equal the per-row loop"]["ok"] is True
    assert rows["cypp peak traced memory"]["ok"] is True
    assert rows["speed-up over the per-row loop"]["value"] > 1


def test_peers_benchmark_tiny(monkeypatch: pytest.MonkeyPatch, shared_dir: Path) -> None:
    folder = shared_dir / "data" / "lait"
    if not (folder / "lait_bds_long.parquet").is_file():
        pytest.skip("the LAIT data set is not available")
    monkeypatch.setenv(bench.QUICK_ENV, "1")
    monkeypatch.setenv(bench_peers.LAIT_ENV, str(folder))
    rows = {r["metric"]: r for r in bench_peers.run()}
    assert rows["ranks equal numpy ranks (largest group)"]["ok"] is True
    assert rows["rows ranked (measure has a polarity)"]["value"] > 1000
    assert rows["rows with a statistical-neighbour position"]["value"] > 1000


def test_table_prints_every_row() -> None:
    text = runner.table(
        [{"benchmark": "x", "metric": "speed", "value": 1234.5, "unit": "rows/s", "ok": True}]
    )
    assert "1,234.50" in text and "rows/s" in text and "yes" in text

"""The store benchmark's measurement runs at a tiny size and checks its own counts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from bench import bench_data_store

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def raw_tables() -> Iterator[None]:
    yield
    with connection.cursor() as cursor:
        for table in ("bench_raw", "bench_raw_sorted", "bench_raw_copy"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def test_store_benchmark_tiny(raw_tables: None) -> None:
    result = bench_data_store.compare(300)
    assert result["rows"] == result["created"] == result["stored"] > 250
    assert (result["again_created"], result["again_revised"]) == (0, 0)
    assert result["again_unchanged"] == result["rows"]
    with connection.cursor() as cursor:
        tables = ["bench_raw", "bench_raw_sorted"]
        if connection.vendor == "postgresql":
            tables.append("bench_raw_copy")
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            assert cursor.fetchone()[0] == result["rows"]
    assert all(seconds > 0 for seconds in (*result["store"], *result["raw"]))

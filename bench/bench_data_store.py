"""Storing the LAIT data set (641k observations) in a fresh database, against a raw insert.

In a fresh process with its own SQLite database (or ``CYPP_BENCH_STORE_DATABASE_URL``,
e.g. a PostgreSQL test database, whose observation tables must be empty): the LAIT
file is read and checked once, its measures become the measures of a stored plan, and
then, each timed in wall and CPU time:

* **cypp store** — ``cypp.web.data.actions.import_observations``, the path of the upload
  page and of ``cypp data import``: one transaction, existing figures looked up, new ones
  inserted, the import and its audit event recorded;
* **store again** — the same batch a second time: every figure is compared with the
  stored one and nothing changes (checked: 0 created, 0 revised);
* **raw insert** — the same rows as tuples, ``executemany`` of one parameterised INSERT
  into a table with the same columns, key and indexes, one transaction; once in file
  order and once in key order (the baseline on SQLite: the store also inserts in key
  order, which keeps the key index growing at its end). On PostgreSQL also ``COPY`` in
  key order, the baseline there, as the store loads new rows with ``COPY``.

Goal: the store takes at most 3x the key-order raw insert (CPU time; wall time shown
too), and storing again changes nothing. Rows: ``seconds``, ``cpu_seconds``,
``rows_per_s``, ``ratio`` and ``cpu_ratio`` (to the baseline).
``CYPP_BENCH_STORE_ROWS`` cuts the data set (default 641,070; 20,000 with ``--quick``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import bench

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATIO = 3.0
DATABASE_ENV = "CYPP_BENCH_STORE_DATABASE_URL"


def _timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _raw_insert(
    frame: Any,
    measure_ids: dict[str, int],
    import_id: int,
    table: str,
    ordered: bool,
    copy: bool = False,
) -> None:
    """The floor: the same rows, one prepared INSERT, into a bare table of the same shape."""
    import polars as pl
    from django.db import connection, transaction
    from django.utils import timezone

    columns = (
        "measure_id, area_code, period, period_start, period_end, breakdown, value, count, "
        "denominator, lower_ci95, upper_ci95, lower_ci998, upper_ci998, quality, "
        "suppression_code, suppression_reason, source, note, data_import_id, created_at, "
        "updated_at"
    )
    # Values as the database driver takes them (SQLite: ISO text for dates and times).
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    as_text = isinstance(ops.adapt_datefield_value(date(2000, 1, 1)), str)
    dates = [pl.col(n).cast(pl.String) if as_text else pl.col(n)
             for n in ("period_start", "period_end")]  # fmt: skip
    rows = frame.with_columns(pl.col(pl.Categorical).cast(pl.String)).select(
        pl.col("measure").replace_strict(measure_ids, return_dtype=pl.Int64),
        "area_code", "period", *dates, "breakdown", "value", "count",
        "denominator", "lower_ci95", "upper_ci95", "lower_ci998", "upper_ci998",
        pl.col("quality").cast(pl.String), pl.col("suppression_code").fill_null(""),
        pl.col("suppression_reason").fill_null(""), pl.col("source").fill_null(""),
        pl.col("note").fill_null(""), pl.lit(import_id).alias("data_import_id"),
        pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at"),
    )  # fmt: skip
    if ordered:
        rows = rows.sort("measure", "area_code", "period", "breakdown")  # the key's order
    rows = rows.rows()
    with transaction.atomic(), connection.cursor() as cursor:
        if copy:  # PostgreSQL's bulk load
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
                for row in rows:
                    stream.write_row(row)
            return
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 21)})",
            rows,
        )


def _raw_table(table: str) -> None:
    """A table with the observation table's columns, keys and indexes, and nothing else."""
    from django.db import connection, models

    from cypp.web.data import models as dm

    fields = {}
    for field in dm.Observation._meta.local_fields:
        name, _path, args, kwargs = field.deconstruct()
        if isinstance(field, models.ForeignKey):
            kwargs["related_name"] = "+"
        fields[name] = type(field)(*args, **kwargs)
    meta = type(
        "Meta",
        (),
        {
            "app_label": "data",
            "db_table": table,
            "constraints": [
                models.UniqueConstraint(
                    fields=["measure", "area_code", "period", "breakdown"], name=f"{table}_key"
                )
            ],
            "indexes": [models.Index(fields=["measure", "period_start"], name=f"{table}_start")],
        },
    )
    model = type(f"Bench{table.title()}", (models.Model,), {"__module__": __name__, "Meta": meta,
                                                         **fields})  # fmt: skip
    with connection.schema_editor() as editor:
        editor.create_model(model)


def _measure(rows: int) -> dict[str, Any]:
    """In a fresh process (CYPP_DATA_DIR set): set up the database, then :func:`compare`."""
    from cypp.web.django_setup import setup

    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return compare(rows)


def compare(rows: int) -> dict[str, Any]:
    """Store the first ``rows`` of LAIT twice, then insert them raw; timings and counts."""
    import dataclasses

    import polars as pl
    from django.db import connection

    from bench.bench_data_import import LAIT_DIR
    from bench.bench_reports import make_plan
    from cypp.data.formats import read_observations
    from cypp.domain.plan import PlanStatus
    from cypp.web.data import models as dm
    from cypp.web.data.actions import import_observations
    from cypp.web.plans.actions import store_plan

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lait_bds_long.parquet"
        pl.read_parquet(LAIT_DIR / "lait_bds_long.parquet").head(rows).write_parquet(path)
        batch = read_observations(path)
    codes = sorted(batch.frame["measure"].unique().to_list())
    plan = dataclasses.replace(make_plan(len(codes)), id="bench-store", status=PlanStatus.ADOPTED)
    row = store_plan(plan, actor="bench").plan
    keys = [m.id for _, _, m in plan.measures()]
    batch.frame = batch.frame.with_columns(
        pl.col("measure").replace_strict(dict(zip(codes, keys, strict=True)))
    )
    if dm.Observation.objects.exists():
        raise SystemExit("the observation table is not empty: use a fresh database")

    store_wall, store_cpu, summary = _timed(
        lambda: import_observations(batch, plan=row, actor="bench")
    )
    again_wall, again_cpu, again = _timed(
        lambda: import_observations(batch, plan=row, actor="bench")
    )
    stored = dm.Observation.objects.count()
    measure_ids, import_id = _measure_ids(row), summary.data_import.pk
    raw = {}
    tables = [("bench_raw", False, False), ("bench_raw_sorted", True, False)]
    if connection.vendor == "postgresql":
        tables.append(("bench_raw_copy", True, True))
    for table, ordered, copy in tables:
        _raw_table(table)
        wall, cpu, _ = _timed(
            lambda: _raw_insert(batch.frame, measure_ids, import_id, table, ordered, copy)  # noqa: B023
        )
        raw[table] = [wall, cpu]
    return {
        "rows": batch.frame.height,
        "database": connection.vendor,
        "store": [store_wall, store_cpu],
        "again": [again_wall, again_cpu],
        "raw": raw["bench_raw"],
        "raw_sorted": raw["bench_raw_sorted"],
        "raw_copy": raw.get("bench_raw_copy"),
        "created": summary.created,
        "stored": stored,
        "again_created": again.created,
        "again_revised": again.revised,
        "again_unchanged": again.unchanged,
    }


def _measure_ids(plan: Any) -> dict[str, int]:
    from cypp.web.data.actions import plan_measures

    return {key: measure.pk for key, measure in plan_measures(plan).items()}


def run() -> list[dict[str, Any]]:
    rows = bench.size("CYPP_BENCH_STORE_ROWS", 641_070, 20_000)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "CYPP_DATA_DIR": folder, "CYPP_DEBUG": "false"}
        env.pop("DATABASE_URL", None)
        if os.environ.get(DATABASE_ENV):
            env["DATABASE_URL"] = os.environ[DATABASE_ENV]
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")]
        )
        code = f"import json, bench.bench_data_store as b; print(json.dumps(b._measure({rows})))"
        done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True)  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    count = result["rows"]
    copy = result.get("raw_copy")
    raw_wall, raw_cpu = copy or result["raw_sorted"]

    def row(name: str, wall: float, cpu: float, **extra: Any) -> dict[str, Any]:
        return {"name": name, "metric": f"{name}, {count:,} rows ({result['database']})",
                "value": wall, "unit": "s", "seconds": wall, "cpu_seconds": cpu,
                "rows_per_s": round(count / wall) if wall else None,
                "ratio": wall / raw_wall, "cpu_ratio": cpu / raw_cpu, **extra}  # fmt: skip

    store_cpu_ratio = result["store"][1] / raw_cpu
    baselines = [row("raw COPY in key order (baseline)", *copy),
                 row("raw insert in key order", *result["raw_sorted"])] if copy else [
                 row("raw insert in key order (baseline)", raw_wall, raw_cpu)]  # fmt: skip
    return [
        *baselines,
        row("raw insert in file order", *result["raw"]),
        row("cypp store", *result["store"], goal=f"<= {GOAL_RATIO:g}x baseline (CPU)",
            ok=store_cpu_ratio <= GOAL_RATIO and result["stored"] == count,
            note=f"{result['created']:,} created, {result['stored']:,} in the table"),
        row("cypp store again (nothing changes)", *result["again"], goal="0 created, 0 revised",
            ok=result["again_created"] == 0 and result["again_revised"] == 0
            and result["again_unchanged"] == count,
            note=f"{result['again_unchanged']:,} unchanged"),
    ]  # fmt: skip


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run()))

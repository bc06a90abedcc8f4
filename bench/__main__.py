"""Run the benchmarks and print one table.

python -m bench                 # every bench/bench_*.py module
python -m bench ratings peers   # only bench_ratings and bench_peers
python -m bench --quick         # small sizes, for a smoke test
python -m bench --json out.json # also write the rows as JSON
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
import time
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import bench

PREFIX = "bench_"


def discover(names: Sequence[str] = ()) -> list[str]:
    """Module names of the benchmarks, optionally only those named (with or without prefix)."""
    found = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(bench.__file__).parent)])
        if m.name.startswith(PREFIX)
    )
    if not names:
        return found
    wanted = {n if n.startswith(PREFIX) else PREFIX + n for n in names}
    unknown = wanted - set(found)
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))} (have {found})")
    return [m for m in found if m in wanted]


def run_module(name: str) -> list[dict[str, Any]]:
    """Import ``bench.<name>`` and call its ``run()``; a failure becomes one error row."""
    started = time.perf_counter()
    try:
        module = importlib.import_module(f"bench.{name}")
        rows = list(module.run())
    except Exception as exc:  # a broken benchmark must not hide the others
        traceback.print_exc()
        return [{"benchmark": name.removeprefix(PREFIX), "metric": "error", "value": repr(exc),
                 "ok": False}]  # fmt: skip
    for row in rows:
        row.setdefault("benchmark", name.removeprefix(PREFIX))
    rows.append(
        {
            "benchmark": name.removeprefix(PREFIX),
            "metric": "wall time of the benchmark",
            "value": time.perf_counter() - started,
            "unit": "s",
        }
    )
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-2):
            return f"{value:.3g}"
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


COLUMNS = ("benchmark", "metric", "value", "unit", "goal", "ok")


def table(rows: Iterable[dict[str, Any]]) -> str:
    """Rows as a plain-text table: the standard columns first, then any others."""
    rows = list(rows)
    extra = sorted({k for r in rows for k in r} - set(COLUMNS))
    cols = [c for c in COLUMNS if any(c in r for r in rows)] + extra
    cells = [[_cell(r.get(c)) for c in cols] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def machine_row() -> dict[str, Any]:
    """CPUs and load: timings on a busy machine are slower, ratios much less so."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    cpus = os.cpu_count()
    value = f"{cpus} / {load:.1f}" if load is not None else str(cpus)
    return {"benchmark": "machine", "metric": "CPUs / load average (1 min)", "value": value}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    if args.quick:
        os.environ[bench.QUICK_ENV] = "1"
    rows: list[dict[str, Any]] = [machine_row()]
    for name in discover(args.names):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.extend(run_module(name))
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")
    return 1 if any(r.get("ok") is False for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())

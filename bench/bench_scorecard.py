"""Scorecard under load, and the board pack PDF, from the database.

A 60-measure plan with ten years of data and 11 comparators per measure (the
area, England and its ten DfE statistical neighbours, plus every English LA in
the latest year) is stored in a fresh SQLite database and rated once. The web
app is served by ``cypp serve`` (waitress, default settings but ten threads) in
its own process; ten keep-alive connections over loopback ask for the scorecard
as a signed-in officer, then for a static file of the same server, and the p95
latencies are compared. The load comes from ``wrk`` when it is installed
(``apt-get install wrk``), else from ten httpx client threads in this process
(which share its CPU with the server); the rows say which. The goal is a
scorecard p95 under 150 ms. The board pack PDF is made from the stored ratings
the way the download button makes it (goal < 10 s).

Run with ``python -m bench scorecard`` or ``python bench/bench_scorecard.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from bench import size

MEASURES_ENV = "CYPP_BENCH_SCORECARD_MEASURES"
REQUESTS_ENV = "CYPP_BENCH_SCORECARD_REQUESTS"
SECONDS_ENV = "CYPP_BENCH_SCORECARD_SECONDS"
#: "wrk" or "httpx" (default: wrk when it is on the PATH).
TOOL_ENV = "CYPP_BENCH_LOAD_TOOL"
CLIENTS = 10
SERVER_THREADS = 10
GOAL_P95 = 0.150
GOAL_PDF = 10.0
SLUG = "bench-plan"
STATIC = "/static/govuk/VERSION"
ROOT = Path(__file__).resolve().parents[1]


def _setup(measures: int) -> dict[str, Any]:
    """In a fresh process with CYPP_DATA_DIR set: the database, plan, figures, ratings,
    an officer's session and the board pack PDF time. Prints one JSON line."""
    import dataclasses

    from cypp.web.django_setup import setup

    setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)
    from django.contrib.auth import get_user_model

    from bench.bench_reports import FIRST_YEAR, YEARS, make_observations, make_plan
    from cypp.data.observations import ObservationBatch, validate_observations
    from cypp.domain.periods import Period
    from cypp.domain.plan import PlanStatus
    from cypp.reports.render import render
    from cypp.web.data.actions import import_observations
    from cypp.web.performance.actions import calculate_ratings
    from cypp.web.performance.pages import load_pack
    from cypp.web.plans.actions import store_plan

    plan = dataclasses.replace(make_plan(measures), id=SLUG, status=PlanStatus.ADOPTED)
    row = store_plan(plan, actor="bench").plan
    raw = make_observations(plan)
    frame = validate_observations(
        raw, file="bench.csv", known_measures={m.id for _, _, m in plan.measures()}
    )
    import_observations(ObservationBatch(frame, "long", "bench.csv"), plan=row, actor="bench")
    period = Period.financial_year(FIRST_YEAR + YEARS - 1).label
    started = time.perf_counter()
    calculate_ratings(row, period, actor="bench")
    rate_seconds = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    pdf = render(load_pack(row, period).pack, "pdf")
    pdf_seconds, pdf_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    render(load_pack(row, period).pack, "pdf")
    again_seconds, again_cpu = time.perf_counter() - started, time.process_time() - cpu
    officer = get_user_model().objects.create_user("bench", is_staff=True)
    client = Client()
    client.force_login(officer)
    return {
        "session": client.cookies["sessionid"].value,
        "period": period,
        "observations": raw.height,
        "rate_seconds": rate_seconds,
        "pdf_seconds": pdf_seconds,
        "pdf_cpu_seconds": pdf_cpu,
        "again_seconds": again_seconds,
        "again_cpu_seconds": again_cpu,
        "pdf_bytes": len(pdf),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2.0)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not start")


#: wrk prints these after its own report: latency percentiles (microseconds) and counts.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("cypp-latency p50=%d p95=%d requests=%d errors=%d\\n",
    latency:percentile(50), latency:percentile(95), summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""
_WRK_LINE = re.compile(r"cypp-latency p50=(\d+) p95=(\d+) requests=(\d+) errors=(\d+)")


def load_tool() -> str:
    """The load generator to use: wrk when installed (or asked for), else httpx threads."""
    chosen = os.environ.get(TOOL_ENV, "").strip().lower()
    if chosen in {"wrk", "httpx"}:
        return chosen
    return "wrk" if shutil.which("wrk") else "httpx"


def parse_wrk(output: str) -> dict[str, float]:
    """p50 and p95 (s), requests and errors from the lines ``WRK_SCRIPT`` prints."""
    found = _WRK_LINE.search(output)
    if found is None:
        raise RuntimeError(f"wrk printed no latency line:\n{output}")
    p50, p95, requests, errors = (int(x) for x in found.groups())
    return {"p50": p50 / 1e6, "p95": p95 / 1e6, "requests": requests, "errors": errors}


def _wrk(url: str, cookies: dict[str, str], seconds: float) -> dict[str, float]:
    """Latency percentiles of ``seconds`` of GETs over CLIENTS wrk connections (2 threads)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        done = subprocess.run(
            ["wrk", "-t2", f"-c{CLIENTS}", f"-d{max(1, round(seconds))}s", "-s", script.name,
             "-H", f"Cookie: {cookie}", url],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    result = parse_wrk(done.stdout)
    if result["errors"]:
        raise RuntimeError(f"{url}: {result['errors']:g} failed requests under wrk")
    return result


def _httpx(url: str, cookies: dict[str, str], requests: int) -> dict[str, float]:
    times = _load(url, cookies, requests)
    return {"p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95)),
            "requests": len(times), "errors": 0}  # fmt: skip


def measure(
    url: str, cookies: dict[str, str], *, tool: str, requests: int, seconds: float
) -> dict[str, float]:
    """p50/p95 latencies (s) of ``url`` under CLIENTS concurrent keep-alive clients."""
    if tool == "wrk":
        return _wrk(url, cookies, seconds)
    return _httpx(url, cookies, requests)


def _load(url: str, cookies: dict[str, str], requests: int) -> np.ndarray:
    """Latencies (s) of ``requests`` GETs spread over CLIENTS keep-alive httpx clients."""
    per_client = max(1, requests // CLIENTS)
    times: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []

    def client() -> None:
        mine = []
        with httpx.Client(cookies=cookies, timeout=60.0) as http:
            for _ in range(per_client):
                started = time.perf_counter()
                response = http.get(url)
                mine.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors.append(f"{url}: HTTP {response.status_code}")
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return np.asarray(times)


def _row(name: str, seconds: float, ratio: float | None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "seconds": round(seconds, 4), "ratio": ratio,
            "metric": name, "value": round(seconds, 4), "unit": "s", **extra}  # fmt: skip


def run() -> list[dict[str, Any]]:
    """Rows name, seconds, ratio: scorecard p50/p95 against a static file, and the PDF."""
    measures = size(MEASURES_ENV, 60, 12)
    requests = size(REQUESTS_ENV, 300, 60)
    seconds = size(SECONDS_ENV, 15, 2)
    tool = load_tool()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "CYPP_DATA_DIR": folder, "CYPP_DEBUG": "false"}
        env.pop("DATABASE_URL", None)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")]
        )
        code = f"import json, bench.bench_scorecard as b; print(json.dumps(b._setup({measures})))"
        done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True)  # fmt: skip
        setup = json.loads(done.stdout.strip().splitlines()[-1])
        port = _free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("cypp")), "serve", "--port", str(port),
             "--threads", str(SERVER_THREADS)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base + STATIC)
            cookies = {"sessionid": setup["session"]}
            page = f"{base}/plans/{SLUG}/scorecard/?period={setup['period']}"
            _load(page, cookies, CLIENTS * 2)  # warm every server thread
            _load(base + STATIC, cookies, CLIENTS * 2)
            scorecard = measure(page, cookies, tool=tool, requests=requests, seconds=seconds)
            static = measure(base + STATIC, cookies, tool=tool, requests=requests,
                             seconds=seconds)  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
    p95, s95 = scorecard["p95"], static["p95"]
    p50, s50 = scorecard["p50"], static["p50"]
    loader = f"wrk, 2 threads, {seconds} s" if tool == "wrk" else "httpx threads in this process"
    detail = (f"{measures} measures, {setup['observations']:,} observations, {CLIENTS} "
              f"connections ({loader}), {scorecard['requests']:,.0f} requests, "
              f"cypp serve --threads {SERVER_THREADS} (waitress), SQLite")  # fmt: skip
    return [
        _row(
            "static file p95 (baseline)",
            s95,
            1.0,
            note=f"{STATIC}; p50 {s50 * 1000:.1f} ms; {loader}",
        ),
        _row("scorecard p50", p50, round(p50 / s50, 1), note=detail),
        _row(
            "scorecard p95",
            p95,
            round(p95 / s95, 1),
            goal=f"< {GOAL_P95 * 1000:g} ms",
            ok=p95 < GOAL_P95,
            note=detail,
        ),
        _row("ratings calculated and stored (one run)", setup["rate_seconds"], None),
        _row(
            "board pack PDF from stored ratings",
            setup["pdf_seconds"],
            None,
            goal=f"< {GOAL_PDF:g} s",
            ok=setup["pdf_seconds"] < GOAL_PDF,
            bytes=setup["pdf_bytes"],
            note=f"charts drawn in worker processes; CPU {setup['pdf_cpu_seconds']:.1f} s "
            "in the making process",
        ),
        _row(
            "board pack PDF again (chart pictures kept)",
            setup["again_seconds"],
            None,
            goal=f"< {GOAL_PDF:g} s",
            ok=setup["again_seconds"] < GOAL_PDF,
            note=f"CPU {setup['again_cpu_seconds']:.1f} s",
        ),
    ]


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run()))

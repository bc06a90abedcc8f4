"""The scorecard benchmark's load measurement works with or without wrk installed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import bench_scorecard as b

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8000/
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.00ms    2.00ms  30.00ms   90.00%
  900 requests in 2.00s, 1.00MB read
cypp-latency p50=9500 p95=14250 requests=900 errors=0
"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"ok" if "sessionid=abc" in self.headers.get("Cookie", "") else b"no"
        self.send_response(200 if body == b"ok" else 403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_wrk_percentiles_are_read_in_seconds() -> None:
    assert b.parse_wrk(WRK_OUTPUT) == {"p50": 0.0095, "p95": 0.01425, "requests": 900,
                                       "errors": 0}  # fmt: skip
    with pytest.raises(RuntimeError, match="no latency line"):
        b.parse_wrk("Running 2s test")


def test_the_load_tool_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(b.TOOL_ENV, "httpx")
    assert b.load_tool() == "httpx"
    monkeypatch.setenv(b.TOOL_ENV, "")
    monkeypatch.setenv("PATH", "")
    assert b.load_tool() == "httpx"


def test_httpx_clients_measure_a_local_server(server: str) -> None:
    result = b.measure(server, {"sessionid": "abc"}, tool="httpx", requests=20, seconds=1)
    assert result["requests"] == 20 and 0 < result["p50"] <= result["p95"] < 5
    with pytest.raises(RuntimeError, match="HTTP 403"):
        b.measure(server, {"sessionid": "wrong"}, tool="httpx", requests=10, seconds=1)

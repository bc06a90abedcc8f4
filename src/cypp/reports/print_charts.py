"""Print charts for the PDF: JPEG pictures drawn in worker processes while WeasyPrint works.

Drawing the 60 pictures of a large pack costs about half as much CPU as laying out its
pages. They are drawn by worker processes (started on first use and kept), handed to
WeasyPrint through its URL fetcher and image cache, and kept by their figures for the
next pack. WeasyPrint needs a picture's size early and its pixels only when it writes the
PDF, so a picture not yet drawn goes in as a placeholder of the same size and is awaited
only then (:class:`PictureCache`).
"""

from __future__ import annotations

import functools
import html
import io
import multiprocessing
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from PIL import Image
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cypp.reports.charts import has_chart, keep_picture, print_key, print_svg, printed_picture
from cypp.reports.model import MeasureLine
from cypp.reports.pictures import (
    JPEG_QUALITY,
    picture_size,
    print_picture,
    print_pictures,
    start_worker,
)

__all__ = [
    "WORKERS_ENV",
    "Fetcher",
    "PictureCache",
    "PrintCharts",
    "placeholder_chart",
    "prepare_print_charts",
]

#: Worker processes that draw print charts (default: one per CPU, at most 2; 0 draws them
#: in the calling process).
WORKERS_ENV = "CYPP_CHART_WORKERS"
_SCHEME = "cypp-chart:"
_POOL: Executor | None = None
_POOL_LOCK = threading.Lock()


def _workers() -> int:
    value = os.environ.get(WORKERS_ENV, "").strip()
    return int(value) if value else min(2, os.cpu_count() or 1)


def _pool() -> Executor | None:
    """The worker processes, started on first use and kept for later packs."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None and _workers() > 0:
            # Spawned, not forked: the parent may run threads (web server, chart engine).
            context = multiprocessing.get_context("spawn")
            _POOL = ProcessPoolExecutor(
                max_workers=_workers(),
                mp_context=context,
                initializer=start_worker,
                initargs=(os.getpid(),),
            )
        return _POOL


#: Pictures being drawn, by key: the task that draws them and their place in its result.
_DRAWING: dict[str, tuple[Future[list[bytes]], int]] = {}


def _kept(job: Future[list[bytes]], keys: list[str]) -> None:
    """Keep the pictures a worker drew, for every pack that asks for them."""
    with _POOL_LOCK:
        for key in keys:
            _DRAWING.pop(key, None)
    if job.cancelled() or job.exception() is not None:
        return
    for key, picture in zip(keys, job.result(), strict=True):
        keep_picture(key, picture)


class PrintCharts:
    """Each measure's chart as an ``<img>`` whose picture is drawn in the background."""

    def __init__(self, lines: Iterable[MeasureLine], *, least: int = 2) -> None:
        """``least``: the fewest missing pictures worth handing to the workers (one is
        drawn sooner here than by a worker that has yet to start)."""
        self.tags: dict[str, str] = {}
        self._svgs: dict[str, str] = {}
        self._sizes: dict[str, tuple[int, int]] = {}
        self._jobs: dict[str, tuple[Future[list[bytes]], int]] = {}
        for line in lines:
            if not has_chart(line):
                continue
            svg = print_svg(line)
            key = print_key(svg)
            self._svgs[key] = svg
            self._sizes[key] = picture_size(svg)
            alt = html.escape(line.chart_alt, quote=True)
            self.tags[line.id] = f'<img class="cypp-chart__image" src="{_SCHEME}{key}" alt="{alt}">'
        missing = [key for key in self._svgs if printed_picture(key) is None]
        pool = _pool() if len(missing) >= least else None
        if pool is None:
            return
        with _POOL_LOCK:
            self._jobs = {key: _DRAWING[key] for key in missing if key in _DRAWING}
            todo = [key for key in missing if key not in self._jobs]
            if not todo:
                return
            # A few large tasks: while WeasyPrint holds the GIL the pool's feeder thread
            # seldom runs, so it must not be needed between one chart and the next.
            size = -(-len(todo) // (2 * _workers()))
            chunks = [todo[start : start + size] for start in range(0, len(todo), size)]
            submitted = []
            for chunk in chunks:
                job = pool.submit(print_pictures, [self._svgs[key] for key in chunk])
                places = {key: (job, place) for place, key in enumerate(chunk)}
                self._jobs.update(places)
                _DRAWING.update(places)
                submitted.append((job, chunk))
        for job, chunk in submitted:
            job.add_done_callback(functools.partial(_kept, keys=chunk))

    def ready(self, key: str) -> bytes | None:
        """The picture if it is drawn already (kept, or its worker's task is done)."""
        found = printed_picture(key)
        if found is not None:
            return found
        job = self._jobs.get(key)
        return self.picture(key) if job is not None and job[0].done() else None

    def picture(self, key: str) -> bytes:
        """The picture, waiting for its worker (or drawing it here) if need be."""
        found = printed_picture(key)
        if found is not None:
            return found
        job = self._jobs.get(key)
        try:
            picture = job[0].result()[job[1]] if job else print_picture(self._svgs[key])
        except Exception:  # a broken worker: draw it here instead
            picture = print_picture(self._svgs[key])
        keep_picture(key, picture)
        return picture

    def placeholder(self, key: str) -> bytes:
        """A white JPEG of the picture's size that names the chart in a comment segment."""
        blank = _blank_jpeg(self._sizes[key])
        comment = _SCHEME.encode() + key.encode()
        return blank[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + blank[2:]


@functools.lru_cache(maxsize=8)
def _blank_jpeg(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def placeholder_chart(data: bytes) -> str | None:
    """The chart a placeholder JPEG names, or None for any other bytes."""
    if data[2:4] != b"\xff\xfe" or data[6 : 6 + len(_SCHEME)] != _SCHEME.encode():
        return None
    length = int.from_bytes(data[4:6], "big")
    return data[6 + len(_SCHEME) : 4 + length].decode()


class PictureCache(dict[str, Any]):
    """WeasyPrint's image cache, which hands over each chart's picture when the PDF is written.

    WeasyPrint reads an image's size when it builds the page boxes, and its pixels only
    when it writes the PDF, from this cache. A chart still being drawn is given as a
    placeholder of the same size, so the pages are laid out meanwhile and the picture is
    awaited only at the end.
    """

    def __init__(self, charts: PrintCharts) -> None:
        super().__init__()
        self._charts = charts
        self._waiting: dict[str, str] = {}

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, bytes) and (chart := placeholder_chart(value)) is not None:
            self._waiting[key] = chart
        super().__setitem__(key, value)

    def __getitem__(self, key: str) -> Any:
        chart = self._waiting.pop(key, None)
        if chart is not None:
            super().__setitem__(key, self._charts.picture(chart))
        return super().__getitem__(key)


class Fetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher, which also hands over the print charts: drawn, or a placeholder."""

    def __init__(self, charts: PrintCharts) -> None:
        super().__init__()
        self._charts = charts

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith(_SCHEME):
            key = url[len(_SCHEME) :]
            picture = self._charts.ready(key) or self._charts.placeholder(key)
            return URLFetcherResponse(url, picture, {"Content-Type": "image/jpeg"})
        return super().fetch(url, headers)


def prepare_print_charts(lines: Iterable[MeasureLine]) -> None:
    """Start drawing the print pictures of ``lines`` in the worker processes and return at
    once: a pack asked for later finds them kept (or being drawn)."""
    PrintCharts(lines, least=1)

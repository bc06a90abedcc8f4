"""The board pack as tagged PDF (PDF/UA-1), printed from the accessible HTML by WeasyPrint.

The structure tree follows the HTML: H1-H4 headings, tables with TH cells and
captions, and each chart a Figure whose alternate text is the chart's sentence.

Each chart goes in as a JPEG picture drawn from its SVG: WeasyPrint would spend about
60 ms drawing each SVG node by node. Drawing the pictures still costs about half as much
as laying out the pages, so they are drawn in worker processes while WeasyPrint reads
the document, and kept (by their figures) for the next pack.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import html
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

import pydyf
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cypp.reports.charts import has_chart, keep_picture, print_key, print_svg, printed_picture
from cypp.reports.html import render_html
from cypp.reports.model import BoardPack, MeasureLine
from cypp.reports.pictures import print_picture, print_pictures, watch_parent

__all__ = ["WORKERS_ENV", "prepare_print_charts", "render_pdf"]

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
                initializer=watch_parent,
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


class _PrintCharts:
    """Each measure's chart as an ``<img>`` whose picture is drawn in the background."""

    def __init__(self, lines: Iterable[MeasureLine], *, least: int = 2) -> None:
        """``least``: the fewest missing pictures worth handing to the workers (one is
        drawn sooner here than by a worker that has yet to start)."""
        self.tags: dict[str, str] = {}
        self._svgs: dict[str, str] = {}
        self._jobs: dict[str, tuple[Future[list[bytes]], int]] = {}
        for line in lines:
            if not has_chart(line):
                continue
            svg = print_svg(line)
            key = print_key(svg)
            self._svgs[key] = svg
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

    def picture(self, key: str) -> bytes:
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


class _Fetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher, which also hands over the print charts as they are drawn."""

    def __init__(self, charts: _PrintCharts) -> None:
        super().__init__()
        self._charts = charts

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith(_SCHEME):
            picture = self._charts.picture(url[len(_SCHEME) :])
            return URLFetcherResponse(url, picture, {"Content-Type": "image/jpeg"})
        return super().fetch(url, headers)


def prepare_print_charts(lines: Iterable[MeasureLine]) -> None:
    """Start drawing the print pictures of ``lines`` in the worker processes and return at
    once: a pack asked for later finds them kept (or being drawn)."""
    _PrintCharts(lines, least=1)


_GC_LOCK = threading.Lock()
_GC_RENDERS = 0
_GC_THRESHOLDS: list[tuple[int, int, int]] = []
#: Full collections wait for this many younger ones while a pack is laid out.
_GC_RENDER_OLDEST = 1_000_000


@contextlib.contextmanager
def _few_full_collections() -> Iterator[None]:
    """Hold off full garbage collections while a pack is made.

    WeasyPrint builds hundreds of thousands of long-lived objects (styles, boxes), and
    every full collection scans them all: about a sixth of the CPU time of a large
    pack. Young collections still run, and the usual thresholds
    come back once the last pack being made (in any thread) is done.
    """
    global _GC_RENDERS
    with _GC_LOCK:
        if _GC_RENDERS == 0:
            young, middle, oldest = gc.get_threshold()
            _GC_THRESHOLDS[:] = [(young, middle, oldest)]
            gc.set_threshold(young, middle, max(oldest, _GC_RENDER_OLDEST))
        _GC_RENDERS += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_RENDERS -= 1
            if _GC_RENDERS == 0:
                gc.set_threshold(*_GC_THRESHOLDS.pop())


def _kept_page_references(self: Any) -> Any:
    """pydyf's page references, built once per page count rather than once per use.

    Tagging a PDF/UA document asks for them for every marked item (over 10,000 in a
    large pack), and pydyf builds the whole tuple each time: about a second of CPU.
    """
    kids = self.pages["Kids"]
    kept = self.__dict__.get("_cypp_kept_references")
    if kept is None or kept[0] != len(kids):
        kept = (len(kids), _PAGE_REFERENCES.__get__(self))
        self.__dict__["_cypp_kept_references"] = kept
    return kept[1]


# pydyf's own property, kept aside once (a reloaded module must not wrap its wrapper).
_PAGE_REFERENCES: property = getattr(pydyf.PDF, "_cypp_page_references", pydyf.PDF.page_references)
pydyf.PDF._cypp_page_references = _PAGE_REFERENCES
pydyf.PDF.page_references = property(_kept_page_references)


def render_pdf(pack: BoardPack, *, charts: Mapping[str, str] | None = None) -> bytes:
    """PDF/UA-1 bytes of the pack (A4, page numbers, each priority on a new page).

    ``charts`` may hold charts already drawn (as ``<img>``, see ``render_charts``).
    """
    fetcher = None
    if charts is None:
        pictures = _PrintCharts(pack.measures())
        charts, fetcher = pictures.tags, _Fetcher(pictures)
    document = render_html(pack, for_print=True, charts=charts)
    with _few_full_collections():
        pdf: bytes = HTML(string=document, url_fetcher=fetcher).write_pdf(
            pdf_variant="pdf/ua-1", custom_metadata=True
        )
    return pdf

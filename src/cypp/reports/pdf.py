"""The board pack as tagged PDF (PDF/UA-1), printed from the accessible HTML by WeasyPrint.

The structure tree follows the HTML: H1-H4 headings, tables with TH cells and
captions, and each chart a Figure whose alternate text is the chart's sentence.

Drawing the charts costs about as much as laying out the pages, so the pictures are
drawn in worker processes while WeasyPrint reads the document, and kept (by their
figures) for the next pack.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cypp.reports.charts import (
    has_chart,
    keep_picture,
    print_key,
    print_picture,
    print_spec,
    printed_picture,
)
from cypp.reports.html import render_html
from cypp.reports.model import BoardPack, MeasureLine

__all__ = ["WORKERS_ENV", "render_pdf"]

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
            _POOL = ProcessPoolExecutor(max_workers=_workers(), mp_context=context)
        return _POOL


class _PrintCharts:
    """Each measure's chart as an ``<img>`` whose picture is drawn in the background."""

    def __init__(self, lines: Iterable[MeasureLine]) -> None:
        self.tags: dict[str, str] = {}
        self._specs: dict[str, str] = {}
        self._jobs: dict[str, Future[bytes]] = {}
        for line in lines:
            if not has_chart(line):
                continue
            spec = print_spec(line)
            key = print_key(spec)
            self._specs[key] = spec
            alt = html.escape(line.chart_alt, quote=True)
            self.tags[line.id] = f'<img class="cypp-chart__image" src="{_SCHEME}{key}" alt="{alt}">'
        missing = [key for key in self._specs if printed_picture(key) is None]
        pool = _pool() if len(missing) > 1 else None
        if pool is not None:
            for key in missing:
                self._jobs[key] = pool.submit(print_picture, self._specs[key])

    def picture(self, key: str) -> bytes:
        found = printed_picture(key)
        if found is not None:
            return found
        job = self._jobs.get(key)
        try:
            picture = job.result() if job is not None else print_picture(self._specs[key])
        except Exception:  # a broken worker: draw it here instead
            picture = print_picture(self._specs[key])
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


def render_pdf(pack: BoardPack, *, charts: Mapping[str, str] | None = None) -> bytes:
    """PDF/UA-1 bytes of the pack (A4, page numbers, each priority on a new page).

    ``charts`` may hold charts already drawn (as ``<img>``, see ``render_charts``).
    """
    fetcher = None
    if charts is None:
        pictures = _PrintCharts(pack.measures())
        charts, fetcher = pictures.tags, _Fetcher(pictures)
    document = render_html(pack, for_print=True, charts=charts)
    pdf: bytes = HTML(string=document, url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1", custom_metadata=True
    )
    return pdf

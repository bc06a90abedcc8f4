"""The board pack as tagged PDF (PDF/UA-1), printed from the accessible HTML by WeasyPrint.

The structure tree follows the HTML: H1-H4 headings, tables with TH cells and
captions, and each chart a Figure whose alternate text is the chart's sentence.

Each chart goes in as a JPEG picture drawn from its SVG (WeasyPrint would spend about
60 ms drawing each SVG node by node), drawn meanwhile in worker processes
(:mod:`cypp.reports.print_charts`).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import pydyf
from weasyprint import HTML

from cypp.reports.html import render_html
from cypp.reports.model import BoardPack
from cypp.reports.print_charts import Fetcher, PictureCache, PrintCharts

__all__ = ["render_pdf"]

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
    fetcher, cache = None, None
    if charts is None:
        pictures = PrintCharts(pack.measures())
        charts, fetcher, cache = pictures.tags, Fetcher(pictures), PictureCache(pictures)
    document = render_html(pack, for_print=True, charts=charts)
    with _few_full_collections():
        pdf: bytes = HTML(string=document, url_fetcher=fetcher).write_pdf(
            pdf_variant="pdf/ua-1", custom_metadata=True, cache=cache
        )
    return pdf

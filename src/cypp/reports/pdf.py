"""The board pack as tagged PDF (PDF/UA-1), printed from the accessible HTML by WeasyPrint.

The structure tree follows the HTML: H1-H4 headings, tables with TH cells and
captions, and each chart a Figure whose alternate text is the chart's sentence.
"""

from __future__ import annotations

from collections.abc import Mapping

from weasyprint import HTML

from cypp.reports.html import render_html
from cypp.reports.model import BoardPack

__all__ = ["render_pdf"]


def render_pdf(pack: BoardPack, *, charts: Mapping[str, str] | None = None) -> bytes:
    """PDF/UA-1 bytes of the pack (A4, page numbers, each priority on a new page).

    ``charts`` may hold charts already drawn (as ``<img>``, see ``render_charts``).
    """
    document = render_html(pack, for_print=True, charts=charts)
    pdf: bytes = HTML(string=document).write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True)
    return pdf

"""One entry point for every format, for the download button and the command line."""

from __future__ import annotations

from typing import Literal, get_args

from cypp.reports.model import BoardPack

__all__ = ["FORMATS", "MEDIA_TYPES", "Format", "render"]

Format = Literal["html", "pdf", "docx", "xlsx"]
FORMATS: tuple[str, ...] = get_args(Format)
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(pack: BoardPack, format: str) -> bytes:
    """The pack in ``format`` as bytes (renderers are imported only when asked for)."""
    if format == "html":
        from cypp.reports.html import render_html

        return render_html(pack).encode("utf-8")
    if format == "pdf":
        from cypp.reports.pdf import render_pdf

        return render_pdf(pack)
    if format == "docx":
        from cypp.reports.docx import render_docx

        return render_docx(pack)
    if format == "xlsx":
        from cypp.reports.xlsx import render_xlsx

        return render_xlsx(pack)
    raise ValueError(f"unknown report format {format!r}; use one of {', '.join(FORMATS)}")

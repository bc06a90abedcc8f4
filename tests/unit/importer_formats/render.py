"""Render a text plan as PDF, Word and HTML documents laid out the way councils publish them.

The text reader's blocks drive the layout, so each rendering holds the same
content as its source: ``#`` headings become large bold headings (PDF) or
Heading styles (Word), ``**bold**`` lines bold paragraphs, bullets real bullets
(List Bullet style in Word), and runs of tab-separated lines real ruled tables
whose first row is a repeated, bold header. A cell's bold label and list items
stay separate paragraphs inside the cell. PDF pages carry a "Page N" footer,
as published plans do, which a reader must leave out.

The PDF uses DejaVu Sans when the system has it, else the Bitstream Vera font
that ships with reportlab (which lacks "●", drawn as "•").

Used by the format tests (rendered into a temporary folder per test session) and
by ``bench/bench_import_formats.py``. To look at the renderings::

    python -m tests.unit.importer_formats.render OUT_DIR [TEXT_FILE ...]
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from cypp.importer.blocks import Block, BlockKind
from cypp.importer.readers.text import cell_items, clean_inline, read_text

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Cell:
    """A table cell as entries: (text, bold, is_list_item)."""

    entries: tuple[tuple[str, bool, bool], ...]


def table_cell(raw: str) -> Cell:
    """A raw text-plan cell (which may hold ``<b>`` and ``<li>`` markup) as cell entries."""
    items = cell_items(raw)
    labelled = re.match(r"\s*<b>", raw, re.I) is not None
    listed = "<li" in raw.lower()
    entries: list[tuple[str, bool, bool]] = []
    for n, item in enumerate(items):
        bold = labelled and n == 0
        entries.append((item, bold, listed and not bold))
    if len(items) == 1 and not labelled:
        entries = [(clean_inline(raw), False, False)]
    return Cell(tuple(entries))


def grouped(blocks: list[Block]) -> list[Block | list[Block]]:
    """Blocks with each run of table rows gathered into one list (one table)."""
    out: list[Block | list[Block]] = []
    for block in blocks:
        if block.kind is BlockKind.TABLE_ROW:
            if out and isinstance(out[-1], list):
                out[-1].append(block)
            else:
                out.append([block])
        else:
            out.append(block)
    return out


def _rows(table: list[Block]) -> list[list[Cell]]:
    rows = [[table_cell(c) for c in b.quote.split("\t")] for b in table]
    width = max(len(r) for r in rows)
    return [r + [Cell((("", False, False),))] * (width - len(r)) for r in rows]


def _text_blocks(source: Path) -> list[Block]:
    return read_text(source, source.read_bytes())


# --- PDF -----------------------------------------------------------------------------


def _fonts() -> tuple[str, str, bool]:
    """Regular and bold font names, and whether the font has "●"."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if (_DEJAVU / "DejaVuSans.ttf").exists() and (_DEJAVU / "DejaVuSans-Bold.ttf").exists():
        if "PlanSans" not in registered:
            pdfmetrics.registerFont(TTFont("PlanSans", str(_DEJAVU / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont("PlanSans-Bold", str(_DEJAVU / "DejaVuSans-Bold.ttf")))
        return "PlanSans", "PlanSans-Bold", True
    if "Vera" not in registered:
        pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
        pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
    return "Vera", "VeraBd", False


def render_pdf(source: Path, target: Path, repeat: int = 1) -> Path:
    """Write ``source`` (a text plan) as a PDF; ``repeat`` copies make a longer document."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    regular, bold, has_circle = _fonts()

    def esc(text: str) -> str:
        if not has_circle:
            text = text.replace("●", "•")
        return html.escape(text, quote=False)

    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=12.5, spaceAfter=6)
    strong = ParagraphStyle("strong", parent=body, fontName=bold)
    headings = {
        level: ParagraphStyle(
            f"h{level}",
            parent=body,
            fontName=bold,
            fontSize=size,
            leading=size * 1.25,
            spaceBefore=8,
            spaceAfter=6,
        )
        for level, size in ((1, 18), (2, 15), (3, 13), (4, 12), (5, 12), (6, 12))
    }
    bullets = {
        depth: ParagraphStyle(
            f"bullet{depth}",
            parent=body,
            leftIndent=18 + 18 * depth,
            bulletIndent=6 + 18 * depth,
            bulletFontName=regular,
        )
        for depth in (0, 1)
    }
    cell_style = ParagraphStyle("cell", parent=body, fontSize=9, leading=11, spaceAfter=2)
    cell_bold = ParagraphStyle("cellbold", parent=cell_style, fontName=bold)
    cell_bullet = ParagraphStyle(
        "cellbullet", parent=cell_style, leftIndent=10, bulletIndent=0, bulletFontName=regular
    )

    width = A4[0] - 40 * mm
    story: list[object] = []
    blocks = _text_blocks(source)
    for _ in range(repeat):
        for item in grouped(blocks):
            if isinstance(item, list):
                rows = _rows(item)
                data = []
                for r, row in enumerate(rows):
                    data.append(
                        [
                            [
                                Paragraph(
                                    esc(text),
                                    cell_bold
                                    if (b or r == 0)
                                    else cell_bullet
                                    if li
                                    else cell_style,
                                    bulletText="•" if li else None,
                                )
                                for text, b, li in cell.entries
                                if text or len(cell.entries) == 1
                            ]
                            for cell in row
                        ]
                    )
                columns = len(rows[0])
                first = 0.55 if columns > 1 else 1.0
                rest = (1 - first) / max(1, columns - 1)
                table = Table(
                    data,
                    colWidths=[width * first] + [width * rest] * (columns - 1),
                    repeatRows=1,
                )
                table.setStyle(
                    TableStyle(
                        [
                            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")),
                        ]
                    )
                )
                story.append(table)
                continue
            block = item
            if block.kind is BlockKind.HEADING:
                story.append(Paragraph(esc(block.text), headings[min(6, max(1, block.level))]))
            elif block.kind is BlockKind.BULLET:
                story.append(
                    Paragraph(esc(block.text), bullets[min(1, block.level)], bulletText="•")
                )
            else:
                story.append(Paragraph(esc(block.text), strong if block.bold else body))

    def footer(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(regular, 8)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"Page {doc.page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    target.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=source.stem,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return target


# --- Word ----------------------------------------------------------------------------


def render_docx(source: Path, target: Path) -> Path:
    """Write ``source`` (a text plan) as a Word document with styles, lists and tables."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for item in grouped(_text_blocks(source)):
        if isinstance(item, list):
            rows = _rows(item)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                if r == 0:
                    tr_pr = table.rows[0]._tr.get_or_add_trPr()
                    header = OxmlElement("w:tblHeader")
                    header.set(qn("w:val"), "true")
                    tr_pr.append(header)
                for c, cell in enumerate(row):
                    target_cell = table.cell(r, c)
                    entries = [e for e in cell.entries if e[0] or len(cell.entries) == 1]
                    for n, (text, bold, li) in enumerate(entries):
                        paragraph = (
                            target_cell.paragraphs[0] if n == 0 else target_cell.add_paragraph()
                        )
                        if li:
                            paragraph.style = document.styles["List Bullet"]
                        paragraph.add_run(text).bold = bold or r == 0 or None
            continue
        block = item
        if block.kind is BlockKind.HEADING:
            document.add_heading(block.text, level=min(9, max(1, block.level)))
        elif block.kind is BlockKind.BULLET:
            style = "List Bullet" if block.level == 0 else "List Bullet 2"
            document.add_paragraph(block.text, style=style)
        else:
            paragraph = document.add_paragraph()
            paragraph.add_run(block.text).bold = block.bold or None
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


# --- HTML ----------------------------------------------------------------------------


def render_html(source: Path, target: Path) -> Path:
    """Write ``source`` (a text plan) as an HTML page with h1-h6, lists and tables."""
    esc = html.escape
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">']
    out.append(f"<title>{esc(source.stem)}</title></head><body>")
    depth = 0  # open <ul> elements
    for item in grouped(_text_blocks(source)):
        want = item.level + 1 if isinstance(item, Block) and item.kind is BlockKind.BULLET else 0
        while depth > want:
            out.append("</ul>")
            depth -= 1
        while depth < want:
            out.append("<ul>")
            depth += 1
        if isinstance(item, list):
            out.append("<table>")
            for r, row in enumerate(_rows(item)):
                tag = "th" if r == 0 else "td"
                cells = []
                for cell in row:
                    parts = []
                    listed = [t for t, _, li in cell.entries if li]
                    for text, bold, li in cell.entries:
                        if not li:
                            parts.append(f"<b>{esc(text)}</b>" if bold else esc(text))
                    if listed:
                        parts.append("<ul>" + "".join(f"<li>{esc(t)}</li>" for t in listed))
                        parts.append("</ul>")
                    cells.append(f"<{tag}>{' '.join(parts)}</{tag}>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table>")
            continue
        block = item
        if block.kind is BlockKind.HEADING:
            level = min(6, max(1, block.level))
            out.append(f"<h{level}>{esc(block.text)}</h{level}>")
        elif block.kind is BlockKind.BULLET:
            out.append(f"<li>{esc(block.text)}</li>")
        else:
            text = esc(block.text)
            out.append(f"<p><strong>{text}</strong></p>" if block.bold else f"<p>{text}</p>")
    out.extend(["</ul>"] * depth)
    out.append("</body></html>\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(out), encoding="utf-8")
    return target


#: Print styles for the HTML rendering: ruled tables, page numbers in the footer.
PRINT_CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: "Page " counter(page); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
h1 { font-size: 18pt; } h2 { font-size: 15pt; } h3 { font-size: 13pt; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 0.5pt solid black; vertical-align: top; font-size: 9pt; padding: 2pt; }
"""


def render_pdf_from_html(source: Path, target: Path) -> Path:
    """Write ``source`` as a PDF by a second producer: its HTML rendering printed by WeasyPrint.

    WeasyPrint lays text out differently from reportlab (list markers, table rows
    split across pages, borders drawn per cell), so a reader tuned to one
    producer shows up here.
    """
    import weasyprint

    html_path = render_html(source, target.with_suffix(".print.html"))
    weasyprint.HTML(filename=str(html_path)).write_pdf(
        str(target), stylesheets=[weasyprint.CSS(string=PRINT_CSS)]
    )
    return target


def render_all(sources: list[Path], out_dir: Path) -> list[Path]:
    """Render every text plan in ``sources`` as ``.pdf``, ``.docx`` and ``.html`` in ``out_dir``."""
    written = []
    for source in sources:
        written.append(render_pdf(source, out_dir / f"{source.stem}.pdf"))
        written.append(render_docx(source, out_dir / f"{source.stem}.docx"))
        written.append(render_html(source, out_dir / f"{source.stem}.html"))
    return written


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    out_dir = Path(argv[0])
    from tests.paths import SHARED

    sources = [Path(a) for a in argv[1:]] or sorted((SHARED / "plans" / "docs").glob("*.txt"))
    for path in render_all(sources, out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

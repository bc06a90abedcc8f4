"""PDF: rebuild headings, paragraphs, bullets and table rows from the page layout.

A PDF holds positioned words, not lines of a document. The reader groups words
into lines, lines into paragraphs (by spacing, font and bullets), takes headings
from font size (larger than the body text) and bold lines from the font name,
reads ruled tables cell by cell and borderless tables from column alignment, and
drops running headers, footers and page numbers that repeat on every page.

Work is bounded: a PDF over :data:`MAX_PAGES` pages is refused before any page is
read, and reading stops with a message if it exceeds :data:`TIME_BUDGET` seconds.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from cypp.importer.blocks import Block, BlockKind
from cypp.importer.errors import DocumentError

__all__ = ["MAX_PAGES", "MAX_PAGE_CHARS", "TIME_BUDGET", "read_pdf"]

#: Longer documents are refused: a plan is rarely over 100 pages.
MAX_PAGES = 500
#: A dense A4 page holds about 6,000 characters.
MAX_PAGE_CHARS = 100_000
#: Seconds one PDF may take to read before the import stops with a message.
TIME_BUDGET = 180.0

_BULLET_GLYPHS = "•●▪◦·‣∙○■□➢➤✓✔►▶-–*\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
_BULLET = re.compile(rf"^([{re.escape(_BULLET_GLYPHS)}])\s*(.*)$")
_CID_GLYPH = re.compile(r"^\(cid:\d+\)\s*")
_NUMBERED = re.compile(r"^(\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(.+)$")
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b\b|-bd\b|bd$", re.I)
_URL_END = re.compile(r"(?:https?://|www\.)\S*$")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)


@dataclass
class _Line:
    """Words on one baseline, with the font facts that decide what the line is."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    segments: list[tuple[float, str]] = field(default_factory=list)
    #: Horizontal extent of each segment.
    spans: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class _Row:
    """One table row: its cells' lines, as the page laid them out."""

    top: float
    page: int
    cells: list[list[_Line]]
    header: bool = False


def read_pdf(path: Path, data: bytes) -> list[Block]:
    """Blocks of a PDF document; :class:`DocumentError` if it is damaged, locked or too long."""
    count = _check_readable(path, data)
    started = time.perf_counter()
    items: list[_Line | _Row] = []
    page_heights: dict[int, float] = {}
    for number, height, chars, edges in _pages(path, data):
        if time.perf_counter() - started > TIME_BUDGET:
            raise DocumentError(
                path,
                f"reading stopped after {TIME_BUDGET:.0f} seconds at page {number} of "
                f"{count}; the pages are too complex to read in time (split the document "
                "or export it again as PDF)",
            )
        page_heights[number] = height
        items.extend(_page_items(chars, edges, number))
    if not items:
        raise DocumentError(
            path,
            "the PDF has no text to read; it may be a scan (run it through text recognition "
            "or export the original document as PDF)",
        )
    items = _drop_running_lines(items, page_heights)
    return _blocks(items)


class _TooDense(Exception):
    """A page with more characters than any real page (a generated or hostile file)."""


_LOCKED = "the PDF is protected by a password; save a copy without the password and import that"


def _check_readable(path: Path, data: bytes) -> int:
    """Refuse damaged, password-locked and over-long PDFs before the slow layout pass."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    _quiet_pdf_loggers()
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = bool(reader.decrypt(""))
            except Exception:  # unknown or unsupported encryption
                unlocked = False
            if not unlocked:
                raise DocumentError(path, _LOCKED)
        count = len(reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise DocumentError(path, f"the PDF is damaged and cannot be read ({error})") from None
    except RecursionError:
        raise DocumentError(path, "the PDF is damaged (its structure loops)") from None
    if count == 0:
        raise DocumentError(path, "the PDF has no pages")
    if count > MAX_PAGES:
        raise DocumentError(path, _too_long(count))
    return count


def _too_long(count: int) -> str:
    return (
        f"the PDF has {count:,} pages; documents over {MAX_PAGES} pages are not imported "
        "(import the plan's own pages as a separate PDF)"
    )


def _quiet_pdf_loggers() -> None:
    # pdfminer logs every odd object of a damaged file; the reader reports problems itself.
    for name in ("pdfminer", "pypdf"):
        logging.getLogger(name).setLevel(logging.ERROR)


# --- pages: characters and rules ---------------------------------------------------------


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


Edge = dict[str, Any]


def _pages(path: Path, data: bytes) -> Iterator[tuple[int, float, list[_Char], list[Edge]]]:
    """Each page's characters (top-down coordinates) and ruling edges.

    pdfminer's layout objects are used directly, without its text grouping or
    pdfplumber's per-object attribute decoding: that keeps a page to a few tens
    of milliseconds, so a 100-page plan reads in seconds.
    """
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(BytesIO(data)), password="")
        manager = PDFResourceManager(caching=True)
        device = _device_class()(manager)
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if number > MAX_PAGES:
                raise DocumentError(path, _too_long(number))
            device.chars = []
            interpreter.process_page(page)
            layout = device.get_result()
            top = float(layout.y1)
            chars = [
                _Char(text, x0, x1, top - y1, top - y0, size, bold)
                for text, x0, x1, y0, y1, size, bold in device.chars
            ]
            edges: list[Edge] = []
            _collect(layout, top, chars, edges)
            yield number, float(layout.height), chars, edges
    except PDFPasswordIncorrect:
        raise DocumentError(path, _LOCKED) from None
    except _TooDense:
        raise DocumentError(
            path,
            f"a page holds more than {MAX_PAGE_CHARS:,} characters; this is not a plan's page "
            "(export the document again as PDF)",
        ) from None
    except DocumentError:
        raise
    except Exception as error:  # pdfminer raises many types for damaged content
        raise DocumentError(
            path, f"the PDF is damaged and cannot be read ({type(error).__name__}: {error})"
        ) from None


_DEVICE: type[Any] | None = None


def _device_class() -> type[Any]:
    """A pdfminer device that records upright characters as plain tuples.

    Building pdfminer's full character objects is a third of the reading time;
    ordinary horizontal text needs only its box, size and font. Rotated or
    skewed text goes the usual way and is picked up from the layout.
    """
    global _DEVICE
    if _DEVICE is not None:
        return _DEVICE
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdffont import PDFUnicodeNotDefined

    bold_fonts: dict[str, bool] = {}

    class Device(PDFPageAggregator):
        chars: list[tuple[str, float, float, float, float, float, bool]]

        def __init__(self, manager: Any) -> None:
            super().__init__(manager, laparams=None)
            self.chars = []

        def render_char(
            self,
            matrix: Any,
            font: Any,
            fontsize: float,
            scaling: float,
            rise: float,
            cid: int,
            ncs: Any,
            graphicstate: Any,
        ) -> float:
            a, b, c, d, e, f = matrix
            if b or c or a <= 0 or d <= 0 or font.is_vertical():
                return float(
                    super().render_char(
                        matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate
                    )
                )
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = f"(cid:{cid})"
            adv = font.char_width(cid) * fontsize * scaling
            descent = font.get_descent() * fontsize
            y0 = d * (descent + rise) + f
            y1 = d * (descent + rise + fontsize) + f
            name = font.fontname or ""
            bold = bold_fonts.get(name)
            if bold is None:
                bold = bold_fonts[name] = _BOLD_FONT.search(str(name)) is not None
            self.chars.append((text, e, e + a * adv, y0, y1, round((y1 - y0) * 2) / 2, bold))
            if len(self.chars) > MAX_PAGE_CHARS:
                raise _TooDense
            return float(adv)

    _DEVICE = Device
    return Device


def _collect(container: Any, page_top: float, chars: list[_Char], edges: list[Edge]) -> None:
    from pdfminer.layout import LTChar, LTContainer, LTLine, LTRect

    for obj in container:
        if isinstance(obj, LTChar):
            if obj.upright:
                chars.append(
                    _Char(
                        obj.get_text(),
                        float(obj.x0),
                        float(obj.x1),
                        page_top - float(obj.y1),
                        page_top - float(obj.y0),
                        round(float(obj.size) * 2) / 2,
                        _BOLD_FONT.search(obj.fontname or "") is not None,
                    )
                )
        elif isinstance(obj, LTRect | LTLine):
            edges.extend(_edges(obj, page_top))
        elif isinstance(obj, LTContainer):
            _collect(obj, page_top, chars, edges)


def _edges(obj: Any, page_top: float) -> list[Edge]:
    x0, x1 = float(obj.x0), float(obj.x1)
    top, bottom = page_top - float(obj.y1), page_top - float(obj.y0)

    def h(y: float) -> Edge:
        return {
            "x0": x0,
            "x1": x1,
            "top": y,
            "bottom": y,
            "width": x1 - x0,
            "height": 0.0,
            "orientation": "h",
            "object_type": "rect_edge",
        }

    def v(x: float) -> Edge:
        return {
            "x0": x,
            "x1": x,
            "top": top,
            "bottom": bottom,
            "width": 0.0,
            "height": bottom - top,
            "orientation": "v",
            "object_type": "rect_edge",
        }

    width, height = x1 - x0, bottom - top
    if height <= 2 and width > 2:
        return [h((top + bottom) / 2)]
    if width <= 2 and height > 2:
        return [v((x0 + x1) / 2)]
    if width > 2 and height > 2:
        return [h(top), h(bottom), v(x0), v(x1)]
    return []


# --- one page ------------------------------------------------------------------------------


def _page_items(chars: list[_Char], edges: list[Edge], number: int) -> list[_Line | _Row]:
    grids = _ruled_tables(edges) if len(edges) >= 4 else []
    rows: list[_Row] = []
    loose: list[_Char] = []
    in_cells: dict[tuple[int, int, int], list[_Char]] = {}
    for char in chars:
        where = _cell_of(char, grids)
        if where is None:
            loose.append(char)
        else:
            in_cells.setdefault(where, []).append(char)
    for t, (_, grid) in enumerate(grids):
        for r, (top, cell_boxes) in enumerate(grid):
            cells = [
                _lines(in_cells.get((t, r, c), []), number) if box is not None else []
                for c, box in enumerate(cell_boxes)
            ]
            if any(cells):
                rows.append(_Row(top, number, cells))
    lines = _lines(loose, number)
    gutter = _gutter(lines)
    if gutter is None:
        items: list[_Line | _Row] = [*lines, *rows]
        items.sort(key=lambda i: i.top)
        return _aligned_rows(items)
    return _in_columns(loose, lines, rows, gutter, number)


def _gutter(lines: list[_Line]) -> float | None:
    """The x of the gap between two columns of prose, if the page is set in two columns.

    Two columns show as a vertical strip that almost no line crosses, with
    several words of running text on both sides of it on most lines. Columns of
    figures (a borderless table) have short entries and are left as table rows.
    """
    split = [li for li in lines if len(li.spans) >= 2]
    if len(lines) < 6 or len(split) < 0.4 * len(lines):
        return None
    left = min(li.x0 for li in lines)
    right = max(li.x1 for li in lines)
    width = right - left
    best: tuple[int, float] | None = None
    x = left + 0.3 * width
    while x <= right - 0.3 * width:
        crossing = sum(1 for li in lines for a, b in li.spans if a < x < b)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 2.0
    if best is None or best[0] > 0.1 * len(lines):
        return None
    gutter = best[1]
    left_words = [len(t.split()) for li in split for (a, t) in li.segments if a < gutter]
    right_words = [len(t.split()) for li in split for (a, t) in li.segments if a > gutter]
    if not left_words or not right_words:
        return None
    median = sorted(right_words)[len(right_words) // 2]
    median_left = sorted(left_words)[len(left_words) // 2]
    return gutter if median >= 4 and median_left >= 4 else None


def _in_columns(
    chars: list[_Char], lines: list[_Line], rows: list[_Row], gutter: float, page: int
) -> list[_Line | _Row]:
    """Read a two-column page: full-width lines split it into bands; each band left, then right."""
    wide = [li for li in lines if any(a < gutter < b for a, b in li.spans)]
    cuts = sorted(li.top for li in wide)

    def band(top: float) -> int:
        return sum(1 for cut in cuts if cut <= top + 0.5)

    def in_wide(c: _Char) -> bool:
        middle = (c.top + c.bottom) / 2
        return any(li.top <= middle <= li.bottom for li in wide)

    narrow = [c for c in chars if not in_wide(c)]
    keyed: list[tuple[tuple[int, int, float], _Line | _Row]] = []
    for li in wide:
        keyed.append(((band(li.top), 0, li.top), li))
    for column, part in enumerate(
        ([c for c in narrow if c.x1 <= gutter], [c for c in narrow if c.x0 >= gutter]), start=1
    ):
        for li in _lines(part, page):
            keyed.append(((band(li.top), column, li.top), li))
    for row in rows:
        keyed.append(((band(row.top), 0, row.top), row))
    keyed.sort(key=lambda k: k[0])
    return [item for _, item in keyed]


Box = tuple[float, float, float, float]
#: A ruled table: its bounding box and rows of (row top, cell boxes or None under a merge).
Grid = tuple[Box, list[tuple[float, list[Box | None]]]]


def _ruled_tables(edges: list[Edge]) -> list[Grid]:
    """Tables drawn with rules (pdfplumber's lattice finder); one column is a box, not a table."""
    from pdfplumber.table import (
        Table,
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    merged = merge_edges(edges + _closing_edges(edges), 3, 3, 3, 3)
    merged = [e for e in merged if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]
    cells = intersections_to_cells(edges_to_intersections(merged, 3, 3))
    grids: list[Grid] = []
    for group in cells_to_tables(cells):
        table = Table(None, group)  # type: ignore[arg-type]
        rows = [(float(row.bbox[1]), list(row.cells)) for row in table.rows]
        if rows and max(len(cells) for _, cells in rows) >= 2:
            grids.append((table.bbox, rows))
    return grids


def _closing_edges(edges: list[Edge]) -> list[Edge]:
    """Rules across the open ends of column rules.

    A table row carried over a page break often loses its top or bottom border
    (it was drawn on the other page); three or more column rules that start or
    end together still mark where the row begins or ends.
    """
    ends: dict[tuple[str, int], list[float]] = {}
    for e in edges:
        if e["orientation"] == "v":
            ends.setdefault(("top", round(e["top"])), []).append(e["x0"])
            ends.setdefault(("bottom", round(e["bottom"])), []).append(e["x0"])
    closing = []
    for (_, y), xs in ends.items():
        if len(xs) >= 3:
            x0, x1 = min(xs), max(xs)
            closing.append(
                {"x0": x0, "x1": x1, "top": float(y), "bottom": float(y), "width": x1 - x0,
                 "height": 0.0, "orientation": "h", "object_type": "rect_edge"}
            )  # fmt: skip
    return closing


def _cell_of(char: _Char, grids: list[Grid]) -> tuple[int, int, int] | None:
    cx = (char.x0 + char.x1) / 2
    cy = (char.top + char.bottom) / 2
    for t, ((x0, top, x1, bottom), rows) in enumerate(grids):
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        for r, (_, boxes) in enumerate(rows):
            for c, box in enumerate(boxes):
                if box is not None and box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                    return (t, r, c)
        return None
    return None


def _lines(chars: list[_Char], page: int) -> list[_Line]:
    """Group characters into lines by baseline, reading each line left to right."""
    if not chars:
        return []
    chars = sorted(chars, key=lambda c: (c.bottom, c.x0))
    groups: list[list[_Char]] = [[chars[0]]]
    for char in chars[1:]:
        last = groups[-1][-1]
        if abs(char.bottom - last.bottom) <= max(1.5, 0.3 * char.size):
            groups[-1].append(char)
        else:
            groups.append([char])
    lines = [_line(sorted(g, key=lambda c: c.x0), page) for g in groups]
    return [line for line in lines if line.text]


def _line(chars: list[_Char], page: int) -> _Line:
    sizes: Counter[float] = Counter()
    bold = visible = 0
    segments: list[tuple[float, str]] = []
    spans: list[tuple[float, float]] = []
    text = ""
    start = 0.0
    prev: _Char | None = None
    space = False
    for char in chars:
        if not char.text.strip():
            space = True
            continue
        if prev is not None and char.text == prev.text and abs(char.x0 - prev.x0) < 1:
            continue  # the same glyph printed twice to look bold
        sizes[char.size] += 1
        visible += 1
        bold += char.bold
        if prev is None:
            text, start = char.text, char.x0
        else:
            gap = char.x0 - prev.x1
            if gap > max(14.0, 1.6 * char.size):
                segments.append((start, text.strip()))
                spans.append((start, prev.x1))
                text, start = char.text, char.x0
            elif space or gap > 0.15 * char.size:
                text += " " + char.text
            else:
                text += char.text
        prev, space = char, False
    if prev is not None:
        segments.append((start, text.strip()))
        spans.append((start, prev.x1))
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    if segments and _CID_GLYPH.match(segments[0][1]):
        # A bullet drawn from a symbol font without a character mapping.
        segments[0] = (segments[0][0], _CID_GLYPH.sub("• ", segments[0][1], count=1))
    return _Line(
        text=" ".join(t for _, t in segments),
        x0=chars[0].x0 if segments else 0.0,
        x1=prev.x1 if prev is not None else 0.0,
        top=min(c.top for c in chars),
        bottom=max(c.bottom for c in chars),
        size=size,
        bold=visible > 0 and bold >= 0.8 * visible,
        page=page,
        segments=segments,
        spans=spans,
    )


def _aligned_rows(items: list[_Line | _Row]) -> list[_Line | _Row]:
    """Runs of two or more lines split into aligned columns become table rows.

    A single wide gap can be justified text or a heading beside a page number, so a
    line is only a row when the next or previous line has columns starting at the
    same places.
    """
    out: list[_Line | _Row] = []
    multi = [isinstance(i, _Line) and len(i.segments) >= 2 for i in items]

    def aligned(a: _Line | _Row, b: _Line | _Row) -> bool:
        if not (isinstance(a, _Line) and isinstance(b, _Line)):
            return False
        xs_a = [x for x, _ in a.segments[1:]]
        xs_b = [x for x, _ in b.segments[1:]]
        return any(abs(x - y) <= 4 for x in xs_a for y in xs_b)

    for i, item in enumerate(items):
        if isinstance(item, _Line) and multi[i]:
            before = i > 0 and multi[i - 1] and aligned(items[i - 1], item)
            after = i + 1 < len(items) and multi[i + 1] and aligned(item, items[i + 1])
            if before or after:
                cells = [
                    [_Line(t, x, x, item.top, item.bottom, item.size, item.bold, item.page)]
                    for x, t in item.segments
                ]
                out.append(_Row(item.top, item.page, cells))
                continue
        out.append(item)
    return out


def _drop_running_lines(items: list[_Line | _Row], heights: dict[int, float]) -> list[_Line | _Row]:
    """Remove page numbers and headers/footers that repeat at the page edges.

    Only lines no larger than the body text count: a heading at the top of
    every page ("Priority 3: ...") is content, however regular.
    """
    pages = len(heights)
    body = _body_size([i for i in items if isinstance(i, _Line)])

    def at_edge(line: _Line) -> bool:
        height = heights.get(line.page, 842.0)
        edge = line.top < 0.08 * height or line.bottom > 0.92 * height
        return edge and line.size <= body * 1.05

    repeated: Counter[str] = Counter()
    for item in items:
        if isinstance(item, _Line) and at_edge(item):
            repeated[_DIGITS.sub("#", item.text.lower())] += 1
    threshold = max(3, pages // 2)
    kept: list[_Line | _Row] = []
    for item in items:
        if isinstance(item, _Line) and at_edge(item):
            key = _DIGITS.sub("#", item.text.lower())
            if _PAGE_NUMBER.match(item.text.strip()) or (pages >= 3 and repeated[key] >= threshold):
                continue
        kept.append(item)
    return kept


# --- lines to blocks --------------------------------------------------------------------


def _body_size(lines: list[_Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _heading_levels(lines: list[_Line], body: float) -> dict[float, int]:
    """Sizes clearly above the body text, largest first, become heading levels 1-6."""
    bigger = sorted({line.size for line in lines if line.size >= body * 1.15}, reverse=True)
    return {size: min(6, n) for n, size in enumerate(bigger, start=1)}


def _blocks(items: list[_Line | _Row]) -> list[Block]:
    lines = [i for i in items if isinstance(i, _Line)]
    in_cells = [line for i in items if isinstance(i, _Row) for cell in i.cells for line in cell]
    body = _body_size(lines + in_cells)
    levels = _heading_levels(lines, body)
    indents = _bullet_indents(lines, levels)
    blocks: list[Block] = []
    current: list[_Line] = []

    def flush() -> None:
        if current:
            block = _text_block(current, levels, indents)
            if block is not None:
                blocks.append(block)
            current.clear()

    header: str | None = None
    for item in items:
        if isinstance(item, _Row):
            flush()
            row = _row_block(item)
            previous = blocks[-1] if blocks else None
            if previous is None or previous.kind is not BlockKind.TABLE_ROW:
                header = row.text
            elif previous.page != row.page and row.text == header:
                continue  # the table's header row, repeated on the next page
            elif previous.page != row.page and _carried_over(previous, row):
                blocks[-1] = _joined_rows(previous, row)
                continue
            blocks.append(row)
            continue
        if current and _continues(current, item, levels):
            current.append(item)
            continue
        flush()
        current.append(item)
    flush()
    return blocks


def _bullet_indents(lines: list[_Line], levels: dict[float, int]) -> list[float]:
    """Where bullets start, clustered: the first indent is depth 0, the next depth 1."""
    xs = sorted(li.x0 for li in lines if li.size not in levels and _is_bullet(li.text))
    indents: list[float] = []
    for x in xs:
        if not indents or x - indents[-1] > 6:
            indents.append(x)
    return indents


def _continues(current: list[_Line], line: _Line, levels: dict[float, int]) -> bool:
    """Whether ``line`` wraps on from the paragraph, heading or bullet in ``current``."""
    prev = current[-1]
    first = current[0]
    if _is_bullet(line.text) or line.bold != prev.bold or abs(line.size - prev.size) > 0.6:
        return False
    heading = levels.get(line.size) is not None
    bullet = not heading and _is_bullet(first.text)
    if line.page != prev.page:
        # Text carried over a page break: the line opens the next page and the
        # sentence before it is unfinished (or it sits under a bullet's text).
        if line.page != prev.page + 1 or heading:
            return False
        if bullet:
            return line.x0 > first.x0 + 2
        return not prev.text.endswith((".", ":", "!", "?")) and line.text[:1].islower()
    gap = line.top - prev.bottom
    if gap < -1 or gap > 0.4 * line.size:
        return False
    if bullet:
        # A bullet's wrapped lines are indented under its text, not under the glyph.
        return line.x0 > first.x0 + 2
    # A short line ending a sentence closes its paragraph.
    return not (prev.x1 < _widest(current) - 4 * line.size and prev.text.endswith((".", ":")))


def _widest(lines: list[_Line]) -> float:
    return max(line.x1 for line in lines)


def _is_bullet(text: str) -> bool:
    match = _BULLET.match(text)
    if match is not None:
        glyph, rest = match.groups()
        # A hyphen or asterisk only starts a bullet when a space follows it.
        return bool(rest) and (glyph not in "-–*" or text[1:2] == " ")
    return _NUMBERED.match(text) is not None


def _text_block(lines: list[_Line], levels: dict[float, int], indents: list[float]) -> Block | None:
    text = _join(line.text for line in lines)
    if not text:
        return None
    first = lines[0]
    page = first.page
    level = levels.get(first.size)
    if level is not None:
        return Block(BlockKind.HEADING, text, text, None, page, level, True)
    if _is_bullet(text):
        match = _BULLET.match(text)
        content = match.group(2).strip() if match else text
        numbered = _NUMBERED.match(text)
        if match is None and numbered is not None:
            content = numbered.group(2).strip()
        depth = max((i for i, x in enumerate(indents) if first.x0 >= x - 3), default=0)
        return Block(BlockKind.BULLET, content, content, None, page, depth, first.bold)
    return Block(BlockKind.PARAGRAPH, text, text, None, page, 0, all(li.bold for li in lines))


def _join(parts: Any) -> str:
    """Join wrapped lines, mending words hyphenated at a line end."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and part[:1].islower():
            out = out[:-1] + part
        elif out.endswith("/") and part[:1].isalnum():
            out += part  # "Outstanding/" + "Good"
        elif _URL_END.search(out) and not out.endswith((".", ",")) and " " not in part[:1]:
            out += part  # a web address broken at the line end
        else:
            out = f"{out} {part}" if out else part
    return re.sub(r"\s+", " ", out).strip()


def _row_block(row: _Row) -> Block:
    cells: list[str] = []
    items: list[tuple[str, ...]] = []
    for cell_lines in row.cells:
        entries = _cell_entries(cell_lines)
        cells.append(" ".join(entries))
        if len(entries) > 1:
            # Several entries are a label and list items: keep each without its glyph.
            entries = [_strip_glyph(e) for e in entries]
        items.append(tuple(entries) if entries else ("",))
    text = "\t".join(cells)
    bold = all(line.bold for cell in row.cells for line in cell) and any(row.cells)
    return Block(
        BlockKind.TABLE_ROW,
        text,
        text,
        None,
        row.page,
        0,
        bold,
        cells=tuple(cells),
        cell_items=tuple(items),
    )


def _carried_over(before: Block, after: Block) -> bool:
    """Whether ``after`` is the rest of ``before``, a row split by a page break.

    The rest of a split row has no name of its own (an empty first cell), or it
    fills exactly the cells the first part left empty.
    """
    if len(before.cells) != len(after.cells) or len(after.cells) < 2:
        return False
    if not after.cells[0].strip():
        return True
    return all(
        not (a.strip() and b.strip()) for a, b in zip(before.cells, after.cells, strict=True)
    )


def _joined_rows(before: Block, after: Block) -> Block:
    cells = tuple(
        " ".join(c for c in (a.strip(), b.strip()) if c)
        for a, b in zip(before.cells, after.cells, strict=True)
    )
    items = tuple(
        tuple(i for i in (*a, *b) if i) or ("",)
        for a, b in zip(before.cell_items, after.cell_items, strict=True)
    )
    text = "\t".join(cells)
    return Block(
        BlockKind.TABLE_ROW, text, text, None, before.page, 0, before.bold,
        cells=cells, cell_items=items,
    )  # fmt: skip


def _cell_entries(lines: list[_Line]) -> list[str]:
    """A cell's separate entries: a bold label, each bullet, and wrapped text joined."""
    entries: list[list[_Line]] = []
    for line in lines:
        if entries:
            prev = entries[-1][-1]
            starts_new = (
                _is_bullet(line.text)
                or line.bold != prev.bold
                or line.top - prev.bottom > 0.8 * line.size
            )
            if not starts_new:
                entries[-1].append(line)
                continue
        entries.append([line])
    return [text for group in entries if (text := _join(li.text for li in group))]


def _strip_glyph(text: str) -> str:
    match = _BULLET.match(text)
    return match.group(2).strip() if match and _is_bullet(text) else text

"""HTML: headings h1-h6, list items as bullets, table rows with their cells.

Council plans are often published as web pages. The standard library's parser
is enough: it tolerates broken markup, never fetches anything, and runs in time
linear in the page. Scripts, styles and other non-content elements are skipped;
every block keeps the source line it starts on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from cypp.importer.blocks import Block, BlockKind
from cypp.importer.errors import DocumentError
from cypp.importer.readers.text import decode

__all__ = ["read_html"]

_SKIP = {"script", "style", "head", "noscript", "template", "svg", "math", "iframe", "object"}
_BREAKS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote",
    "pre", "dt", "dd", "dl", "figure", "figcaption", "caption", "address", "center", "hr",
    "form", "fieldset", "legend", "details", "summary", "nav",
}  # fmt: skip
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BOLD = {"b", "strong"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "wbr", "source"}
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_BULLET_TEXT = re.compile(r"^[•●▪◦·‣∙○■□➢➤✓-]\s+")


def read_html(path: Path, data: bytes) -> list[Block]:
    """Blocks of an HTML page."""
    parser = _PlanParser()
    parser.feed(_decode(path, data))
    parser.close()
    parser.finish()
    return parser.blocks


def _decode(path: Path, data: bytes) -> str:
    """Text by the page's byte-order mark or declared charset, else by detection."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                encoding = codecs.lookup(declared.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                encoding = ""
            if encoding and "utf-16" not in encoding:
                text = data.decode(encoding, errors="replace")
                if text.strip():
                    return text.replace("\r\n", "\n")
    try:
        return decode(data, path)
    except DocumentError:
        raise DocumentError(
            path, "the file is named as a web page but is not readable text"
        ) from None


@dataclass
class _Text:
    """Text being gathered for one block, with how much of it is bold."""

    parts: list[str] = field(default_factory=list)
    chars: int = 0
    bold_chars: int = 0
    line: int | None = None

    def add(self, text: str, bold: bool, line: int) -> None:
        if self.line is None and text.strip():
            self.line = line
        self.parts.append(text)
        visible = len(text.strip())
        self.chars += visible
        self.bold_chars += visible if bold else 0

    def take(self) -> tuple[str, bool, int | None]:
        text = re.sub(r"\s+", " ", "".join(self.parts)).strip()
        bold = self.chars > 0 and self.bold_chars >= 0.9 * self.chars
        line = self.line
        self.parts, self.chars, self.bold_chars, self.line = [], 0, 0, None
        return text, bold, line


@dataclass
class _Cell:
    entries: list[tuple[str, bool, bool]] = field(default_factory=list)
    header: bool = False


@dataclass
class _Table:
    rows: list[tuple[list[_Cell], int | None]] = field(default_factory=list)
    row: list[_Cell] | None = None
    row_line: int | None = None
    cell: _Cell | None = None


class _PlanParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text = _Text()
        self.skip = 0
        self.bold = 0
        self.lists: list[str] = []
        self.kind: BlockKind = BlockKind.PARAGRAPH
        self.level = 0
        self.tables: list[_Table] = []
        self.in_item = False
        self.nested = 0

    # --- tags -----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in ("br", "hr"):
                self.flush()
            return
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in _BOLD:
            self.bold += 1
        elif tag in _HEADINGS:
            self.flush()
            self.kind, self.level = BlockKind.HEADING, _HEADINGS[tag]
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append(tag)
        elif tag == "li":
            self.flush()
            self.kind, self.level = BlockKind.BULLET, max(0, len(self.lists) - 1)
            self.in_item = True
        elif tag == "table":
            self.flush()
            if self.tables and self.tables[-1].cell is not None:
                self.nested += 1  # a table inside a cell: its text stays in the cell
                return
            self.tables.append(_Table())
        elif tag in ("tr", "td", "th") and self.nested:
            self.flush()
        elif tag == "tr" and self.tables:
            table = self.tables[-1]
            if table.cell is None:
                self.end_row(table)
                table.row, table.row_line = [], self.getpos()[0]
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            if table.row is None:
                table.row, table.row_line = [], self.getpos()[0]
            self.end_cell(table)
            table.cell = _Cell(header=tag == "th")
            self.kind, self.level = BlockKind.PARAGRAPH, 0
        elif tag in _BREAKS:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or tag in _VOID:
            return
        if tag in _BOLD:
            self.bold = max(0, self.bold - 1)
        elif tag in _HEADINGS or tag in _BREAKS:
            self.flush()
        elif tag == "li":
            self.flush()
            self.in_item = False
        elif tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag == "table" and self.nested:
            self.flush()
            self.nested -= 1  # end of a table nested in a cell
        elif tag in ("tr", "td", "th") and self.nested:
            self.flush()
        elif tag in ("td", "th") and self.tables:
            self.flush()
            self.end_cell(self.tables[-1])
        elif tag == "tr" and self.tables:
            self.end_row(self.tables[-1])
        elif tag == "table" and self.tables:
            table = self.tables[-1]
            self.end_row(table)
            self.tables.pop()
            self.emit_table(table)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.add(data, self.bold > 0, self.getpos()[0])

    # --- building blocks ------------------------------------------------------------

    def flush(self) -> None:
        text, bold, line = self.text.take()
        kind, level = self.kind, self.level
        if not self.in_item:
            self.kind, self.level = BlockKind.PARAGRAPH, 0
        if not text:
            return
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None:
            listed = kind is BlockKind.BULLET
            table.cell.entries.append(
                (_BULLET_TEXT.sub("", text) if listed else text, listed, bold)
            )
            return
        if kind is BlockKind.HEADING:
            self.blocks.append(Block(kind, text, text, line, None, level, True))
        elif kind is BlockKind.BULLET:
            content = _BULLET_TEXT.sub("", text)
            self.blocks.append(Block(kind, content, content, line, None, level, bold))
        else:
            self.blocks.append(Block(BlockKind.PARAGRAPH, text, text, line, None, 0, bold))

    def end_cell(self, table: _Table) -> None:
        if table.cell is not None:
            self.flush()
            if table.row is None:
                table.row = []
            table.row.append(table.cell)
            table.cell = None

    def end_row(self, table: _Table) -> None:
        self.end_cell(table)
        if table.row:
            table.rows.append((table.row, table.row_line))
        table.row = None

    def emit_table(self, table: _Table) -> None:
        for cells, line in table.rows:
            texts = [" ".join(f"• {t}" if li else t for t, li, _ in c.entries) for c in cells]
            if not any(t.strip() for t in texts):
                continue
            items = tuple(
                tuple(t for t, _, _ in c.entries) if len(c.entries) > 1 else (texts[n],)
                for n, c in enumerate(cells)
            )
            header = all(c.header or all(b for _, _, b in c.entries) for c in cells)
            text = "\t".join(texts)
            self.blocks.append(
                Block(
                    BlockKind.TABLE_ROW,
                    text,
                    text,
                    line,
                    None,
                    0,
                    header,
                    cells=tuple(texts),
                    cell_items=items,
                )
            )

    def finish(self) -> None:
        """Close what the page left open (unclosed cells, rows, tables)."""
        self.flush()
        while self.tables:
            table = self.tables.pop()
            self.end_row(table)
            self.emit_table(table)

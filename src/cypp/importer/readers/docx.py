"""Word (.docx): headings from styles, bullets from list formatting, tables row by row.

Word keeps the structure a plan's author gave it: Heading styles (or an outline
level), list numbering, real tables. The reader walks the body in document
order so headings, lists and tables keep their places; headers, footers and
page numbers are not part of the body and are left out.

A .docx is a zip archive, so it is checked before it is opened: a file whose
parts would unpack to far more than any plan (a "zip bomb") is refused from the
sizes in the zip directory, before anything is decompressed.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

from cypp.importer.blocks import Block, BlockKind
from cypp.importer.errors import DocumentError

__all__ = ["MAX_MEMBER_BYTES", "MAX_RATIO", "MAX_TOTAL_BYTES", "read_docx"]

#: No part of a plan (its text, an image) unpacks to more than this.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: All parts together.
MAX_TOTAL_BYTES = 160 * 1024 * 1024
#: Word's XML compresses about 5-30 times; far more than this is a bomb, not a plan.
MAX_RATIO = 150
#: Ratios are only judged for parts at least this large (tiny parts compress oddly).
_RATIO_FLOOR = 2 * 1024 * 1024
MAX_MEMBERS = 5000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
_LIST_STYLE = re.compile(r"^list\s*(?:bullet|number|continue)?\s*(\d)?$", re.I)
_BULLET_TEXT = re.compile(r"^([•●▪◦·‣∙○■□➢➤✓\uf0b7\uf0a7-])\s+(.*)$")


def read_docx(path: Path, data: bytes) -> list[Block]:
    """Blocks of a Word document; :class:`DocumentError` if it is damaged or a zip bomb."""
    check_zip(path, data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise DocumentError(
            path, f"the Word file is damaged and cannot be read ({error})"
        ) from None
    except Exception as error:  # lxml raises XMLSyntaxError for broken XML parts
        raise DocumentError(
            path, f"the Word file is damaged and cannot be read ({type(error).__name__}: {error})"
        ) from None
    reader = _BodyReader(document)
    blocks = list(reader.blocks(document.element.body))
    return reader.sized_headings(blocks)


def check_zip(path: Path, data: bytes) -> None:
    """Refuse archives that would unpack to more than a plan could hold.

    Python's zipfile stops every part at the size the zip directory declares
    (and rejects a part whose data disagrees), so checking the declared sizes
    bounds the memory python-docx can use.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise DocumentError(
            path, f"the Word file is damaged and cannot be read ({error})"
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise DocumentError(path, f"the Word file has {len(infos):,} parts; this is not a plan")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise DocumentError(path, _bomb(f"its part {info.filename} unpacks to", info.file_size))
        if info.file_size >= _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            1, info.compress_size
        ):
            raise DocumentError(
                path,
                f"the Word file looks like a zip bomb: its part {info.filename} is compressed "
                f"{info.file_size / max(1, info.compress_size):,.0f} times (a document is "
                f"under {MAX_RATIO})",
            )
    if total > MAX_TOTAL_BYTES:
        raise DocumentError(path, _bomb("it unpacks to", total))
    if "word/document.xml" not in {info.filename for info in infos}:
        raise DocumentError(path, "the file is a zip archive without a Word document in it")


def _bomb(what: str, size: int) -> str:
    return (
        f"the Word file looks like a zip bomb: {what} {size / 1024 / 1024:,.0f} MB "
        f"(the limit is {MAX_TOTAL_BYTES // 1024 // 1024} MB)"
    )


class _BodyReader:
    """Turns body elements into blocks, remembering font sizes to find unstyled headings."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.styles = _Styles(document)
        self.sizes: Counter[float] = Counter()
        #: Paragraph blocks (by position) with the largest font size they use.
        self.block_size: dict[int, float] = {}

    def blocks(self, container: Any) -> Iterator[Block]:
        for child in container.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                yield from self.paragraph(child)
            elif tag == f"{_W}tbl":
                yield from self.table(child)
            elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}sdtContent"):
                # Content controls and custom XML wrap ordinary paragraphs and tables.
                inner = child.find(f"{_W}sdtContent")
                yield from self.blocks(inner if inner is not None else child)

    # --- paragraphs -----------------------------------------------------------------

    def paragraph(self, element: Any) -> Iterator[Block]:
        from docx.text.paragraph import Paragraph

        yield from self.text_boxes(element)
        text = Paragraph(element, self.document).text
        if not text.strip():
            return
        style, style_heading, style_bold, style_size = self.styles.of(element)
        bold = _all_bold(element, self.styles, style_bold)
        size = _largest_size(element, style_size)
        heading = _outline_level(element) or style_heading
        list_level = _list_level(element, style)
        for line in text.split("\n"):
            if not line.strip():
                continue
            if "\t" in line.strip("\t") and heading is None:
                yield _row(tuple(c.strip() for c in line.strip("\t").split("\t")), bold)
                continue
            clean = re.sub(r"\s+", " ", line).strip()
            if size is not None:
                self.sizes[size] += len(clean)
            if heading is not None:
                yield Block(BlockKind.HEADING, clean, clean, None, None, heading, True)
            elif list_level is not None or _BULLET_TEXT.match(clean):
                glyph = _BULLET_TEXT.match(clean)
                content = glyph.group(2).strip() if glyph else clean
                level = list_level if list_level is not None else 0
                yield Block(BlockKind.BULLET, content, content, None, None, level, bold)
            else:
                block = Block(BlockKind.PARAGRAPH, clean, clean, None, None, 0, bold)
                if size is not None:
                    self.block_size[id(block)] = size
                yield block

    def text_boxes(self, element: Any) -> Iterator[Block]:
        """Paragraphs and tables in text boxes anchored to this paragraph, once each.

        Word stores a text box twice (a drawing and a fallback for old readers);
        only the drawing's copy is read, and boxes inside boxes through their parent.
        """
        for box in element.iter(f"{_W}txbxContent"):
            ancestor = box.getparent()
            nested = False
            while ancestor is not None and ancestor is not element:
                if ancestor.tag == f"{_W}txbxContent" or ancestor.tag.endswith("}Fallback"):
                    nested = True
                    break
                ancestor = ancestor.getparent()
            if not nested:
                yield from self.blocks(box)

    def sized_headings(self, blocks: list[Block]) -> list[Block]:
        """Short paragraphs set in a clearly larger font than the body are headings too."""
        if not self.block_size or not self.sizes:
            return blocks
        body = self.sizes.most_common(1)[0][0]
        larger = sorted({s for s in self.block_size.values() if s >= body * 1.2}, reverse=True)
        if not larger:
            return blocks
        styled = max((b.level for b in blocks if b.kind is BlockKind.HEADING), default=0)
        levels = {s: min(6, styled + n) for n, s in enumerate(larger, start=1)}
        out = []
        for block in blocks:
            size = self.block_size.get(id(block))
            if size in levels and len(block.text.split()) <= 20:
                level = levels[size]
                block = Block(BlockKind.HEADING, block.text, block.quote, None, None, level, True)
            out.append(block)
        return out

    # --- tables ---------------------------------------------------------------------

    def table(self, element: Any) -> Iterator[Block]:
        from docx.table import Table

        table = Table(element, self.document)
        for index, row in enumerate(table.rows):
            cells: list[Any] = []
            for cell in row.cells:
                if cells and cell._tc is cells[-1]._tc:
                    continue  # one cell merged across columns
                cells.append(cell)
            texts: list[str] = []
            items: list[tuple[str, ...]] = []
            for cell in cells:
                entries = list(_cell_entries(cell, self.document, self.styles))
                texts.append(" ".join(f"• {t}" if listed else t for t, listed, _ in entries))
                if len(entries) > 1:
                    items.append(tuple(t for t, _, _ in entries))
                else:
                    items.append((texts[-1],))
            if not any(t.strip() for t in texts):
                continue
            header = _is_header_row(row) or (
                index == 0
                and all(
                    b for c in cells for _, _, b in _cell_entries(c, self.document, self.styles)
                )
            )
            yield _row(tuple(texts), header, tuple(items))


def _row(cells: tuple[str, ...], bold: bool, items: tuple[tuple[str, ...], ...] = ()) -> Block:
    text = "\t".join(cells)
    return Block(
        BlockKind.TABLE_ROW,
        text,
        text,
        None,
        None,
        0,
        bold,
        cells=cells,
        cell_items=items or tuple((c,) for c in cells),
    )


def _cell_entries(cell: Any, document: Any, styles: _Styles) -> Iterator[tuple[str, bool, bool]]:
    """(text, is list item, is bold) for each non-empty paragraph of a cell, nested tables too."""
    from docx.text.paragraph import Paragraph

    for element in cell._tc.iter(f"{_W}p"):
        paragraph = Paragraph(element, document)
        text = re.sub(r"\s+", " ", paragraph.text).strip()
        if not text:
            continue
        name, _, style_bold, _ = styles.of(element)
        glyph = _BULLET_TEXT.match(text)
        listed = _list_level(element, name) is not None
        yield (
            (glyph.group(2) if glyph and listed else text),
            listed,
            _all_bold(element, styles, style_bold),
        )


def _is_header_row(row: Any) -> bool:
    tr_pr = row._tr.trPr
    if tr_pr is None:
        return False
    marker = tr_pr.find(f"{_W}tblHeader")
    return marker is not None and marker.get(f"{_W}val", "true") not in ("0", "false")


class _Styles:
    """Style facts looked up once per style id (python-docx resolves styles slowly)."""

    def __init__(self, document: Any) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.by_id = {s.style_id: s for s in document.styles}
        self.default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.cache: dict[str | None, tuple[str, int | None, bool, float | None]] = {}
        self.default_size = _default_size(document)

    def of(self, element: Any) -> tuple[str, int | None, bool, float | None]:
        """(name, heading level, bold, font size) of a paragraph element's style."""
        p_pr = element.find(f"{_W}pPr")
        node = p_pr.find(f"{_W}pStyle") if p_pr is not None else None
        style_id = node.get(f"{_W}val") if node is not None else None
        if style_id not in self.cache:
            name, level, bold, size = self._facts(self.by_id.get(style_id, self.default))
            self.cache[style_id] = (name, level, bold, size or self.default_size)
        return self.cache[style_id]

    def char_bold(self, style_id: str | None) -> bool | None:
        style = self.by_id.get(style_id) if style_id else None
        return style.font.bold if style is not None else None

    @staticmethod
    def _facts(style: Any) -> tuple[str, int | None, bool, float | None]:
        chain: list[Any] = []
        while style is not None and len(chain) < 10:
            chain.append(style)
            style = style.base_style
        if not chain:
            return "", None, False, None
        name = str(chain[0].name or "")
        level = None
        for link in chain:
            match = _HEADING_STYLE.match(str(link.name or ""))
            if match:
                level = max(1, min(6, int(match.group(1))))
                break
            if str(link.name or "").lower() == "title":
                level = 1
                break
            outline = _outline_level(link.element)
            if outline is not None:
                level = outline
                break
        bold = next((bool(s.font.bold) for s in chain if s.font.bold is not None), False)
        size = next((float(s.font.size.pt) for s in chain if s.font.size is not None), None)
        return name, level, bold, size


def _default_size(document: Any) -> float:
    """The document's default font size (docDefaults), else Word's 11 pt."""
    node = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
    value = node.get(f"{_W}val") if node is not None else None
    return int(value) / 2 if value is not None and value.isdigit() else 11.0


def _outline_level(element: Any) -> int | None:
    p_pr = element.find(f"{_W}pPr")
    outline = p_pr.find(f"{_W}outlineLvl") if p_pr is not None else None
    if outline is None:
        return None
    level = int(outline.get(f"{_W}val", "9"))
    return min(6, level + 1) if level < 9 else None


def _list_level(element: Any, style: str) -> int | None:
    p_pr = element.find(f"{_W}pPr")
    num_pr = p_pr.find(f"{_W}numPr") if p_pr is not None else None
    if num_pr is not None:
        ilvl = num_pr.find(f"{_W}ilvl")
        num_id = num_pr.find(f"{_W}numId")
        if num_id is not None and num_id.get(f"{_W}val") == "0":
            return None  # numbering switched off
        return int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
    match = _LIST_STYLE.match(style)
    if match and style.lower() != "list":
        return int(match.group(1)) - 1 if match.group(1) else 0
    return None


def _runs(element: Any) -> Iterator[tuple[str, Any]]:
    """(text, run properties) of each run with visible text, hyperlinks included."""
    for run in element.iter(f"{_W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{_W}t"))
        if text.strip():
            yield text, run.find(f"{_W}rPr")


def _on(node: Any) -> bool:
    return node is not None and node.get(f"{_W}val", "true") not in ("0", "false", "none")


def _all_bold(element: Any, styles: _Styles, style_bold: bool) -> bool:
    """Whether every run with text is bold, by direct formatting or by style."""
    any_run = False
    for _, r_pr in _runs(element):
        any_run = True
        bold: bool | None = None
        if r_pr is not None:
            b = r_pr.find(f"{_W}b")
            if b is not None:
                bold = _on(b)
            else:
                r_style = r_pr.find(f"{_W}rStyle")
                if r_style is not None:
                    bold = styles.char_bold(r_style.get(f"{_W}val"))
        if not (style_bold if bold is None else bold):
            return False
    return any_run


def _largest_size(element: Any, style_size: float | None) -> float | None:
    sizes = []
    for _, r_pr in _runs(element):
        sz = r_pr.find(f"{_W}sz") if r_pr is not None else None
        value = sz.get(f"{_W}val") if sz is not None else None
        if value is not None and value.isdigit():
            sizes.append(int(value) / 2)
        elif style_size is not None:
            sizes.append(style_size)
    return max(sizes) if sizes else style_size

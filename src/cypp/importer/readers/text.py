"""Plain text and Markdown: decode safely, then turn each line into a block."""

from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from cypp.importer.blocks import Block, BlockKind
from cypp.importer.errors import DocumentError

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^(\s*)(?:[-•●▪◦·‣∙○■□➢➤✓]|\*(?=\s)|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(.*)$")
_TAG = re.compile(r"<[^>]{0,400}>")
_LI = re.compile(r"<li[^>]*>(.*?)</li>", re.I | re.S)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|<(https?://[^>]*)>")
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}(?=\S)|(?<=\S)(?<!\bA)[*_]{1,3}(?![\w\-–])")
_PIPE_ROW = re.compile(r"^\s*\|(.*\|.*)\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")
_BULLET_CHARS = "-•●▪◦·‣∙○■□➢➤✓"


def decode(data: bytes, path: Path) -> str:
    """Decode text in any common encoding, refusing binary data.

    Councils publish UTF-8, Windows-1252 and UTF-16 (often without a BOM, from
    Word's "Unicode text"); the NUL-byte pattern identifies BOM-less UTF-16 before
    charset detection, which tends to misread it.
    """
    if not data.strip():
        raise DocumentError(path, "the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:].decode("utf-8", errors="replace"), path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked(data.decode("utf-16", errors="replace"), path)
    sample = data[:4000]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
        odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
        if odd_nuls > 0.3 and even_nuls < 0.05:
            return _checked(data.decode("utf-16-le", errors="replace"), path)
        if even_nuls > 0.3 and odd_nuls < 0.05:
            return _checked(data.decode("utf-16-be", errors="replace"), path)
    if b"\x00" in sample:
        raise DocumentError(path, "the file holds binary data, not text")
    try:
        return _checked(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise DocumentError(path, "the file holds binary data, not text")
    return _checked(data.decode(best.encoding, errors="replace"), path)


def _checked(text: str, path: Path) -> str:
    sample = text[:20_000]
    if not sample.strip():
        raise DocumentError(path, "the file is empty")
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\ufffd")
    if bad / max(1, len(sample)) > 0.02:
        raise DocumentError(path, "the file holds binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def clean_inline(text: str) -> str:
    """Remove Markdown and HTML markup, keeping the words a reader sees."""
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = _TAG.sub(" ", text)
    text = text.replace("\\*", "*")
    text = _EMPHASIS.sub("", text)
    text = text.replace("&amp;", "&").replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", text).strip()


def _strip_bullet(text: str) -> str:
    return text.strip().lstrip(_BULLET_CHARS).strip()


def cell_items(cell: str) -> tuple[str, ...]:
    """The separate entries of a table cell: HTML list items, a bold label, or the cell."""
    items: list[str] = []
    label = re.match(r"\s*<b>(.*?)</b>", cell, re.I | re.S)
    if label:
        items.append(clean_inline(label.group(1)))
    lis = [_strip_bullet(clean_inline(li)) for li in _LI.findall(cell)]
    if lis:
        return tuple(items + [li for li in lis if li])
    if label:
        rest = clean_inline(cell[label.end() :])
        if rest:
            items.append(_strip_bullet(rest))
        return tuple(items)
    return (clean_inline(cell),)


_GLUED_BOLD = re.compile(r"(?<=\S)\*\*\*\*(?=\S)")
_TEXT_THEN_BOLD = re.compile(r"^([^*]*[^*\s])\*\*([^*]+)\*\*$")


def _physical_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their numbers; bold paragraphs glued by a converter are split.

    Word-to-Markdown converters write consecutive bold paragraphs as
    ``**AIMS****Ensuring the best start**``; each is a line of its own.
    """
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if "****" in line and "\t" not in line:
            parts = _GLUED_BOLD.split(line)
            last = len(parts) - 1
            for i, part in enumerate(parts):
                piece = ("**" if i > 0 else "") + part + ("**" if i < last else "")
                lead = _TEXT_THEN_BOLD.match(piece)
                pieces = [lead.group(1), f"**{lead.group(2)}**"] if lead else [piece]
                out.extend((number, p) for p in pieces if p.strip("* "))
            continue
        out.append((number, line))
    return out


def lines_to_blocks(text: str, page: int | None = None) -> list[Block]:
    """Turn text lines into blocks: Markdown headings, bullets, tab-separated rows."""
    blocks: list[Block] = []
    for number, line in _physical_lines(text):
        line_no = None if page is not None else number
        piped = _PIPE_ROW.match(line)
        if piped and _PIPE_RULE.match(line):
            continue  # the |---|---| line under a Markdown table header
        if "\t" in line or piped:
            cells = tuple(piped.group(1).split("|")) if piped else tuple(line.split("\t"))
            cells = tuple(c.strip() for c in cells) if piped else cells
            blocks.append(
                Block(
                    BlockKind.TABLE_ROW,
                    "\t".join(clean_inline(c) for c in cells),
                    line,
                    line_no,
                    page,
                    cells=tuple(clean_inline(c) for c in cells),
                    cell_items=tuple(cell_items(c) for c in cells),
                )
            )
            continue
        heading = _HEADING.match(line)
        if heading:
            text_ = clean_inline(heading.group(2))
            if text_:
                blocks.append(
                    Block(
                        BlockKind.HEADING, text_, text_, line_no, page, len(heading.group(1)), True
                    )
                )
            continue
        bullet = _BULLET.match(line)
        if bullet and bullet.group(2).strip():
            content = bullet.group(2).strip()
            depth = 1 if len(bullet.group(1).expandtabs()) > 0 else 0
            blocks.append(
                Block(BlockKind.BULLET, clean_inline(content), content, line_no, page, depth)
            )
            continue
        stripped = line.strip()
        bold = bool(re.fullmatch(r"\*\*.+\*\*", stripped)) or bool(
            re.fullmatch(r"<b>.+</b>", stripped)
        )
        text_ = clean_inline(stripped)
        if text_:
            blocks.append(Block(BlockKind.PARAGRAPH, text_, stripped, line_no, page, 0, bold))
    return blocks


def read_text(path: Path, data: bytes) -> list[Block]:
    return lines_to_blocks(decode(data, path))

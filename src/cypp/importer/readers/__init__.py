"""Choose the reader for a document by what its bytes are, then by its name.

A council's file is often misnamed (a PDF saved as ``.txt``, a Word file
without a suffix), so the content decides first and the suffix only breaks
ties. Readers for PDF, Word and HTML are imported on first use: the text
reader works on its own, and a missing reader gives a plain message rather
than an import error at start-up.
"""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from cypp.importer.blocks import Block
from cypp.importer.errors import DocumentError
from cypp.importer.readers.text import read_text

__all__ = ["FORMATS", "MAX_BLOCKS", "MAX_BYTES", "detect_format", "read_document"]

#: Documents larger than this are refused before they are read (a 500-page plan is a few MB).
MAX_BYTES = 50 * 1024 * 1024
#: About 2,500 pages of text; keeps the time of one import bounded.
MAX_BLOCKS = 100_000

Reader = Callable[[Path, bytes], list[Block]]

#: Format name → (module, function, what a person calls it).
FORMATS: dict[str, tuple[str, str, str]] = {
    "text": ("cypp.importer.readers.text", "read_text", "text"),
    "pdf": ("cypp.importer.readers.pdf", "read_pdf", "PDF"),
    "docx": ("cypp.importer.readers.docx", "read_docx", "Word (.docx)"),
    "html": ("cypp.importer.readers.html", "read_html", "HTML"),
}
_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_UNSUPPORTED_MAGIC: list[tuple[bytes, str]] = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word (.doc) or Office file; save it as .docx"),
    (b"{\\rtf", "a Rich Text (.rtf) file; save it as .docx or .pdf"),
    (b"\x89PNG", "a PNG image, not a document"),
    (b"\xff\xd8\xff", "a JPEG image, not a document"),
    (b"GIF8", "a GIF image, not a document"),
    (b"\x1f\x8b", "a gzip archive, not a document"),
]


def detect_format(path: Path, data: bytes) -> str:
    """The reader format for ``data``: content signatures first, then the file suffix.

    Raises :class:`DocumentError` for formats that are recognised but not read
    (old ``.doc``, RTF, images, other archives) and unknown suffixes.
    """
    head = data[:2048]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path, data)
    for magic, what in _UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            raise DocumentError(path, f"this is {what}")
    if stripped.startswith((b"<!doctype html", b"<html")) or (
        stripped.startswith(b"<?xml") and b"<html" in stripped
    ):
        return "html"
    suffix = path.suffix.lower()
    if suffix in _SUFFIXES:
        fmt = _SUFFIXES[suffix]
        if fmt in ("pdf", "docx"):
            raise DocumentError(
                path, f"the file is named {suffix} but does not hold a {FORMATS[fmt][2]} document"
            )
        return fmt
    if suffix in ("", ".csv", ".tsv"):
        return "text"
    raise DocumentError(
        path,
        f"files ending {suffix} are not read; use .txt, .md, .pdf, .docx or .html",
    )


def _zip_format(path: Path, data: bytes) -> str:
    try:
        names = zipfile.ZipFile(BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocumentError(path, "the file is a damaged zip or Word file") from None
    if "word/document.xml" in names:
        return "docx"
    if any(name.startswith(("xl/", "ppt/")) for name in names):
        raise DocumentError(
            path, "this is an Excel or PowerPoint file; save the plan as .docx or .pdf"
        )
    raise DocumentError(path, "this is a zip archive, not a Word document")


def _reader(path: Path, fmt: str) -> Reader:
    module_name, function, label = FORMATS[fmt]
    if fmt == "text":
        return read_text
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise DocumentError(
            path, f"reading {label} files is not available in this installation ({error})"
        ) from None
    reader = getattr(module, function, None)
    if reader is None:
        raise DocumentError(path, f"reading {label} files is not available in this installation")
    return reader  # type: ignore[no-any-return]


def read_document(path: str | Path, data: bytes | None = None) -> list[Block]:
    """Read a plan document into blocks, whatever its format.

    ``data`` may be given when the bytes are already in memory (an upload);
    ``path`` then only names the document in messages. Every failure is a
    :class:`DocumentError` with a message for a person, never a library's traceback.
    """
    path = Path(path)
    if data is None:
        data = _read_bytes(path)
    elif len(data) > MAX_BYTES:
        raise DocumentError(path, _too_big(len(data)))
    if not data.strip():
        raise DocumentError(path, "the file is empty")
    fmt = detect_format(path, data)
    reader = _reader(path, fmt)
    try:
        blocks = reader(path, data)
    except DocumentError:
        raise
    except MemoryError:
        raise DocumentError(path, "the document is too large to read") from None
    except RecursionError:
        raise DocumentError(path, "the document is nested too deeply to read") from None
    except Exception as error:  # a reader library failed on a damaged file
        label = FORMATS[fmt][2]
        raise DocumentError(
            path, f"the {label} file could not be read ({type(error).__name__}: {error})"
        ) from None
    if len(blocks) > MAX_BLOCKS:
        raise DocumentError(path, f"the document has more than {MAX_BLOCKS:,} lines")
    if not blocks:
        raise DocumentError(path, "no text was found in the document")
    return blocks


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DocumentError(path, "the file does not exist") from None
    except OSError as error:
        raise DocumentError(path, f"the file cannot be opened ({error.strerror})") from None
    if path.is_dir():
        raise DocumentError(path, "this is a folder, not a document")
    if size > MAX_BYTES:
        raise DocumentError(path, _too_big(size))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise DocumentError(path, f"the file cannot be read ({error.strerror})") from None
    if len(data) > MAX_BYTES:
        raise DocumentError(path, _too_big(len(data)))
    return data


def _too_big(size: int) -> str:
    return (
        f"the file is {size / 1024 / 1024:.0f} MB; documents over "
        f"{MAX_BYTES // 1024 // 1024} MB are not imported (split it or remove images)"
    )

"""PDF, Word and HTML files that are empty, damaged, locked, bombs, huge or misnamed.

Each import ends in a clear DocumentError naming the file, or in a correct result
read in bounded time; never a library's traceback.
"""

from __future__ import annotations

import struct
import time
import zipfile
from io import BytesIO
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from cypp.importer.blocks import BlockKind
from cypp.importer.errors import DocumentError
from cypp.importer.pipeline import import_document
from cypp.importer.readers import docx as docx_reader
from cypp.importer.readers import pdf as pdf_reader
from cypp.importer.readers import read_document

MEASURE = "A decrease in hospital admissions for self-harm from 412 in 2014 to 380 in 2016/17"


def error_for(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        import_document(path)
    message = str(caught.value)
    assert message.startswith(path.name + ": "), message
    assert "Traceback" not in message
    return message


def pdf_pages(pages: int, lines: int = 3) -> bytes:
    """A plan-like PDF: each page a heading, a lead-in and bullets."""
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for page in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, 780, f"Priority {page}: Healthy Lives")
        c.setFont("Helvetica", 10)
        c.drawString(72, 750, "How will success be measured?")
        for n in range(lines):
            c.drawString(80, 730 - 16 * n, "\u2022")
            c.drawString(92, 730 - 16 * n, MEASURE)
        c.showPage()
    c.save()
    return out.getvalue()


def docx_bytes(text: str = MEASURE) -> bytes:
    d = docx.Document()
    d.add_heading("How will success be measured?", level=2)
    d.add_paragraph(text, style="List Bullet")
    out = BytesIO()
    d.save(out)
    return out.getvalue()


# --- empty and damaged -------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan.pdf", "plan.docx", "plan.html"])
@pytest.mark.parametrize("content", [b"", b"  \n\t "])
def test_empty_files(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert "empty" in error_for(path)


def test_pdf_of_garbage(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    message = error_for(path)
    assert "damaged" in message or "no pages" in message


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_refused_or_read(tmp_path: Path, keep: float) -> None:
    data = pdf_pages(5)
    path = tmp_path / "plan.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    try:
        result = import_document(path)
    except DocumentError as error:
        assert str(error).startswith("plan.pdf: ")
        assert any(w in str(error) for w in ("damaged", "no text", "no pages")), str(error)
    else:  # pdfminer recovered the pages that survive: what it read must be right
        assert all(m["quote"] == MEASURE for m in result.measures)


def test_pdf_without_text(tmp_path: Path) -> None:
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.rect(100, 100, 300, 300, fill=1)
    c.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(out.getvalue())
    assert "no text" in error_for(path)


def test_word_file_with_broken_xml(tmp_path: Path) -> None:
    source = zipfile.ZipFile(BytesIO(docx_bytes()))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(info.filename, data)
    path = tmp_path / "plan.docx"
    path.write_bytes(out.getvalue())
    assert "damaged" in error_for(path)


# --- locked PDFs ----------------------------------------------------------------------


def encrypted(data: bytes, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted(pdf_pages(1), "secret", "owner"))
    assert "password" in error_for(path)


def test_pdf_encrypted_only_against_editing_is_read(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    path.write_bytes(encrypted(pdf_pages(1), "", "owner"))
    result = import_document(path)
    assert [m["quote"] for m in result.measures] == [MEASURE] * 3


# --- zip bombs ------------------------------------------------------------------------


def zip_with(member: str, size: int, extra: bytes = b"") -> bytes:
    """A Word-looking zip whose ``member`` unpacks to ``size`` bytes of spaces."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(member, "w", force_zip64=True) as handle:
            chunk = b" " * (1024 * 1024)
            for _ in range(size // len(chunk)):
                handle.write(chunk)
        if member != "word/document.xml":
            z.writestr("word/document.xml", extra or b"<w:document/>")
    return out.getvalue()


def test_zip_bomb_word_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(zip_with("word/document.xml", 100 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024  # 100 MB packed into well under 1 MB
    started = time.perf_counter()
    message = error_for(path)
    assert "zip bomb" in message and "word/document.xml" in message
    assert time.perf_counter() - started < 5  # refused from the directory, not unpacked


def test_highly_compressed_part_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(zip_with("word/media/image1.png", 20 * 1024 * 1024))
    message = error_for(path)
    assert "zip bomb" in message and "compressed" in message


def test_many_parts_adding_up_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_TOTAL_BYTES", 1024 * 1024)
    path = tmp_path / "plan.docx"
    path.write_bytes(docx_bytes("x" * 2_000_000))
    assert "zip bomb" in error_for(path)


def test_zip_directory_that_understates_sizes_cannot_unpack_more(tmp_path: Path) -> None:
    """A bomb may declare small sizes; the zip reader stops at them and the file is damaged."""
    source = zipfile.ZipFile(BytesIO(docx_bytes()))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * 30_000_000)
            target.writestr(info.filename, data)
    data = bytearray(out.getvalue())
    directory = zipfile.ZipFile(BytesIO(bytes(data)))
    real = directory.getinfo("word/document.xml").file_size
    packed = struct.pack("<I", real)
    lie = struct.pack("<I", 5000)
    # Rewrite the declared size in the local header and the central directory.
    assert data.count(packed) >= 2
    data = bytearray(bytes(data).replace(packed, lie))
    path = tmp_path / "plan.docx"
    path.write_bytes(bytes(data))
    started = time.perf_counter()
    assert "damaged" in error_for(path)
    assert time.perf_counter() - started < 5


# --- long documents -------------------------------------------------------------------


def test_pdf_over_the_page_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 3)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_pages(4))
    message = error_for(path)
    assert "4 pages" in message and "over 3 pages" in message


def test_reading_stops_at_the_time_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "TIME_BUDGET", 0.0)
    path = tmp_path / "slow.pdf"
    path.write_bytes(pdf_pages(2))
    assert "reading stopped after" in error_for(path)


@pytest.mark.slow
def test_five_hundred_page_pdf_is_read_in_bounded_time(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_pages(500, lines=2))
    started = time.perf_counter()
    blocks = read_document(path)
    seconds = time.perf_counter() - started
    headings = [b for b in blocks if b.kind is BlockKind.HEADING]
    assert len(headings) == 500
    assert [h.page for h in headings] == list(range(1, 501))
    assert sum(b.kind is BlockKind.BULLET for b in blocks) == 1000
    assert seconds < pdf_reader.TIME_BUDGET


@pytest.mark.slow
def test_501_page_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_pages(501, lines=0))
    assert "501 pages" in error_for(path)


# --- content that does not match the name ---------------------------------------------


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(pdf_pages(1))
    assert [m["quote"] for m in import_document(path).measures] == [MEASURE] * 3


def test_word_file_named_pdf_is_read_as_word(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(docx_bytes())
    assert [m["quote"] for m in import_document(path).measures] == [MEASURE]


def test_web_page_named_docx_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_text(
        f"<!DOCTYPE html><h2>How will success be measured?</h2><ul><li>{MEASURE}</li></ul>",
        encoding="utf-8",
    )
    assert [m["quote"] for m in import_document(path).measures] == [MEASURE]


@pytest.mark.parametrize("name", ["plan.pdf", "plan.docx"])
def test_text_named_as_pdf_or_word(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(MEASURE, encoding="utf-8")
    assert "does not hold" in error_for(path)


def test_binary_named_html(tmp_path: Path) -> None:
    path = tmp_path / "plan.html"
    path.write_bytes(bytes(range(1, 256)) * 100)
    assert "not readable text" in error_for(path)


def test_page_with_too_many_characters_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CHARS", 100)
    path = tmp_path / "dense.pdf"
    path.write_bytes(pdf_pages(1))
    assert "more than 100 characters" in error_for(path)

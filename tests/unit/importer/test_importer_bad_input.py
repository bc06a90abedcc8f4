"""Documents that are empty, binary, oddly encoded, huge or of the wrong kind.

Each gives a clear DocumentError naming the file, or a correct, bounded result.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cypp.importer import readers
from cypp.importer.errors import DocumentError
from cypp.importer.pipeline import import_document
from cypp.importer.readers import detect_format, read_document
from tests.paths import SHARED

PLAN_TEXT = (
    "Healthy Lives\n\n"
    "How will success be measured?\n\n"
    "- A decrease in hospital admissions for self-harm from 412 per 100,000 in 2014 "
    "to 380 per 100,000 in 2016/17\n"
    "- Reduce obesity (19.4% to 18%)\n"
    "- Young people’s emotional wellbeing café – 95% satisfied\n"
)


def error_for(path: Path) -> str:
    with pytest.raises(DocumentError) as caught:
        import_document(path)
    message = str(caught.value)
    assert message.startswith(path.name + ": ")
    assert "Traceback" not in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in error_for(tmp_path / "nowhere.txt")


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "plan.txt"
    folder.mkdir()
    assert "folder" in error_for(folder)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "empty" in error_for(path)


def test_binary_data_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(bytes(range(256)) * 64)
    assert "binary" in error_for(path)


def test_image_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    assert "PNG image" in error_for(path)


def test_old_word_format(tmp_path: Path) -> None:
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500)
    assert "save it as .docx" in error_for(path)


def test_zip_that_is_not_word(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "not a Word document" in error_for(path)


def test_damaged_zip(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "damaged" in error_for(path)


def test_pdf_suffix_without_pdf_content(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_text("just text", encoding="utf-8")
    assert "does not hold a PDF" in error_for(path)


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "plan.xyz"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    assert ".xyz" in error_for(path)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("cp1252", b""),
        ("utf-16", b""),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_encodings_read_the_same(tmp_path: Path, encoding: str, bom: bytes) -> None:
    reference = tmp_path / "utf8.txt"
    reference.write_text(PLAN_TEXT, encoding="utf-8")
    other = tmp_path / f"{encoding}.txt"
    other.write_bytes(bom + PLAN_TEXT.replace("\n", "\r\n").encode(encoding))
    expected = import_document(reference).measures
    got = import_document(other).measures
    assert [m["name"] for m in got] == [m["name"] for m in expected]
    assert [m["quote"] for m in got] == [m["quote"] for m in expected]
    assert [b.text for b in read_document(other)] == [b.text for b in read_document(reference)]
    assert any("people’s emotional wellbeing café –" in b.text for b in read_document(other))


def test_latin1_text_without_declared_encoding(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    text = PLAN_TEXT + "- Children's centres in Telford & Wrekin – £2m invested\n"
    path.write_bytes(text.encode("cp1252"))
    blocks = read_document(path)
    assert any("£2m" in b.text for b in blocks)


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT * 20, encoding="utf-8")
    assert "are not imported" in error_for(path)


def test_uploaded_bytes_over_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    with pytest.raises(DocumentError, match="are not imported"):
        read_document(Path("upload.txt"), (PLAN_TEXT * 20).encode())


def test_too_many_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_BLOCKS", 10)
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT * 5, encoding="utf-8")
    assert "more than 10 lines" in error_for(path)


def test_missing_reader_gives_a_plain_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        readers.FORMATS, "pdf", ("cypp.importer.readers.no_such_reader", "read_pdf", "PDF")
    )
    with pytest.raises(DocumentError, match="reading PDF files is not available"):
        read_document(Path("plan.pdf"), b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n")


def test_reader_failure_becomes_a_document_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, data: bytes) -> list[object]:
        raise KeyError("xref")

    monkeypatch.setattr(readers, "_reader", lambda path, fmt: broken)
    with pytest.raises(DocumentError, match=r"could not be read \(KeyError"):
        read_document(Path("plan.txt"), b"hello")


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("plan.txt", b"%PDF-1.7\n", "pdf"),
        ("plan", b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("plan.md", b"# Plan\n", "text"),
        ("plan.htm", b"<p>x</p>", "html"),
        ("plan", b"Plan text", "text"),
    ],
)
def test_content_decides_before_the_suffix(name: str, data: bytes, fmt: str) -> None:
    assert detect_format(Path(name), data) == fmt


@pytest.mark.slow
def test_five_hundred_pages_of_text_is_bounded(tmp_path: Path) -> None:
    source = (SHARED / "plans" / "docs" / "002_c99d9787d6d769f6.txt").read_text(encoding="utf-8")
    path = tmp_path / "long.txt"
    path.write_text((source + "\n") * 30, encoding="utf-8")  # about 19,000 lines, 500 pages
    result = import_document(path)
    single = import_document(SHARED / "plans" / "docs" / "002_c99d9787d6d769f6.txt")
    # Every repetition is read the same way: the result grows linearly, nothing is lost.
    assert len(result.measures) == 30 * len(single.measures)
    assert result.plan["themes"]

"""Tagged PDF board pack: its text (pdftotext) and its structure tree (headings, figures)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from cypp.reports.model import BoardPack
from cypp.reports.pdf import render_pdf

pytestmark = pytest.mark.slow

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


@pytest.fixture(scope="module")
def pdf(pack: BoardPack) -> bytes:
    return render_pdf(pack)


@pytest.fixture(scope="module")
def text(pdf: bytes, tmp_path_factory: pytest.TempPathFactory) -> str:
    if not Path(PDFTOTEXT).exists():
        pytest.fail("pdftotext (poppler-utils) is needed to check PDF reports")
    path = tmp_path_factory.mktemp("pdf") / "pack.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _elements(node: object) -> list[DictionaryObject]:
    """Every structure element under ``node``, depth first in reading order."""
    found: list[DictionaryObject] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            item = item.get_object()
        if isinstance(item, ArrayObject):
            stack.extend(reversed(list(item)))
        elif isinstance(item, DictionaryObject) and "/S" in item:
            found.append(item)
            if "/K" in item:
                stack.append(item["/K"])
        elif isinstance(item, DictionaryObject) and "/K" in item:
            stack.append(item["/K"])
    return found


@pytest.fixture(scope="module")
def structure(pdf: bytes) -> list[DictionaryObject]:
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root, "the PDF is not tagged"
    return _elements(root["/StructTreeRoot"])


def test_pdf_text_holds_measures_values_and_ratings(text: str, pack: BoardPack) -> None:
    assert pack.heading.split(":")[0] in text
    for measure in pack.measures()[:6]:
        assert measure.name in text
    assert "405 per 10,000" in text
    assert "377.5 per 10,000 or lower by 2014/15" in text
    assert "13.5%" in text
    assert "Red" in text and "Green" in text
    assert "Not yet recorded" in text


def test_pdf_is_pdf_ua_with_language_and_title(pdf: bytes, pack: BoardPack) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert str(root["/Lang"]).lower().startswith("en")
    assert reader.metadata is not None and reader.metadata.title == pack.heading
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp


def test_structure_tree_has_headings_in_order(structure: list[DictionaryObject]) -> None:
    tags = [str(e["/S"]) for e in structure]
    headings = [t for t in tags if t in ("/H1", "/H2", "/H3", "/H4")]
    assert headings[0] == "/H1" and headings.count("/H1") == 1
    assert headings.count("/H2") >= 10
    assert "/H3" in headings and "/H4" in headings
    assert "/Table" in tags and "/TH" in tags and "/Caption" in tags


def test_every_figure_has_alternate_text(
    structure: list[DictionaryObject], pack: BoardPack
) -> None:
    figures = [e for e in structure if str(e["/S"]) == "/Figure"]
    alts = {str(f.get("/Alt", "")) for f in figures}
    expected = {m.chart_alt for m in pack.measures() if any(p.value for p in m.series)}
    assert len(expected) == 4
    assert expected <= alts
    assert all(f.get("/Alt") for f in figures)

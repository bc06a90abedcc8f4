"""Word board pack: real heading styles, repeating table header rows, pictures with alt text."""

from __future__ import annotations

import io
import itertools

import pytest
from docx import Document
from docx.oxml.ns import qn

from cypp.reports.docx import render_docx
from cypp.reports.model import BoardPack


@pytest.fixture(scope="module")
def document(pack: BoardPack):
    return Document(io.BytesIO(render_docx(pack)))


def test_headings_use_word_heading_styles_in_order(document, pack: BoardPack) -> None:
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]  # fmt: skip
    assert headings[0] == ("Heading 1", pack.heading)
    assert [t for s, t in headings if s == "Heading 2"] == [
        "Summary", "Exceptions", *(t.title for t in pack.themes),
        "Annual review: we said, we did", "Actions tracker", "About this report",
    ]  # fmt: skip
    levels = [int(s.split()[-1]) for s, _ in headings]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert ("Heading 4", "Hospital admissions as a result of self-harm (10-24 years)") in headings


def test_every_table_has_a_repeating_header_row_and_a_title(document) -> None:
    assert len(document.tables) > 10
    for table in document.tables:
        first = table.rows[0]._tr
        header = first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
        assert header is not None and header.get(qn("w:val")) == "true"
        assert table._tbl.tblPr.find(qn("w:tblCaption")) is not None
        assert all(run.bold for cell in table.rows[0].cells for p in cell.paragraphs
                   for run in p.runs)  # fmt: skip


def test_table_captions_use_the_caption_style(document) -> None:
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Measures by rating and priority" in captions
    assert (
        "Hospital admissions as a result of self-harm (10-24 years): figures by period" in captions
    )


def test_charts_are_pictures_with_alternative_text(document, pack: BoardPack) -> None:
    shapes = document.inline_shapes
    expected = [m.chart_alt for m in pack.measures() if any(p.value for p in m.series)]
    assert len(shapes) == len(expected) == 4
    assert [s._inline.docPr.get("descr") for s in shapes] == expected


def test_ratings_are_text_in_the_scorecard(document) -> None:
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    m01 = next(r for r in rows if r[0].startswith("Hospital admissions as a result of self-harm"))
    assert m01[1:] == ["405 per 10,000", "377.5 per 10,000 or lower by 2014/15", "Red",
                       "Worsening"]  # fmt: skip

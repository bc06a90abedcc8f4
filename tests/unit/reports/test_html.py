"""HTML board pack: heading order, table captions and scopes, chart alternatives, words for RAG."""

from __future__ import annotations

import itertools

import pytest
from lxml import html as lxml_html

from cypp.reports.html import render_html
from cypp.reports.model import BoardPack

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def document(pack: BoardPack) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(render_html(pack))


def test_document_has_language_title_and_one_h1(document, pack: BoardPack) -> None:
    assert document.get("lang") == "en-GB"
    assert document.findtext(".//title") == pack.heading
    h1 = document.findall(".//h1")
    assert len(h1) == 1 and h1[0].text_content() == pack.heading


def test_headings_never_skip_a_level(document) -> None:
    levels = [int(h.tag[1]) for h in document.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"h{before} followed by h{after}"


def test_sections_come_in_order(document, pack: BoardPack) -> None:
    h2 = [h.text_content() for h in document.iter("h2")]
    themes = [t.title for t in pack.themes]
    assert h2 == ["Summary", "Exceptions", *themes, "Annual review: we said, we did",
                  "Actions tracker", "About this report"]  # fmt: skip


def test_every_table_has_a_caption_and_scoped_headers(document) -> None:
    tables = document.findall(".//table")
    assert len(tables) > 10
    for table in tables:
        caption = table.find("caption")
        assert caption is not None and caption.text_content().strip()
        headers = table.findall(".//th")
        assert headers, "a table without header cells"
        for th in headers:
            assert th.get("scope") in ("col", "row")
        assert all(th.get("scope") == "col" for th in table.findall("thead//th"))
        assert all(th.get("scope") == "row" for th in table.findall("tbody//th"))


def test_every_chart_has_a_text_alternative(document, pack: BoardPack) -> None:
    charts = document.findall(".//figure")
    with_data = [m for m in pack.measures() if any(p.value is not None for p in m.series)]
    assert len(charts) == len(with_data) == 4
    for figure, measure in zip(charts, with_data, strict=True):
        svg = figure.find(f"{SVG}svg")
        if svg is None:  # lxml's HTML parser drops the namespace
            svg = figure.find("svg")
        assert svg is not None
        assert svg.get("role") == "img"
        title_id = svg.get("aria-labelledby")
        title = document.get_element_by_id(title_id)
        assert title.tag.endswith("title") and title.text_content() == measure.chart_alt
        assert figure.find("figcaption").text_content().startswith(measure.name)


def test_ratings_are_written_in_words_inside_coloured_tags(document) -> None:
    tags = document.find_class("govuk-tag")
    assert tags
    for tag in tags:
        assert tag.text_content().strip() in {
            "Red", "Amber", "Green", "Awaiting data", "Not comparable", "Narrative",
            "No target", "Target to be confirmed",
        }  # fmt: skip
    red = [t for t in tags if "govuk-tag--red" in t.get("class")]
    assert red and all(t.text_content() == "Red" for t in red)


def test_scorecard_rows_show_value_target_and_direction(document) -> None:
    row = document.xpath("//tr[th/a[@href='#measure-m01']]")[0]
    cells = [c.text_content().strip() for c in row.findall("td")]
    assert cells[0] == "405 per 10,000 (2014/15)"
    assert cells[1] == "377.5 per 10,000 or lower by 2014/15"
    assert cells[2] == "Red"
    assert cells[3] == "Worsening"


def _summary(document, element_id: str) -> dict[str, str]:
    dl = document.get_element_by_id(element_id).getnext()
    keys = [" ".join(dt.text_content().split()) for dt in dl.iter("dt")]
    values = [" ".join(dd.text_content().split()) for dd in dl.iter("dd")]
    return dict(zip(keys, values, strict=True))


def test_exceptions_show_missing_details(document) -> None:
    missing = _summary(document, "exception-m04")
    assert missing["Cause"] == "Not yet recorded"
    assert missing["Review date"] == "Not yet recorded"
    done = _summary(document, "exception-m01")
    assert done["Review date"] == "30 September 2015"
    assert done["Owner"] == "Public health"
    assert done["Why it is listed"].startswith("Red rating; Worsening")


def test_fragment_leaves_out_the_page_shell(pack: BoardPack) -> None:
    fragment = render_html(pack, standalone=False, charts={})
    assert "<html" not in fragment and "<h1" in fragment and "<figure" not in fragment

"""Print layout of the board pack: short figures tables, pictures for charts, a pointer to Excel."""

from __future__ import annotations

import base64
import html

import pytest
from lxml import html as lxml_html

from cypp.reports import html as report_html
from cypp.reports.charts import chart_img, has_chart
from cypp.reports.model import BoardPack


@pytest.fixture
def printed(pack: BoardPack, monkeypatch: pytest.MonkeyPatch) -> lxml_html.HtmlElement:
    monkeypatch.setattr(report_html, "PRINT_PERIODS", 2)
    charts = {m.id: f'<img alt="{m.id}">' for m in pack.measures() if has_chart(m)}
    return lxml_html.document_fromstring(
        report_html.render_html(pack, for_print=True, charts=charts)
    )


def test_print_tables_hold_only_the_latest_periods(printed, pack: BoardPack) -> None:
    tables = printed.find_class("cypp-data")
    with_series = [m for m in pack.measures() if m.series]
    assert len(tables) == len(with_series) >= 4
    for table, measure in zip(tables, with_series, strict=True):
        periods = [th.text_content() for th in table.xpath("./tbody/tr/th")]
        assert periods == [p.period for p in measure.series[-2:]]
        heads = [th.text_content() for th in table.xpath("./thead/tr/th")]
        assert heads[0] == "Period" and not any("confidence" in h for h in heads)
        assert all(th.get("scope") for th in table.xpath(".//th"))
        if len(measure.series) > 2:
            caption = table.findtext("caption")
            assert caption.endswith(f"last 2 of {len(measure.series)} periods")


def test_print_says_where_every_period_is(printed) -> None:
    text = " ".join(printed.text_content().split())
    assert "latest 2 periods" in text
    assert "Excel board pack" in text


def test_screen_tables_keep_every_period(pack: BoardPack) -> None:
    document = lxml_html.document_fromstring(report_html.render_html(pack))
    tables = document.find_class("cypp-data")
    rows = [len(t.xpath("./tbody/tr")) for t in tables]
    assert rows == [len(m.series) for m in pack.measures() if m.series]


def test_chart_picture_is_jpeg_with_the_chart_sentence(pack: BoardPack) -> None:
    line = next(m for m in pack.measures() if has_chart(m))
    img = lxml_html.fragment_fromstring(chart_img(line))
    assert img.get("alt") == line.chart_alt
    prefix = "data:image/jpeg;base64,"
    assert img.get("src").startswith(prefix)
    assert base64.b64decode(img.get("src")[len(prefix) :])[:3] == b"\xff\xd8\xff"
    assert html.unescape(img.get("alt")) == line.chart_alt


def test_a_chart_is_drawn_once_and_the_cache_can_be_emptied(
    pack: BoardPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cypp.reports import charts

    line = next(m for m in pack.measures() if has_chart(m))
    drawn: list[str] = []
    real = charts.print_picture

    def counted(svg: str) -> bytes:
        drawn.append(svg)
        return real(svg)

    monkeypatch.setattr(charts, "print_picture", counted)
    charts.forget_drawn_charts()
    first = chart_img(line)
    assert chart_img(line) == first
    assert len(drawn) == 1
    charts.forget_drawn_charts()
    assert charts.printed_picture(charts.print_key(charts.print_svg(line))) is None
    chart_img(line)
    assert len(drawn) == 2

"""The HTML reader on small hand-written pages: headings, lists, tables, encodings."""

from __future__ import annotations

from pathlib import Path

from cypp.importer.blocks import Block, BlockKind
from cypp.importer.readers import read_document
from cypp.importer.readers.html import read_html


def read(page: str | bytes) -> list[Block]:
    data = page.encode("utf-8") if isinstance(page, str) else page
    return read_html(Path("plan.html"), data)


def kinds(blocks: list[Block]) -> list[tuple[str, int, str]]:
    return [(b.kind.value, b.level, b.text) for b in blocks]


PAGE = """<!DOCTYPE html>
<html><head><title>Not content</title><style>p { color: red }</style></head>
<body>
<script>var measures = "not a measure 50%";</script>
<h1>Children and Young People&#8217;s Plan</h1>
<h2>Healthy Lives</h2>
<p>Our vision is that <strong>every child</strong> is healthy.</p>
<p><b>Cross Cutting: Early help for all who need it</b></p>
<h3>Partners will work together to:</h3>
<ul>
  <li>Reduce obesity (19.4% to 18%)</li>
  <li>Support transitions
    <ul><li>starting school</li><li>changing school</li></ul>
  </li>
</ul>
<ol><li>Agree the plan</li></ol>
<p>First line<br>Second line</p>
</body></html>
"""


def test_headings_paragraphs_and_nested_lists() -> None:
    blocks = read(PAGE)
    assert kinds(blocks) == [
        ("heading", 1, "Children and Young People’s Plan"),
        ("heading", 2, "Healthy Lives"),
        ("paragraph", 0, "Our vision is that every child is healthy."),
        ("paragraph", 0, "Cross Cutting: Early help for all who need it"),
        ("heading", 3, "Partners will work together to:"),
        ("bullet", 0, "Reduce obesity (19.4% to 18%)"),
        ("bullet", 0, "Support transitions"),
        ("bullet", 1, "starting school"),
        ("bullet", 1, "changing school"),
        ("bullet", 0, "Agree the plan"),
        ("paragraph", 0, "First line"),
        ("paragraph", 0, "Second line"),
    ]
    assert [b.bold for b in blocks[2:4]] == [False, True]
    assert blocks[0].line == 5  # the source line a reviewer can find


def test_table_rows_with_header_and_cell_items() -> None:
    blocks = read(
        """<table>
        <thead><tr><th>MEASURES</th><th>CURRENT POSITION</th><th>TARGET</th></tr></thead>
        <tbody>
        <tr><td>% LAC immunised</td><td>92.3%</td><td>100%</td></tr>
        <tr><td><b>Children and young people's voice</b>
              <ul><li>• Young carers feel supported</li><li>Annual Report</li></ul></td>
            <td></td><td>100% Narrative shows improvement</td></tr>
        <tr><td>Unclosed cell<td>5%
        </tbody></table>
        <p>After the table</p>"""
    )
    rows = [b for b in blocks if b.kind is BlockKind.TABLE_ROW]
    assert [r.cells for r in rows] == [
        ("MEASURES", "CURRENT POSITION", "TARGET"),
        ("% LAC immunised", "92.3%", "100%"),
        (
            "Children and young people's voice • Young carers feel supported • Annual Report",
            "",
            "100% Narrative shows improvement",
        ),
        ("Unclosed cell", "5%"),
    ]
    assert rows[0].bold and not rows[1].bold
    assert rows[2].cell_items[0] == (
        "Children and young people's voice",
        "Young carers feel supported",
        "Annual Report",
    )
    assert blocks[-1].text == "After the table"


def test_declared_charset_is_used() -> None:
    page = (
        '<html><head><meta charset="windows-1252"></head>'
        "<body><p>Young people\u2019s caf\u00e9 \u2013 95% satisfied</p></body></html>"
    ).encode("cp1252")
    assert [b.text for b in read(page)] == ["Young people\u2019s caf\u00e9 \u2013 95% satisfied"]


def test_utf16_page_and_dispatch_by_content(tmp_path: Path) -> None:
    path = tmp_path / "plan.html"
    path.write_bytes(("\ufeff" + PAGE).encode("utf-16-le"))
    assert kinds(read_document(path))[:2] == [
        ("heading", 1, "Children and Young People’s Plan"),
        ("heading", 2, "Healthy Lives"),
    ]
    misnamed = tmp_path / "plan.txt"
    misnamed.write_text(PAGE, encoding="utf-8")
    assert read_document(misnamed)[1].kind is BlockKind.HEADING


def test_broken_and_deeply_nested_markup_is_bounded() -> None:
    page = "<div>" * 50_000 + "<p>Deep text" + "</div>" * 10 + "<li>stray item"
    assert [b.text for b in read(page)] == ["Deep text", "stray item"]


def test_table_nested_in_a_cell_stays_in_the_cell() -> None:
    blocks = read(
        "<table><tr><td>Outer name<table><tr><td>inner a</td><td>inner b</td></tr></table>"
        "</td><td>10%</td></tr><tr><td>Next</td><td>5%</td></tr></table>"
    )
    assert [b.cells for b in blocks] == [
        ("Outer name inner a inner b", "10%"),
        ("Next", "5%"),
    ]

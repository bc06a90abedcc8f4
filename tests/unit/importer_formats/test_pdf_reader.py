"""The PDF reader on small hand-made documents: headings, bullets, tables, pages."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from cypp.importer.blocks import Block, BlockKind
from cypp.importer.readers.pdf import read_pdf

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceAfter=8)
BOLD = ParagraphStyle("bold", parent=BODY, fontName="Helvetica-Bold")
H1 = ParagraphStyle("h1", parent=BODY, fontName="Helvetica-Bold", fontSize=20, leading=24)
H2 = ParagraphStyle("h2", parent=BODY, fontName="Helvetica-Bold", fontSize=15, leading=18)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=18, bulletIndent=6)
SUB_BULLET = ParagraphStyle("sub", parent=BODY, leftIndent=42, bulletIndent=30)

LONG = (
    "Reduce the number of first time entrants to the youth justice system aged 10-17 "
    "by working with schools, the police and families in every district of the county"
)


def build(story: list[object]) -> bytes:
    out = BytesIO()

    def footer(c: canvas.Canvas, doc: SimpleDocTemplate) -> None:
        c.setFont("Helvetica", 8)
        c.drawCentredString(A4[0] / 2, 30, f"Page {doc.page}")

    SimpleDocTemplate(out, pagesize=A4).build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def read(data: bytes) -> list[Block]:
    return read_pdf(Path("plan.pdf"), data)


def kinds(blocks: list[Block]) -> list[tuple[str, int, str]]:
    return [(b.kind.value, b.level, b.text) for b in blocks]


def test_heading_levels_from_font_size_and_bold_paragraphs() -> None:
    blocks = read(
        build(
            [
                Paragraph("Healthy Lives", H1),
                Paragraph("Outcomes", H2),
                Paragraph("Children are a healthy weight", BODY),
                Paragraph("Cross Cutting: Early help for all who need it", BOLD),
                Paragraph(LONG + ". " + LONG + ".", BODY),
            ]
        )
    )
    assert kinds(blocks) == [
        ("heading", 1, "Healthy Lives"),
        ("heading", 2, "Outcomes"),
        ("paragraph", 0, "Children are a healthy weight"),
        ("paragraph", 0, "Cross Cutting: Early help for all who need it"),
        ("paragraph", 0, LONG + ". " + LONG + "."),  # wrapped lines joined
    ]
    assert [b.bold for b in blocks] == [True, True, False, True, False]
    assert all(b.page == 1 for b in blocks)


def test_bullets_with_wrapped_lines_and_depth() -> None:
    blocks = read(
        build(
            [
                Paragraph("Partners will work together to:", BODY),
                Paragraph(LONG, BULLET, bulletText="•"),
                Paragraph("Reduce obesity (19.4% to 18%)", BULLET, bulletText="•"),
                Paragraph("starting school", SUB_BULLET, bulletText="-"),
                Paragraph("After the list.", BODY),
            ]
        )
    )
    assert kinds(blocks) == [
        ("paragraph", 0, "Partners will work together to:"),
        ("bullet", 0, LONG),
        ("bullet", 0, "Reduce obesity (19.4% to 18%)"),
        ("bullet", 1, "starting school"),
        ("paragraph", 0, "After the list."),
    ]
    assert blocks[1].quote == LONG


def test_ruled_table_rows_have_cells_and_cell_items() -> None:
    label = ParagraphStyle("label", parent=BOLD, fontSize=9)
    cell = ParagraphStyle("cell", parent=BODY, fontSize=9, spaceAfter=2)
    item = ParagraphStyle("item", parent=cell, leftIndent=10, bulletIndent=0)
    data = [
        [Paragraph("MEASURES", label), Paragraph("CURRENT POSITION", label), "TARGET"],
        [Paragraph(LONG, cell), Paragraph("23.5%", cell), Paragraph("-5%", cell)],
        [
            [
                Paragraph("Children and young people's voice", label),
                Paragraph("Young carers feel supported", item, bulletText="•"),
                Paragraph("Annual Report on participation", item, bulletText="•"),
            ],
            "",
            Paragraph("100% Narrative shows improvement", cell),
        ],
    ]
    table = Table(data, colWidths=[250, 110, 110])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    blocks = read(build([Paragraph("Measuring our success", H2), table]))
    assert blocks[0].kind is BlockKind.HEADING
    rows = blocks[1:]
    assert [b.kind for b in rows] == [BlockKind.TABLE_ROW] * 3
    assert rows[0].cells[:2] == ("MEASURES", "CURRENT POSITION")
    assert rows[1].cells == (LONG, "23.5%", "-5%")
    assert rows[1].text == f"{LONG}\t23.5%\t-5%"
    assert rows[2].cells == (
        "Children and young people's voice • Young carers feel supported "
        "• Annual Report on participation",
        "",
        "100% Narrative shows improvement",
    )
    assert rows[2].cell_items[0] == (
        "Children and young people's voice",
        "Young carers feel supported",
        "Annual Report on participation",
    )


def test_borderless_columns_become_table_rows() -> None:
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica", 10)
    y = 760
    c.drawString(72, y + 30, "How will success be measured?")
    for name, base, target in [
        ("Measure", "Baseline", "Target"),
        ("% Mothers initiating breastfeeding", "68.5%", "80%"),
        ("Chlamydia detection rate per 100,000", "1,900", "2,300"),
    ]:
        c.drawString(72, y, name)
        c.drawString(330, y, base)
        c.drawString(430, y, target)
        y -= 16
    c.save()
    blocks = read(out.getvalue())
    assert blocks[0].kind is BlockKind.PARAGRAPH
    assert [b.cells for b in blocks[1:]] == [
        ("Measure", "Baseline", "Target"),
        ("% Mothers initiating breastfeeding", "68.5%", "80%"),
        ("Chlamydia detection rate per 100,000", "1,900", "2,300"),
    ]


def test_pages_numbered_footers_dropped_and_text_carried_over_pages() -> None:
    story: list[object] = [Paragraph("First page", H1)]
    story += [Paragraph(f"Paragraph {n} of the plan.", BODY) for n in range(3)]
    story += [PageBreak(), Paragraph("Second page", H1), Paragraph("Closing words.", BODY)]
    story += [PageBreak(), Paragraph("Third page", H1)]
    blocks = read(build(story))
    texts = [b.text for b in blocks]
    assert not any(t.startswith("Page ") for t in texts), texts
    assert [(b.text, b.page) for b in blocks if b.kind is BlockKind.HEADING] == [
        ("First page", 1),
        ("Second page", 2),
        ("Third page", 3),
    ]


def test_hyphenated_line_ends_are_mended() -> None:
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(72, 760, "Improve the emotional well-being of looked after chil-")
    c.drawString(72, 748, "dren and young people in the county")
    c.save()
    assert [b.text for b in read(out.getvalue())] == [
        "Improve the emotional well-being of looked after children and young people in the county"
    ]


@pytest.mark.parametrize("glyph", ["\u2022", "\u25cf", "\u25aa"])
def test_bullet_glyphs(glyph: str) -> None:
    from tests.unit.importer_formats.render import _fonts

    regular, _, _ = _fonts()
    style = ParagraphStyle("b", parent=BULLET, fontName=regular, bulletFontName=regular)
    blocks = read(build([Paragraph("Reduce obesity (19.4% to 18%)", style, bulletText=glyph)]))
    assert kinds(blocks) == [("bullet", 0, "Reduce obesity (19.4% to 18%)")]


def test_running_header_repeated_on_every_page_is_dropped() -> None:
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for page in range(1, 5):
        c.setFont("Helvetica", 8)
        c.drawString(72, 815, "Children and Young People's Plan 2014-2017")
        c.setFont("Helvetica", 10)
        c.drawString(72, 700, f"Text of page {page}.")
        c.showPage()
    c.save()
    blocks = read(out.getvalue())
    assert [(b.text, b.page) for b in blocks] == [(f"Text of page {n}.", n) for n in range(1, 5)]


def grid(
    c: canvas.Canvas,
    top: float,
    rows: list[tuple[str, str]],
    *,
    top_rule: bool = True,
    bottom_rule: bool = True,
) -> None:
    """A two-column ruled table drawn line by line, as some PDF producers do."""
    xs, height = (72.0, 330.0, 520.0), 20.0
    bottom = top - height * len(rows)
    for x in xs:
        c.line(x, top, x, bottom)
    for n in range(len(rows) + 1):
        y = top - height * n
        if (n == 0 and not top_rule) or (n == len(rows) and not bottom_rule):
            continue
        c.line(xs[0], y, xs[-1], y)
    c.setFont("Helvetica", 9)
    for n, (name, target) in enumerate(rows):
        y = top - height * n - 14
        c.drawString(xs[0] + 3, y, name)
        c.drawString(xs[1] + 3, y, target)


def test_table_row_split_by_a_page_break_is_one_row() -> None:
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    grid(c, 700, [("Measure", "Target"), ("% Mothers initiating breastfeeding", "80%"),
                  ("", "<23.2 (2013)")], bottom_rule=False)  # fmt: skip
    c.showPage()
    grid(c, 800, [("Teenage conceptions per 1,000 girls", "")], top_rule=False)
    c.save()
    blocks = read(out.getvalue())
    assert [b.cells for b in blocks] == [
        ("Measure", "Target"),
        ("% Mothers initiating breastfeeding", "80%"),
        ("Teenage conceptions per 1,000 girls", "<23.2 (2013)"),
    ]
    assert blocks[-1].page == 1


def test_two_column_page_is_read_column_by_column() -> None:
    left = [
        "Our plan sets out how partners will work",
        "together to improve outcomes for every",
        "child and young person in the county.",
        "",
        "Reduce obesity in reception year children",
        "from 9.1% in 2014 to 8.5% by 2017 through",
        "the healthy schools programme.",
    ]
    right = [
        "Young people told us that emotional health",
        "and wellbeing matters most to them, and we",
        "have made it one of our four priorities.",
        "",
        "Increase the proportion of care leavers in",
        "education, employment or training from 48%",
        "to 60% by March 2017.",
    ]
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, 780, "Priority 1: Healthy Lives")
    c.setFont("Helvetica", 10)
    for n, (a, b) in enumerate(zip(left, right, strict=True)):
        y = 750 - 12 * n
        c.drawString(72, y, a)
        c.drawString(310, y, b)
    c.save()
    assert [b.text for b in read(out.getvalue())] == [
        "Priority 1: Healthy Lives",
        " ".join(left[:3]),
        " ".join(left[4:]),
        " ".join(right[:3]),
        " ".join(right[4:]),
    ]

"""The Word reader on small hand-made documents: styles, lists, tables, merged cells."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from cypp.importer.blocks import Block, BlockKind
from cypp.importer.readers.docx import read_docx


def save(document: docx.document.Document) -> bytes:
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def read(document: docx.document.Document) -> list[Block]:
    return read_docx(Path("plan.docx"), save(document))


def kinds(blocks: list[Block]) -> list[tuple[str, int, str]]:
    return [(b.kind.value, b.level, b.text) for b in blocks]


def test_heading_styles_lists_and_bold_paragraphs() -> None:
    d = docx.Document()
    d.add_heading("Children and Young People's Plan", level=0)  # Title style
    d.add_heading("Healthy Lives", level=1)
    d.add_heading("Outcomes", level=2)
    d.add_paragraph("Children are a healthy weight")
    d.add_paragraph().add_run("Cross Cutting: Early help for all who need it").bold = True
    d.add_paragraph("Reduce obesity (19.4% to 18%)", style="List Bullet")
    d.add_paragraph("starting school", style="List Bullet 2")
    d.add_paragraph("Agree the plan", style="List Number")
    d.add_paragraph("")  # empty paragraphs are not blocks
    blocks = read(d)
    assert kinds(blocks) == [
        ("heading", 1, "Children and Young People's Plan"),
        ("heading", 1, "Healthy Lives"),
        ("heading", 2, "Outcomes"),
        ("paragraph", 0, "Children are a healthy weight"),
        ("paragraph", 0, "Cross Cutting: Early help for all who need it"),
        ("bullet", 0, "Reduce obesity (19.4% to 18%)"),
        ("bullet", 1, "starting school"),
        ("bullet", 0, "Agree the plan"),
    ]
    assert [b.bold for b in blocks[3:5]] == [False, True]


def test_unstyled_large_text_is_a_heading_and_typed_bullets_are_bullets() -> None:
    d = docx.Document()
    run = d.add_paragraph().add_run("Priority 1: Healthy Lives")
    run.font.size = Pt(20)
    run.bold = True
    d.add_paragraph("Body text of the plan, set in the ordinary size for the document.")
    d.add_paragraph("• A decrease in admissions from 412 to 380")
    blocks = read(d)
    assert kinds(blocks) == [
        ("heading", 1, "Priority 1: Healthy Lives"),
        ("paragraph", 0, "Body text of the plan, set in the ordinary size for the document."),
        ("bullet", 0, "A decrease in admissions from 412 to 380"),
    ]


def test_table_rows_with_header_merged_cells_and_cell_items() -> None:
    d = docx.Document()
    table = d.add_table(rows=4, cols=3)
    header = table.rows[0]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(marker)
    for cell, text in zip(header.cells, ["MEASURES", "CURRENT POSITION", "TARGET"], strict=True):
        cell.paragraphs[0].add_run(text)
    for cell, text in zip(table.rows[1].cells, ["% LAC immunised", "92.3%", "100%"], strict=True):
        cell.text = text
    voice = table.rows[2].cells[0]
    voice.paragraphs[0].add_run("Children and young people's voice").bold = True
    voice.add_paragraph("Young carers feel supported", style="List Bullet")
    voice.add_paragraph("Annual Report on participation", style="List Bullet")
    table.rows[2].cells[2].text = "100% Narrative shows improvement"
    merged = table.rows[3].cells[0].merge(table.rows[3].cells[2])
    merged.text = "Priority 2: Safe at home"
    blocks = read(d)
    assert [b.kind for b in blocks] == [BlockKind.TABLE_ROW] * 4
    assert blocks[0].cells == ("MEASURES", "CURRENT POSITION", "TARGET")
    assert blocks[0].bold and not blocks[1].bold
    assert blocks[1].text == "% LAC immunised\t92.3%\t100%"
    assert blocks[2].cells == (
        "Children and young people's voice • Young carers feel supported "
        "• Annual Report on participation",
        "",
        "100% Narrative shows improvement",
    )
    assert blocks[2].cell_items[0] == (
        "Children and young people's voice",
        "Young carers feel supported",
        "Annual Report on participation",
    )
    assert blocks[3].cells == ("Priority 2: Safe at home",)


def test_tab_separated_paragraphs_are_rows_and_order_is_kept() -> None:
    d = docx.Document()
    d.add_paragraph("Measuring our success")
    d.add_paragraph("Percentage of looked after children adopted\t15%")
    d.add_table(rows=1, cols=2).rows[0].cells[0].text = "Inside a table"
    d.add_paragraph("After the table")
    blocks = read(d)
    assert kinds(blocks) == [
        ("paragraph", 0, "Measuring our success"),
        ("table_row", 0, "Percentage of looked after children adopted\t15%"),
        ("table_row", 0, "Inside a table\t"),
        ("paragraph", 0, "After the table"),
    ]


TEXT_BOX_RUN = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
  xmlns:v="urn:schemas-microsoft-com:vml">
 <mc:AlternateContent>
  <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>
   <w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>
    <w:r><w:t>95% of pupils feel safe</w:t></w:r></w:p>
  </w:txbxContent></wps:txbx></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><v:textbox><w:txbxContent>
   <w:p><w:r><w:t>95% of pupils feel safe</w:t></w:r></w:p>
  </w:txbxContent></v:textbox></w:pict></mc:Fallback>
 </mc:AlternateContent>
</w:r>"""


def test_text_box_content_is_read_once() -> None:
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("What children told us")
    anchor = d.add_paragraph("Beside the box")
    anchor._p.append(parse_xml(TEXT_BOX_RUN))
    assert kinds(read(d)) == [
        ("paragraph", 0, "What children told us"),
        ("bullet", 0, "95% of pupils feel safe"),
        ("paragraph", 0, "Beside the box"),
    ]

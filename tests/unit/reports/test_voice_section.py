"""The board pack's 'What children and young people told us' section, in every format."""

from __future__ import annotations

import dataclasses
import io
import itertools
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from cypp.domain.plan import Plan
from cypp.domain.units import Unit
from cypp.reports.docx import render_docx
from cypp.reports.html import render_html
from cypp.reports.model import BoardPack
from cypp.reports.voice import VoiceSection, build_voice_section, held_text
from cypp.reports.xlsx import render_xlsx
from cypp.voice.consultations import (
    AgeGroup,
    Consultation,
    Method,
    PriorityAgreement,
    RankedIssue,
)
from cypp.voice.stories import Moderation, Story, Teller, moderate, receive
from cypp.voice.village import Figure, villager

HEALTHY = "children-and-young-people-have"
PROTECTED = "children-and-young-people-are-2"
PROTECTED_TITLE = "Children and young people are protected from abuse and neglect"
MARCH = datetime(2015, 3, 10, 12, 0)


def _story(priority: str, text: str, *, consent: bool, decision: Moderation | None) -> Story:
    story = receive(
        teller=Teller.CHILD,
        priority=priority,
        what_changed=text,
        for_whom="me",
        consent_to_publish=consent,
        priorities=[HEALTHY, PROTECTED],
        received=MARCH,
        age_group="11 to 15",
    )
    return moderate(story, decision, cleared_flags=True) if decision else story


@pytest.fixture(scope="module")
def voice(plan: Plan) -> VoiceSection:
    consultation = Consultation(
        title="Make Your Mark 2014",
        run_by="Worcestershire Youth Cabinet",
        held_from=date(2014, 9, 1),
        held_to=date(2014, 10, 31),
        method=Method.BALLOT,
        age_groups=(AgeGroup("11 to 15", 150), AgeGroup("16 to 18", 50)),
        agreements=(
            PriorityAgreement(PROTECTED, 180, 200),
            PriorityAgreement(HEALTHY, 9, 10),
        ),
        ranked_issues=(RankedIssue(2, "Work experience"), RankedIssue(1, "Bullying")),
        themes=("Buses after school", "Safe parks"),
    )
    stories = [
        _story(PROTECTED, "My friend Alfie is no longer bullied on the bus", consent=True,
               decision=Moderation.PUBLISHED),
        _story(PROTECTED, "The youth club helped me feel safe walking home", consent=False,
               decision=Moderation.KEPT_PRIVATE),
        _story(HEALTHY, "I play football after school now", consent=True, decision=None),
    ]  # fmt: skip
    neet = villager(Figure("NEET", Decimal("4.7"), Unit.PERCENT, "would not be in education, "
                           "employment or training", "2012/13"))  # fmt: skip
    priorities = [(t.id, t.title) for _, _, t in plan.all_themes()]
    return build_voice_section(priorities, [consultation], stories, [neet])


@pytest.fixture(scope="module")
def voice_pack(pack: BoardPack, voice: VoiceSection) -> BoardPack:
    return dataclasses.replace(pack, voice=voice)


def test_agreement_by_priority_in_plan_order_with_wilson_interval(voice: VoiceSection) -> None:
    assert [p.priority for p in voice.priorities] == [
        "Children and young people have a healthy lifestyle",
        PROTECTED_TITLE,
    ]
    result = voice.priorities[1].agreements[0]
    assert (result.count_text, result.percent_text) == ("180 of 200", "90.0%")
    assert result.interval_text == "85.1% to 93.4%"
    small = voice.priorities[0].agreements[0]
    assert small.upper - small.lower > result.upper - result.lower
    summary = voice.consultations[0]
    assert (summary.participants, summary.held) == (200, "September to October 2014")
    assert summary.ranked_issues == ("Bullying", "Work experience")


def test_stories_counted_by_priority_and_only_published_quotes_redacted(
    voice: VoiceSection,
) -> None:
    assert voice.month_text == "March 2015"
    by_priority = {s.priority: s for s in voice.stories}
    protected = by_priority[PROTECTED_TITLE]
    assert (protected.received, protected.published) == (2, 1)
    assert protected.quotes == ("My friend [name removed] is no longer bullied on the bus",)
    healthy = by_priority["Children and young people have a healthy lifestyle"]
    assert (healthy.received, healthy.published, healthy.quotes) == (1, 0, ())


def test_a_published_story_without_consent_is_counted_but_never_quoted() -> None:
    story = dataclasses.replace(
        _story(HEALTHY, "I learnt to swim at the new pool", consent=False, decision=None),
        status=Moderation.PUBLISHED,
    )
    section = build_voice_section([(HEALTHY, "Healthy")], [], [story], [])
    assert (section.stories[0].received, section.stories[0].quotes) == (1, ())


def test_village_keeps_its_arithmetic(voice: VoiceSection) -> None:
    line = voice.village[0]
    assert line.sentence == "5 children would not be in education, employment or training."
    assert line.arithmetic == "4.7% of 100 children is 4.7; rounded to 5 (2012/13)."


def test_held_text() -> None:
    assert held_text(date(2014, 3, 1), date(2014, 3, 1)) == "1 March 2014"
    assert held_text(date(2010, 11, 1), date(2011, 3, 31)) == "November 2010 to March 2011"


def test_html_section_has_captioned_tables_and_no_identity(voice_pack: BoardPack) -> None:
    html = render_html(voice_pack)
    start = html.index('id="voice"')
    section = html[start : html.index('id="annual-review"')]
    assert "What children and young people told us" in section
    assert f"Agreement with the priority “{PROTECTED_TITLE}”" in section
    assert "180 of 200" in section and "85.1% to 93.4%" in section
    assert "My friend [name removed] is no longer bullied on the bus" in section
    assert "Alfie" not in html and "feel safe walking home" not in html
    assert "4.7% of 100 children is 4.7; rounded to 5 (2012/13)." in section
    assert section.count("<caption") == 5
    assert section.count("<table") == 5
    assert "<h4" in section and "<h5" not in section


def test_pack_without_voice_has_no_section(pack: BoardPack) -> None:
    assert 'id="voice"' not in render_html(pack)


def test_docx_section_has_real_headings_and_header_rows(voice_pack: BoardPack) -> None:
    document = Document(io.BytesIO(render_docx(voice_pack)))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]  # fmt: skip
    h2 = [t for s, t in headings if s == "Heading 2"]
    assert (
        h2.index("What children and young people told us")
        == h2.index("Annual review: we said, we did") - 1
    )
    assert ("Heading 3", "Stories of what changed in March 2015") in headings
    assert ("Heading 3", "If our area were a village of 100 children") in headings
    levels = [int(s.split()[-1]) for s, _ in headings]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    tables = {t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")): t for t in document.tables}
    agreement = tables[f"Agreement with the priority “{PROTECTED_TITLE}”"]
    header = agreement.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
    assert header is not None and header.get(qn("w:val")) == "true"
    assert [c.text for c in agreement.rows[0].cells] == [
        "Consultation", "% agreed", "Agreed of asked", "95% confidence interval"
    ]  # fmt: skip
    assert [c.text for c in agreement.rows[1].cells][1:] == [
        "90.0%",
        "180 of 200",
        "85.1% to 93.4%",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "“My friend [name removed] is no longer bullied on the bus”" in text
    assert "Alfie" not in text
    quote = next(p for p in document.paragraphs if "[name removed]" in p.text)
    assert quote.style.name == "Quote"
    assert [p.text for p in document.paragraphs if p.style.name == "List Number"] == [
        "Bullying", "Work experience"
    ]  # fmt: skip


def test_xlsx_has_one_table_per_voice_sheet_with_numbers(
    voice_pack: BoardPack, tmp_path: Path
) -> None:
    path = tmp_path / "pack.xlsx"
    path.write_bytes(render_xlsx(voice_pack))
    workbook = load_workbook(path)
    for name in ("Consultations", "Agreement", "Stories", "Village of 100"):
        sheet = workbook[name]
        assert len(sheet.tables) == 1
        assert next(iter(sheet.tables.values())).ref.startswith("A1:")
        assert sheet.freeze_panes == "A2"
    rows = list(workbook["Agreement"].iter_rows(values_only=True))
    assert rows[0] == ("Priority", "Consultation", "Started", "Agreed", "Asked",
                       "Percent agreed", "Lower 95% CI", "Upper 95% CI")  # fmt: skip
    assert rows[2][:6] == (PROTECTED_TITLE, "Make Your Mark 2014", "2014-09-01", 180, 200, 90)
    stories = list(workbook["Stories"].iter_rows(values_only=True))
    assert stories[1][1:4] == ("Children and young people have a healthy lifestyle", 1, 0)
    village = list(workbook["Village of 100"].iter_rows(values_only=True))
    assert village[1][:2] == ("NEET", 5)


@pytest.mark.slow
def test_pdf_text_shows_the_section(voice_pack: BoardPack, tmp_path: Path) -> None:
    from cypp.reports.pdf import render_pdf

    pdftotext = shutil.which("pdftotext") or "/usr/bin/pdftotext"
    path = tmp_path / "pack.pdf"
    path.write_bytes(render_pdf(voice_pack))
    out = subprocess.run([pdftotext, "-layout", str(path), "-"], check=True, capture_output=True)
    text = " ".join(out.stdout.decode("utf-8").split())
    assert "What children and young people told us" in text
    assert "180 of 200" in text and "85.1% to 93.4%" in text
    assert "My friend [name removed] is no longer bullied on the bus" in text
    assert "Alfie" not in text
    # Table cells wrap in the layout, so the village row is checked piece by piece.
    assert "If our area were a village of 100 children" in text
    assert "4.7% of 100 children is" in text and "rounded to 5" in text

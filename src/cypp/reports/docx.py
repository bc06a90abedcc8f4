"""The board pack as a Word document (.docx) that screen readers and Word's checker accept.

Headings use Word's own Heading 1-4 styles (so the navigation pane and a table of
contents work), every table has a caption, a title and a header row that repeats
on each page, ratings are written in words (the cell shading only repeats them),
and each chart is a PNG picture whose alternative text is the chart's sentence.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from cypp.reports.charts import chart_caption, chart_png, has_chart
from cypp.reports.model import STATUS_ORDER, BoardPack, MeasureLine
from cypp.reports.voice import VoiceSection
from cypp.stats.rating import Status

__all__ = ["render_docx"]

_SHADING = {Status.RED: "F4CDC6", Status.AMBER: "FFF7BF", Status.GREEN: "CCE2D8"}


def _set_language(document: DocumentType, language: str = "en-GB") -> None:
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    rpr.append(lang)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _describe(table: Table, caption: str) -> None:
    """Give the table a title (Word's 'Alt Text'), read out before the table."""
    tbl_pr = table._tbl.tblPr
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), caption[:255])
    tbl_pr.append(title)


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(
    document: DocumentType,
    caption: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    status_column: int | None = None,
    statuses: Sequence[Status] = (),
) -> Table:
    """A captioned table whose first row is a repeating header row."""
    _styled(document, caption, "Caption")
    width = len(header)
    table: Table = document.add_table(rows=len(rows) + 1, cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _describe(table, caption)
    # All cells at once: reading them row by row walks the whole grid each time.
    cells = table._cells
    for cell, text in zip(cells[:width], header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table)
    for index, values in enumerate(rows):
        row_cells = cells[(index + 1) * width : (index + 2) * width]
        for cell, text in zip(row_cells, values, strict=True):
            cell.paragraphs[0].add_run(text)
        if status_column is not None and index < len(statuses):
            fill = _SHADING.get(statuses[index])
            if fill:
                _shade(row_cells[status_column], fill)
    return table


def _styled(document: DocumentType, text: str, style_id: str) -> Paragraph:
    """A paragraph in a style given by id: looking styles up by name scans them all each time."""
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _heading(document: DocumentType, text: str, level: int) -> Paragraph:
    return _styled(document, text, f"Heading{level}")


def _page_break(document: DocumentType) -> None:
    document.add_page_break()  # type: ignore[no-untyped-call]


def _bullets(document: DocumentType, items: Sequence[str]) -> None:
    for item in items:
        _styled(document, item, "ListBullet")


def _picture(document: DocumentType, png: bytes, alt: str, name: str) -> None:
    document.add_picture(io.BytesIO(png), width=Cm(16))
    inline = document.inline_shapes[-1]._inline
    inline.docPr.set("descr", alt)
    inline.docPr.set("title", name[:255])


def _summary(document: DocumentType, pack: BoardPack) -> None:
    _heading(document, "Summary", 2)
    if pack.vision:
        document.add_paragraph(f"Our vision: {pack.vision}")
    counts = pack.counts()
    statuses = [s for s in STATUS_ORDER if s.is_rag or s in counts]
    rows = []
    for theme in pack.themes:
        c = theme.counts()
        rows.append([theme.title, *(str(c.get(s, 0)) for s in statuses), str(len(theme.measures))])
    rows.append(
        ["All priorities", *(str(counts.get(s, 0)) for s in statuses), str(len(pack.measures()))]
    )
    _table(
        document,
        "Measures by rating and priority",
        ["Priority", *(s.value for s in statuses), "Total"],
        rows,
    )


def _exceptions(document: DocumentType, pack: BoardPack) -> None:
    _heading(document, "Exceptions", 2)
    document.add_paragraph(
        "Every measure rated red, getting worse, or significantly worse than its benchmark is "
        "listed here with its cause, recovery action, owner and review date."
    )
    if not pack.exceptions:
        document.add_paragraph(f"There are no exceptions for {pack.period}.")
        return
    if not pack.ready_for_sign_off:
        warning = document.add_paragraph()
        warning.add_run(
            "Warning: this report cannot be signed off until every exception has a cause, "
            "recovery action, owner and review date."
        ).bold = True
    missing = "Not yet recorded"
    for item in pack.exceptions:
        m = item.measure
        _heading(document, m.name, 3)
        _table(
            document,
            f"Exception details: {m.name}",
            ["Item", "Detail"],
            [
                ["Priority", m.theme_title],
                ["Why it is listed", "; ".join(item.reasons)],
                ["Rating", m.explanation],
                ["Cause", item.cause or missing],
                ["Recovery action", item.recovery_action or missing],
                ["Owner", item.owner or missing],
                ["Review date", _date(item.review_date) if item.review_date else missing],
            ],
        )


def _date(day: object) -> str:
    from datetime import date

    assert isinstance(day, date)
    return f"{day.day} {day:%B %Y}"


def _measure(document: DocumentType, m: MeasureLine, png: bytes | None) -> None:
    _heading(document, m.name, 4)
    document.add_paragraph(m.explanation)
    latest = m.latest_text + (f" ({m.latest_period})" if m.latest_period else "")
    _table(
        document,
        f"Rating details: {m.name}",
        ["Item", "Detail"],
        [
            ["Latest value", latest],
            ["Target", m.target_text],
            ["Rating", m.status_label],
            [
                "Direction of travel",
                f"{m.direction} since the previous period; "
                f"{m.direction_since_baseline.lower()} since the baseline",
            ],
            ["Compared with England", m.comparison],
            ["Position among English local authorities", m.position_text],
            ["Owner", m.owner or "Not recorded"],
        ],
        status_column=1,
        statuses=[Status.NOT_COMPARABLE, Status.NOT_COMPARABLE, m.status],
    )
    if png is not None:
        _picture(document, png, m.chart_alt, f"Chart: {m.name}")
        _styled(document, chart_caption(m), "Caption")
    if m.series:
        u = f" ({m.unit_words})" if m.unit_words else ""
        _table(
            document,
            f"{m.name}: figures by period",
            ["Period", f"Value{u}", "95% confidence interval", f"Target{u}", f"England{u}",
             f"Statistical neighbours{u}"],
            [
                [
                    p.period,
                    m.figure(p.value) or "no value",
                    f"{m.figure(p.lower_ci)} to {m.figure(p.upper_ci)}"
                    if p.lower_ci is not None and p.upper_ci is not None
                    else "not available",
                    m.figure(p.target),
                    m.figure(p.england),
                    m.figure(p.sn_average),
                ]
                for p in m.series
            ],
        )  # fmt: skip


def _themes(document: DocumentType, pack: BoardPack, charts: Mapping[str, bytes]) -> None:
    for theme in pack.themes:
        _page_break(document)
        _heading(document, theme.title, 2)
        _bullets(document, theme.aims)
        if theme.outcomes:
            _heading(document, "Outcomes", 3)
            _bullets(document, theme.outcomes)
        _heading(document, "Measures", 3)
        if not theme.measures:
            document.add_paragraph("This priority has no measures.")
            continue
        _table(
            document,
            f"Measures for {theme.title}",
            ["Measure", "Latest value", "Target", "Rating", "Direction of travel"],
            [[m.name, m.latest_text, m.target_text, m.status_label, m.direction]
             for m in theme.measures],
            status_column=3,
            statuses=[m.status for m in theme.measures],
        )  # fmt: skip
        for m in theme.measures:
            _measure(document, m, charts.get(m.id))


def _voice(document: DocumentType, voice: VoiceSection) -> None:
    """What children and young people told us: consultations, stories, the village of 100."""
    _page_break(document)
    _heading(document, "What children and young people told us", 2)
    if voice.empty:
        document.add_paragraph(
            "No consultation, story or village figure has been recorded for this plan yet."
        )
    if voice.consultations:
        _heading(document, "Consultations", 3)
        _table(
            document,
            "Consultations with children and young people",
            ["Consultation", "When", "Run by", "Method", "Children and young people"],
            [[c.title, c.held, c.run_by, c.method,
              f"{c.participants:,}" if c.participants else "Not recorded"]
             for c in voice.consultations],
        )  # fmt: skip
        for p in voice.priorities:
            _table(
                document,
                f"Agreement with the priority “{p.priority}”",
                ["Consultation", "% agreed", "Agreed of asked", "95% confidence interval"],
                [[f"{a.consultation.title} ({a.consultation.held})", a.percent_text,
                  a.count_text, a.interval_text] for a in p.agreements],
            )  # fmt: skip
        for c in voice.consultations:
            if not (c.ranked_issues or c.themes):
                continue
            _heading(document, f"{c.title}: what children and young people raised", 4)
            if c.ranked_issues:
                document.add_paragraph("Issues they ranked, most important first:")
                for issue in c.ranked_issues:
                    _styled(document, issue, "ListNumber")
            if c.themes:
                document.add_paragraph("Themes of what they wrote:")
                _bullets(document, c.themes)
    if voice.stories:
        _heading(document, f"Stories of what changed in {voice.month_text}", 3)
        _table(
            document,
            f"Stories received and published in {voice.month_text}, by priority",
            ["Priority", "Received", "Published", "Themes"],
            [[s.priority, str(s.received), str(s.published),
              "; ".join(f"{t} ({n})" for t, n in s.themes) or "None recorded"]
             for s in voice.stories],
        )  # fmt: skip
        for s in voice.stories:
            if s.quotes:
                _heading(document, f"In their words: {s.priority}", 4)
                for quote in s.quotes:
                    _styled(document, f"“{quote}”", "Quote")
        document.add_paragraph(
            "Only stories that a moderator has checked and their tellers agreed to share are "
            "quoted, with names, addresses and contact details removed."
        )
    if voice.village:
        _heading(document, "If our area were a village of 100 children", 3)
        _table(
            document,
            "The village of 100 children and how each number was worked out",
            ["Measure", "In a village of 100 children", "How we worked it out"],
            [[v.measure, v.sentence, v.arithmetic] for v in voice.village],
        )


def _review_and_actions(document: DocumentType, pack: BoardPack) -> None:
    _page_break(document)
    _heading(document, "Annual review: we said, we did", 2)
    for section in pack.review:
        _heading(document, section.title, 3)
        _heading(document, "We said", 4)
        _bullets(document, section.we_said)
        _heading(document, "We did", 4)
        _bullets(document, section.we_did)
    _page_break(document)
    _heading(document, "Actions tracker", 2)
    if not pack.actions:
        document.add_paragraph("The plan records no actions.")
    for theme in pack.themes:
        rows = [a for a in pack.actions if a.theme_title == theme.title]
        if not rows:
            continue
        _table(
            document,
            f"Actions for {theme.title}",
            ["Action", "Owner", "Partners", "Due", "Status", "Update"],
            [[a.title, a.owner or "Not recorded", ", ".join(a.partners) or "None recorded",
              a.due or "Not set", a.status, a.update or ""] for a in rows],
        )  # fmt: skip


def render_docx(pack: BoardPack, *, charts: Mapping[str, bytes] | None = None) -> bytes:
    """The pack as .docx bytes; ``charts`` may hold PNGs already drawn, keyed by measure id."""
    if charts is None:
        charts = {m.id: chart_png(m) for m in pack.measures() if has_chart(m)}
    document = Document()
    _set_language(document)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    props = document.core_properties
    props.title = pack.heading
    props.author = pack.partnership
    props.subject = f"Board report for {pack.period}"
    props.language = "en-GB"
    _heading(document, pack.heading, 1)
    for label, value in (
        ("Partnership", pack.partnership),
        ("Plan period", pack.plan_period or "Not stated"),
        ("Reporting period", pack.period),
        ("Produced", _date(pack.generated)),
        ("Ready for sign-off", "Yes" if pack.ready_for_sign_off else "No"),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    _summary(document, pack)
    _exceptions(document, pack)
    _themes(document, pack, charts)
    if pack.voice is not None:
        _voice(document, pack.voice)
    _review_and_actions(document, pack)
    _heading(document, "About this report", 2)
    document.add_paragraph(
        "Ratings compare the latest value of each measure with its target; red, amber and "
        "green are always written out in words. Confidence intervals are at 95%. Ranks and "
        "quartiles are among English upper-tier local authorities, with rank 1 and quartile A "
        "the best."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

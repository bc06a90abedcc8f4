"""The board pack as an Excel workbook: one Excel table per sheet, header row frozen.

Each sheet holds a single named table starting at A1 (Scorecard, Figures,
Exceptions, Annual review, Actions, About), so filters, sorting and screen
readers find the headers; values are stored as numbers with their unit in a
column, never as formatted text, so they can be analysed further.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook

from cypp.reports.model import BoardPack
from cypp.reports.voice import VoiceSection

__all__ = ["render_xlsx"]

_WIDTH_LIMIT = 60


def _sheet(
    workbook: Workbook,
    name: str,
    table_name: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    wrap: Any,
) -> None:
    """A sheet with one table from A1 and its header row frozen."""
    sheet = workbook.add_worksheet(name)
    body: list[list[Any]] = [list(r) for r in rows] or [[None] * len(header)]
    sheet.add_table(
        0,
        0,
        len(body),
        len(header) - 1,
        {
            "name": table_name,
            "data": body,
            "columns": [{"header": h} for h in header],
            "style": "Table Style Medium 2",
        },
    )
    sheet.freeze_panes(1, 0)
    for col, title in enumerate(header):
        longest = max([len(title)] + [len(str(r[col])) for r in body if r[col] is not None])
        sheet.set_column(col, col, min(max(longest + 2, 10), _WIDTH_LIMIT), wrap)


def _voice_sheets(workbook: Workbook, voice: VoiceSection, wrap: Any) -> None:
    """What children and young people told us: one table per sheet, counts as numbers."""
    _sheet(
        workbook,
        "Consultations",
        "Consultations",
        ["Consultation", "Run by", "Started", "Ended", "Method", "Children and young people",
         "Ranked issues (most important first)", "Themes"],
        [[c.title, c.run_by, c.held_from.isoformat(), c.held_to.isoformat(), c.method,
          c.participants or None, "; ".join(c.ranked_issues) or None,
          "; ".join(c.themes) or None] for c in voice.consultations],
        wrap,
    )  # fmt: skip
    _sheet(
        workbook,
        "Agreement",
        "Agreement",
        ["Priority", "Consultation", "Started", "Agreed", "Asked", "Percent agreed",
         "Lower 95% CI", "Upper 95% CI"],
        [[p.priority, a.consultation.title, a.consultation.held_from.isoformat(), a.agreed,
          a.asked, round(a.percent, 2), round(a.lower, 2), round(a.upper, 2)]
         for p in voice.priorities for a in p.agreements],
        wrap,
    )  # fmt: skip
    _sheet(
        workbook,
        "Stories",
        "Stories",
        ["Month", "Priority", "Received", "Published", "Themes", "Published quotes"],
        [[voice.month_text, s.priority, s.received, s.published,
          "; ".join(f"{t} ({n})" for t, n in s.themes) or None,
          " | ".join(s.quotes) or None] for s in voice.stories],
        wrap,
    )  # fmt: skip
    _sheet(
        workbook,
        "Village of 100",
        "VillageOf100",
        ["Measure", "Children in 100", "Statement", "How we worked it out"],
        [[v.measure, v.children, v.sentence, v.arithmetic] for v in voice.village],
        wrap,
    )


def render_xlsx(pack: BoardPack) -> bytes:
    """The pack as .xlsx bytes."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    workbook.set_properties(
        {"title": pack.heading, "author": pack.partnership, "subject": pack.period}
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    measures = pack.measures()
    _sheet(
        workbook,
        "Scorecard",
        "Scorecard",
        ["Measure ID", "Measure", "Priority", "Owner", "Latest period", "Latest value", "Unit",
         "Target", "Rating", "Direction of travel", "Direction since baseline",
         "Compared with England", "Rank", "Out of", "Quartile", "Explanation", "Method",
         "Rule version"],
        [[m.id, m.name, m.theme_title, m.owner, m.latest_period, m.latest_value,
          m.unit.value if m.unit else None, m.target_text, m.status_label, m.direction,
          m.direction_since_baseline, m.comparison, m.rank, m.out_of, m.quartile,
          m.explanation, m.method, m.rule_version] for m in measures],
        wrap,
    )  # fmt: skip
    _sheet(
        workbook,
        "Figures",
        "Figures",
        ["Measure ID", "Measure", "Period", "Value", "Lower 95% CI", "Upper 95% CI", "Target",
         "England", "Statistical neighbours average", "Unit"],
        [[m.id, m.name, p.period, p.value, p.lower_ci, p.upper_ci, p.target, p.england,
          p.sn_average, m.unit.value if m.unit else None] for m in measures for p in m.series],
        wrap,
    )  # fmt: skip
    _sheet(
        workbook,
        "Exceptions",
        "Exceptions",
        ["Measure ID", "Measure", "Priority", "Rating", "Why it is listed", "Explanation",
         "Cause", "Recovery action", "Owner", "Review date", "Still to record"],
        [[e.measure.id, e.measure.name, e.measure.theme_title, e.measure.status_label,
          "; ".join(e.reasons), e.measure.explanation, e.cause, e.recovery_action, e.owner,
          e.review_date.isoformat() if e.review_date else None, ", ".join(e.missing) or None]
         for e in pack.exceptions],
        wrap,
    )  # fmt: skip
    _sheet(
        workbook,
        "Annual review",
        "AnnualReview",
        ["Priority", "Part", "Item"],
        [[s.title, part, item] for s in pack.review
         for part, items in (("We said", s.we_said), ("We did", s.we_did)) for item in items],
        wrap,
    )  # fmt: skip
    _sheet(
        workbook,
        "Actions",
        "Actions",
        ["Priority", "Action", "Owner", "Partners", "Due", "Status", "Update"],
        [[a.theme_title, a.title, a.owner, ", ".join(a.partners) or None, a.due, a.status,
          a.update] for a in pack.actions],
        wrap,
    )  # fmt: skip
    if pack.voice is not None:
        _voice_sheets(workbook, pack.voice, wrap)
    _sheet(
        workbook,
        "About",
        "About",
        ["Item", "Value"],
        [
            ["Partnership", pack.partnership],
            ["Plan", pack.title],
            ["Plan period", pack.plan_period],
            ["Reporting period", pack.period],
            ["Produced", pack.generated.isoformat()],
            ["Ready for sign-off", "Yes" if pack.ready_for_sign_off else "No"],
            ["Measures", len(measures)],
            ["Exceptions", len(pack.exceptions)],
        ],
        wrap,
    )
    workbook.close()
    return out.getvalue()

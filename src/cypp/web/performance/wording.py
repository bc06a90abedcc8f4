"""Words the performance pages show: status tags, provenance rows, plain-language lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cypp.domain.plan import ActionStatus
from cypp.reports.model import STATUS_ORDER, MeasureLine
from cypp.stats.formatting import format_number
from cypp.stats.rating import Rating, Status

ACTION_WORDS = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.ON_TRACK: "On track",
    ActionStatus.AT_RISK: "At risk",
    ActionStatus.OFF_TRACK: "Off track",
    ActionStatus.COMPLETE: "Complete",
    ActionStatus.CANCELLED: "Cancelled",
    ActionStatus.SUPERSEDED: "Superseded",
}
_ACTION_TAGS = {
    ActionStatus.ON_TRACK: "govuk-tag--green",
    ActionStatus.COMPLETE: "govuk-tag--blue",
    ActionStatus.AT_RISK: "govuk-tag--yellow",
    ActionStatus.OFF_TRACK: "govuk-tag--red",
}
_STATUS_TAGS = {
    Status.RED: "govuk-tag--red",
    Status.AMBER: "govuk-tag--yellow",
    Status.GREEN: "govuk-tag--green",
}
#: What a rating means to someone who does not know RAG.
_PLAIN_STATUS = {
    Status.RED: "Not on track",
    Status.AMBER: "Close to target",
    Status.GREEN: "On track",
    Status.AWAITING_DATA: "Waiting for new figures",
    Status.NOT_COMPARABLE: "Cannot be judged yet",
    Status.NARRATIVE: "Described in words",
    Status.NO_TARGET: "No target set",
    Status.TBC: "Target not yet agreed",
}
_PLAIN_DIRECTION = {
    "Improving": "getting better",
    "Worsening": "getting worse",
    "No change": "about the same as last time",
    "Increasing": "going up",
    "Decreasing": "going down",
}


def public_status(status: Status) -> str:
    return _PLAIN_STATUS.get(status, status.value)


def status_rank(status: Status) -> int:
    """Worst first: Red, Amber, Green, then the results that are not RAG ratings."""
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


def status_tag(status: Status | str) -> str:
    return _STATUS_TAGS.get(Status(status), "govuk-tag--grey")


def action_words(status: str | None) -> str:
    try:
        return ACTION_WORDS[ActionStatus(status)]
    except ValueError:
        return "Not reported"


def action_tag(status: str | None) -> str:
    try:
        return _ACTION_TAGS.get(ActionStatus(status), "govuk-tag--grey")
    except ValueError:
        return "govuk-tag--grey"


def file_part(text: str) -> str:
    """'2014/15 (academic year)' -> '2014-15-academic-year' for a file name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "latest"


def _number(x: Any) -> str:
    return format_number(x) if isinstance(x, int | float) else str(x)


def provenance_rows(rating: Rating | None, stored: Any = None) -> list[tuple[str, str]]:
    """How a rating was reached, as (label, words) rows for a summary list."""
    if rating is None:
        return [("Rating", "Not calculated")]
    rows = [("Method", rating.method), ("Target kind", rating.kind.value.replace("_", " "))]
    if rating.target is not None:
        target = _number(rating.target)
        rows.append(
            ("Target", f"{target} by {rating.target_period}" if rating.target_period else target)
        )
    latest = rating.inputs.get("latest") if rating.inputs else None
    if isinstance(latest, dict) and latest.get("value") is not None:
        rows.append(("Value used", f"{_number(latest['value'])} ({latest.get('period', '')})"))
    for name, value in rating.comparators.items():
        rows.append((f"Compared with {name}", "not available" if value is None else _number(value)))
    if rating.comparison is not None:
        c = rating.comparison
        bench = "" if c.benchmark_value is None else f" ({_number(c.benchmark_value)})"
        rows.append((f"Against {c.benchmark}", f"{c.label}{bench}: {c.method.value}"))
    if rating.confidence is not None:
        rows.append(("Confidence level", f"{_number(rating.confidence * 100)}%"))
    if rating.tolerance is not None:
        rows.append(("Amber band", rating.tolerance.describe()))
    rows.append(("Rule version", rating.rule_version))
    if stored is not None:
        rows.append(("Calculated", f"{stored.computed_at:%d %B %Y %H:%M}"))
        rows.append(("Figures read", f"{len(stored.observation_ids)} stored observations"))
    else:
        rows.append(("Calculated", "Now, for this page (not stored)"))
    return rows


@dataclass(frozen=True)
class PublicLine:
    name: str
    sentence: str
    status: Status
    plain_status: str
    trend: str


def public_line(line: MeasureLine) -> PublicLine:
    """'Fewer children needed a child protection plan for a second time: 15.8% in 2014/15;
    our target was 15.8% or lower by 2014/15.'"""
    if line.latest_value is None:
        sentence = "No figure has been published yet."
    elif line.rated_period and line.rated_text and line.rated_period != line.latest_period:
        # The rating judged the target year's figure; say so beside the newest one.
        sentence = (
            f"{line.rated_text} in {line.rated_period} "
            f"(latest figure: {line.latest_text} in {line.latest_period})."
        )
    else:
        sentence = f"{line.latest_text} in {line.latest_period}."
    target = line.target_text
    if target and not target.lower().startswith(("no target", "target to be")):
        sentence = f"{sentence[:-1]}; our target was {target[:1].lower()}{target[1:]}."
    trend = _PLAIN_DIRECTION.get(line.direction, "")
    return PublicLine(
        line.name,
        sentence,
        line.status,
        public_status(line.status),
        f"Compared with the year before, this is {trend}." if trend else "",
    )

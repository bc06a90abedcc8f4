"""The board pack of one period as plain values, ready for any renderer.

:func:`build_board_pack` takes plain inputs: the plan, one rating per measure,
one data series per measure and the period. The web app fills them from its
database and the command line from a plan file and an observations file, so
both produce the same pack. Every number stays exact; text fields hold the
words a Board reads, and each status has a text label so no renderer needs to
rely on colour.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from cypp.domain.periods import Period, PeriodError, parse_period
from cypp.domain.plan import ActionStatus, Measure, Plan, Theme
from cypp.domain.targets import TargetKind
from cypp.domain.units import Polarity, Unit
from cypp.reports.voice import VoiceSection
from cypp.reports.wording import chart_alternative, describe_target, value_text
from cypp.stats.compare import Significance
from cypp.stats.formatting import format_number
from cypp.stats.rating import Direction, Rating, Status

__all__ = [
    "STATUS_ORDER",
    "ActionRow",
    "BoardPack",
    "ExceptionItem",
    "ExceptionNote",
    "MeasureLine",
    "MeasureSeries",
    "ReviewSection",
    "SeriesPoint",
    "ThemeSection",
    "build_board_pack",
]

#: Order in which statuses are counted and listed (worst first).
STATUS_ORDER = (
    Status.RED,
    Status.AMBER,
    Status.GREEN,
    Status.AWAITING_DATA,
    Status.NOT_COMPARABLE,
    Status.NARRATIVE,
    Status.NO_TARGET,
    Status.TBC,
)

_ACTION_WORDS = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.ON_TRACK: "On track",
    ActionStatus.AT_RISK: "At risk",
    ActionStatus.OFF_TRACK: "Off track",
    ActionStatus.COMPLETE: "Complete",
    ActionStatus.CANCELLED: "Cancelled",
    ActionStatus.SUPERSEDED: "Superseded",
}

NOT_RECORDED = "Not yet recorded"

UNIT_WORDS = {
    Unit.PERCENT: "%",
    Unit.RATE_PER_1000: "per 1,000",
    Unit.RATE_PER_10000: "per 10,000",
    Unit.RATE_PER_100000: "per 100,000",
    Unit.DAYS: "days",
}


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class SeriesPoint:
    """One period of a measure's data with the comparators a chart and table show."""

    period: str
    value: float | None
    lower_ci: float | None = None
    upper_ci: float | None = None
    england: float | None = None
    sn_average: float | None = None
    #: Where the target trajectory expects the measure to be in this period.
    target: float | None = None


@dataclass(frozen=True)
class MeasureSeries:
    """A measure's data over time (oldest first) and its latest position among English LAs."""

    points: tuple[SeriesPoint, ...] = ()
    rank: int | None = None
    out_of: int | None = None
    #: LAIT quartile band, A (best) to D.
    quartile: str | None = None


@dataclass(frozen=True)
class ExceptionNote:
    """What the measure owner records for an exception before the report is signed off."""

    cause: str | None = None
    recovery_action: str | None = None
    owner: str | None = None
    review_date: date | None = None


# --------------------------------------------------------------------------- the pack


@dataclass(frozen=True)
class MeasureLine:
    """One measure as the Board sees it for the chosen period."""

    id: str
    name: str
    theme_id: str
    theme_title: str
    unit: Unit | None
    polarity: Polarity | None
    owner: str | None
    latest_period: str | None
    latest_value: float | None
    latest_text: str
    target_text: str
    target_plan_text: str | None
    status: Status
    direction: str
    direction_since_baseline: str
    explanation: str
    comparison: str
    method: str
    rule_version: str
    series: tuple[SeriesPoint, ...]
    rank: int | None
    out_of: int | None
    quartile: str | None
    chart_alt: str
    #: The figure the rating judged, when it is not the latest (a target year in the past).
    rated_period: str | None = None
    rated_text: str = ""

    @property
    def status_label(self) -> str:
        return self.status.value

    @property
    def explanation_detail(self) -> str:
        """The explanation without its leading 'Status: ', for use beside a status tag."""
        prefix = f"{self.status.value}: "
        text = self.explanation
        return text[len(prefix) :] if text.startswith(prefix) else text

    @property
    def position_text(self) -> str:
        """'Rank 34 of 152; quartile B', 'Rank 4 of 14 with figures held' or 'Not ranked'.

        Without a quartile the figures held do not cover England, so the rank says so.
        """
        parts = []
        if self.rank:
            out_of = f" of {self.out_of}" if self.out_of else ""
            if out_of and not self.quartile:
                out_of += " local authorities with figures held, not all of England"
            parts.append(f"Rank {self.rank}{out_of}")
        if self.quartile:
            parts.append(f"quartile {self.quartile}")
        return "; ".join(parts) if parts else "Not ranked"

    def format(self, x: float | None) -> str:
        return value_text(x, self.unit)

    def figure(self, x: float | None) -> str:
        """The number alone (the unit is in the column heading); empty when missing."""
        return "" if x is None else format_number(x)

    @property
    def unit_words(self) -> str:
        """The unit for column headings: '%', 'per 10,000', 'days'; empty for plain numbers."""
        return UNIT_WORDS.get(self.unit, "") if self.unit else ""


@dataclass(frozen=True)
class ExceptionItem:
    """A red, worsening or significantly worse measure, with what is being done about it."""

    measure: MeasureLine
    reasons: tuple[str, ...]
    cause: str | None
    recovery_action: str | None
    owner: str | None
    review_date: date | None

    @property
    def missing(self) -> tuple[str, ...]:
        """The fields still to be filled in before sign-off."""
        fields = (
            ("cause", self.cause),
            ("recovery action", self.recovery_action),
            ("owner", self.owner),
            ("review date", self.review_date),
        )
        return tuple(name for name, value in fields if value in (None, ""))

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class ThemeSection:
    id: str
    title: str
    aims: tuple[str, ...]
    outcomes: tuple[str, ...]
    measures: tuple[MeasureLine, ...]

    def counts(self) -> dict[Status, int]:
        found = Counter(m.status for m in self.measures)
        return {s: found[s] for s in STATUS_ORDER if found[s]}


@dataclass(frozen=True)
class ReviewSection:
    """Annual review of one priority: what the plan said and what was done."""

    theme_id: str
    title: str
    we_said: tuple[str, ...]
    we_did: tuple[str, ...]


@dataclass(frozen=True)
class ActionRow:
    theme_title: str
    title: str
    owner: str | None
    partners: tuple[str, ...]
    due: str | None
    status: str
    update: str | None


@dataclass(frozen=True)
class BoardPack:
    """Everything in a board report for one period."""

    partnership: str
    title: str
    plan_period: str | None
    period: str
    generated: date
    vision: str | None
    themes: tuple[ThemeSection, ...]
    exceptions: tuple[ExceptionItem, ...]
    review: tuple[ReviewSection, ...]
    actions: tuple[ActionRow, ...]
    notes: tuple[str, ...] = field(default=())
    #: What children and young people told us (None when nothing was given for the pack).
    voice: VoiceSection | None = None

    def measures(self) -> tuple[MeasureLine, ...]:
        return tuple(m for theme in self.themes for m in theme.measures)

    def counts(self) -> dict[Status, int]:
        found = Counter(m.status for m in self.measures())
        return {s: found[s] for s in STATUS_ORDER if found[s]}

    @property
    def ready_for_sign_off(self) -> bool:
        """True when every exception carries cause, recovery action, owner and review date."""
        return all(item.complete for item in self.exceptions)

    @property
    def heading(self) -> str:
        return f"{self.title}: board report for {self.period}"


# --------------------------------------------------------------------------- builder


def _parse(label: str) -> Period | None:
    try:
        return parse_period(label)
    except PeriodError:
        return None


def _up_to(points: Sequence[SeriesPoint], period: Period | None) -> tuple[SeriesPoint, ...]:
    """Points no later than the report's period, oldest first (unreadable periods are kept)."""
    if period is None or period.end is None:
        return tuple(points)
    kept = []
    for point in points:
        parsed = _parse(point.period)
        if parsed is None or parsed.end is None or parsed.end <= period.end:
            kept.append(point)
    return tuple(kept)


def _direction_words(direction: Direction | None) -> str:
    return "Not known" if direction in (None, Direction.NOT_COMPARABLE) else direction.value


def _comparison_words(rating: Rating | None) -> str:
    if rating is None or rating.comparison is None:
        return "Not compared"
    text = rating.comparison.explain()
    return text[0].upper() + text[1:]


def _missing_rating(period: str, latest: SeriesPoint | None) -> str:
    if latest is None or latest.value is None:
        return f"Awaiting data: no value has been recorded up to {period}"
    return f"Awaiting data: no rating has been calculated for {period}"


def _measure_line(
    theme: Theme,
    measure: Measure,
    rating: Rating | None,
    series: MeasureSeries,
    period: str,
    report_period: Period | None,
) -> MeasureLine:
    points = _up_to(series.points, report_period)
    latest = next((p for p in reversed(points) if p.value is not None), None)
    target_text = describe_target(measure)
    status = rating.status if rating is not None else Status.AWAITING_DATA
    explanation = rating.explain() if rating is not None else _missing_rating(period, latest)
    last = points[-1] if points else None
    judged = rating.inputs.get("latest") if rating is not None else None
    rated_period = judged.get("period") if isinstance(judged, dict) else None
    rated_value = judged.get("value") if isinstance(judged, dict) else None
    alt = chart_alternative(
        measure.name,
        measure.unit,
        [p.period for p in points],
        [p.value for p in points],
        target_words=target_text,
        england=latest.england if latest else None,
        sn_average=latest.sn_average if latest else None,
    )
    return MeasureLine(
        id=measure.id,
        name=measure.name,
        theme_id=theme.id,
        theme_title=theme.title,
        unit=measure.unit,
        polarity=measure.polarity,
        owner=measure.owner,
        latest_period=latest.period if latest else (last.period if last else None),
        latest_value=latest.value if latest else None,
        latest_text=value_text(latest.value if latest else None, measure.unit),
        target_text=target_text,
        target_plan_text=measure.target.text if measure.target else None,
        status=status,
        direction=_direction_words(rating.direction_since_previous if rating else None),
        direction_since_baseline=_direction_words(
            rating.direction_since_baseline if rating else None
        ),
        explanation=explanation,
        comparison=_comparison_words(rating),
        method=rating.method if rating is not None else "not rated",
        rule_version=rating.rule_version if rating is not None else "",
        series=points,
        rank=series.rank,
        out_of=series.out_of,
        quartile=series.quartile,
        chart_alt=alt,
        rated_period=str(rated_period) if rated_period is not None else None,
        rated_text=value_text(rated_value, measure.unit) if rated_value is not None else "",
    )


def _exception_reasons(line: MeasureLine, rating: Rating | None) -> tuple[str, ...]:
    reasons = []
    if line.status is Status.RED:
        reasons.append("Red rating")
    if rating is not None and rating.direction_since_previous is Direction.WORSENING:
        reasons.append("Worsening since the previous period")
    comparison = rating.comparison if rating is not None else None
    if comparison is not None and comparison.significance in (
        Significance.WORSE,
        Significance.WORST,
    ):
        reasons.append(f"Significantly worse than {comparison.benchmark}")
    return tuple(reasons)


def _review(theme: Theme, lines: Sequence[MeasureLine]) -> ReviewSection:
    said = [f"Outcome: {outcome.title}" for outcome in theme.outcomes]
    said += [f"{line.name}: {line.target_text}" for line in lines]
    did = [
        f"Completed: {action.title}"
        for action in theme.actions
        if action.status is ActionStatus.COMPLETE
    ]
    for line in lines:
        known = line.latest_period and line.latest_value is not None
        when = f" in {line.latest_period}" if known else ""
        did.append(f"{line.name}: {line.latest_text}{when} ({line.status_label})")
    if not any(a.status is ActionStatus.COMPLETE for a in theme.actions):
        did.insert(0, "No action has been recorded as complete yet.")
    return ReviewSection(theme.id, theme.title, tuple(said), tuple(did))


def build_board_pack(
    plan: Plan,
    ratings_by_measure: Mapping[str, Rating],
    series_by_measure: Mapping[str, MeasureSeries],
    period: str | Period,
    *,
    exception_notes: Mapping[str, ExceptionNote] | None = None,
    generated: date | None = None,
    voice: VoiceSection | None = None,
) -> BoardPack:
    """Assemble the board pack of ``period`` from plain inputs.

    ``ratings_by_measure`` and ``series_by_measure`` are keyed by measure id; a
    measure without a rating is shown as awaiting data, never left out. Data
    after ``period`` are left out so a past pack can be reproduced.
    ``exception_notes`` holds cause, recovery action, owner and review date of
    exceptions recorded so far. ``voice`` is the section on what children and young
    people told us (see :func:`cypp.reports.voice.build_voice_section`).
    """
    report_period = period if isinstance(period, Period) else _parse(period)
    label = period.label if isinstance(period, Period) else period
    notes = exception_notes or {}
    themes: list[ThemeSection] = []
    exceptions: list[ExceptionItem] = []
    review: list[ReviewSection] = []
    actions: list[ActionRow] = []
    for _, _, theme in plan.all_themes():
        lines = []
        for measure in theme.measures:
            rating = ratings_by_measure.get(measure.id)
            series = series_by_measure.get(measure.id, MeasureSeries())
            line = _measure_line(theme, measure, rating, series, label, report_period)
            lines.append(line)
            reasons = _exception_reasons(line, rating)
            if reasons:
                note = notes.get(measure.id, ExceptionNote())
                exceptions.append(
                    ExceptionItem(
                        line,
                        reasons,
                        note.cause,
                        note.recovery_action,
                        note.owner or measure.owner,
                        note.review_date,
                    )
                )
        themes.append(
            ThemeSection(
                theme.id,
                theme.title,
                theme.aims,
                tuple(o.title for o in theme.outcomes),
                tuple(lines),
            )
        )
        review.append(_review(theme, lines))
        actions.extend(
            ActionRow(
                theme.title,
                action.title,
                action.owner,
                action.partners,
                action.due.label if action.due else None,
                _ACTION_WORDS[action.status] if action.status else "Not reported",
                action.note,
            )
            for action in theme.actions
        )
    return BoardPack(
        partnership=plan.area.name,
        title=plan.title or f"{plan.area.name} Children and Young People's Plan",
        plan_period=plan.period.label if plan.period else None,
        period=label,
        generated=generated or date.today(),
        vision=plan.vision,
        themes=tuple(themes),
        exceptions=tuple(exceptions),
        review=tuple(review),
        actions=tuple(actions),
        voice=voice,
    )


def trajectory(
    baseline: tuple[Period, float] | None,
    target: tuple[Period, float] | None,
    periods: Sequence[str],
) -> list[float | None]:
    """Straight-line target trajectory from baseline to target, one value per period label.

    Periods before the baseline, after the target or unreadable get None.
    """
    if baseline is None or target is None:
        return [None] * len(periods)
    (p0, v0), (p1, v1) = baseline, target
    if p0.end is None or p1.end is None or p1.end <= p0.end:
        return [None] * len(periods)
    span = (p1.end - p0.end).days
    out: list[float | None] = []
    for label in periods:
        parsed = _parse(label)
        if parsed is None or parsed.end is None or not p0.end <= parsed.end <= p1.end:
            out.append(None)
            continue
        out.append(v0 + (v1 - v0) * (parsed.end - p0.end).days / span)
    return out


def measure_trajectory(measure: Measure, periods: Sequence[str]) -> list[float | None]:
    """The target line of a value target, per period.

    With a baseline: the straight line from baseline to target. Without one: the
    target level itself in every period up to the target period.
    """
    target, base = measure.target, measure.baseline
    if target is None or target.kind is not TargetKind.VALUE or target.value is None:
        return [None] * len(periods)
    level = float(target.value)
    if target.period is None or target.period.end is None:
        return [level] * len(periods)
    if base is not None and base.value is not None and base.period is not None:
        return trajectory((base.period, float(base.value)), (target.period, level), periods)
    out: list[float | None] = []
    for label in periods:
        parsed = _parse(label)
        inside = parsed is not None and parsed.end is not None and parsed.end <= target.period.end
        out.append(level if inside else None)
    return out

"""'What children and young people told us': the board pack's voice section as plain values.

Built from :mod:`cypp.voice` values, so the web app (from its database) and the command
line (from a file) give the same section. Only what may be shown to a Board reaches it:
agreement counts, ranked issues and themes of consultations; counts and themes of the
month's stories with quotes from published stories only, always in their redacted text;
and the village of 100 with its arithmetic. No teller, age or address is ever carried.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from cypp.domain.plan import Plan
from cypp.voice.consultations import Consultation, Method
from cypp.voice.files import VillageChoice
from cypp.voice.stories import Moderation, Story, monthly_summary
from cypp.voice.village import Figure, VillageError, Villager, villager

if TYPE_CHECKING:  # the pack model imports this module
    from cypp.reports.model import MeasureSeries

__all__ = [
    "AgreementResult",
    "ConsultationSummary",
    "PriorityVoice",
    "StoryCounts",
    "VillageLine",
    "VoiceSection",
    "agreements_by_priority",
    "build_voice_section",
    "held_text",
    "village_from_series",
]


def held_text(start: date, end: date) -> str:
    """'September to October 2013', '1 March 2014', 'November 2010 to March 2011'."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%B %Y}"
    if start.year == end.year:
        return f"{start:%B} to {end:%B %Y}"
    return f"{start:%B %Y} to {end:%B %Y}"


@dataclass(frozen=True)
class ConsultationSummary:
    """One consultation: who ran it, when, how many took part, what was ranked and raised."""

    title: str
    run_by: str
    held_from: date
    held_to: date
    method: str
    participants: int
    ranked_issues: tuple[str, ...]
    themes: tuple[str, ...]

    @property
    def held(self) -> str:
        return held_text(self.held_from, self.held_to)


@dataclass(frozen=True)
class AgreementResult:
    """How many of those asked in one consultation agreed with one priority."""

    consultation: ConsultationSummary
    agreed: int
    asked: int
    lower: float
    upper: float

    @property
    def percent(self) -> float:
        return 100.0 * self.agreed / self.asked

    @property
    def percent_text(self) -> str:
        return f"{self.percent:.1f}%"

    @property
    def count_text(self) -> str:
        return f"{self.agreed:,} of {self.asked:,}"

    @property
    def interval_text(self) -> str:
        return f"{self.lower:.1f}% to {self.upper:.1f}%"


@dataclass(frozen=True)
class PriorityVoice:
    """Every recorded agreement with one priority, oldest consultation first."""

    priority: str
    agreements: tuple[AgreementResult, ...]


@dataclass(frozen=True)
class StoryCounts:
    """One priority's stories in the month: counts, themes and published quotes."""

    priority: str
    received: int
    published: int
    themes: tuple[tuple[str, int], ...]
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class VillageLine:
    measure: str
    sentence: str
    arithmetic: str
    children: int


@dataclass(frozen=True)
class VoiceSection:
    consultations: tuple[ConsultationSummary, ...]
    priorities: tuple[PriorityVoice, ...]
    stories_month: date | None
    stories: tuple[StoryCounts, ...]
    village: tuple[VillageLine, ...]

    @property
    def month_text(self) -> str:
        return f"{self.stories_month:%B %Y}" if self.stories_month else ""

    @property
    def empty(self) -> bool:
        return not (self.consultations or self.stories or self.village)


def _method_words(method: Method) -> str:
    return method.value.replace("_", " ").capitalize()


def _summary(consultation: Consultation) -> ConsultationSummary:
    return ConsultationSummary(
        title=consultation.title,
        run_by=consultation.run_by,
        held_from=consultation.held_from,
        held_to=consultation.held_to,
        method=_method_words(consultation.method),
        participants=consultation.participants,
        ranked_issues=tuple(issue.issue for issue in consultation.top_issues(10)),
        themes=consultation.themes,
    )


def agreements_by_priority(
    consultations: Sequence[Consultation], priorities: Sequence[str]
) -> dict[str, tuple[AgreementResult, ...]]:
    """Each priority's agreements, oldest consultation first; priorities without any are omitted."""
    ordered = sorted(consultations, key=lambda c: (c.held_from, c.title))
    summaries = [(c, _summary(c)) for c in ordered]
    found: dict[str, tuple[AgreementResult, ...]] = {}
    for key in priorities:
        results = []
        for consultation, summary in summaries:
            agreement = consultation.agreement_for(key)
            if agreement is not None:
                lower, upper = agreement.interval()
                results.append(
                    AgreementResult(summary, agreement.agreed, agreement.asked, lower, upper)
                )
        if results:
            found[key] = tuple(results)
    return found


def build_voice_section(
    priorities: Sequence[tuple[str, str]],
    consultations: Sequence[Consultation],
    stories: Sequence[Story],
    village: Sequence[Villager],
    *,
    month: date | None = None,
    quotes: int = 3,
) -> VoiceSection:
    """The section from ``priorities`` (``(id, title)`` in the plan's order, the ids the
    stories and agreements name), consultations, stories and the village of 100.

    Stories are summarised for ``month`` (default: the latest month in which any story
    arrived); quotes come only from published stories that their tellers agreed to share.
    """
    ordered = sorted(consultations, key=lambda c: (c.held_from, c.title))
    found = agreements_by_priority(ordered, [key for key, _ in priorities])
    by_priority = [PriorityVoice(title, found[key]) for key, title in priorities if key in found]
    if month is None and stories:
        newest = max(story.received for story in stories)
        month = date(newest.year, newest.month, 1)
    # A published story without consent can only come from bad data: count it, never quote it.
    shareable = [
        s
        if s.status is not Moderation.PUBLISHED or s.consent_to_publish
        else replace(s, status=Moderation.KEPT_PRIVATE)
        for s in stories
    ]
    titles = dict(priorities)
    order = {key: index for index, (key, _) in enumerate(priorities)}
    months = monthly_summary(shareable, month, quotes=quotes) if month else []
    months.sort(key=lambda m: order.get(m.priority, len(order)))
    return VoiceSection(
        consultations=tuple(_summary(c) for c in ordered),
        priorities=tuple(by_priority),
        stories_month=month,
        stories=tuple(
            StoryCounts(
                titles.get(m.priority, m.priority),
                m.received,
                m.published,
                tuple(m.themes),
                tuple(m.quotes),
            )
            for m in months
        ),
        village=tuple(
            VillageLine(p.figure.measure, p.sentence, p.arithmetic, p.children) for p in village
        ),
    )


def village_from_series(
    plan: Plan,
    choices: Sequence[VillageChoice],
    series_by_measure: Mapping[str, MeasureSeries],
) -> tuple[list[Villager], list[str]]:
    """The village of 100 from each chosen measure's latest value in the pack's series (else
    the plan's baseline), and why any chosen figure could not be shown."""
    measures = {m.id: m for _, _, m in plan.measures()}
    people: list[Villager] = []
    problems: list[str] = []
    for choice in choices:
        measure = measures[choice.measure]
        found = series_by_measure.get(measure.id)
        points = found.points if found is not None else ()
        latest = next((p for p in reversed(points) if p.value is not None), None)
        base = measure.baseline
        if latest is not None and latest.value is not None:
            value, period = Decimal(str(latest.value)), latest.period
        elif base is not None and base.value is not None:
            value, period = (
                Decimal(str(base.value)),
                base.period.label if base.period else "baseline",
            )
        else:
            problems.append(f"{measure.name}: no figure yet")
            continue
        if measure.unit is None:
            problems.append(f"{measure.name}: the plan gives no unit")
            continue
        try:
            figure = Figure(
                measure.name, value, measure.unit, choice.would, period, choice.population
            )
            people.append(villager(figure))
        except VillageError as error:
            problems.append(str(error))
    return people, problems

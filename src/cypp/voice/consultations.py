"""Consultations and surveys, and what children said about each priority.

Agreement with a priority is a proportion, so it carries a Wilson interval: a
board should see that "97.97 % of 197" and "90 % of 10" are not equally firm.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cypp.stats.ci import wilson


class Method(StrEnum):
    SURVEY = "survey"
    WORKSHOP = "workshop"
    FOCUS_GROUP = "focus_group"
    YOUTH_COUNCIL = "youth_council"
    BALLOT = "ballot"
    INTERVIEW = "interview"
    OTHER = "other"


class ConsultationError(ValueError):
    """A consultation record that cannot be true; the message names the field."""


@dataclass(frozen=True)
class AgeGroup:
    label: str
    participants: int

    def __post_init__(self) -> None:
        if self.participants < 0:
            raise ConsultationError(f"age group {self.label!r}: participants cannot be negative")


@dataclass(frozen=True)
class PriorityAgreement:
    """How many of those asked agreed with one priority (a theme of the plan)."""

    priority: str
    agreed: int
    asked: int

    def __post_init__(self) -> None:
        if self.asked <= 0:
            raise ConsultationError(f"{self.priority}: 'asked' must be at least 1")
        if not 0 <= self.agreed <= self.asked:
            raise ConsultationError(
                f"{self.priority}: 'agreed' ({self.agreed}) must be between 0 and 'asked' "
                f"({self.asked})"
            )

    @property
    def percent(self) -> float:
        return 100.0 * self.agreed / self.asked

    def interval(self, confidence: float = 0.95) -> tuple[float, float]:
        """The Wilson interval of the percentage agreeing."""
        result = wilson(self.agreed, self.asked, confidence=confidence, multiplier=100)
        return float(result.lower), float(result.upper)

    def sentence(self) -> str:
        return (
            f"{self.agreed} of {self.asked} children and young people asked "
            f"({self.percent:.1f}%) agreed with the priority “{self.priority}”."
        )


@dataclass(frozen=True)
class RankedIssue:
    rank: int
    issue: str
    votes: int | None = None
    priority: str | None = None


@dataclass(frozen=True)
class Consultation:
    title: str
    run_by: str
    held_from: date
    held_to: date
    method: Method
    age_groups: tuple[AgeGroup, ...] = ()
    agreements: tuple[PriorityAgreement, ...] = ()
    ranked_issues: tuple[RankedIssue, ...] = ()
    themes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.held_to < self.held_from:
            raise ConsultationError("held_to: the consultation cannot end before it starts")
        ranks = [issue.rank for issue in self.ranked_issues]
        if len(ranks) != len(set(ranks)):
            raise ConsultationError("ranked_issues: two issues share a rank")
        most = self.participants
        for agreement in self.agreements:
            if most and agreement.asked > most:
                raise ConsultationError(
                    f"agreements[{agreement.priority}]: {agreement.asked} asked but only "
                    f"{most} took part"
                )

    @property
    def participants(self) -> int:
        return sum(group.participants for group in self.age_groups)

    def agreement_for(self, priority: str) -> PriorityAgreement | None:
        return next((a for a in self.agreements if a.priority == priority), None)

    def top_issues(self, count: int = 5) -> list[RankedIssue]:
        return sorted(self.ranked_issues, key=lambda issue: issue.rank)[:count]


def agreement_from_percent(priority: str, percent: float, asked: int) -> PriorityAgreement:
    """Recover the count behind a published percentage ("97.97 % of about 200").

    Plans print percentages; the count is what the interval needs. The nearest whole
    count is used only when it reproduces the published figure to its printed
    precision, so a figure that no count can give is reported, not rounded away.
    """
    agreed = round(percent * asked / 100)
    decimals = len(f"{percent}".partition(".")[2])
    if round(100 * agreed / asked, decimals) != round(percent, decimals):
        raise ConsultationError(
            f"{priority}: {percent}% is not a whole number of {asked} children "
            f"(nearest: {agreed} = {100 * agreed / asked:.{decimals}f}%)"
        )
    return PriorityAgreement(priority, agreed, asked)


def infer_asked(percents: Sequence[float], low: int, high: int) -> list[int]:
    """Every group size in [low, high] that reproduces all the published percentages."""
    found = []
    for asked in range(max(low, 1), high + 1):
        try:
            for value in percents:
                agreement_from_percent("", value, asked)
        except ConsultationError:
            continue
        found.append(asked)
    return found


def agreement_table(
    consultations: Iterable[Consultation], priority: str
) -> list[PriorityAgreement]:
    """Every recorded agreement with one priority, oldest consultation first."""
    ordered = sorted(consultations, key=lambda c: c.held_from)
    return [a for c in ordered if (a := c.agreement_for(priority)) is not None]

"""A Children and Young People's Plan as data.

The structure follows the plans themselves: an area's plan has a vision,
values and an approach, themes (priorities) with aims, outcomes, actions and
measures, cross-cutting themes, and sometimes local partnership boards with
their own priorities. Every item read from a document can carry the quote it
came from, so a reviewer can check it. All classes are frozen: a revised plan
is a new value, which keeps comparisons and round trips exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cypp.domain.periods import Period, PeriodKind
from cypp.domain.targets import Number, Target
from cypp.domain.units import Polarity, Unit

__all__ = [
    "Action",
    "ActionStatus",
    "Area",
    "Baseline",
    "Board",
    "Breakdown",
    "ComparatorValue",
    "Frequency",
    "Measure",
    "NationalIndicator",
    "Outcome",
    "Plan",
    "PlanStatus",
    "SourceDocument",
    "SourceLocation",
    "Theme",
]


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"


class PlanStatus(StrEnum):
    DRAFT = "draft"
    ADOPTED = "adopted"
    #: A review of progress against an earlier plan: figures report what was achieved.
    REVIEW = "review"
    SUPERSEDED = "superseded"


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TERMLY = "termly"
    ANNUAL = "annual"
    AD_HOC = "ad_hoc"


@dataclass(frozen=True)
class Area:
    name: str
    ons_code: str | None = None


@dataclass(frozen=True)
class SourceLocation:
    """Where in the source document an item was read (1-based line and page)."""

    line: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class SourceDocument:
    title: str | None = None
    file: str | None = None
    url: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class Baseline:
    value: Number | None = None
    period: Period | None = None
    text: str | None = None


@dataclass(frozen=True)
class Breakdown:
    """Values for one group (a year group, a hospital trust, a subject)."""

    label: str
    baseline: Baseline | None = None
    target: Target | None = None


@dataclass(frozen=True)
class ComparatorValue:
    """A comparator's published value for the measure (england, region, statistical_neighbours)."""

    comparator: str
    value: Number | None = None
    period: Period | None = None


@dataclass(frozen=True)
class NationalIndicator:
    """The published indicator the measure corresponds to, so data can be fetched."""

    fingertips_indicator_id: int | None = None
    lait_measure: str | None = None
    ees: str | None = None


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    definition: str | None = None
    unit: Unit | None = None
    polarity: Polarity | None = None
    frequency: Frequency | None = None
    period_type: PeriodKind | None = None
    data_source: str | None = None
    owner: str | None = None
    baseline: Baseline | None = None
    target: Target | None = None
    further_targets: tuple[Target, ...] = ()
    breakdowns: tuple[Breakdown, ...] = ()
    comparators: tuple[ComparatorValue, ...] = ()
    national_indicator: NationalIndicator | None = None
    outcome: str | None = None
    quote: str | None = None
    location: SourceLocation | None = None
    confidence: Decimal | None = None
    note: str | None = None

    @property
    def targets(self) -> tuple[Target, ...]:
        """The primary target followed by any further targets."""
        return ((self.target,) if self.target else ()) + self.further_targets


@dataclass(frozen=True)
class Outcome:
    title: str
    id: str | None = None
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Action:
    title: str
    id: str | None = None
    owner: str | None = None
    partners: tuple[str, ...] = ()
    due: Period | None = None
    status: ActionStatus | None = None
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Theme:
    """A priority of the plan (or a cross-cutting theme) with what it aims for and measures."""

    id: str
    title: str
    aims: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    actions: tuple[Action, ...] = ()
    measures: tuple[Measure, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Board:
    """A local partnership board and the priorities it sets for its locality."""

    name: str
    priorities: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Plan:
    id: str
    area: Area
    title: str | None = None
    period: Period | None = None
    status: PlanStatus | None = None
    vision: str | None = None
    values: tuple[str, ...] = ()
    approach: tuple[str, ...] = ()
    themes: tuple[Theme, ...] = ()
    cross_cutting: tuple[Theme, ...] = ()
    boards: tuple[Board, ...] = ()
    source: SourceDocument | None = None
    note: str | None = None

    def all_themes(self) -> Iterator[tuple[str, int, Theme]]:
        """Each theme with the list it sits in ('themes' or 'cross_cutting') and its index."""
        for index, theme in enumerate(self.themes):
            yield "themes", index, theme
        for index, theme in enumerate(self.cross_cutting):
            yield "cross_cutting", index, theme

    def measures(self) -> Iterator[tuple[str, Theme, Measure]]:
        """Every measure with its location path (``themes[1].measures[3]``) and theme."""
        for key, index, theme in self.all_themes():
            for position, measure in enumerate(theme.measures):
                yield f"{key}[{index}].measures[{position}]", theme, measure

    def measure_count(self) -> int:
        return sum(len(theme.measures) for _, _, theme in self.all_themes())

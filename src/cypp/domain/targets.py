"""Targets as plans state them, and the details each kind of target needs.

A target always keeps the plan's own words (``text``) beside the structured
reading, so a reviewer can check one against the other. Which structured
fields make sense depends on the kind: a rank has a position and a field size,
a comparator target names the comparator and the relation, and so on.
:func:`target_problems` says where a target's fields do not fit its kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cypp.domain.periods import Period

__all__ = [
    "Bound",
    "Comparator",
    "ComparatorRelation",
    "GapDirection",
    "Number",
    "QuartileSide",
    "Target",
    "TargetKind",
    "TargetScope",
    "TrendDirection",
    "target_problems",
]

#: Figures keep the digits the plan wrote: ``int`` for whole numbers, ``Decimal`` otherwise.
type Number = int | Decimal


class TargetKind(StrEnum):
    VALUE = "value"
    RELATIVE_CHANGE = "relative_change"
    RANK = "rank"
    QUARTILE = "quartile"
    COMPARATOR = "comparator"
    GAP = "gap"
    TREND = "trend"
    NARRATIVE = "narrative"
    NO_TARGET = "no_target"
    TBC = "tbc"


class Bound(StrEnum):
    """How a value target limits the result ("14% or fewer" is at_most, "<23.2" is below)."""

    EXACTLY = "exactly"
    AT_MOST = "at_most"
    BELOW = "below"
    AT_LEAST = "at_least"
    ABOVE = "above"


class Comparator(StrEnum):
    ENGLAND = "england"
    REGION = "region"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours"
    NATIONAL_TARGET = "national_target"


class ComparatorRelation(StrEnum):
    IN_LINE = "in_line"
    BETTER_THAN = "better_than"
    NOT_SIGNIFICANTLY_DIFFERENT = "not_significantly_different"
    ABOVE_BY_PERCENT = "above_by_percent"
    BELOW_BY_PERCENT = "below_by_percent"
    MEETS = "meets"


class QuartileSide(StrEnum):
    TOP = "top"
    BOTTOM = "bottom"


class GapDirection(StrEnum):
    NARROW = "narrow"
    CLOSE = "close"


class TrendDirection(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    IMPROVE = "improve"
    MAINTAIN = "maintain"


class TargetScope(StrEnum):
    """Whose target it is, when a plan gives a local and a national one."""

    LOCAL = "local"
    NATIONAL = "national"


@dataclass(frozen=True)
class Target:
    """One target of a measure.

    ``value`` means, by kind: the level aimed at (value, gap), the signed percent
    change against the baseline (relative_change), the position (rank), the
    distance from the comparator in percent (comparator, above/below_by_percent),
    and is empty for the other kinds.
    """

    kind: TargetKind
    value: Number | None = None
    period: Period | None = None
    text: str | None = None
    bound: Bound | None = None
    out_of: int | None = None
    quartile: int | None = None
    side: QuartileSide | None = None
    share: Number | None = None
    comparator: Comparator | None = None
    relation: ComparatorRelation | None = None
    between: tuple[str, ...] = ()
    gap_direction: GapDirection | None = None
    direction: TrendDirection | None = None
    from_value: Number | None = None
    scope: TargetScope | None = None


# Which optional detail fields each kind may carry (value, period, text and scope fit every kind
# where a figure can be stated; see _VALUE_KINDS).
_DETAILS: dict[TargetKind, frozenset[str]] = {
    TargetKind.VALUE: frozenset({"bound"}),
    TargetKind.RELATIVE_CHANGE: frozenset(),
    TargetKind.RANK: frozenset({"out_of", "bound"}),
    TargetKind.QUARTILE: frozenset({"quartile", "side", "share"}),
    TargetKind.COMPARATOR: frozenset({"comparator", "relation"}),
    TargetKind.GAP: frozenset({"between", "gap_direction", "bound"}),
    TargetKind.TREND: frozenset({"direction", "from_value"}),
    TargetKind.NARRATIVE: frozenset(),
    TargetKind.NO_TARGET: frozenset(),
    TargetKind.TBC: frozenset(),
}
_ALL_DETAILS = frozenset().union(*_DETAILS.values())
_VALUE_KINDS = frozenset(
    {
        TargetKind.VALUE,
        TargetKind.RELATIVE_CHANGE,
        TargetKind.RANK,
        TargetKind.COMPARATOR,
        TargetKind.GAP,
    }
)


def target_problems(target: Target) -> list[tuple[str, str]]:
    """Fields of ``target`` that do not fit its kind, as (field, message) pairs.

    An empty list means the target is consistent. A target may leave its figure
    empty where the plan does not state one ("the target for referrals"), but it
    may not carry details that belong to another kind.
    """
    problems: list[tuple[str, str]] = []
    kind = target.kind
    allowed = _DETAILS[kind]
    for name in sorted(_ALL_DETAILS - allowed):
        present = getattr(target, name)
        if present not in (None, ()):
            problems.append((name, f"'{name}' does not apply to a {kind} target"))
    if target.value is not None and kind not in _VALUE_KINDS:
        problems.append(("value", f"a {kind} target has no value"))
    if kind in (TargetKind.NO_TARGET, TargetKind.TBC) and target.period is not None:
        problems.append(("period", f"a {kind} target has no period"))
    if kind is TargetKind.RELATIVE_CHANGE and target.value is None:
        problems.append(("value", "a relative_change target needs the percent change as value"))
    if kind is TargetKind.RANK:
        if target.value is not None and (not isinstance(target.value, int) or target.value < 1):
            problems.append(("value", "a rank is a whole number from 1"))
        if target.out_of is not None and target.out_of < 1:
            problems.append(("out_of", "out_of must be at least 1"))
        if (
            isinstance(target.value, int)
            and target.out_of is not None
            and target.value > target.out_of
        ):
            problems.append(("value", f"rank {target.value} is beyond out_of {target.out_of}"))
    if kind is TargetKind.QUARTILE:
        if target.quartile is None and target.side is None:
            problems.append(("quartile", "a quartile target needs a quartile (1-4) or a side"))
        if target.quartile is not None and not 1 <= target.quartile <= 4:
            problems.append(("quartile", "quartile must be 1 (best) to 4"))
        if target.share is not None and not 0 < target.share <= 100:
            problems.append(("share", "share is a percentage of areas, above 0 and at most 100"))
    if kind is TargetKind.COMPARATOR:
        if target.comparator is None:
            problems.append(("comparator", "a comparator target must name its comparator"))
        if target.relation is None:
            problems.append(("relation", "a comparator target needs a relation"))
        by_percent = target.relation in (
            ComparatorRelation.ABOVE_BY_PERCENT,
            ComparatorRelation.BELOW_BY_PERCENT,
        )
        if by_percent and target.value is None:
            problems.append(("value", f"relation {target.relation} needs the percent as value"))
        if target.value is not None and not by_percent:
            problems.append(("value", "only above_by_percent and below_by_percent take a value"))
    if kind is TargetKind.GAP and target.between and len(target.between) != 2:
        problems.append(("between", "a gap lies between exactly two groups"))
    if kind is TargetKind.TREND and target.direction is None:
        problems.append(("direction", "a trend target needs a direction"))
    return problems

"""Baselines and targets in plain English, for pages and reports.

"from 33 per 10,000 in March 2014 to 31 per 10,000 in 2014/15" reads better to a board
member than a table of kinds and bounds. Pure functions of domain values: no Django.
"""

from __future__ import annotations

from decimal import Decimal

from cypp.domain.plan import ActionStatus, Baseline, Measure, PlanStatus
from cypp.domain.targets import (
    Bound,
    Comparator,
    ComparatorRelation,
    QuartileSide,
    Target,
    TargetKind,
    TrendDirection,
)
from cypp.domain.units import Polarity, Unit

__all__ = [
    "action_status",
    "baseline_phrase",
    "comparator_name",
    "figure",
    "measure_sentence",
    "plan_status",
    "polarity_phrase",
    "target_phrase",
]

_RATE_BASE = {
    Unit.RATE_PER_1000: "1,000",
    Unit.RATE_PER_10000: "10,000",
    Unit.RATE_PER_100000: "100,000",
}
_BOUND = {
    Bound.EXACTLY: "",
    Bound.AT_MOST: "at most ",
    Bound.BELOW: "below ",
    Bound.AT_LEAST: "at least ",
    Bound.ABOVE: "above ",
}
_COMPARATOR = {
    Comparator.ENGLAND: "England",
    Comparator.REGION: "the region",
    Comparator.STATISTICAL_NEIGHBOURS: "statistical neighbours",
    Comparator.NATIONAL_TARGET: "the national target",
}
_TREND = {
    TrendDirection.INCREASE: "increase",
    TrendDirection.DECREASE: "decrease",
    TrendDirection.IMPROVE: "improve",
    TrendDirection.MAINTAIN: "maintain the current level",
}


def _digits(value: int | Decimal) -> str:
    """Thousands separated, keeping the decimal places the plan wrote."""
    return f"{value:,}"


def figure(value: int | Decimal, unit: Unit | None) -> str:
    """``33`` in rate_per_10000 → ``33 per 10,000``; ``64.5`` percent → ``64.5%``."""
    text = _digits(value)
    if unit is Unit.PERCENT:
        return f"{text}%"
    if unit in _RATE_BASE:
        return f"{text} per {_RATE_BASE[unit]}"
    if unit is Unit.DAYS:
        return f"{text} day" if value == 1 else f"{text} days"
    if unit is Unit.RANK:
        return f"rank {text}"
    return text


def _in(period: object | None) -> str:
    return f" in {period}" if period is not None else ""


def _by(period: object | None) -> str:
    return f" by {period}" if period is not None else ""


def baseline_phrase(baseline: Baseline | None, unit: Unit | None) -> str | None:
    """``33 per 10,000 in March 2014``, or the plan's words when there is no figure."""
    if baseline is None:
        return None
    if baseline.value is not None:
        return figure(baseline.value, unit) + _in(baseline.period)
    if baseline.text:
        return baseline.text + _in(baseline.period)
    if baseline.period is not None:
        return f"No figure given for {baseline.period}"
    return None


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def target_phrase(target: Target | None, unit: Unit | None) -> str:
    """The target as a phrase: ``at most 14% in 2016/17``, ``in the top quartile by 2017``."""
    if target is None:
        return "No target stated"
    kind = target.kind
    when = target.period
    if kind is TargetKind.VALUE:
        if target.value is None:
            return (target.text or "A level to be reached") + _in(when)
        return _BOUND[target.bound or Bound.EXACTLY] + figure(target.value, unit) + _in(when)
    if kind is TargetKind.RELATIVE_CHANGE and target.value is not None:
        change = abs(target.value)
        direction = "reduction" if target.value < 0 else "increase"
        return f"a {_digits(change)}% {direction} on the baseline{_by(when)}"
    if kind is TargetKind.RANK and isinstance(target.value, int):
        out_of = f" out of {target.out_of}" if target.out_of else ""
        bound = " or better" if target.bound in (Bound.AT_MOST, Bound.BELOW) else ""
        return f"ranked {_ordinal(target.value)}{bound}{out_of}{_by(when)}"
    if kind is TargetKind.QUARTILE:
        if target.share is not None and target.side is not None:
            where = f"in the {target.side} {_digits(target.share)}% of areas"
        elif target.quartile is not None:
            names = {1: "top", 2: "second", 3: "third", 4: "bottom"}
            where = f"in the {names[target.quartile]} quartile"
        else:
            where = f"in the {target.side or QuartileSide.TOP} quartile"
        return where + _by(when)
    if kind is TargetKind.COMPARATOR and target.comparator is not None:
        other = _COMPARATOR[target.comparator]
        relation = target.relation
        if relation is ComparatorRelation.ABOVE_BY_PERCENT and target.value is not None:
            text = f"{_digits(target.value)}% above {other}"
        elif relation is ComparatorRelation.BELOW_BY_PERCENT and target.value is not None:
            text = f"{_digits(target.value)}% below {other}"
        elif relation is ComparatorRelation.BETTER_THAN:
            text = f"better than {other}"
        elif relation is ComparatorRelation.NOT_SIGNIFICANTLY_DIFFERENT:
            text = f"not significantly different from {other}"
        elif relation is ComparatorRelation.MEETS:
            text = f"meeting {other}"
        else:
            text = f"in line with {other}"
        return text + _by(when)
    if kind is TargetKind.GAP:
        groups = " and ".join(target.between) if target.between else None
        verb = (
            "close" if target.gap_direction and target.gap_direction.value == "close" else "narrow"
        )
        text = f"{verb} the gap" + (f" between {groups}" if groups else "")
        if target.value is not None:
            text += " to " + _BOUND[target.bound or Bound.EXACTLY] + figure(target.value, unit)
        return text + _by(when)
    if kind is TargetKind.TREND and target.direction is not None:
        text = _TREND[target.direction]
        if target.from_value is not None:
            text += f" from {figure(target.from_value, unit)}"
        return text + _by(when)
    if kind is TargetKind.NO_TARGET:
        return "No target set"
    if kind is TargetKind.TBC:
        return "Target to be confirmed"
    return target.text or f"{kind.value.replace('_', ' ')} target"


def measure_sentence(measure: Measure) -> str:
    """One sentence for the measure's headline: baseline and primary target together."""
    unit = measure.unit
    target = measure.target
    base = baseline_phrase(measure.baseline, unit)
    if target is not None and target.kind is TargetKind.VALUE and target.value is not None:
        aim = figure(target.value, unit) + _in(target.period)
        bound = _BOUND[target.bound or Bound.EXACTLY]
        if base and measure.baseline and measure.baseline.value is not None:
            return f"From {base} to {bound}{aim}."
        return f"Target: {bound}{aim}."
    aim = target_phrase(target, unit)
    if base:
        return f"Baseline {base}. Target: {aim[0].lower() + aim[1:]}."
    return f"{aim[0].upper() + aim[1:]}."


def polarity_phrase(polarity: Polarity | None) -> str | None:
    return (
        {
            Polarity.HIGHER_IS_BETTER: "Higher is better",
            Polarity.LOWER_IS_BETTER: "Lower is better",
            Polarity.NONE: "Neither higher nor lower is better",
        }.get(polarity)
        if polarity
        else None
    )


def comparator_name(comparator: str) -> str:
    """``statistical_neighbours`` → ``Statistical neighbours``; other names as written."""
    try:
        name = _COMPARATOR[Comparator(comparator)]
    except ValueError:
        name = comparator.replace("_", " ")
    return name[0].upper() + name[1:] if name else name


def plan_status(status: PlanStatus | None) -> str | None:
    return (
        {
            PlanStatus.DRAFT: "Draft",
            PlanStatus.ADOPTED: "Adopted",
            PlanStatus.REVIEW: "Review of progress",
            PlanStatus.SUPERSEDED: "Superseded",
        }.get(status)
        if status
        else None
    )


def action_status(status: ActionStatus | None) -> str | None:
    return status.value.replace("_", " ").capitalize() if status else None

"""Plain-English wording for targets, ratings and charts in board reports.

A Board reads "14% or lower by 2014/15", not ``kind: value, bound: at_most``.
Numbers are rounded here for display only; the pack keeps the exact values.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from cypp.domain.plan import Measure
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
from cypp.stats.formatting import format_value

__all__ = ["chart_alternative", "describe_target", "number", "value_text"]

_COMPARATOR_WORDS = {
    Comparator.ENGLAND: "England",
    Comparator.REGION: "the region",
    Comparator.STATISTICAL_NEIGHBOURS: "the statistical-neighbour average",
    Comparator.NATIONAL_TARGET: "the national target",
}
_ORDINAL = {1: "top", 2: "second", 3: "third", 4: "bottom"}


def number(x: int | Decimal | float | None) -> float | None:
    """Plan figures (int or Decimal) as floats for arithmetic and charts."""
    return None if x is None else float(x)


def value_text(x: float | None, unit: Unit | None) -> str:
    """A value with its unit ('33 per 10,000', '64.5%'), or 'no value'."""
    return format_value(x, unit)


def _by(target: Target) -> str:
    return f" by {target.period.label}" if target.period is not None else ""


def _value_target(target: Target, measure: Measure) -> str:
    figure = value_text(number(target.value), measure.unit)
    bound = target.bound
    if bound is None:
        bound = {
            Polarity.LOWER_IS_BETTER: Bound.AT_MOST,
            Polarity.HIGHER_IS_BETTER: Bound.AT_LEAST,
        }.get(measure.polarity or Polarity.NONE, Bound.EXACTLY)
    words = {
        Bound.EXACTLY: figure,
        Bound.AT_MOST: f"{figure} or lower",
        Bound.BELOW: f"below {figure}",
        Bound.AT_LEAST: f"{figure} or higher",
        Bound.ABOVE: f"above {figure}",
    }[bound]
    return words + _by(target)


def _comparator_target(target: Target) -> str:
    who = _COMPARATOR_WORDS.get(target.comparator or Comparator.ENGLAND, "the comparator")
    percent = value_text(number(target.value), Unit.PERCENT)
    words = {
        ComparatorRelation.IN_LINE: f"in line with {who}",
        ComparatorRelation.BETTER_THAN: f"better than {who}",
        ComparatorRelation.NOT_SIGNIFICANTLY_DIFFERENT: f"not significantly different from {who}",
        ComparatorRelation.ABOVE_BY_PERCENT: f"{percent} above {who}",
        ComparatorRelation.BELOW_BY_PERCENT: f"{percent} below {who}",
        ComparatorRelation.MEETS: f"meeting {who}",
    }.get(target.relation or ComparatorRelation.IN_LINE, f"compared with {who}")
    return words + _by(target)


def _plan_words(target: Target, fallback: str) -> str:
    return target.text if target.text else fallback


def describe_target(measure: Measure, target: Target | None = None) -> str:
    """The measure's (primary) target in plain words, built from its structured fields.

    Where the structure cannot say it better (narrative targets, quartile sides),
    the plan's own words are used.
    """
    target = target or measure.target
    if target is None:
        return "No target set"
    kind = target.kind
    if kind is TargetKind.VALUE:
        if target.value is None:
            return _plan_words(target, "A target without a figure")
        return _value_target(target, measure)
    if kind is TargetKind.RELATIVE_CHANGE:
        change = number(target.value) or 0.0
        word = "rise" if change > 0 else "fall"
        base = measure.baseline
        base_words = ""
        if base is not None and base.value is not None:
            when = f" in {base.period.label}" if base.period else ""
            base_words = f" from {value_text(number(base.value), measure.unit)}{when}"
        return f"a {value_text(abs(change), Unit.PERCENT)} {word}{base_words}{_by(target)}"
    if kind is TargetKind.RANK:
        field = f" of {target.out_of}" if target.out_of else ""
        return f"ranked {target.value or '?'}{field} or better{_by(target)}"
    if kind is TargetKind.QUARTILE:
        if target.quartile is not None:
            where = f"in the {_ORDINAL[target.quartile]} quartile"
            if target.quartile > 1:
                where += " or better"
            return f"{where} of English local authorities{_by(target)}"
        if target.side is QuartileSide.TOP:
            return f"in the top quartile of English local authorities{_by(target)}"
        return _plan_words(target, f"out of the bottom quartile{_by(target)}")
    if kind is TargetKind.COMPARATOR:
        return _comparator_target(target)
    if kind is TargetKind.GAP:
        groups = f" between {' and '.join(target.between)}" if target.between else ""
        if target.value is not None:
            figure = value_text(number(target.value), measure.unit)
            return f"a gap of {figure} or less{groups}{_by(target)}"
        return f"a narrower gap{groups}{_by(target)}"
    if kind is TargetKind.TREND:
        direction = (target.direction or TrendDirection.IMPROVE).value
        start = (
            f" from {value_text(number(target.from_value), measure.unit)}"
            if target.from_value is not None
            else ""
        )
        return f"to {direction}{start}{_by(target)}"
    if kind is TargetKind.NARRATIVE:
        return _plan_words(target, "A narrative target")
    if kind is TargetKind.NO_TARGET:
        return "No target: monitored only"
    return "Target to be confirmed"


def chart_alternative(
    name: str,
    unit: Unit | None,
    periods: Sequence[str],
    values: Sequence[float | None],
    *,
    target_words: str,
    england: float | None,
    sn_average: float | None,
) -> str:
    """One sentence describing a trend chart, for screen readers and print captions."""
    known = [(p, v) for p, v in zip(periods, values, strict=True) if v is not None]
    if not known:
        return f"Chart of {name}: no values have been recorded yet."
    first_period, first = known[0]
    last_period, last = known[-1]
    parts = [f"Chart of {name}"]
    if len(known) == 1:
        parts.append(f": {value_text(last, unit)} in {last_period}")
    else:
        move = "up" if last > first else "down" if last < first else "unchanged"
        parts.append(
            f" from {first_period} to {last_period}: {value_text(last, unit)} in {last_period}, "
            f"{move} from {value_text(first, unit)} in {first_period}"
        )
    extras = [f"target {target_words}"]
    if england is not None:
        extras.append(f"England {value_text(england, unit)}")
    if sn_average is not None:
        extras.append(f"statistical-neighbour average {value_text(sn_average, unit)}")
    return "".join(parts) + "; " + "; ".join(extras) + "."

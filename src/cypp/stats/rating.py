"""Rating a measure against its target, with the provenance needed to reproduce it.

Each ``rate_*`` function takes plain values (no database, no Django) and
returns a :class:`Rating`: the result, every input and comparator used, the
method, confidence level, tolerance and :data:`RULE_VERSION`, and an
``explain()`` sentence. Stored values are never rounded; only the sentence is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from cypp.domain.periods import Period, PeriodError, parse_period
from cypp.domain.targets import TargetKind
from cypp.domain.units import Polarity, Unit
from cypp.stats.ci import ArrayLike
from cypp.stats.compare import Comparison, Significance
from cypp.stats.formatting import format_number, format_value
from cypp.stats.trends import TrendMarker, trend_label

#: Version of the rating rules; stored with every rating so old scorecards can be reproduced.
RULE_VERSION = "cypp-ratings/1.0"


class Status(StrEnum):
    """A rating's result. The last five are results too, never a silent gap."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    AWAITING_DATA = "Awaiting data"
    NOT_COMPARABLE = "Not comparable"
    NARRATIVE = "Narrative"
    NO_TARGET = "No target"
    TBC = "Target to be confirmed"

    @property
    def is_rag(self) -> bool:
        return self in (Status.RED, Status.AMBER, Status.GREEN)


#: Status codes used by the vectorised rater (0 = not comparable).
RAG_CODES = (Status.NOT_COMPARABLE, Status.RED, Status.AMBER, Status.GREEN)


class Direction(StrEnum):
    """Direction of travel between two observations."""

    IMPROVING = "Improving"
    WORSENING = "Worsening"
    NO_CHANGE = "No change"
    INCREASING = "Increasing"
    DECREASING = "Decreasing"
    NOT_COMPARABLE = "Not comparable"


class Operator(StrEnum):
    """How a value target limits the result (same words as the plan file's bounds)."""

    EXACTLY = "exactly"
    AT_MOST = "at_most"
    BELOW = "below"
    AT_LEAST = "at_least"
    ABOVE = "above"


_OP_WORDS = {
    Operator.EXACTLY: "a target of",
    Operator.AT_MOST: "a target of at most",
    Operator.BELOW: "a target of below",
    Operator.AT_LEAST: "a target of at least",
    Operator.ABOVE: "a target of above",
}


def default_operator(polarity: Polarity) -> Operator:
    """A bare figure means 'at least' when high is good, 'at most' when low is good."""
    if polarity is Polarity.HIGHER_IS_BETTER:
        return Operator.AT_LEAST
    if polarity is Polarity.LOWER_IS_BETTER:
        return Operator.AT_MOST
    return Operator.EXACTLY


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far a value may miss its target and still be Amber rather than Red.

    ``relative=True`` reads ``amount`` as a fraction of the target (0.05 = 5 %);
    otherwise it is in the measure's own unit.
    """

    amount: float = 0.05
    relative: bool = True

    def band(self, target: float) -> float:
        return abs(target) * self.amount if self.relative else self.amount

    def describe(self) -> str:
        if self.relative:
            return f"{format_number(self.amount * 100)}% of the target"
        return format_number(self.amount)


@dataclass(frozen=True, slots=True)
class Observation:
    """One data point of a measure, with whatever limits and counts were published.

    ``period`` is the label as people write it ("2014/15"); ``span`` the parsed
    period when known, which sets ``period_end`` and lets observations be matched
    to target periods. Use :meth:`of` to build one from a label or a Period.
    ``breakdown`` is None (or "all") for the whole population.
    """

    value: float | None
    period: str | None = None
    period_end: date | None = None
    lower95: float | None = None
    upper95: float | None = None
    lower998: float | None = None
    upper998: float | None = None
    count: float | None = None
    denominator: float | None = None
    area_code: str | None = None
    breakdown: str | None = None
    span: Period | None = None

    @classmethod
    def of(
        cls,
        value: float | None,
        period: Period | str | None = None,
        **fields: Any,
    ) -> Observation:
        """An observation for a period given as a Period or as text ("2014/15", "Q2 2013/14").

        Text that is not a period is kept as the label, without an end date.
        """
        span: Period | None
        if isinstance(period, Period):
            span = period
        elif period is None:
            span = None
        else:
            try:
                span = parse_period(period)
            except PeriodError:
                span = None
        label = str(period) if period is not None else None
        end = fields.pop("period_end", None) or (span.end if span is not None else None)
        return cls(
            None if value is None else float(value),
            label,
            end,
            span=span,
            **fields,
        )

    @property
    def has_value(self) -> bool:
        return self.value is not None and math.isfinite(self.value)

    def as_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (
                ("value", self.value),
                ("period", self.period),
                ("period_end", self.period_end.isoformat() if self.period_end else None),
                ("lower95", self.lower95),
                ("upper95", self.upper95),
                ("lower998", self.lower998),
                ("upper998", self.upper998),
                ("count", self.count),
                ("denominator", self.denominator),
                ("area_code", self.area_code),
                ("breakdown", self.breakdown),
            )
            if v is not None
        }


@dataclass(frozen=True, slots=True)
class MeasureContext:
    """What every rating of a measure needs besides the target itself."""

    polarity: Polarity
    unit: Unit | None = None
    #: How often new data arrive, in months (12 = annual); None never marks data stale.
    frequency_months: int | None = 12
    #: Months between a period's end and its publication.
    publication_lag_months: int = 0
    as_of: date | None = None
    previous: Observation | None = None
    baseline: Observation | None = None
    #: Significance against a benchmark, shown alongside the RAG.
    comparison: Comparison | None = None


@dataclass(frozen=True, slots=True)
class Rating:
    """A rating with its provenance."""

    status: Status
    kind: TargetKind
    method: str
    reason: str
    polarity: Polarity
    unit: Unit | None = None
    target: float | None = None
    target_period: str | None = None
    inputs: Mapping[str, Any] = field(default_factory=dict)
    comparators: Mapping[str, float | None] = field(default_factory=dict)
    confidence: float | None = None
    tolerance: Tolerance | None = None
    comparison: Comparison | None = None
    direction_since_previous: Direction | None = None
    direction_since_baseline: Direction | None = None
    rule_version: str = RULE_VERSION
    measure_id: str | None = None
    area_code: str | None = None
    period: str | None = None

    def explain(self) -> str:
        """One plain sentence, e.g. 'Red: 33 per 10,000 against a target of 31 by 2014/15;
        significantly worse than England (28.2)'."""
        parts = [f"{self.status.value}: {self.reason}"]
        if self.comparison is not None and self.status not in (
            Status.NARRATIVE,
            Status.NO_TARGET,
            Status.TBC,
        ):
            parts.append(self.comparison.explain())
        if self.direction_since_previous not in (None, Direction.NOT_COMPARABLE):
            assert self.direction_since_previous is not None
            parts.append(f"{self.direction_since_previous.value.lower()} since the previous period")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for storage (JSON-friendly)."""
        return {
            "status": self.status.value,
            "kind": self.kind.value,
            "method": self.method,
            "reason": self.reason,
            "polarity": self.polarity.value,
            "unit": self.unit.value if self.unit else None,
            "target": self.target,
            "target_period": self.target_period,
            "inputs": dict(self.inputs),
            "comparators": dict(self.comparators),
            "confidence": self.confidence,
            "tolerance": (
                None
                if self.tolerance is None
                else {"amount": self.tolerance.amount, "relative": self.tolerance.relative}
            ),
            "comparison": None
            if self.comparison is None
            else {
                "benchmark": self.comparison.benchmark,
                "benchmark_value": self.comparison.benchmark_value,
                "significance": self.comparison.significance.name,
                "label": self.comparison.label,
                "method": self.comparison.method.value,
            },
            "direction_since_previous": _val(self.direction_since_previous),
            "direction_since_baseline": _val(self.direction_since_baseline),
            "rule_version": self.rule_version,
            "measure_id": self.measure_id,
            "area_code": self.area_code,
            "period": self.period,
            "explanation": self.explain(),
        }


def _val(d: Direction | None) -> str | None:
    return None if d is None else d.value


# --------------------------------------------------------------------------- shared rules


def _months_after(day: date, months: int) -> date:
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    import calendar

    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def is_awaiting_data(
    latest: Observation | None,
    as_of: date | None,
    frequency_months: int | None,
    publication_lag_months: int = 0,
) -> bool:
    """True when there is no value, or a newer one should exist by ``as_of``.

    The next period ends ``frequency_months`` after the latest one and is due
    ``publication_lag_months`` later; past that date the latest value is stale.
    """
    if latest is None or not latest.has_value:
        return True
    if as_of is None or frequency_months is None or latest.period_end is None:
        return False
    due = _months_after(latest.period_end, frequency_months + publication_lag_months)
    return as_of > due


def direction_of_travel(
    current: float | None,
    previous: float | None,
    polarity: Polarity,
    *,
    tolerance: float = 0.0,
    current_ci: tuple[float, float] | None = None,
    previous_ci: tuple[float, float] | None = None,
) -> Direction:
    """Improving / worsening / no change (increasing / decreasing without polarity).

    With both 95 % intervals given, overlapping intervals mean no change
    (Fingertips' comparison with the previous value); otherwise a change within
    ``tolerance`` (absolute) is no change.
    """
    if (
        current is None
        or previous is None
        or not (math.isfinite(current) and math.isfinite(previous))
    ):
        return Direction.NOT_COMPARABLE
    if current_ci is not None and previous_ci is not None:
        lo_big, hi_small = (
            (current_ci[0], previous_ci[1])
            if current >= previous
            else (previous_ci[0], current_ci[1])
        )
        if lo_big <= hi_small:
            return Direction.NO_CHANGE
    elif abs(current - previous) <= tolerance:
        return Direction.NO_CHANGE
    if current == previous:
        return Direction.NO_CHANGE
    up = current > previous
    if polarity is Polarity.NONE:
        return Direction.INCREASING if up else Direction.DECREASING
    good = up == (polarity is Polarity.HIGHER_IS_BETTER)
    return Direction.IMPROVING if good else Direction.WORSENING


def value_status_codes(
    values: ArrayLike, targets: ArrayLike, operator: Operator, tolerance: Tolerance
) -> npt.NDArray[np.int8]:
    """Vectorised value-against-target rule: 0 not comparable, 1 Red, 2 Amber, 3 Green."""
    v = np.asarray(values, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    band = np.abs(t) * tolerance.amount if tolerance.relative else tolerance.amount
    if operator is Operator.AT_MOST:
        green, amber = v <= t, v <= t + band
    elif operator is Operator.BELOW:
        green, amber = v < t, v <= t + band
    elif operator is Operator.AT_LEAST:
        green, amber = v >= t, v >= t - band
    elif operator is Operator.ABOVE:
        green, amber = v > t, v >= t - band
    else:
        gap = np.abs(v - t)
        green, amber = gap <= 1e-12 * np.maximum(np.abs(t), 1.0), gap <= band
    codes = np.where(green, np.int8(3), np.where(amber, np.int8(2), np.int8(1)))
    return np.where(np.isnan(v) | np.isnan(t), np.int8(0), codes).astype(np.int8)


def _fv(x: float | None, ctx: MeasureContext) -> str:
    return format_value(x, ctx.unit)


def _ft(x: float | None, ctx: MeasureContext) -> str:
    """A target figure: rates without repeating 'per 10,000' after the value that has it."""
    if ctx.unit in (Unit.RATE_PER_1000, Unit.RATE_PER_10000, Unit.RATE_PER_100000):
        return format_value(x, None)
    return _fv(x, ctx)


def _by(period: str | None) -> str:
    return f" by {period}" if period else ""


def _common(
    latest: Observation | None, ctx: MeasureContext
) -> tuple[Direction | None, Direction | None]:
    cur = latest.value if latest else None
    prev = ctx.previous.value if ctx.previous else None
    base = ctx.baseline.value if ctx.baseline else None
    since_prev = direction_of_travel(cur, prev, ctx.polarity) if ctx.previous else None
    since_base = direction_of_travel(cur, base, ctx.polarity) if ctx.baseline else None
    return since_prev, since_base


def _awaiting(
    kind: TargetKind, latest: Observation | None, ctx: MeasureContext, method: str
) -> Rating | None:
    if not is_awaiting_data(latest, ctx.as_of, ctx.frequency_months, ctx.publication_lag_months):
        return None
    if latest is None or not latest.has_value:
        reason = "no value has been recorded yet"
    else:
        reason = (
            f"the latest value ({_fv(latest.value, ctx)} for "
            f"{latest.period or 'an earlier period'}) is older than the measure's frequency "
            f"allows on {ctx.as_of.isoformat() if ctx.as_of else 'the rating date'}"
        )
    return Rating(
        Status.AWAITING_DATA,
        kind,
        method,
        reason,
        ctx.polarity,
        ctx.unit,
        inputs={"latest": latest.as_dict() if latest else None,
                "as_of": ctx.as_of.isoformat() if ctx.as_of else None,
                "frequency_months": ctx.frequency_months,
                "publication_lag_months": ctx.publication_lag_months},
    )  # fmt: skip


def _inputs(latest: Observation | None, ctx: MeasureContext, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"latest": latest.as_dict() if latest else None}
    if ctx.previous:
        out["previous"] = ctx.previous.as_dict()
    if ctx.baseline:
        out["baseline"] = ctx.baseline.as_dict()
    if ctx.as_of:
        out["as_of"] = ctx.as_of.isoformat()
    out.update(extra)
    return out


def _comparators(ctx: MeasureContext, **extra: float | None) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    if ctx.comparison is not None:
        out[ctx.comparison.benchmark] = ctx.comparison.benchmark_value
    out.update(extra)
    return out


# --------------------------------------------------------------------------- target kinds


def rate_value(
    latest: Observation | None,
    target: float,
    ctx: MeasureContext,
    *,
    operator: Operator | None = None,
    tolerance: Tolerance = Tolerance(),
    target_period: str | None = None,
    kind: TargetKind = TargetKind.VALUE,
    target_words: str | None = None,
) -> Rating:
    """Value against a figure: Green when met, Amber within the tolerance, Red beyond it."""
    op = operator or default_operator(ctx.polarity)
    method = f"value {op.value} target, amber within {tolerance.describe()}"
    waiting = _awaiting(kind, latest, ctx, method)
    if waiting is not None:
        return waiting
    assert latest is not None and latest.value is not None
    code = int(value_status_codes(latest.value, target, op, tolerance))
    since_prev, since_base = _common(latest, ctx)
    op_words = _OP_WORDS[op] if operator is not None else "a target of"
    words = target_words or f"{op_words} {_ft(target, ctx)}"
    reason = f"{_fv(latest.value, ctx)} against {words}{_by(target_period)}"
    return Rating(
        RAG_CODES[code],
        kind,
        method,
        reason,
        ctx.polarity,
        ctx.unit,
        target,
        target_period,
        _inputs(latest, ctx, operator=op.value),
        _comparators(ctx),
        ctx.comparison.confidence if ctx.comparison else None,
        tolerance,
        ctx.comparison,
        since_prev,
        since_base,
    )


def rate_relative_change(
    latest: Observation | None,
    baseline: Observation,
    change_percent: float,
    ctx: MeasureContext,
    *,
    tolerance: Tolerance = Tolerance(),
    target_period: str | None = None,
) -> Rating:
    """A signed percent change from the baseline (e.g. -10 = reduce by 10 %)."""
    if not baseline.has_value:
        return _not_comparable(TargetKind.RELATIVE_CHANGE, "the baseline has no value", ctx, latest)
    assert baseline.value is not None
    target = baseline.value * (1.0 + change_percent / 100.0)
    if change_percent < 0:
        op = Operator.AT_MOST
    elif change_percent > 0:
        op = Operator.AT_LEAST
    else:
        op = default_operator(ctx.polarity)
    verb = "lower" if change_percent < 0 else "higher"
    words = (
        f"a target of {_ft(target, ctx)} ({format_number(abs(change_percent))}% {verb} than the "
        f"baseline of {_ft(baseline.value, ctx)}"
        f"{' in ' + baseline.period if baseline.period else ''})"
    )
    ctx2 = MeasureContext(**{**_ctx_dict(ctx), "baseline": baseline})
    r = rate_value(
        latest,
        target,
        ctx2,
        operator=op,
        tolerance=tolerance,
        target_period=target_period,
        kind=TargetKind.RELATIVE_CHANGE,
        target_words=words,
    )
    return _replace(r, inputs={**r.inputs, "change_percent": change_percent})


def rate_trajectory(
    observations: Sequence[Observation],
    trajectory: Mapping[str, float],
    ctx: MeasureContext,
    *,
    operator: Operator | None = None,
    tolerance: Tolerance = Tolerance(),
) -> Rating:
    """Targets per period: the latest observation is rated against its own period's target."""
    obs = [o for o in observations if o.has_value]
    latest = obs[-1] if obs else None
    waiting = _awaiting(TargetKind.VALUE, latest, ctx, "trajectory")
    if waiting is not None:
        return waiting
    assert latest is not None
    if latest.period is None or latest.period not in trajectory:
        return _not_comparable(
            TargetKind.VALUE,
            f"the trajectory has no target for {latest.period or 'the latest period'}",
            ctx,
            latest,
        )
    prev = obs[-2] if len(obs) > 1 else ctx.previous
    ctx2 = MeasureContext(**{**_ctx_dict(ctx), "previous": prev})
    r = rate_value(
        latest,
        trajectory[latest.period],
        ctx2,
        operator=operator,
        tolerance=tolerance,
        target_period=latest.period,
    )
    return _replace(
        r,
        method=f"trajectory: {r.method}",
        inputs={**r.inputs, "trajectory": dict(trajectory)},
    )


def rate_rank(
    rank: int | None,
    target_rank: int,
    ctx: MeasureContext,
    *,
    out_of: int | None = None,
    tolerance_places: int = 0,
    target_period: str | None = None,
    latest: Observation | None = None,
) -> Rating:
    """Rank among peers (1 = best): Green at or above the target place, Amber within tolerance."""
    method = f"rank at or better than target, amber within {tolerance_places} places"
    if latest is not None:
        waiting = _awaiting(TargetKind.RANK, latest, ctx, method)
        if waiting is not None:
            return waiting
    if rank is None or rank < 1:
        return _not_comparable(TargetKind.RANK, "no rank could be calculated", ctx, latest)
    status = (
        Status.GREEN
        if rank <= target_rank
        else Status.AMBER
        if rank <= target_rank + tolerance_places
        else Status.RED
    )
    field_size = f" of {out_of}" if out_of else ""
    reason = f"ranked {rank}{field_size} against a target of {target_rank}{_by(target_period)}"
    since_prev, since_base = _common(latest, ctx)
    return Rating(
        status,
        TargetKind.RANK,
        method,
        reason,
        ctx.polarity,
        ctx.unit,
        float(target_rank),
        target_period,
        _inputs(latest, ctx, rank=rank, out_of=out_of),
        _comparators(ctx),
        tolerance=Tolerance(tolerance_places, relative=False),
        comparison=ctx.comparison,
        direction_since_previous=since_prev,
        direction_since_baseline=since_base,
    )


_BAND_INDEX = {"A": 1, "B": 2, "C": 3, "D": 4}
_QUARTILE_WORDS = {1: "top (best) quartile", 2: "second quartile", 3: "third quartile",
                   4: "bottom quartile"}  # fmt: skip


def rate_quartile(
    band: str | int | None,
    target_quartile: int,
    ctx: MeasureContext,
    *,
    target_period: str | None = None,
    latest: Observation | None = None,
) -> Rating:
    """Quartile among English LAs (band A / 1 = best): Green in or above the target quartile,
    Amber one quartile short, Red further away."""
    method = "LAIT quartile band (A = best), amber one quartile short"
    if latest is not None:
        waiting = _awaiting(TargetKind.QUARTILE, latest, ctx, method)
        if waiting is not None:
            return waiting
    q = _BAND_INDEX.get(band, 0) if isinstance(band, str) else (band or 0)
    if not 1 <= q <= 4:
        return _not_comparable(TargetKind.QUARTILE, "no quartile could be assigned", ctx, latest)
    status = (
        Status.GREEN
        if q <= target_quartile
        else Status.AMBER
        if q == target_quartile + 1
        else Status.RED
    )
    reason = (
        f"in the {_QUARTILE_WORDS[q]} against a target of the "
        f"{_QUARTILE_WORDS[target_quartile]} or better{_by(target_period)}"
    )
    since_prev, since_base = _common(latest, ctx)
    return Rating(
        status,
        TargetKind.QUARTILE,
        method,
        reason,
        ctx.polarity,
        ctx.unit,
        float(target_quartile),
        target_period,
        _inputs(latest, ctx, quartile=q),
        _comparators(ctx),
        comparison=ctx.comparison,
        direction_since_previous=since_prev,
        direction_since_baseline=since_base,
    )


class Relation(StrEnum):
    """What a comparator target asks for (same words as the plan file's relations)."""

    IN_LINE = "in_line"
    BETTER_THAN = "better_than"
    NOT_SIGNIFICANTLY_DIFFERENT = "not_significantly_different"
    ABOVE_BY_PERCENT = "above_by_percent"
    BELOW_BY_PERCENT = "below_by_percent"
    MEETS = "meets"


def rate_comparator(
    latest: Observation | None,
    benchmark: str,
    benchmark_value: float | None,
    relation: Relation,
    ctx: MeasureContext,
    *,
    significance: Comparison | None = None,
    percent: float | None = None,
    tolerance: Tolerance = Tolerance(),
    target_period: str | None = None,
) -> Rating:
    """Against England, the region or the statistical-neighbour average.

    With a significance comparison (``significance``, compared), the rule is
    statistical: better-than needs a significant difference (Similar is Amber);
    in-line / not-different / meets accept Similar. Without one, values are
    compared directly and Amber means within the tolerance of the benchmark.
    """
    kind = TargetKind.COMPARATOR
    if benchmark_value is None or not math.isfinite(benchmark_value):
        return _not_comparable(kind, f"there is no {benchmark} value to compare with", ctx, latest)
    if relation in (Relation.ABOVE_BY_PERCENT, Relation.BELOW_BY_PERCENT):
        p = (percent or 0.0) / 100.0
        above = relation is Relation.ABOVE_BY_PERCENT
        target = benchmark_value * (1 + p if above else 1 - p)
        words = (
            f"a target of {_fv(target, ctx)} ({format_number(percent or 0.0)}% "
            f"{'above' if above else 'below'} {benchmark}, {_fv(benchmark_value, ctx)})"
        )
        r = rate_value(
            latest,
            target,
            ctx,
            operator=Operator.AT_LEAST if above else Operator.AT_MOST,
            tolerance=tolerance,
            target_period=target_period,
            kind=kind,
            target_words=words,
        )
        return _replace(r, comparators={**r.comparators, benchmark: benchmark_value})
    method_base = "comparator"
    waiting = _awaiting(kind, latest, ctx, method_base)
    if waiting is not None:
        return waiting
    assert latest is not None and latest.value is not None
    since_prev, since_base = _common(latest, ctx)
    wanted = "better than" if relation is Relation.BETTER_THAN else "in line with or better than"
    if significance is not None and significance.compared:
        sig = significance.significance
        good = sig in (Significance.BETTER, Significance.BEST)
        bad = sig in (Significance.WORSE, Significance.WORST)
        if relation is Relation.BETTER_THAN:
            status = Status.GREEN if good else Status.RED if bad else Status.AMBER
        else:
            status = Status.RED if bad else Status.GREEN
        method = f"comparator by significance ({significance.method.value})"
        reason = (
            f"{_fv(latest.value, ctx)} against a target of {wanted} {benchmark}{_by(target_period)}"
        )
        return Rating(
            status,
            kind,
            method,
            reason,
            ctx.polarity,
            ctx.unit,
            benchmark_value,
            target_period,
            _inputs(latest, ctx, relation=relation.value),
            _comparators(ctx, **{benchmark: benchmark_value}),
            significance.confidence,
            None,
            significance,
            since_prev,
            since_base,
        )
    # By value.
    if ctx.polarity is Polarity.NONE:
        op = Operator.EXACTLY
    elif relation is Relation.BETTER_THAN:
        op = Operator.ABOVE if ctx.polarity is Polarity.HIGHER_IS_BETTER else Operator.BELOW
    else:
        op = default_operator(ctx.polarity)
    code = int(value_status_codes(latest.value, benchmark_value, op, tolerance))
    reason = (
        f"{_fv(latest.value, ctx)} against a target of {wanted} {benchmark} "
        f"({_fv(benchmark_value, ctx)}){_by(target_period)}"
    )
    return Rating(
        RAG_CODES[code],
        kind,
        f"comparator by value ({op.value}), amber within {tolerance.describe()}",
        reason,
        ctx.polarity,
        ctx.unit,
        benchmark_value,
        target_period,
        _inputs(latest, ctx, relation=relation.value),
        _comparators(ctx, **{benchmark: benchmark_value}),
        None,
        tolerance,
        ctx.comparison,
        since_prev,
        since_base,
    )


def rate_gap(
    value_a: float | None,
    value_b: float | None,
    baseline_a: float | None,
    baseline_b: float | None,
    ctx: MeasureContext,
    *,
    groups: tuple[str, str] = ("group A", "group B"),
    target_gap: float | None = None,
    tolerance: Tolerance = Tolerance(0.0, relative=False),
    target_period: str | None = None,
    latest: Observation | None = None,
) -> Rating:
    """Gap between two breakdowns (e.g. FSM and non-FSM pupils).

    With a target gap: Green when the gap is at or inside it, Amber when it
    narrowed but is still wider, Red otherwise. Without one: Green when the gap
    narrowed by more than the tolerance, Amber when unchanged within it, Red when it widened.
    """
    kind = TargetKind.GAP
    vals = (value_a, value_b, baseline_a, baseline_b)
    if any(v is None or not math.isfinite(v) for v in vals[:2]):
        return _not_comparable(kind, "a value for one of the groups is missing", ctx, latest)
    assert value_a is not None and value_b is not None
    gap = abs(value_a - value_b)
    base_gap = (
        abs(baseline_a - baseline_b) if baseline_a is not None and baseline_b is not None else None
    )
    change = None if base_gap is None else gap - base_gap
    band = tolerance.band(base_gap if base_gap is not None else gap)
    narrowing = None if change is None else change < -band
    if target_gap is not None:
        if gap <= target_gap:
            status = Status.GREEN
        elif narrowing:
            status = Status.AMBER
        else:
            status = Status.RED
    elif change is None:
        return _not_comparable(kind, "there is no baseline gap to compare with", ctx, latest)
    else:
        status = Status.GREEN if narrowing else Status.AMBER if abs(change) <= band else Status.RED
    trend_words = (
        ""
        if change is None
        else f", {'narrowing' if narrowing else 'widening' if change > band else 'unchanged'}"
        f" from {_fv(base_gap, ctx)}"
    )
    target_words = (
        f" against a target gap of {_fv(target_gap, ctx)}" if target_gap is not None else ""
    )
    reason = (
        f"gap between {groups[0]} and {groups[1]} of {_fv(gap, ctx)}{trend_words}"
        f"{target_words}{_by(target_period)}"
    )
    return Rating(
        status,
        kind,
        "gap between breakdowns" + (" against a target gap" if target_gap is not None else ""),
        reason,
        ctx.polarity,
        ctx.unit,
        target_gap,
        target_period,
        _inputs(
            latest,
            ctx,
            groups=list(groups),
            value_a=value_a,
            value_b=value_b,
            baseline_a=baseline_a,
            baseline_b=baseline_b,
            gap=gap,
            baseline_gap=base_gap,
            narrowing=narrowing,
        ),
        _comparators(ctx),
        tolerance=tolerance,
        comparison=ctx.comparison,
    )


class WantedTrend(StrEnum):
    """The direction a trend target asks for (same words as the plan file)."""

    INCREASE = "increase"
    DECREASE = "decrease"
    IMPROVE = "improve"
    MAINTAIN = "maintain"


def rate_trend(
    marker: TrendMarker | int,
    wanted: WantedTrend,
    ctx: MeasureContext,
    *,
    chi_square: float | None = None,
    method: str = "Fingertips recent trend",
    target_period: str | None = None,
    latest: Observation | None = None,
) -> Rating:
    """A direction target judged by the trend test: Green for a significant move the right way,
    Amber for no significant change (Green when the aim is to maintain), Red the wrong way."""
    kind = TargetKind.TREND
    if latest is not None:
        waiting = _awaiting(kind, latest, ctx, method)
        if waiting is not None:
            return waiting
    m = TrendMarker(int(marker))
    if m is TrendMarker.CANNOT_BE_CALCULATED:
        return _not_comparable(kind, "the trend cannot be calculated", ctx, latest)
    if wanted is WantedTrend.IMPROVE:
        if ctx.polarity is Polarity.NONE:
            return _not_comparable(kind, "'improve' needs a polarity", ctx, latest)
        up_good = ctx.polarity is Polarity.HIGHER_IS_BETTER
        wanted_marker = TrendMarker.INCREASING if up_good else TrendMarker.DECREASING
    elif wanted is WantedTrend.INCREASE:
        wanted_marker = TrendMarker.INCREASING
    elif wanted is WantedTrend.DECREASE:
        wanted_marker = TrendMarker.DECREASING
    else:
        wanted_marker = TrendMarker.NO_CHANGE
    if wanted is WantedTrend.MAINTAIN:
        if m is TrendMarker.NO_CHANGE:
            status = Status.GREEN
        elif ctx.polarity is Polarity.NONE:
            status = Status.AMBER
        else:
            up_good = ctx.polarity is Polarity.HIGHER_IS_BETTER
            improving = (m is TrendMarker.INCREASING) == up_good
            status = Status.GREEN if improving else Status.RED
    elif m is wanted_marker:
        status = Status.GREEN
    elif m is TrendMarker.NO_CHANGE:
        status = Status.AMBER
    else:
        status = Status.RED
    reason = f"{trend_label(m, ctx.polarity).lower()} against an aim to {wanted.value}"
    since_prev, since_base = _common(latest, ctx)
    return Rating(
        status,
        kind,
        method,
        reason + _by(target_period),
        ctx.polarity,
        ctx.unit,
        None,
        target_period,
        _inputs(latest, ctx, marker=m.name, chi_square=chi_square, wanted=wanted.value),
        _comparators(ctx),
        0.998,
        None,
        ctx.comparison,
        since_prev,
        since_base,
    )


def rate_without_target(
    kind: TargetKind,
    ctx: MeasureContext,
    *,
    text: str | None = None,
    latest: Observation | None = None,
) -> Rating:
    """Narrative, no target or target to be confirmed: explicit results without a RAG."""
    statuses = {
        TargetKind.NARRATIVE: Status.NARRATIVE,
        TargetKind.NO_TARGET: Status.NO_TARGET,
        TargetKind.TBC: Status.TBC,
    }
    if kind not in statuses:
        raise ValueError(f"{kind} targets are rated with their own rule")
    status = statuses[kind]
    if kind is TargetKind.NARRATIVE:
        reason = f"the target is narrative ({text})" if text else "the target is narrative"
    elif kind is TargetKind.NO_TARGET:
        reason = "the measure is monitored without a target"
    else:
        reason = "the target has yet to be confirmed"
    if latest is not None and latest.has_value:
        reason += f"; latest value {_fv(latest.value, ctx)}" + (
            f" for {latest.period}" if latest.period else ""
        )
    since_prev, since_base = _common(latest, ctx)
    return Rating(
        status,
        kind,
        "no RAG rating",
        reason,
        ctx.polarity,
        ctx.unit,
        inputs=_inputs(latest, ctx, text=text),
        comparators=_comparators(ctx),
        comparison=ctx.comparison,
        direction_since_previous=since_prev,
        direction_since_baseline=since_base,
    )


def _not_comparable(
    kind: TargetKind, why: str, ctx: MeasureContext, latest: Observation | None
) -> Rating:
    return Rating(
        Status.NOT_COMPARABLE,
        kind,
        "not rated",
        why,
        ctx.polarity,
        ctx.unit,
        inputs=_inputs(latest, ctx),
        comparators=_comparators(ctx),
        comparison=ctx.comparison,
    )


def _ctx_dict(ctx: MeasureContext) -> dict[str, Any]:
    return {name: getattr(ctx, name) for name in MeasureContext.__slots__}


def _replace(r: Rating, **changes: Any) -> Rating:
    import dataclasses

    return dataclasses.replace(r, **changes)

"""Rating a plan's measure: pick the right observations and rule for each of its targets.

:func:`rate_measure` takes a :class:`cypp.domain.plan.Measure`, the observations
recorded for it (any areas, periods and breakdowns) and an
:class:`AssessmentContext` (the area, the rating date, benchmark and peer
values), and returns one :class:`~cypp.stats.rating.Rating` per target. It
works out the latest and previous observations, the baseline, whether data
are overdue, the comparison with England (computing 95 % limits from the
count and denominator when none were published), ranks and quartiles among
peers, trend markers and breakdown gaps, then applies the rule for the
target's kind. Nothing here reads files or a database.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from cypp.domain.periods import Period, PeriodKind
from cypp.domain.plan import Frequency, Measure
from cypp.domain.targets import (
    Comparator,
    GapDirection,
    QuartileSide,
    Target,
    TargetKind,
)
from cypp.domain.units import Polarity, Unit
from cypp.stats import ci, peers, trends
from cypp.stats.compare import Comparison, ComparisonMethod, compare
from cypp.stats.rating import (
    MeasureContext,
    Observation,
    Operator,
    Rating,
    Relation,
    Status,
    Tolerance,
    WantedTrend,
    rate_comparator,
    rate_gap,
    rate_quartile,
    rate_rank,
    rate_relative_change,
    rate_trend,
    rate_value,
    rate_without_target,
)

__all__ = ["AssessmentContext", "frequency_months", "rate_measure"]

#: The whole-population breakdown, as observations and data files name it.
ALL = "all"

_FREQUENCY_MONTHS: dict[Frequency, int | None] = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.TERMLY: 4,
    Frequency.ANNUAL: 12,
    Frequency.AD_HOC: None,
}
_PERIOD_MONTHS: dict[PeriodKind, int] = {
    PeriodKind.FINANCIAL_YEAR: 12,
    PeriodKind.ACADEMIC_YEAR: 12,
    PeriodKind.CALENDAR_YEAR: 12,
    PeriodKind.QUARTER: 3,
    PeriodKind.MONTH: 1,
}
_BENCHMARK_NAMES = {
    Comparator.ENGLAND: "England",
    Comparator.REGION: "the region",
    Comparator.STATISTICAL_NEIGHBOURS: "statistical neighbours",
    Comparator.NATIONAL_TARGET: "the national target",
}


@dataclass(frozen=True)
class AssessmentContext:
    """Everything a rating needs besides the measure and its own observations.

    ``benchmarks`` maps a comparator ("england", "region", "statistical_neighbours",
    "national_target") to its observations; a benchmark observation without a
    period applies to every period. ``peers`` holds the values of every area in
    the peer set (e.g. all English upper-tier authorities) for rank and quartile.
    """

    area_code: str | None = None
    as_of: date | None = None
    benchmarks: Mapping[str, Sequence[Observation]] = field(default_factory=dict)
    peers: Sequence[Observation] = ()
    tolerance: Tolerance = field(default_factory=Tolerance)
    rank_tolerance_places: int = 0
    comparison_method: ComparisonMethod = ComparisonMethod.CI95
    #: Benchmark the RAG sentence is compared with (a key of ``benchmarks``).
    headline_benchmark: str = Comparator.ENGLAND.value
    publication_lag_months: int = 0
    #: Overrides the measure's own frequency (months between data points).
    frequency_months: int | None = None


def _benchmark_name(key: str) -> str:
    """'england' -> 'England'; a benchmark cypp does not know keeps its own name."""
    try:
        return _BENCHMARK_NAMES[Comparator(key)]
    except ValueError:
        return key


def frequency_months(measure: Measure, latest: Observation | None) -> int | None:
    """Months between data points: the measure's frequency, else its latest period's length."""
    if measure.frequency is not None:
        return _FREQUENCY_MONTHS[measure.frequency]
    kind = measure.period_type or (latest.span.kind if latest and latest.span else None)
    return _PERIOD_MONTHS.get(kind) if kind is not None else None


# --------------------------------------------------------------------------- observations


def _is_main(obs: Observation) -> bool:
    return obs.breakdown is None or obs.breakdown.strip().lower() == ALL


def _for_area(observations: Sequence[Observation], area: str | None) -> list[Observation]:
    if area is None:
        return list(observations)
    return [o for o in observations if o.area_code in (None, area)]


def _sort_key(obs: Observation) -> tuple[date, str]:
    return (obs.period_end or date.min, obs.period or "")


def _series(observations: Sequence[Observation], breakdown: str | None = None) -> list[Observation]:
    """Observations with values of one breakdown (the whole population by default), oldest first."""
    if breakdown is None:
        chosen = [o for o in observations if _is_main(o)]
    else:
        wanted = breakdown.strip().lower()
        chosen = [o for o in observations if (o.breakdown or "").strip().lower() == wanted]
    return sorted((o for o in chosen if o.has_value), key=_sort_key)


def _same_period(a: Observation, b: Observation) -> bool:
    if a.span is not None and b.span is not None:
        return a.span == b.span
    return a.period is not None and a.period == b.period


def _at_period(series: Sequence[Observation], period: Period | None) -> Observation | None:
    if period is None:
        return None
    for obs in reversed(series):
        if obs.span is not None and (obs.span == period or period.contains(obs.span)):
            return obs
        if obs.period is not None and obs.period == period.label:
            return obs
    return None


def _baseline(measure: Measure, series: Sequence[Observation]) -> Observation | None:
    """The plan's baseline, else the observation for the baseline period, else the first one."""
    base = measure.baseline
    if base is not None and base.value is not None:
        return Observation.of(float(base.value), base.period)
    if base is not None and base.period is not None:
        found = _at_period(series, base.period)
        if found is not None:
            return found
    return series[0] if len(series) > 1 else None


def _benchmark(
    ctx: AssessmentContext, measure: Measure, name: str, latest: Observation | None
) -> Observation | None:
    """The benchmark's observation for the latest period (or one without a period)."""
    candidates = [o for o in ctx.benchmarks.get(name, ()) if o.has_value]
    candidates += [
        Observation.of(float(c.value), c.period)
        for c in measure.comparators
        if c.comparator == name and c.value is not None
    ]
    if latest is not None:
        for obs in candidates:
            if _same_period(obs, latest):
                return obs
    undated = [o for o in candidates if o.period is None]
    return undated[0] if undated else None


# --------------------------------------------------------------------------- statistics


def _with_limits(obs: Observation, unit: Unit | None) -> Observation:
    """Add 95 % and 99.8 % limits from the count and denominator when none were published:
    Wilson for percentages, Byar (exact below 10) for rates."""
    if obs.lower95 is not None or obs.count is None:
        return obs
    if unit is Unit.COUNT:
        r95, r998 = ci.count_interval(obs.count, 0.95), ci.count_interval(obs.count, 0.998)
    elif obs.denominator is None or unit is None or unit.multiplier is None:
        return obs
    elif unit is Unit.PERCENT:
        r95 = ci.wilson(obs.count, obs.denominator, 0.95, 100.0)
        r998 = ci.wilson(obs.count, obs.denominator, 0.998, 100.0)
    else:
        r95 = ci.crude_rate(obs.count, obs.denominator, 0.95, unit.multiplier)
        r998 = ci.crude_rate(obs.count, obs.denominator, 0.998, unit.multiplier)
    return dataclasses.replace(
        obs,
        lower95=_finite(r95.lower),
        upper95=_finite(r95.upper),
        lower998=_finite(r998.lower),
        upper998=_finite(r998.upper),
    )


def _finite(x: object) -> float | None:
    f = float(np.asarray(x, dtype=np.float64))
    return f if math.isfinite(f) else None


def _comparison(
    latest: Observation | None,
    bench: Observation | None,
    polarity: Polarity,
    method: ComparisonMethod,
    name: str,
) -> Comparison:
    return compare(
        latest.value if latest else None,
        bench.value if bench else None,
        polarity,
        lower95=latest.lower95 if latest else None,
        upper95=latest.upper95 if latest else None,
        lower998=latest.lower998 if latest else None,
        upper998=latest.upper998 if latest else None,
        benchmark_lower95=bench.lower95 if bench else None,
        benchmark_upper95=bench.upper95 if bench else None,
        method=method,
        benchmark=name,
    )


def _peer_values(ctx: AssessmentContext, latest: Observation) -> list[float]:
    """Values of every peer area for the latest period, including this area's own."""
    values: dict[str | None, float] = {}
    for obs in ctx.peers:
        if obs.has_value and _is_main(obs) and _same_period(obs, latest):
            assert obs.value is not None
            values[obs.area_code] = obs.value
    if latest.value is not None:
        values[ctx.area_code or latest.area_code] = latest.value
    return list(values.values())


def _trend_marker(
    series: Sequence[Observation], unit: Unit | None
) -> tuple[int, float | None, str]:
    """Fingertips recent trend over the last five points (chi-square for percentages with
    counts, weighted regression otherwise); the change since the first point when neither
    can be calculated."""
    last = list(series[-trends.TREND_POINTS :])
    if len(last) == trends.TREND_POINTS:
        if unit is Unit.PERCENT and all(o.count is not None and o.denominator for o in last):
            res = trends.recent_trend_proportion(
                _nums([o.count for o in last]), _nums([o.denominator for o in last])
            )
            marker = int(res.marker[0])
            if marker != trends.TrendMarker.CANNOT_BE_CALCULATED:
                return marker, float(res.chi_square[0]), "Fingertips recent trend (chi-square)"
        with_ci = [_with_limits(o, unit) for o in last]
        if all(o.lower95 is not None and o.upper95 is not None for o in with_ci):
            res = trends.recent_trend(
                _nums([o.value for o in with_ci]),
                _nums([o.lower95 for o in with_ci]),
                _nums([o.upper95 for o in with_ci]),
            )
            marker = int(res.marker[0])
            if marker != trends.TrendMarker.CANNOT_BE_CALCULATED:
                return marker, float(res.chi_square[0]), "Fingertips recent trend (regression)"
    if len(series) >= 2:
        first, latest = series[0], series[-1]
        assert first.value is not None and latest.value is not None
        marker = (
            trends.TrendMarker.INCREASING
            if latest.value > first.value
            else trends.TrendMarker.DECREASING
            if latest.value < first.value
            else trends.TrendMarker.NO_CHANGE
        )
        return int(marker), None, f"change since {first.period or 'the first value'}, untested"
    return int(trends.TrendMarker.CANNOT_BE_CALCULATED), None, "Fingertips recent trend"


# --------------------------------------------------------------------------- one target


def _nums(xs: Sequence[float | None]) -> list[float]:
    return [math.nan if x is None else x for x in xs]


def _f(x: object) -> float | None:
    return None if x is None else float(x)  # type: ignore[arg-type]


def _label(period: Period | None) -> str | None:
    return None if period is None else str(period)


def _rate_target(
    target: Target,
    measure: Measure,
    ctx: AssessmentContext,
    mctx: MeasureContext,
    own: Sequence[Observation],
    series: Sequence[Observation],
) -> Rating:
    latest = series[-1] if series else None
    kind = target.kind
    tp = _label(target.period)
    tol = ctx.tolerance
    if kind in (TargetKind.NARRATIVE, TargetKind.NO_TARGET, TargetKind.TBC):
        return rate_without_target(kind, mctx, text=target.text, latest=latest)
    if kind is TargetKind.VALUE:
        if target.value is None:
            return rate_without_target(TargetKind.TBC, mctx, text=target.text, latest=latest)
        # A target for a period is judged on that period's figure once it exists.
        at = _at_period(series, target.period) or latest
        if at is not latest:
            mctx = _context_for(mctx, at, series)
        op = Operator(target.bound.value) if target.bound is not None else None
        return rate_value(at, float(target.value), mctx, operator=op, tolerance=tol,
                          target_period=tp)  # fmt: skip
    if kind is TargetKind.RELATIVE_CHANGE:
        base = mctx.baseline
        if base is None or target.value is None:
            return _not_rated(kind, "there is no baseline to measure the change from", mctx, latest)
        return rate_relative_change(latest, base, float(target.value), mctx, tolerance=tol,
                                    target_period=tp)  # fmt: skip
    if kind is TargetKind.RANK:
        return _rank(target, measure, ctx, mctx, latest, tp)
    if kind is TargetKind.QUARTILE:
        return _quartile(target, measure, ctx, mctx, latest, tp)
    if kind is TargetKind.COMPARATOR:
        return _comparator(target, measure, ctx, mctx, latest, tp)
    if kind is TargetKind.GAP:
        return _gap(target, measure, mctx, own, latest, tp)
    return _trend(target, measure, mctx, series, latest, tp)


def _rank(
    target: Target,
    measure: Measure,
    ctx: AssessmentContext,
    mctx: MeasureContext,
    latest: Observation | None,
    tp: str | None,
) -> Rating:
    if target.value is None:
        return rate_without_target(TargetKind.TBC, mctx, text=target.text, latest=latest)
    rank: int | None = None
    out_of = target.out_of
    if latest is not None and latest.value is not None:
        if measure.unit is Unit.RANK:
            rank = int(latest.value)
        else:
            values = _peer_values(ctx, latest)
            if len(values) > 1:
                rank = peers.rank_of(latest.value, values, mctx.polarity) or None
                out_of = len(values)
    return rate_rank(
        rank,
        int(target.value),
        mctx,
        out_of=out_of,
        tolerance_places=ctx.rank_tolerance_places,
        target_period=tp,
        latest=latest,
    )


def _quartile(
    target: Target,
    measure: Measure,
    ctx: AssessmentContext,
    mctx: MeasureContext,
    latest: Observation | None,
    tp: str | None,
) -> Rating:
    wanted = target.quartile
    if wanted is None:
        # "In the top quartile" = 1; "out of the bottom quartile" = third or better.
        wanted = 1 if target.side is QuartileSide.TOP else 3
    band: str | None = None
    if latest is not None and latest.value is not None:
        values = _peer_values(ctx, latest)
        if len(values) >= 4:
            band = str(peers.quartile_band(latest.value, values, mctx.polarity))
    return rate_quartile(band, wanted, mctx, target_period=tp, latest=latest)


def _comparator(
    target: Target,
    measure: Measure,
    ctx: AssessmentContext,
    mctx: MeasureContext,
    latest: Observation | None,
    tp: str | None,
) -> Rating:
    which = target.comparator or Comparator.ENGLAND
    name = _BENCHMARK_NAMES[which]
    bench = _benchmark(ctx, measure, which.value, latest)
    relation = Relation(target.relation.value) if target.relation else Relation.IN_LINE
    significance = None
    if which in (Comparator.ENGLAND, Comparator.REGION):
        significance = _comparison(latest, bench, mctx.polarity, ctx.comparison_method, name)
    return rate_comparator(
        latest,
        name,
        bench.value if bench else None,
        relation,
        mctx,
        significance=significance,
        percent=_f(target.value),
        tolerance=ctx.tolerance,
        target_period=tp,
    )


def _gap(
    target: Target,
    measure: Measure,
    mctx: MeasureContext,
    own: Sequence[Observation],
    latest: Observation | None,
    tp: str | None,
) -> Rating:
    groups = target.between or tuple(b.label for b in measure.breakdowns[:2])
    if len(groups) != 2:
        return _not_rated(TargetKind.GAP, "the gap does not name two groups", mctx, latest)
    a, b = _series(own, groups[0]), _series(own, groups[1])
    pairs = [(x, y) for x in a for y in b if _same_period(x, y)]
    if not pairs:
        return _not_rated(
            TargetKind.GAP, f"there are no figures for {groups[0]} and {groups[1]} together",
            mctx, latest,
        )  # fmt: skip
    (la, lb), (fa, fb) = pairs[-1], pairs[0]
    base_a, base_b = _breakdown_baselines(measure, groups)
    if base_a is None or base_b is None:
        base_a, base_b = (fa.value, fb.value) if len(pairs) > 1 else (None, None)
    target_gap = _f(target.value)
    if target_gap is None and target.gap_direction is GapDirection.CLOSE:
        target_gap = 0.0
    return rate_gap(
        la.value,
        lb.value,
        base_a,
        base_b,
        mctx,
        groups=(groups[0], groups[1]),
        target_gap=target_gap,
        target_period=tp,
        latest=la,
    )


def _breakdown_baselines(
    measure: Measure, groups: Sequence[str]
) -> tuple[float | None, float | None]:
    found: dict[str, float | None] = {}
    for bd in measure.breakdowns:
        if bd.baseline is not None and bd.baseline.value is not None:
            found[bd.label.strip().lower()] = float(bd.baseline.value)
    return found.get(groups[0].strip().lower()), found.get(groups[1].strip().lower())


def _trend(
    target: Target,
    measure: Measure,
    mctx: MeasureContext,
    series: Sequence[Observation],
    latest: Observation | None,
    tp: str | None,
) -> Rating:
    wanted = WantedTrend(target.direction.value) if target.direction else WantedTrend.IMPROVE
    marker, chi2, method = _trend_marker(series, measure.unit)
    return rate_trend(
        marker, wanted, mctx, chi_square=chi2, method=method, target_period=tp, latest=latest
    )


def _not_rated(
    kind: TargetKind, why: str, mctx: MeasureContext, latest: Observation | None
) -> Rating:
    return Rating(
        Status.NOT_COMPARABLE,
        kind,
        "not rated",
        why,
        mctx.polarity,
        mctx.unit,
        inputs={"latest": latest.as_dict() if latest else None},
        comparison=mctx.comparison,
    )


def _context_for(
    mctx: MeasureContext, at: Observation | None, series: Sequence[Observation]
) -> MeasureContext:
    """The context re-centred on an earlier observation: its own previous value, no
    staleness check (newer data exist) and no comparison (that was for the latest period)."""
    if at is None:
        return mctx
    index = next((i for i, o in enumerate(series) if o is at), None)
    previous = series[index - 1] if index else None
    return dataclasses.replace(mctx, previous=previous, as_of=None, comparison=None)


# --------------------------------------------------------------------------- the measure


def rate_measure(
    measure: Measure,
    observations: Sequence[Observation],
    context: AssessmentContext | None = None,
) -> list[Rating]:
    """One rating per target of ``measure`` (a "No target" rating when it has none).

    Only the context's area is used from ``observations`` (all of them when no
    area is set); the whole-population breakdown gives the latest, previous and
    baseline values, the named breakdowns serve gap targets.
    """
    ctx = context or AssessmentContext()
    own = _for_area(observations, ctx.area_code)
    series = [_with_limits(o, measure.unit) for o in _series(own)]
    latest = series[-1] if series else None
    polarity = measure.polarity or Polarity.NONE
    bench = _benchmark(ctx, measure, ctx.headline_benchmark, latest)
    headline = None
    if latest is not None and bench is not None:
        name = _benchmark_name(ctx.headline_benchmark)
        headline = _comparison(latest, bench, polarity, ctx.comparison_method, name)
    mctx = MeasureContext(
        polarity=polarity,
        unit=measure.unit,
        frequency_months=(
            ctx.frequency_months
            if ctx.frequency_months is not None
            else frequency_months(measure, latest)
        ),
        publication_lag_months=ctx.publication_lag_months,
        as_of=ctx.as_of,
        previous=series[-2] if len(series) > 1 else None,
        baseline=_baseline(measure, series),
        comparison=headline,
    )
    targets = measure.targets or (Target(TargetKind.NO_TARGET),)
    value_targets = [t for t in targets if t.kind is TargetKind.VALUE and t.period is not None]
    ratings = []
    for target in targets:
        rating = _rate_target(target, measure, ctx, mctx, own, series)
        if target in value_targets and len(value_targets) > 1:
            rating = dataclasses.replace(rating, method=f"trajectory point: {rating.method}")
        ratings.append(
            dataclasses.replace(
                rating,
                measure_id=measure.id,
                area_code=ctx.area_code or (latest.area_code if latest else None),
                period=rating.period or _rated_period(rating, latest),
            )
        )
    return ratings


def _rated_period(rating: Rating, latest: Observation | None) -> str | None:
    inputs_latest = rating.inputs.get("latest") if rating.inputs else None
    if isinstance(inputs_latest, Mapping) and inputs_latest.get("period"):
        return str(inputs_latest["period"])
    return latest.period if latest else None

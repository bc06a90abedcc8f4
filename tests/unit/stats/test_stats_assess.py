"""Rating a plan measure: every target kind, with observations, benchmarks and peers."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from cypp.domain.periods import parse_period
from cypp.domain.plan import Baseline, Breakdown, ComparatorValue, Frequency, Measure
from cypp.domain.targets import (
    Bound,
    Comparator,
    ComparatorRelation,
    GapDirection,
    QuartileSide,
    Target,
    TargetKind,
    TrendDirection,
)
from cypp.domain.units import Polarity, Unit
from cypp.stats.assess import AssessmentContext, frequency_months, rate_measure
from cypp.stats.rating import RULE_VERSION, Direction, Observation, Status

P = parse_period
AREA = "E10000034"


def admissions(*targets: Target, **changes: object) -> Measure:
    """Hospital admissions per 10,000 children: lower is better, annual, baseline 35 in 2012/13."""
    measure = Measure(
        id="m-admissions",
        name="Hospital admissions for injuries, children 0-14",
        unit=Unit.RATE_PER_10000,
        polarity=Polarity.LOWER_IS_BETTER,
        frequency=Frequency.ANNUAL,
        baseline=Baseline(value=35, period=P("2012/13")),
        target=targets[0] if targets else None,
        further_targets=targets[1:],
    )
    return dataclasses.replace(measure, **changes)  # type: ignore[arg-type]


def obs(value: float | None, period: str, **kw: object) -> Observation:
    return Observation.of(value, period, area_code=AREA, **kw)


# 33 per 10,000 from 330 admissions among 100,000 children: 95% CI about 29.5 to 36.8.
SERIES = [
    obs(35, "2012/13", count=350, denominator=100_000),
    obs(34, "2013/14", count=340, denominator=100_000),
    obs(33, "2014/15", count=330, denominator=100_000),
]
ENGLAND = {"england": [Observation.of(28.2, "2014/15"), Observation.of(29.0, "2013/14")]}
CTX = AssessmentContext(area_code=AREA, as_of=date(2015, 12, 1), benchmarks=ENGLAND)


def one(measure: Measure, observations: list[Observation], ctx: AssessmentContext = CTX):  # type: ignore[no-untyped-def]
    ratings = rate_measure(measure, observations, ctx)
    assert len(ratings) == 1
    return ratings[0]


# --------------------------------------------------------------------------- value


def test_value_red_with_the_plain_sentence_and_provenance() -> None:
    r = one(admissions(Target(TargetKind.VALUE, value=31, period=P("2014/15"))), SERIES)
    assert r.status is Status.RED
    assert r.explain().startswith(
        "Red: 33 per 10,000 against a target of 31 by 2014/15; "
        "significantly worse than England (28.2)"
    )
    assert r.explain().endswith("improving since the previous period")
    assert r.measure_id == "m-admissions" and r.area_code == AREA and r.period == "2014/15"
    assert r.rule_version == RULE_VERSION
    assert r.comparators == {"England": 28.2}
    assert r.confidence == 0.95
    assert r.tolerance is not None and r.tolerance.amount == 0.05
    assert r.inputs["latest"]["value"] == 33 and r.inputs["latest"]["count"] == 330
    assert r.inputs["latest"]["lower95"] == pytest.approx(29.5, abs=0.1)
    assert r.direction_since_previous is Direction.IMPROVING
    assert r.direction_since_baseline is Direction.IMPROVING
    stored = r.as_dict()
    assert stored["status"] == "Red" and stored["explanation"] == r.explain()


@pytest.mark.parametrize(
    ("target", "status"),
    [(31, Status.RED), (32, Status.AMBER), (33, Status.GREEN), (40, Status.GREEN)],
)
def test_value_rag_with_tolerance(target: int, status: Status) -> None:
    r = one(admissions(Target(TargetKind.VALUE, value=target)), SERIES)
    assert r.status is status


def test_value_bound_words_and_strictness() -> None:
    below = Target(TargetKind.VALUE, value=33, bound=Bound.BELOW)
    r = one(admissions(below), SERIES)
    assert r.status is Status.AMBER  # 33 is not below 33, but within 5 %
    assert "a target of below 33" in r.explain()


def test_higher_is_better_value() -> None:
    m = admissions(
        Target(TargetKind.VALUE, value=Decimal("80.5")),
        polarity=Polarity.HIGHER_IS_BETTER,
        unit=Unit.PERCENT,
        baseline=None,
    )
    r = one(m, [obs(81.2, "2014/15")], AssessmentContext(area_code=AREA))
    assert r.status is Status.GREEN
    assert r.explain() == "Green: 81.2% against a target of 80.5%"


def test_trajectory_targets_are_judged_on_their_own_period() -> None:
    m = admissions(
        Target(TargetKind.VALUE, value=34, period=P("2013/14")),
        Target(TargetKind.VALUE, value=31, period=P("2014/15")),
    )
    first, second = rate_measure(m, SERIES, CTX)
    assert first.status is Status.GREEN and first.period == "2013/14"
    assert second.status is Status.RED and second.period == "2014/15"
    assert first.method.startswith("trajectory point")


# --------------------------------------------------------------------------- awaiting data


def test_awaiting_data_when_the_latest_value_is_stale() -> None:
    m = admissions(Target(TargetKind.VALUE, value=31))
    late = dataclasses.replace(CTX, as_of=date(2016, 6, 1))
    r = one(m, SERIES, late)
    assert r.status is Status.AWAITING_DATA
    assert "older than the measure's frequency allows" in r.explain()
    assert not r.status.is_rag
    # A publication lag of three months keeps it current.
    assert one(m, SERIES, dataclasses.replace(late, publication_lag_months=3)).status is Status.RED


def test_awaiting_data_with_no_observations() -> None:
    r = one(admissions(Target(TargetKind.VALUE, value=31)), [])
    assert r.status is Status.AWAITING_DATA
    assert r.explain() == "Awaiting data: no value has been recorded yet"


def test_frequency_from_measure_or_period() -> None:
    assert frequency_months(admissions(), None) == 12
    quarterly = admissions(frequency=None)
    assert frequency_months(quarterly, obs(1, "Q2 2014/15")) == 3
    assert frequency_months(admissions(frequency=Frequency.AD_HOC), None) is None


def test_other_areas_and_breakdowns_are_ignored_for_the_headline() -> None:
    noise = [
        Observation.of(99, "2015/16", area_code="E06000001"),
        obs(10, "2015/16", breakdown="Female"),
    ]
    r = one(admissions(Target(TargetKind.VALUE, value=31)), SERIES + noise)
    assert r.inputs["latest"]["value"] == 33


# --------------------------------------------------------------------------- relative change


def test_relative_change_from_baseline() -> None:
    r = one(admissions(Target(TargetKind.RELATIVE_CHANGE, value=-10)), SERIES)
    assert r.status is Status.AMBER  # target 31.5, amber to 33.075
    assert "a target of 31.5 (10% lower than the baseline of 35 in 2012/13)" in r.explain()
    assert r.kind is TargetKind.RELATIVE_CHANGE
    assert r.inputs["change_percent"] == -10


def test_relative_change_without_baseline_is_not_comparable() -> None:
    m = admissions(Target(TargetKind.RELATIVE_CHANGE, value=-10), baseline=None)
    r = one(m, SERIES[-1:])
    assert r.status is Status.NOT_COMPARABLE


# --------------------------------------------------------------------------- rank and quartile

PEERS = [
    Observation.of(v, "2014/15", area_code=f"E0600{i:04d}")
    for i, v in enumerate([20, 25, 28, 30, 31, 36, 40, 45, 50, 60, 33])
]


@pytest.mark.parametrize(
    ("target", "tolerance", "status"),
    [(5, 0, Status.RED), (6, 0, Status.GREEN), (5, 1, Status.AMBER)],
)
def test_rank_among_peers(target: int, tolerance: int, status: Status) -> None:
    ctx = dataclasses.replace(CTX, peers=PEERS, rank_tolerance_places=tolerance)
    r = one(admissions(Target(TargetKind.RANK, value=target)), SERIES, ctx)
    assert r.status is status
    assert r.inputs["rank"] == 6  # 20, 25, 28, 30, 31 are lower (better); peer 33 ties
    assert "ranked 6 of 12" in r.explain()


def test_rank_unit_uses_the_value_itself() -> None:
    m = admissions(Target(TargetKind.RANK, value=10, out_of=152), unit=Unit.RANK, baseline=None)
    r = one(m, [obs(12, "2014/15")], AssessmentContext(area_code=AREA))
    assert r.status is Status.RED
    assert "ranked 12 of 152 against a target of 10" in r.explain()


def test_rank_without_peers_is_not_comparable() -> None:
    r = one(admissions(Target(TargetKind.RANK, value=5)), SERIES)
    assert r.status is Status.NOT_COMPARABLE


@pytest.mark.parametrize(
    ("target", "status"),
    [
        (Target(TargetKind.QUARTILE, quartile=1), Status.AMBER),
        (Target(TargetKind.QUARTILE, quartile=2), Status.GREEN),
        (Target(TargetKind.QUARTILE, side=QuartileSide.TOP), Status.AMBER),
        (Target(TargetKind.QUARTILE, side=QuartileSide.BOTTOM), Status.GREEN),
    ],
)
def test_quartile_among_peers(target: Target, status: Status) -> None:
    ctx = dataclasses.replace(CTX, peers=PEERS)
    r = one(admissions(target), SERIES, ctx)
    assert r.status is status
    assert r.inputs["quartile"] == 2  # 33 is the median of the twelve values: band B


def test_quartile_two_short_is_red() -> None:
    ctx = dataclasses.replace(CTX, peers=PEERS)
    r = one(admissions(Target(TargetKind.QUARTILE, quartile=1)), [obs(55, "2014/15")], ctx)
    assert r.status is Status.RED
    assert "in the bottom quartile against a target of the top (best) quartile" in r.explain()


# --------------------------------------------------------------------------- comparator


def comparator_target(relation: ComparatorRelation, value: int | None = None) -> Target:
    return Target(
        TargetKind.COMPARATOR, comparator=Comparator.ENGLAND, relation=relation, value=value
    )


@pytest.mark.parametrize(
    ("england", "relation", "status", "label"),
    [
        (28.2, ComparatorRelation.BETTER_THAN, Status.RED, "Worse"),
        (33.5, ComparatorRelation.BETTER_THAN, Status.AMBER, "Similar"),
        (33.5, ComparatorRelation.IN_LINE, Status.GREEN, "Similar"),
        (40.0, ComparatorRelation.BETTER_THAN, Status.GREEN, "Better"),
        (28.2, ComparatorRelation.NOT_SIGNIFICANTLY_DIFFERENT, Status.RED, "Worse"),
    ],
)
def test_comparator_by_significance(
    england: float, relation: ComparatorRelation, status: Status, label: str
) -> None:
    ctx = dataclasses.replace(CTX, benchmarks={"england": [Observation.of(england, "2014/15")]})
    r = one(admissions(comparator_target(relation)), SERIES, ctx)
    assert r.status is status
    assert r.comparison is not None and r.comparison.label == label
    assert r.comparators["England"] == england
    assert r.method.startswith("comparator by significance")


def test_comparator_not_compared_without_england_value() -> None:
    ctx = dataclasses.replace(CTX, benchmarks={})
    r = one(admissions(comparator_target(ComparatorRelation.IN_LINE)), SERIES, ctx)
    assert r.status is Status.NOT_COMPARABLE
    assert "there is no England value to compare with" in r.explain()


def test_comparator_without_limits_is_not_compared_then_rated_by_value() -> None:
    plain = [obs(33, "2014/15")]  # no count, no limits
    r = one(admissions(comparator_target(ComparatorRelation.IN_LINE)), plain)
    assert r.comparison is not None and r.comparison.label == "Not compared"
    assert "not compared with England (28.2)" in r.explain()
    assert r.status is Status.RED  # 33 against at most 28.2 (+5 %)


def test_comparator_plan_values_and_percent() -> None:
    m = admissions(
        comparator_target(ComparatorRelation.BELOW_BY_PERCENT, value=10),
        comparators=(ComparatorValue("england", Decimal("40"), P("2014/15")),),
    )
    r = one(m, SERIES, AssessmentContext(area_code=AREA))
    assert r.status is Status.GREEN  # 33 against at most 36
    assert "a target of 36 per 10,000 (10% below England, 40 per 10,000)" in r.explain()


def test_comparator_statistical_neighbours_by_value() -> None:
    target = Target(
        TargetKind.COMPARATOR,
        comparator=Comparator.STATISTICAL_NEIGHBOURS,
        relation=ComparatorRelation.BETTER_THAN,
    )
    ctx = dataclasses.replace(
        CTX, benchmarks={**ENGLAND, "statistical_neighbours": [Observation.of(34.1, "2014/15")]}
    )
    r = one(admissions(target), SERIES, ctx)
    assert r.status is Status.GREEN
    assert "better than statistical neighbours (34.1 per 10,000)" in r.explain()


# --------------------------------------------------------------------------- gap


def gap_series(fsm: list[float], other: list[float]) -> list[Observation]:
    periods = ["2012/13", "2013/14", "2014/15"][: len(fsm)]
    return [obs(v, p, breakdown="FSM") for v, p in zip(fsm, periods, strict=True)] + [
        obs(v, p, breakdown="Non-FSM") for v, p in zip(other, periods, strict=True)
    ]


@pytest.mark.parametrize(
    ("fsm", "status", "word"),
    [
        ([40, 45, 50], Status.GREEN, "narrowing"),
        ([40, 40, 40], Status.AMBER, "unchanged"),
        ([40, 38, 35], Status.RED, "widening"),
    ],
)
def test_gap_between_breakdowns(fsm: list[float], status: Status, word: str) -> None:
    m = admissions(
        Target(TargetKind.GAP, between=("FSM", "Non-FSM"), gap_direction=GapDirection.NARROW),
        polarity=Polarity.HIGHER_IS_BETTER,
        unit=Unit.PERCENT,
    )
    r = one(m, gap_series(fsm, [60, 60, 60]), AssessmentContext(area_code=AREA))
    assert r.status is status
    assert f"gap between FSM and Non-FSM of {60 - fsm[-1]}%, {word} from 20%" in r.explain()


def test_gap_with_target_and_plan_baselines() -> None:
    m = admissions(
        Target(TargetKind.GAP, value=12, between=("FSM", "Non-FSM")),
        breakdowns=(
            Breakdown("FSM", Baseline(value=30)),
            Breakdown("Non-FSM", Baseline(value=55)),
        ),
        unit=Unit.PERCENT,
    )
    r = one(m, gap_series([45], [60]), AssessmentContext(area_code=AREA))
    assert r.status is Status.AMBER  # 15 > 12, but narrowed from 25
    assert r.inputs["baseline_gap"] == 25


def test_gap_without_both_groups_is_not_comparable() -> None:
    m = admissions(Target(TargetKind.GAP, between=("FSM", "Non-FSM")))
    assert one(m, SERIES).status is Status.NOT_COMPARABLE


# --------------------------------------------------------------------------- trend


FALLING = [
    obs(v, f"{y}/{(y + 1) % 100:02d}", lower95=v - 1.5, upper95=v + 1.5)
    for y, v in zip(range(2010, 2015), [40, 37, 35, 32, 30], strict=True)
]


@pytest.mark.parametrize(
    ("direction", "polarity", "status", "words"),
    [
        (TrendDirection.IMPROVE, Polarity.LOWER_IS_BETTER, Status.GREEN, "getting better"),
        (TrendDirection.DECREASE, Polarity.LOWER_IS_BETTER, Status.GREEN, "getting better"),
        (TrendDirection.INCREASE, Polarity.LOWER_IS_BETTER, Status.RED, "getting better"),
        (TrendDirection.IMPROVE, Polarity.HIGHER_IS_BETTER, Status.RED, "getting worse"),
        (TrendDirection.MAINTAIN, Polarity.HIGHER_IS_BETTER, Status.RED, "getting worse"),
        (TrendDirection.DECREASE, Polarity.NONE, Status.GREEN, "decreasing against"),
    ],
)
def test_trend_targets(
    direction: TrendDirection, polarity: Polarity, status: Status, words: str
) -> None:
    m = admissions(Target(TargetKind.TREND, direction=direction), polarity=polarity)
    r = one(m, FALLING, AssessmentContext(area_code=AREA, as_of=date(2015, 6, 1)))
    assert r.status is status
    assert words in r.explain()
    assert r.method == "Fingertips recent trend (regression)"
    assert r.inputs["chi_square"] > 9.55


def test_trend_no_significant_change_is_amber() -> None:
    flat = [dataclasses.replace(o, lower95=20.0, upper95=50.0) for o in FALLING]
    m = admissions(Target(TargetKind.TREND, direction=TrendDirection.IMPROVE))
    r = one(m, flat, AssessmentContext(area_code=AREA))
    assert r.status is Status.AMBER
    assert "no significant change" in r.explain()


def test_trend_proportions_use_chi_square() -> None:
    counts = [994, 1023, 1199, 1332, 1367]
    dens = [40299, 41527, 42811, 44064, 44701]
    series = [
        obs(100 * c / n, str(2014 + i), count=c, denominator=n)
        for i, (c, n) in enumerate(zip(counts, dens, strict=True))
    ]
    m = admissions(
        Target(TargetKind.TREND, direction=TrendDirection.DECREASE),
        unit=Unit.PERCENT,
        baseline=None,
    )
    r = one(m, series, AssessmentContext(area_code=AREA))
    assert r.status is Status.RED
    assert r.inputs["chi_square"] == pytest.approx(47.8967, abs=1e-3)
    assert "increasing and getting worse" in r.explain()


def test_trend_with_few_points_uses_the_untested_change() -> None:
    m = admissions(Target(TargetKind.TREND, direction=TrendDirection.DECREASE))
    r = one(m, SERIES)
    assert r.status is Status.GREEN
    assert r.method.startswith("change since 2012/13")


def test_trend_with_one_point_is_not_comparable() -> None:
    m = admissions(Target(TargetKind.TREND, direction=TrendDirection.DECREASE))
    assert one(m, SERIES[-1:]).status is Status.NOT_COMPARABLE


# --------------------------------------------------------------------------- no RAG


@pytest.mark.parametrize(
    ("kind", "status", "words"),
    [
        (TargetKind.NARRATIVE, Status.NARRATIVE, "the target is narrative (fewer repeat visits)"),
        (TargetKind.NO_TARGET, Status.NO_TARGET, "monitored without a target"),
        (TargetKind.TBC, Status.TBC, "yet to be confirmed"),
    ],
)
def test_targets_without_rag(kind: TargetKind, status: Status, words: str) -> None:
    text = "fewer repeat visits" if kind is TargetKind.NARRATIVE else None
    r = one(admissions(Target(kind, text=text)), SERIES)
    assert r.status is status and not r.status.is_rag
    assert words in r.explain()
    assert "latest value 33 per 10,000 for 2014/15" in r.explain()
    assert "England" not in r.explain()


def test_measure_without_targets_is_no_target() -> None:
    r = one(admissions(), SERIES)
    assert r.status is Status.NO_TARGET


def test_value_target_without_figure_is_tbc() -> None:
    r = one(admissions(Target(TargetKind.VALUE, text="to be set")), SERIES)
    assert r.status is Status.TBC


def test_several_targets_give_several_ratings() -> None:
    m = admissions(
        Target(TargetKind.VALUE, value=31),
        comparator_target(ComparatorRelation.IN_LINE),
        Target(TargetKind.TBC),
    )
    ratings = rate_measure(m, SERIES, CTX)
    assert [r.kind for r in ratings] == [TargetKind.VALUE, TargetKind.COMPARATOR, TargetKind.TBC]
    assert all(r.measure_id == "m-admissions" for r in ratings)

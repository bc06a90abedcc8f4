"""The plan linter: each check on small plans, and the findings on the five real plans."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from cypp.domain.lint import CHECKS, Finding, Severity, lint_plan
from cypp.domain.periods import parse_period
from cypp.domain.plan import (
    Area,
    Baseline,
    Breakdown,
    Measure,
    Outcome,
    Plan,
    PlanStatus,
    Theme,
)
from cypp.domain.planfile import load_plan
from cypp.domain.targets import Target, TargetKind, TrendDirection
from cypp.domain.units import Polarity, Unit
from tests.paths import EXAMPLES

P = parse_period


def _measure(**fields: object) -> Measure:
    """A measure with nothing to complain about, changed by ``fields``."""
    base = Measure(
        id="m1",
        name="Referrals to children's social care",
        unit=Unit.RATE_PER_10000,
        polarity=Polarity.LOWER_IS_BETTER,
        owner="Children's Social Care",
        baseline=Baseline(value=308, period=P("2012/13")),
        target=Target(
            kind=TargetKind.VALUE,
            value=Decimal("261.8"),
            period=P("2014/15"),
            text="to 261.8 per 10,000 in 2014/15",
        ),
        quote="A reduction in referrals from 308 per 10,000 in 2012/13 to 261.8 per 10,000 "
        "in 2014/15.",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def _plan(*measures: Measure, **fields: object) -> Plan:
    plan = Plan(
        id="p",
        area=Area("Testshire"),
        period=P("2014-2017"),
        status=PlanStatus.ADOPTED,
        themes=(Theme(id="t1", title="Safe", measures=measures),),
    )
    return replace(plan, **fields)  # type: ignore[arg-type]


def _codes(plan: Plan) -> list[str]:
    return [finding.code for finding in lint_plan(plan)]


def test_a_sound_plan_is_clean() -> None:
    assert lint_plan(_plan(_measure())) == []


def test_findings_carry_what_the_pages_need() -> None:
    findings = lint_plan(_plan(_measure(baseline=None)))
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.code, finding.severity, finding.path) == (
        "no-baseline",
        Severity.WARNING,
        "themes[0].measures[0]",
    )
    assert (finding.measure, finding.field) == ("m1", "baseline")
    assert finding.message == (
        "'Referrals to children's social care' has no baseline figure, so progress cannot be "
        "measured from a starting point."
    )
    assert finding.as_dict()["severity"] == "warning"
    assert str(finding).startswith("themes[0].measures[0].baseline: warning: ")
    assert all(code in CHECKS for code in _codes(_plan(_measure(baseline=None, target=None))))


# --- baseline and target ---


def test_no_baseline_counts_breakdown_baselines() -> None:
    split = _measure(
        baseline=None,
        breakdowns=(Breakdown("BHT", baseline=Baseline(value=Decimal("82.9"))),),
    )
    assert _codes(_plan(split)) == []
    empty = _measure(baseline=Baseline(period=P("2012/13")))
    assert _codes(_plan(empty)) == ["no-baseline"]


def test_no_baseline_is_not_asked_of_narrative_or_deliberately_untargeted_measures() -> None:
    narrative = Target(kind=TargetKind.NARRATIVE, text="Narrative shows improvement")
    untargeted = Target(kind=TargetKind.NO_TARGET, text="No target")
    assert _codes(_plan(_measure(baseline=None, target=narrative))) == []
    assert _codes(_plan(_measure(baseline=None, target=untargeted))) == []


def test_no_target() -> None:
    assert _codes(_plan(_measure(target=None))) == ["no-target"]
    unwritten = Target(kind=TargetKind.NO_TARGET)
    assert _codes(_plan(_measure(target=unwritten))) == ["no-target"]
    assert _codes(_plan(_measure(target=None, baseline=None))) == ["no-baseline", "no-target"]


def test_target_still_to_be_set_is_one_finding() -> None:
    tbc = Target(kind=TargetKind.TBC, text="(baseline and target to be set)")
    findings = lint_plan(_plan(_measure(baseline=None, target=tbc)))
    assert [f.code for f in findings] == ["target-to-be-set"]
    assert "(baseline and target to be set)" in findings[0].message


def test_no_target_period() -> None:
    undated = replace(_measure().target, period=None)  # type: ignore[type-var]
    findings = lint_plan(_plan(_measure(target=undated)))
    assert [f.code for f in findings] == ["no-target-period"]
    assert findings[0].field == "target.period"
    assert findings[0].message.endswith("does not say when it is due (the plan runs 2014-2017).")
    # A yearly trend is due every year: it needs no date.
    trend = Target(kind=TargetKind.TREND, direction=TrendDirection.DECREASE, text="Year on year")
    assert _codes(_plan(_measure(target=trend))) == []


def test_further_targets_are_checked_too() -> None:
    undated = Target(kind=TargetKind.VALUE, value=250)
    findings = lint_plan(_plan(_measure(further_targets=(undated,))))
    assert [(f.code, f.field) for f in findings] == [
        ("no-target-period", "further_targets[0].period")
    ]


# --- dates ---


def _due(period: str) -> Measure:
    return _measure(target=replace(_measure().target, period=P(period)))  # type: ignore[type-var]


def test_target_not_after_its_baseline() -> None:
    assert _codes(_plan(_due("2012/13"))) == ["target-not-after-baseline", "target-before-plan"]
    early = _measure(baseline=Baseline(value=308, period=P("2014/15")))
    early = replace(early, target=replace(early.target, period=P("Q2 2014/15")))  # type: ignore[type-var]
    findings = lint_plan(_plan(early))
    assert [f.code for f in findings] == ["target-not-after-baseline"]
    assert "due in Q2 2014/15, which does not come after its baseline (2014/15)" in (
        findings[0].message
    )


def test_target_dates_against_the_plan_period() -> None:
    findings = lint_plan(_plan(_due("2020")))
    assert [(f.code, f.severity) for f in findings] == [("target-after-plan", Severity.WARNING)]
    # A target year that overlaps the plan (13/14 for a 2014-2017 plan) is inside it.
    assert _codes(_plan(_due("13/14 (academic year)"))) == []
    assert _codes(_plan(_due("end of 2017/18"))) == ["target-after-plan"]
    # Unanchored periods cannot be placed, so they are not judged.
    assert _codes(_plan(_due("over 5 years"))) == []


def test_a_plan_without_a_period() -> None:
    assert _codes(_plan(_due("2020"), period=None)) == ["no-plan-period"]


# --- direction ---


def _moving(baseline: str, target: str, quote: str, **fields: object) -> Measure:
    return _measure(
        unit=Unit.PERCENT,
        baseline=Baseline(value=Decimal(baseline), period=P("2012/13")),
        target=Target(kind=TargetKind.VALUE, value=Decimal(target), period=P("2014/15")),
        quote=quote,
        **fields,
    )


def test_target_against_its_own_words() -> None:
    measure = _moving("31.9", "33", "A reduction in excess weight from 31.9% to 33%.")
    findings = lint_plan(_plan(measure))
    assert [(f.code, f.severity) for f in findings] == [("contradicts-wording", Severity.ERROR)]
    assert findings[0].message == (
        "The plan speaks of 'reduction' in 'Referrals to children's social care', but the target "
        "(33% in 2014/15) is higher than the baseline (31.9% in 2012/13)."
    )
    # Words win over polarity, so one finding, not two; an increase is read the same way.
    rising = _moving("60", "55", "Increase attainment from 60% to 55%.", polarity=None)
    assert _codes(_plan(rising)) == ["contradicts-wording"]
    same = _moving("4.3", "4.3", "Reduce persistent absence from 4.3% to 4.3%.")
    assert _codes(_plan(same)) == ["contradicts-wording"]


def test_improve_means_the_better_direction() -> None:
    worse = _moving("72", "70", "Improve attainment from 72% to 70%.")
    worse = replace(worse, polarity=Polarity.HIGHER_IS_BETTER)
    assert _codes(_plan(worse)) == ["contradicts-wording"]
    better = replace(worse, polarity=Polarity.LOWER_IS_BETTER)
    assert _codes(_plan(better)) == []


def test_bounds_and_table_rows_give_no_direction() -> None:
    capped = _moving("12", "14", "Mothers smoking at delivery: 14% or fewer", polarity=None)
    assert _codes(_plan(capped)) == []
    # A table row's first column names the indicator; its words are not the target's.
    row = _moving("40", "50", "% reporting a reduction in drug use\t40%\t50%")
    row = replace(row, polarity=Polarity.HIGHER_IS_BETTER)
    assert _codes(_plan(row)) == []


def test_target_against_polarity() -> None:
    measure = _moving("20.5", "22", "Repeat child protection plans: 20.5% to 22%")
    findings = lint_plan(_plan(measure))
    assert [f.code for f in findings] == ["contradicts-polarity"]
    assert findings[0].message == (
        "'Referrals to children's social care' is better when lower, but the target "
        "(22% in 2014/15) is higher than the baseline (20.5% in 2012/13)."
    )
    assert _codes(_plan(replace(measure, polarity=Polarity.NONE))) == []


def test_relative_changes_trends_and_breakdowns_have_directions() -> None:
    rise = Target(kind=TargetKind.RELATIVE_CHANGE, value=5, period=P("2015/16"), text="+5%")
    assert _codes(_plan(_measure(target=rise, quote=None))) == ["contradicts-polarity"]
    fall = replace(rise, value=-5, text="-5%")
    assert _codes(_plan(_measure(target=fall, quote=None))) == []
    trend = Target(kind=TargetKind.TREND, direction=TrendDirection.INCREASE, text="Year on year")
    assert _codes(_plan(_measure(target=trend, quote=None))) == ["contradicts-polarity"]
    # With the plan's words ("A reduction in referrals"), the words are what the target breaks.
    assert _codes(_plan(_measure(target=trend))) == ["contradicts-wording"]
    split = _measure(
        quote=None,
        breakdowns=(
            Breakdown("Year R", Baseline(value=Decimal("7.4")), Target(TargetKind.VALUE, 7)),
            Breakdown("Year 6", Baseline(value=Decimal("15.8")), Target(TargetKind.VALUE, 16)),
        ),
    )
    findings = lint_plan(_plan(split))
    assert [(f.code, f.field) for f in findings] == [
        ("contradicts-polarity", "breakdowns[1].target")
    ]


# --- units ---


def test_unit_mismatch_between_baseline_and_target() -> None:
    quoted = _measure(
        quote="Reduce the rate from 33 per 10,000 in March 2014 to 31 per 100,000 in 2014/15.",
        target=replace(_measure().target, text=None),  # type: ignore[type-var]
    )
    findings = lint_plan(_plan(quoted))
    assert [f.code for f in findings] == ["unit-mismatch"]
    assert findings[0].message == (
        "The baseline of 'Referrals to children's social care' is written per 10,000 but its "
        "target per 100,000."
    )


def test_unit_mismatch_with_the_measure() -> None:
    target = replace(_measure().target, text="to 26.2% in 2014/15")  # type: ignore[type-var]
    measure = _measure(target=target, quote=None)
    findings = lint_plan(_plan(measure))
    assert [f.code for f in findings] == ["unit-mismatch"]
    assert "written as a percentage but the measure's unit is per 10,000" in findings[0].message
    # A percentage change is not the measure's unit.
    change = Target(kind=TargetKind.RELATIVE_CHANGE, value=-5, period=P("2015/16"), text="-5%")
    assert _codes(_plan(_measure(target=change, quote=None))) == []


# --- repeats, themes, outcomes, owners ---


def test_duplicate_measure_in_one_theme() -> None:
    findings = lint_plan(_plan(_measure(), _measure(id="m2")))
    assert [(f.code, f.measure) for f in findings] == [("duplicate-measure", "m2")]


def test_repeats_across_themes_must_agree() -> None:
    first = Theme(id="t1", title="Early help", measures=(_measure(),))
    same = Theme(id="t2", title="Safe", measures=(_measure(id="m2"),))
    assert lint_plan(_plan(themes=(first, same))) == []
    other = Theme(id="t2", title="Safe", measures=(_due("2013/14"),))
    findings = lint_plan(_plan(themes=(first, other)))
    assert [f.code for f in findings] == ["conflicting-repeat"]
    assert findings[0].path == "themes[1].measures[0]"
    assert "also appears under 'Early help' (themes[0].measures[0])" in findings[0].message


def test_theme_without_measures() -> None:
    empty = Theme(id="t2", title="Enjoy and achieve")
    findings = lint_plan(_plan(themes=(Theme("t1", "Safe", measures=(_measure(),)), empty)))
    assert [(f.code, f.path) for f in findings] == [("theme-without-measures", "themes[1]")]
    # Cross-cutting themes run through the others and need no measures of their own.
    assert lint_plan(_plan(_measure(), cross_cutting=(Theme("c", "Voice"),))) == []


def test_outcomes_without_measures_when_the_plan_links_them() -> None:
    outcomes = (Outcome("Fewer referrals", id="o1"), Outcome("More sport", id="o2"))
    linked = Theme("t1", "Safe", outcomes=outcomes, measures=(_measure(outcome="o1"),))
    findings = lint_plan(_plan(themes=(linked,)))
    assert [(f.code, f.path) for f in findings] == [
        ("outcome-without-measures", "themes[0].outcomes[1]")
    ]
    unlinked = Theme("t1", "Safe", outcomes=outcomes, measures=(_measure(),))
    assert lint_plan(_plan(themes=(unlinked,))) == []


def test_owners() -> None:
    nobody = lint_plan(_plan(_measure(owner=None), _measure(id="m2", name="B", owner=None)))
    assert [(f.code, f.path) for f in nobody] == [("no-owners", "")]
    assert "None of the 2 measures names" in nobody[0].message
    some = lint_plan(_plan(_measure(), _measure(id="m2", name="B", owner=None)))
    assert [(f.code, f.measure) for f in some] == [("no-owner", "m2")]


def test_a_review_is_checked_for_structure_only() -> None:
    review = _plan(_measure(target=None, owner=None), _measure(id="m2"), status=PlanStatus.REVIEW)
    assert _codes(review) == ["duplicate-measure"]


# --- the five real plans ---


def _example(name: str) -> Plan:
    return load_plan(EXAMPLES / f"{name}.yaml")


def test_worcestershire_contradictions_from_the_gold_notes() -> None:
    findings = lint_plan(_example("worcestershire-2014-17"))
    by_measure = {(f.measure, f.code): f for f in findings}
    year6 = by_measure["m02", "contradicts-wording"]
    assert "Year 6 pupils with excess weight" in year6.message
    assert "(33% in 2013/14) is higher than the baseline (31.9% in 2012/13)" in year6.message
    foundation = by_measure["m08", "contradicts-wording"]
    assert "Attainment gap at Foundation Stage" in foundation.message
    assert "(37% in 13/14) is higher than the baseline (34.9% in 2012/13)" in foundation.message
    exclusions = by_measure["m18", "target-before-plan"]
    assert "'Permanent exclusions' is due in 2012/13, before the plan starts" in exclusions.message
    neet = by_measure["m27", "conflicting-repeat"]
    assert "4.5% in 2014/15" in neet.message and "4.5% in 2013/14" in neet.message


def test_worcestershire_is_quiet_on_measures_that_are_fine() -> None:
    plan = _example("worcestershire-2014-17")
    flagged = {f.measure for f in lint_plan(plan) if f.measure}
    assert flagged == {
        "m02",  # excess weight: 'a reduction' to a higher figure
        "m05",  # smoking at delivery: target only
        "m06",  # breastfeeding: comparator target, no baseline, no date
        "m08",  # Foundation Stage gap: 'a decrease' to a higher figure
        "m18",  # permanent exclusions: target year before the plan, no baseline
        "m23",  # domestic abuse: baseline and target to be set
        "m24",  # missing children: no baseline, no date
        "m25",  # looked after children: no baseline
        "m26",  # adoptions: no baseline
        "m27",  # NEET: a different target year from the same measure under another theme
        "m28",  # level 2 at 19: comparator, no baseline, no date
        "m29",  # level 3 at 19: comparator, no baseline, no date
    }
    fine = {measure.id for _, _, measure in plan.measures()} - flagged
    assert len(fine) == 20


EXPECTED = {
    "worcestershire-2014-17": {
        "no-owners": 1,
        "contradicts-wording": 2,
        "target-before-plan": 1,
        "conflicting-repeat": 1,
        "no-baseline": 8,
        "no-target-period": 4,
        "target-to-be-set": 1,
    },
    "central-bedfordshire-2015-17": {
        "no-owners": 1,
        "no-baseline": 28,
        "no-target-period": 24,
        "target-to-be-set": 12,
        "target-after-plan": 1,
        "no-target": 1,
    },
    "central-bedfordshire-2013-draft": {
        "no-plan-period": 1,
        "no-owners": 1,
        "no-target-period": 22,
        "target-to-be-set": 13,
        "no-baseline": 3,
    },
    "buckinghamshire-2011-14": {"no-owners": 1, "no-target": 6},
    "leicestershire-2006-09-review": {},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_on_every_example(name: str) -> None:
    findings = lint_plan(_example(name))
    assert Counter(f.code for f in findings) == Counter(EXPECTED[name])
    assert all(isinstance(f, Finding) and f.message.endswith(".") for f in findings)


def test_every_example_is_listed() -> None:
    plans = {
        path.stem
        for path in Path(EXAMPLES).glob("*.yaml")
        if path.read_text(encoding="utf-8").startswith("cypp_plan:")
    }
    assert plans == set(EXPECTED)

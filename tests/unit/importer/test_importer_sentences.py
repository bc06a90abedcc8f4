"""Measures written as sentences by councils other than the five shared plans.

Each sentence is a pattern seen in published plans and scorecards; none is
copied from the shared plans, so these tests check the grammar generalises.
"""

from __future__ import annotations

from typing import Any

import pytest

from cypp.importer.measures import progress_measure, sentence_measure


def measure(text: str, **kwargs: Any) -> dict[str, Any]:
    found = sentence_measure(text, **kwargs)
    assert found is not None, f"no measure read from {text!r}"
    return found


def test_bracketed_from_to_pair() -> None:
    m = measure("Reduce obesity (19.4% to 18%)")
    assert m["name"] == "obesity"
    assert m["unit"] == "percent"
    assert m["polarity"] == "lower_is_better"
    assert m["baseline"]["value"] == 19.4
    assert m["target"]["kind"] == "value"
    assert m["target"]["value"] == 18


def test_bracketed_pair_keeps_the_group_in_the_name() -> None:
    m = measure("Reduce obesity in Year 6 children (19.4% to 18%) by 2016")
    assert m["name"] == "obesity in Year 6 children"
    assert (m["baseline"]["value"], m["target"]["value"]) == (19.4, 18)


@pytest.mark.parametrize(
    ("text", "name", "period"),
    [
        (
            "In 2013/14, 96.7 per cent of initial assessments were completed within "
            "timescale, which exceeded the target of 95 per cent",
            "initial assessments were completed within timescale",
            "2013/14",
        ),
        (
            "96.7 per cent of looked after children had an annual health assessment, "
            "exceeding the target of 95 per cent",
            "looked after children had an annual health assessment",
            None,
        ),
    ],
)
def test_achieved_level_against_a_stated_target(text: str, name: str, period: str | None) -> None:
    m = measure(text)
    assert m["name"] == name
    assert m["unit"] == "percent"
    assert m["baseline"] == {"value": 96.7, "period": period}
    assert m["target"]["kind"] == "value"
    assert m["target"]["value"] == 95
    assert m["target"]["text"].startswith(("exceed", "the target"))
    assert m["polarity"] == "higher_is_better"


def test_achieved_level_with_name_before_the_figure() -> None:
    m = measure("Immunisation uptake (MMR2) reached 91%, against a target of 95%")
    assert m["name"].startswith("Immunisation uptake")
    assert m["baseline"]["value"] == 91
    assert m["target"]["value"] == 95


def test_upper_bound_leads_the_sentence() -> None:
    m = measure("14% or fewer young people not in education, employment or training by 2016")
    assert m["name"] == "young people not in education, employment or training"
    assert m["polarity"] == "lower_is_better"
    assert m["target"] == {"kind": "value", "value": 14, "period": "2016", "text": "14% or fewer"}


def test_year_on_year_reduction_from_a_level_is_a_trend() -> None:
    m = measure("Year on year reduction from 64%")
    assert m["target"]["kind"] == "trend"
    assert m["baseline"]["value"] == 64
    assert m["target"]["value"] is None


def test_comparator_without_a_figure() -> None:
    m = measure("Attendance in line with statistical neighbours")
    assert m["name"] == "Attendance"
    assert m["target"]["kind"] == "comparator"
    assert m["target"]["text"] == "in line with statistical neighbours"


def test_better_than_england() -> None:
    m = measure("Achievement at Key Stage 2 to be better than the national average")
    assert m["target"]["kind"] == "comparator"
    assert m["name"].startswith("Achievement at Key Stage 2")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Reduce the number of first time entrants to the youth justice system by 5%", -5),
        ("Increase the take-up of free early education places by 10 per cent", 10),
    ],
)
def test_relative_change_in_a_sentence(text: str, value: int) -> None:
    m = measure(text)
    assert m["target"]["kind"] == "relative_change"
    assert m["target"]["value"] == value
    assert not m["name"].endswith("%")
    assert " by " not in m["name"]


def test_leading_percentage_change() -> None:
    m = measure("A 10% reduction in the number of children missing from care")
    assert m["target"]["kind"] == "relative_change"
    assert m["target"]["value"] == -10
    assert m["name"] == "children missing from care"
    assert m["polarity"] == "lower_is_better"


def test_from_to_with_rates_and_periods() -> None:
    m = measure(
        "Reduce the rate of teenage conceptions from 32.1 per 1,000 in 2009 to 25 per 1,000 by 2013"
    )
    assert m["name"] == "teenage conceptions"
    assert m["unit"] == "rate_per_1000"
    assert m["baseline"] == {"value": 32.1, "period": "2009"}
    assert (m["target"]["kind"], m["target"]["value"], m["target"]["period"]) == (
        "value",
        25,
        "2013",
    )


def test_from_to_percentages_in_an_increase() -> None:
    m = measure(
        "Increase the percentage of pupils achieving 5 A*-C GCSEs including English and maths "
        "from 58.2% in 2012 to 65% in 2015"
    )
    assert m["name"] == "pupils achieving 5 A*-C GCSEs including English and maths"
    assert m["polarity"] == "higher_is_better"
    assert m["baseline"] == {"value": 58.2, "period": "2012"}
    assert m["target"]["value"] == 65


def test_breakdown_per_group() -> None:
    m = measure("Breastfeeding at 6-8 weeks: 82.9% (BHT) 68.5% (L&D)")
    assert m["name"] == "Breastfeeding at 6-8 weeks"
    assert m["baseline"] is None
    assert m["breakdowns"] == [
        {"label": "BHT", "baseline": 82.9, "target": None},
        {"label": "L&D", "baseline": 68.5, "target": None},
    ]


def test_gap_in_percentage_points() -> None:
    m = measure(
        "Narrow the gap between children eligible for free school meals and their peers "
        "to 20 percentage points by 2015"
    )
    assert m["target"]["kind"] == "gap"
    assert m["target"]["value"] == 20
    assert m["target"]["period"] == "2015"
    assert m["unit"] == "percent"


def test_to_be_confirmed() -> None:
    m = measure("Increase the number of young carers identified (target to be confirmed)")
    assert m["target"]["kind"] == "tbc"
    assert m["name"].startswith("the number of young carers") or m["name"].startswith(
        "young carers"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Work with schools to develop a new anti-bullying strategy",
        "The board will meet four times a year.",
    ],
)
def test_activities_with_no_indicator_are_not_measures(text: str) -> None:
    assert sentence_measure(text, require_figure=True) is None


def test_progress_bullet_against_national_average() -> None:
    m = progress_measure(
        "Reducing teenage conceptions to 28.1 per 1,000, below the national average"
    )
    assert m is not None
    assert m["name"] == "teenage conceptions"
    assert m["unit"] == "rate_per_1000"
    assert m["polarity"] == "lower_is_better"
    assert m["baseline"]["value"] == 28.1


def test_progress_bullet_describing_activity_is_skipped() -> None:
    assert progress_measure("Launching a new parenting programme in every locality") is None


def test_share_that_will_reach_a_level_by_a_date() -> None:
    m = measure(
        "By 2020, 75% of pupils will achieve the expected standard in reading, writing and "
        "maths at Key Stage 2"
    )
    assert m["name"].startswith("pupils achieve the expected standard")
    assert (m["target"]["kind"], m["target"]["value"], m["target"]["period"]) == (
        "value",
        75,
        "2020",
    )
    assert m["polarity"] == "higher_is_better"


def test_ensure_at_least_a_share() -> None:
    m = measure("Ensure that at least 90% of children in care have an up-to-date health assessment")
    assert m["name"] == "children in care have an up-to-date health assessment"
    assert (m["target"]["value"], m["unit"]) == (90, "percent")


@pytest.mark.parametrize(
    ("text", "value", "name"),
    [
        ("Halve the number of young people who are NEET by 2018", -50, "young people who are NEET"),
        ("Double the number of foster carers recruited", 100, "foster carers recruited"),
    ],
)
def test_halve_and_double(text: str, value: int, name: str) -> None:
    m = measure(text)
    assert (m["target"]["kind"], m["target"]["value"], m["name"]) == (
        "relative_change",
        value,
        name,
    )


def test_maintain_at_or_below_a_rate() -> None:
    m = measure(
        "Maintain the rate of children subject to a child protection plan at or below 40 per 10,000"
    )
    assert m["name"] == "children subject to a child protection plan"
    assert (m["unit"], m["polarity"]) == ("rate_per_10000", "lower_is_better")
    assert (m["target"]["value"], m["target"]["text"]) == (40, "at or below 40 per 10,000")


def test_change_reported_with_a_verb() -> None:
    m = measure(
        "The number of first time entrants to the youth justice system fell from 220 in "
        "2012/13 to 150 in 2014/15"
    )
    assert m["name"] == "first time entrants to the youth justice system"
    assert m["unit"] == "count"
    assert m["baseline"] == {"value": 220, "period": "2012/13"}
    assert (m["target"]["value"], m["target"]["period"]) == (150, "2014/15")


def test_plain_counts_from_and_to() -> None:
    m = measure("Increase the number of adopters approved each year from 25 to 40")
    assert (m["baseline"]["value"], m["target"]["value"], m["unit"]) == (25, 40, "count")


def test_ranges_of_ages_are_not_targets() -> None:
    m = measure("Increase the percentage of young people aged 16 to 18 in learning to 95%")
    assert m["target"]["value"] == 95
    assert m["baseline"] is None


def test_quartile_position_is_not_part_of_the_name() -> None:
    m = measure(
        "Persistent absence in secondary schools to be in the top quartile nationally by 2017"
    )
    assert m["name"] == "Persistent absence in secondary schools"
    assert (m["target"]["kind"], m["target"]["period"]) == ("quartile", "2017")
    assert m["polarity"] == "lower_is_better"


def test_progress_from_to_reports_the_level_reached() -> None:
    m = progress_measure(
        "Reduced the number of looked after children from 450 in 2012 to 410 in 2014"
    )
    assert m is not None
    assert m["name"] == "looked after children"
    assert m["baseline"] == {"value": 410, "period": "2014"}
    assert (m["unit"], m["polarity"]) == ("count", "lower_is_better")


def test_progress_against_a_target_in_a_review() -> None:
    m = progress_measure(
        "96.7 per cent of initial assessments were completed within timescale, "
        "exceeding the target of 95 per cent"
    )
    assert m is not None
    assert m["name"] == "initial assessments were completed within timescale"
    assert (m["baseline"]["value"], m["target"]["value"]) == (96.7, 95)


def test_progress_level_with_a_national_comparison() -> None:
    m = progress_measure(
        "GCSE results improved to 62% (5 A*-C including English and maths), above the "
        "national average of 58%"
    )
    assert m is not None
    assert m["name"] == "GCSE results"
    assert m["baseline"]["value"] == 62


def test_progress_change_against_a_change_target() -> None:
    m = progress_measure(
        "cutting the number of young people admitted to hospital because of alcohol by 12.5%, "
        "well ahead of the 5% target"
    )
    assert m is not None
    assert (m["target"]["kind"], m["target"]["value"]) == ("relative_change", 5)
    assert m["baseline"]["value"] == 12.5


def test_progress_ratio_against_a_ratio_target() -> None:
    m = progress_measure(
        "improving the staff to child ratio to 1:3, better than the target ratio of 1:4"
    )
    assert m is not None
    assert m["unit"] == "ratio"
    assert (m["baseline"]["value"], m["target"]["value"]) == (3, 4)

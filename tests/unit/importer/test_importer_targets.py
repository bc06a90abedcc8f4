"""Target cells and scorecard tables as councils write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from cypp.importer.grammar import classify_target, quantities
from cypp.importer.pipeline import import_document


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("-5%", "relative_change", -5),
        ("+3%", "relative_change", 3),
        ("Reduce by 10%", "relative_change", -10),
        ("14% or fewer", "value", 14),
        ("65% by 2016", "value", 65),
        ("Year on year reduction from 64%", "trend", None),
        ("Continue to improve", "trend", None),
        ("In line with statistical neighbours", "comparator", None),
        ("Better than England average", "comparator", None),
        ("5% above national average", "comparator", 5),
        ("Top quartile", "quartile", None),
        ("In top 25% of local authorities", "quartile", None),
        ("Narrow the gap", "gap", None),
        ("TBC", "tbc", None),
        ("To be confirmed (annual decrease)", "tbc", None),
        ("Baseline year", "tbc", None),
        ("No target", "no_target", None),
        ("N/A", "no_target", None),
        ("Narrative shows improvement", "narrative", None),
    ],
)
def test_target_cells(text: str, kind: str, value: float | None) -> None:
    parse = classify_target(text)
    assert (parse.kind.value, parse.value) == (kind, value)


def test_target_period_is_read_and_not_taken_for_a_value() -> None:
    parse = classify_target("31 per 10,000 by 2014/15")
    assert (parse.value, parse.period) == (31, "2014/15")


def test_dates_ages_and_key_stages_are_not_figures() -> None:
    text = "Children aged 5-16 at Key Stage 2 in March 2014 reached 78%"
    assert [q.value for q in quantities(text)] == [78]


SCORECARD = """\
# Anytown Children and Young People's Plan 2016-2019

## Priority 1: Healthy lives

| Indicator | Polarity | Baseline 2014/15 | Target 2018/19 |
|---|---|---|---|
| Excess weight in 10-11 year olds | Lower is better | 33.2% | 31% |
| Good level of development | Higher is better | 61% | In line with statistical neighbours |
| Hospital admissions for self-harm (10-24) per 100,000 | Low | 412.5 | -5% |
| Emergency admissions by trust | | 82.9% (BHT) 68.5% (L&D) | 80% (BHT) 70% (L&D) |

## Priority 2: Safe at home

Indicator\tCurrent position\tTarget
Re-referrals to children's social care within 12 months\t24.3% (2015/16)\t20%
Children subject to a second or subsequent child protection plan\t18%\tTBC
"""


@pytest.fixture
def scorecard(tmp_path: Path) -> Path:
    path = tmp_path / "anytown.md"
    path.write_text(SCORECARD, encoding="utf-8")
    return path


def test_scorecard_columns_periods_and_polarity(scorecard: Path) -> None:
    result = import_document(scorecard)
    by_name = {m["name"]: m for m in result.measures}
    weight = by_name["Excess weight in 10-11 year olds"]
    assert weight["polarity"] == "lower_is_better"
    assert weight["baseline"] == {"value": 33.2, "period": "2014/15"}
    assert weight["target"]["value"] == 31
    assert weight["target"]["period"] == "2018/19"
    assert weight["theme"] == "Healthy lives"
    assert weight["quote"].startswith("| Excess weight")
    assert weight["location"]["line"] == 7
    gld = by_name["Good level of development"]
    assert gld["target"]["kind"] == "comparator"
    admissions = by_name["Hospital admissions for self-harm (10-24) per 100,000"]
    assert admissions["unit"] == "rate_per_100000"
    assert admissions["target"]["kind"] == "relative_change"
    assert admissions["target"]["value"] == -5


def test_scorecard_breakdowns(scorecard: Path) -> None:
    result = import_document(scorecard)
    trust = next(m for m in result.measures if m["name"] == "Emergency admissions by trust")
    assert trust["baseline"] is None
    assert trust["breakdowns"] == [
        {"label": "BHT", "baseline": 82.9, "target": 80},
        {"label": "L&D", "baseline": 68.5, "target": 70},
    ]


def test_tab_scorecard_under_a_second_priority(scorecard: Path) -> None:
    result = import_document(scorecard)
    rereferrals = next(m for m in result.measures if m["name"].startswith("Re-referrals"))
    assert rereferrals["theme"] == "Safe at home"
    assert rereferrals["baseline"] == {"value": 24.3, "period": "2015/16"}
    assert rereferrals["target"]["value"] == 20
    plans = next(m for m in result.measures if "second or subsequent" in m["name"])
    assert plans["target"]["kind"] == "tbc"
    assert plans["polarity"] == "lower_is_better"


def test_consultation_result_is_a_measure(tmp_path: Path) -> None:
    path = tmp_path / "voice.txt"
    path.write_text(
        "Keeping Safe\n\nWhat are we going to do?\n\n- Run a campaign on online safety\n\n"
        "88.5% of children and young people consulted agreed with this priority.\n",
        encoding="utf-8",
    )
    result = import_document(path)
    [m] = result.measures
    assert m["baseline"]["value"] == 88.5
    assert m["unit"] == "percent"
    assert m["target"]["kind"] == "no_target"
    assert "Keeping Safe" in m["name"]


@pytest.mark.parametrize(
    ("name", "polarity"),
    [
        ("Young people aged 16-18 not in education, employment or training", "lower_is_better"),
        ("Care leavers in education, employment or training", "higher_is_better"),
        (
            "Children aged under 16 looked after for 2.5 years or more in the same placement",
            "higher_is_better",
        ),
        (
            "Under 5s from the 30% most deprived areas registered with a children's centre",
            "higher_is_better",
        ),
        ("Average SDQ score of looked after children", "lower_is_better"),
        ("Contacts that led to a referral", "none"),
        ("Child protection plans with neglect as a factor", "none"),
        ("Hospital admissions caused by injuries to children aged 0-14", "lower_is_better"),
    ],
)
def test_polarity_from_the_indicator_wording(name: str, polarity: str) -> None:
    from cypp.importer.grammar import infer_polarity

    found = infer_polarity(name, name)
    assert found is not None and found.value == polarity


def test_monitoring_row_has_no_direction(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "Indicator\tTarget\nRate of children in need per 10,000\tNo target\n", encoding="utf-8"
    )
    [m] = import_document(path).measures
    assert (m["polarity"], m["target"]["kind"], m["unit"]) == (
        "none",
        "no_target",
        "rate_per_10000",
    )


def test_count_read_from_the_target_wording(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "Indicator\tTarget\nTroubled families turned around\t820 families by March 2020\n",
        encoding="utf-8",
    )
    [m] = import_document(path).measures
    assert (m["unit"], m["target"]["value"], m["target"]["period"]) == ("count", 820, "March 2020")


WIDE = """\
# Northshire Children and Young People's Plan 2016-2019

## Priority 2: Achieving well

| Indicator | 2013/14 | 2014/15 | England | Statistical neighbours | Target 2016/17 |
|---|---|---|---|---|---|
| Pupils achieving 5+ A*-C GCSEs including English and maths | 55.1% | 57.3% | 53.8% | 56% | 60% |
| Persistent absence (secondary) | 7.9% | 7.2% | 6.6% | 6.9% | In line with England |
| Rank of Key Stage 2 results among 152 authorities | 88 | 64 | | | Top 50 |
"""


def test_wide_scorecard_with_years_and_comparator_columns(tmp_path: Path) -> None:
    path = tmp_path / "northshire.md"
    path.write_text(WIDE, encoding="utf-8")
    result = import_document(path)
    gcse, absence, rank = result.measures
    assert gcse["name"] == "Pupils achieving 5+ A*-C GCSEs including English and maths"
    assert gcse["baseline"] == {"value": 57.3, "period": "2014/15"}  # the latest year
    assert (gcse["target"]["value"], gcse["target"]["period"]) == (60, "2016/17")
    assert [(c["comparator"], c["value"]) for c in gcse["comparators"]] == [
        ("england", 53.8),
        ("statistical_neighbours", 56),
    ]
    assert absence["target"]["kind"] == "comparator"
    assert (rank["unit"], rank["polarity"], rank["target"]["kind"]) == (
        "rank",
        "lower_is_better",
        "rank",
    )
    planned = result.plan["themes"][0]["measures"][0]
    assert planned["comparators"][0] == {"comparator": "england", "value": 53.8}
    comparator_target = result.plan["themes"][0]["measures"][1]["target"]
    assert (comparator_target["comparator"], comparator_target["relation"]) == (
        "england",
        "in_line",
    )


def test_a_year_range_is_not_a_series_of_values() -> None:
    parse = classify_target("568 days (National target 2010-13)")
    assert (parse.kind.value, parse.value) == ("value", 568)


def test_a_series_of_periods_and_values() -> None:
    from cypp.importer.grammar import parse_baseline

    assert parse_baseline("2009 – 32.5 2010 – 35.7 2011 – 36.1") == (36.1, "2011")
    assert parse_baseline("Q2 - 15.8 Q3 - 14.0") == (14, "Q3")


def test_age_ranges_are_not_levels() -> None:
    text = "The proportion of 16-18 year olds not in education was 5.5%"
    assert [q.value for q in quantities(text)] == [5.5]
    assert [q.value for q in quantities("developing a 13-19 strategy")] == []

"""The review rules without a database: numbers, corrections, the header and the build."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cypp.web.imports import review

MEASURE = {
    "id": "m01",
    "name": "Children with a child protection plan",
    "unit": "rate_per_10000",
    "polarity": "lower_is_better",
    "baseline": {"value": 33, "period": "March 2014"},
    "target": {
        "kind": "comparator",
        "comparator": "statistical_neighbours",
        "relation": "in_line",
        "text": "In line with statistical neighbours",
    },
    "breakdowns": [{"label": "BHT", "baseline": {"value": 82.9}}],
    "quote": "Child protection plans\\t33\\tIn line with statistical neighbours",
    "location": {"line": 12},
    "confidence": 0.9,
}
PLAN = {
    "cypp_plan": 1,
    "id": "somewhere-2015-2017",
    "area": {"name": "Somewhere"},
    "period": "2015-2017",
    "status": "draft",
    "source": {"file": "plan.txt"},
    "themes": [
        {
            "id": "safe",
            "title": "Safe",
            "outcomes": [{"title": "Fewer children need protection", "quote": "Fewer"}],
            "actions": [{"title": "Train staff", "quote": "Train staff"}],
            "measures": [MEASURE, {**MEASURE, "id": "m02", "confidence": 0.5}],
        }
    ],
}
ITEMS = [
    {"key": "t0-o0", "kind": "outcome", "theme": 0, "index": 0, "low": False},
    {"key": "t0-a0", "kind": "action", "theme": 0, "index": 0, "low": False},
    {"key": "t0-m0", "kind": "measure", "theme": 0, "index": 0, "low": False},
    {"key": "t0-m1", "kind": "measure", "theme": 0, "index": 1, "low": True},
]


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("-5", -5), ("12.50", Decimal("12.50")), ("1,377.5", Decimal("1377.5"))],
)
def test_numbers_keep_their_digits(text: str, number: int | Decimal) -> None:
    parsed = review.parse_number(text)
    assert parsed == number and type(parsed) is type(number)
    assert str(parsed) == str(number)


@pytest.mark.parametrize("text", ["64%", "about 40", "1,23", "12.5.1", "NaN", "1e5"])
def test_words_and_units_are_not_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="must be a number"):
        review.parse_number(text)


def test_unchanged_form_gives_back_the_measure() -> None:
    values = review.measure_values(MEASURE)
    measure, errors = review.check_measure(MEASURE, values)
    assert errors == {}
    assert measure == MEASURE


def test_changing_the_kind_clears_the_old_kinds_details() -> None:
    values = review.measure_values(MEASURE) | {"target_kind": "value", "target_value": "30"}
    measure, errors = review.check_measure(MEASURE, values)
    assert errors == {}
    assert measure is not None
    assert measure["target"] == {
        "kind": "value",
        "value": 30,
        "text": "In line with statistical neighbours",
    }
    assert measure["breakdowns"] == MEASURE["breakdowns"]
    assert measure["quote"] == MEASURE["quote"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"target_kind": "value", "target_period": "Q5 2014"}, "target_period", "quarter 5"),
        ({"baseline_period": "the olden days"}, "baseline_period", "Baseline period:"),
        ({"baseline_value": "thirty"}, "baseline_value", "Baseline value must be a number"),
        ({"unit": "furlongs"}, "unit", "Unit:"),
        ({"target_kind": "comparator", "comparator": ""}, "comparator", "must name"),
        ({"target_kind": "rank", "target_value": "2.5"}, "target_value", "whole number"),
        ({"name": " "}, "name", "Enter the measure name"),
    ],
)
def test_bad_corrections_name_the_field(change: dict[str, str], field: str, words: str) -> None:
    measure, errors = review.check_measure(MEASURE, review.measure_values(MEASURE) | change)
    assert measure is None
    assert field in errors, errors
    assert words in errors[field][0]


def test_header_is_checked_with_plan_file_rules() -> None:
    header = review.initial_header(PLAN)
    assert review.check_header(PLAN, header) == {}
    errors = review.check_header(PLAN, header | {"period": "Q5 2014", "id": "a b"})
    assert errors["period"][0].startswith("Plan period:")
    assert "Plan id must use only letters" in errors["id"][0]
    assert "area" in review.check_header(PLAN, header | {"area": ""})


def test_build_keeps_accepted_and_corrected_and_drops_rejected() -> None:
    decisions = {
        "t0-o0": {"decision": "accepted"},
        "t0-a0": {"decision": "rejected"},
        "t0-m0": {
            "decision": "corrected",
            "values": review.measure_values(MEASURE) | {"baseline_value": "34.0"},
        },
        "t0-m1": {"decision": "rejected"},
    }
    header = review.initial_header(PLAN) | {"title": "Our plan"}
    built = review.build_plan(PLAN, ITEMS, decisions, header)
    assert built.undecided == []
    assert dict(built.counts) == {"accepted": 1, "rejected": 2, "corrected": 1}
    theme = built.data["themes"][0]
    assert "actions" not in theme
    assert [m["id"] for m in theme["measures"]] == ["m01"]
    assert theme["measures"][0]["baseline"]["value"] == Decimal("34.0")
    assert built.data["title"] == "Our plan"
    assert built.item_for("themes[0].measures[0].target.period") == "t0-m0"
    assert built.item_for("themes[0].measures[1]") is None


def test_undecided_items_are_reported() -> None:
    built = review.build_plan(PLAN, ITEMS, {"t0-o0": {"decision": "accepted"}}, {})
    assert [item["key"] for item in built.undecided] == ["t0-a0", "t0-m0", "t0-m1"]

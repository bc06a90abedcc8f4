"""The plan file: YAML and JSON, the published schema, errors that say where, all target kinds."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml

from cypp.domain.periods import parse_period
from cypp.domain.plan import Measure, Plan
from cypp.domain.planfile import (
    PlanFileError,
    dump_plan,
    load_plan,
    plan_from_data,
    plan_schema,
    read_plan_data,
    validate_plan_data,
)
from cypp.domain.targets import (
    Bound,
    Comparator,
    ComparatorRelation,
    GapDirection,
    QuartileSide,
    TargetKind,
    TargetScope,
    TrendDirection,
)
from cypp.domain.units import Polarity, Unit
from tests.paths import EXAMPLES, REPO_ROOT

EXAMPLE_FILES = sorted(
    path
    for path in EXAMPLES.glob("*.yaml")
    if path.read_text(encoding="utf-8").startswith("cypp_plan:")
)
SCHEMA_FILE = REPO_ROOT / "src" / "cypp" / "domain" / "schema" / "plan.schema.json"

HEADER = """\
cypp_plan: 1
id: test-plan
title: Test plan
area:
  name: Testshire
  ons_code: E10000034
period: 2014-2017
"""

ALL_KINDS = (
    HEADER
    + """\
themes:
  - id: health
    title: Be healthy
    measures:
      - id: smoking
        name: Mothers smoking at the time of delivery
        unit: percent
        polarity: lower_is_better
        target: {kind: value, value: 14, period: 2014/15, text: 14% or fewer, bound: at_most}
      - id: obesity
        name: Obesity prevalence
        unit: percent
        polarity: lower_is_better
        target: {kind: value, value: 23.2, text: "<23.2", bound: below}
      - id: fte
        name: First time entrants to the youth justice system
        unit: percent
        polarity: lower_is_better
        baseline: {value: 23.5, period: 2012/13}
        target: {kind: relative_change, value: -5, text: "-5%"}
      - id: gcse
        name: Pupils achieving 5 A*-C GCSEs
        unit: percent
        polarity: higher_is_better
        target: {kind: rank, value: 38, out_of: 151, text: 38th of 151}
      - id: neet
        name: Young people NEET
        unit: percent
        polarity: lower_is_better
        target: {kind: quartile, side: top, share: 25, text: In top 25% of local authorities}
      - id: level2
        name: Level 2 at 19
        unit: percent
        polarity: higher_is_better
        target:
          kind: comparator
          comparator: statistical_neighbours
          relation: in_line
          text: to be in line with statistical neighbours' average
        further_targets:
          - kind: comparator
            comparator: england
            relation: above_by_percent
            value: 5
            text: 5% above national average
            scope: national
      - id: gap
        name: Attainment gap between FSM pupils and peers
        unit: percent
        polarity: lower_is_better
        baseline: {value: 26.2, period: 2012/13}
        target:
          kind: gap
          value: 24
          period: 13/14 (academic year)
          text: narrow the gap to 24%
          gap_direction: narrow
          between: [FSM pupils, peers]
      - id: repeat-cp
        name: Repeat child protection plans
        unit: percent
        polarity: lower_is_better
        baseline: {value: 64}
        target:
          kind: trend
          direction: decrease
          from_value: 64
          text: Year on year reduction from 64%
      - id: voice
        name: Annual report on engagement
        target: {kind: narrative, text: Narrative shows improvement}
      - id: hub
        name: Enquiries to the Access and Referral Hub
        unit: count
        polarity: none
        target: {kind: no_target, text: No target}
      - id: da
        name: Plans where domestic abuse is a factor
        unit: percent
        target: {kind: tbc, text: (baseline and target to be set)}
      - id: trajectory
        name: Children with a child protection plan
        unit: rate_per_10000
        polarity: lower_is_better
        baseline: {value: 33, period: March 2014, text: "33 per 10,000"}
        target: {kind: value, value: 32, period: 2014/15, scope: local}
        further_targets:
          - {kind: value, value: 31, period: 2015/16}
          - {kind: value, value: 30, period: Q4 2016/17}
        breakdowns:
          - label: Under 5
            baseline: {value: 40}
            target: {kind: value, value: 38}
          - label: 5 to 17
            baseline: {value: 30}
        comparators:
          - {comparator: england, value: 37.9, period: March 2014}
        national_indicator: {fingertips_indicator_id: 90885}
        quote: "A reduction from 33 per 10,000 in March 2014 to 31 per 10,000 in 2015/16."
        location: {line: 88, page: 4}
        owner: Children's Social Care
        frequency: quarterly
        period_type: financial_year
        data_source: CIN census
        definition: Children subject to a plan per 10,000 children aged 0-17.
        confidence: 0.9
"""
)


def _problems(text: str) -> list[str]:
    with pytest.raises(PlanFileError) as raised:
        load_plan(text)
    return [str(error) for error in raised.value.errors]


def _measures(plan: Plan) -> dict[str, Measure]:
    return {measure.id: measure for _, _, measure in plan.measures()}


# --- reading --------------------------------------------------------------------------------------


def test_all_ten_target_kinds_are_read_with_their_details() -> None:
    plan = load_plan(ALL_KINDS)
    m = {measure.id: measure for _, _, measure in plan.measures()}
    kinds = {measure.target.kind for measure in m.values() if measure.target}
    assert kinds == set(TargetKind)

    smoking = m["smoking"].target
    assert smoking is not None
    assert (smoking.value, smoking.bound, str(smoking.period)) == (14, Bound.AT_MOST, "2014/15")
    obesity = m["obesity"].target
    assert obesity is not None and obesity.value == Decimal("23.2")
    assert obesity.bound is Bound.BELOW and obesity.text == "<23.2"
    fte = m["fte"].target
    assert fte is not None and fte.value == -5
    gcse = m["gcse"].target
    assert gcse is not None and (gcse.value, gcse.out_of) == (38, 151)
    neet = m["neet"].target
    assert neet is not None and (neet.side, neet.share) == (QuartileSide.TOP, 25)
    level2 = m["level2"]
    assert level2.target is not None
    assert level2.target.comparator is Comparator.STATISTICAL_NEIGHBOURS
    assert level2.target.relation is ComparatorRelation.IN_LINE
    national = level2.further_targets[0]
    assert (national.relation, national.value, national.scope) == (
        ComparatorRelation.ABOVE_BY_PERCENT,
        5,
        TargetScope.NATIONAL,
    )
    gap = m["gap"].target
    assert gap is not None and gap.gap_direction is GapDirection.NARROW
    assert gap.between == ("FSM pupils", "peers")
    assert gap.period == parse_period("2013/14 (academic year)")
    trend = m["repeat-cp"].target
    assert trend is not None and (trend.direction, trend.from_value) == (
        TrendDirection.DECREASE,
        64,
    )
    assert m["voice"].target is not None and m["voice"].target.kind is TargetKind.NARRATIVE
    assert m["hub"].polarity is Polarity.NONE


def test_several_targets_per_measure_keep_their_order() -> None:
    measure = _measures(load_plan(ALL_KINDS))["trajectory"]
    assert [str(t.period) for t in measure.targets] == ["2014/15", "2015/16", "Q4 2016/17"]
    assert [t.value for t in measure.targets] == [32, 31, 30]


def test_measures_carry_every_field() -> None:
    measure = _measures(load_plan(ALL_KINDS))["trajectory"]
    assert measure.unit is Unit.RATE_PER_10000
    assert measure.baseline.value == 33
    assert measure.baseline.text == "33 per 10,000"
    assert [b.label for b in measure.breakdowns] == ["Under 5", "5 to 17"]
    assert measure.breakdowns[0].target.value == 38
    assert measure.comparators[0].value == Decimal("37.9")
    assert measure.national_indicator.fingertips_indicator_id == 90885
    assert measure.quote.startswith("A reduction")
    assert (measure.location.line, measure.location.page) == (88, 4)
    assert measure.owner == "Children's Social Care"
    assert measure.confidence == Decimal("0.9")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_all_kinds_round_trip_losslessly(fmt: str) -> None:
    plan = load_plan(ALL_KINDS)
    text = dump_plan(plan, fmt)  # type: ignore[arg-type]
    again = load_plan(text, fmt)  # type: ignore[arg-type]
    assert again == plan
    assert dump_plan(again, fmt) == text  # type: ignore[arg-type]


def test_numbers_keep_their_digits() -> None:
    plan = load_plan(ALL_KINDS)
    text = dump_plan(plan, "json")
    assert '"value": 23.2' in text and '"value": 14,' in text
    data = json.loads(text, parse_float=Decimal)
    reread = plan_from_data(data)
    assert reread == plan


def test_json_and_yaml_give_the_same_plan() -> None:
    plan = load_plan(ALL_KINDS)
    assert load_plan(dump_plan(plan, "json")) == load_plan(dump_plan(plan, "yaml"))


def test_files_are_read_by_suffix(tmp_path: Path) -> None:
    plan = load_plan(ALL_KINDS)
    (tmp_path / "plan.json").write_text(dump_plan(plan, "json"), encoding="utf-8")
    (tmp_path / "plan.yml").write_text(dump_plan(plan, "yaml"), encoding="utf-8")
    assert load_plan(tmp_path / "plan.json") == plan
    assert load_plan(str(tmp_path / "plan.yml")) == plan


def test_a_missing_or_undecodable_file_is_a_plan_file_error(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="cannot read"):
        load_plan(tmp_path / "absent.yaml")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PlanFileError, match="cannot read"):
        load_plan(binary)


# --- the published schema -------------------------------------------------------------------------


def test_the_schema_file_is_what_plan_schema_returns() -> None:
    assert plan_schema() == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(plan_schema())


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_validates_against_the_published_schema(path: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))) == []
    as_json = json.loads(dump_plan(load_plan(path), "json"))
    assert list(validator.iter_errors(as_json)) == []


def test_the_schema_knows_every_target_kind_and_unit() -> None:
    target = plan_schema()["$defs"]["target"]["properties"]
    assert set(target["kind"]["enum"]) == {kind.value for kind in TargetKind}
    measure = plan_schema()["$defs"]["measure"]["properties"]
    assert set(measure["unit"]["enum"]) == {unit.value for unit in Unit}


# --- errors that say where ------------------------------------------------------------------------

MEASURE = """\
themes:
  - id: t1
    title: One
  - id: t2
    title: Two
  - id: t3
    title: Three
    measures:
      - id: a
        name: A
      - id: b
        name: B
      - id: c
        name: C
      - id: d
        name: D
      - id: e
        name: E
        target:
          kind: value
          value: 3
          period: Q5 2014
"""


def test_an_impossible_period_is_named_with_its_path_and_line() -> None:
    problems = _problems(HEADER + MEASURE)
    assert problems == [
        "themes[2].measures[4].target.period: 'Q5 2014' is not a period: "
        "there is no quarter 5 (quarters are Q1 to Q4) (line 29)"
    ]


def test_the_same_error_in_json_names_the_json_line() -> None:
    data = yaml.safe_load(HEADER + MEASURE)
    text = json.dumps(data, indent=2)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "Q5 2014" in row)
    problems = _problems(text)
    assert problems == [
        "themes[2].measures[4].target.period: 'Q5 2014' is not a period: "
        f"there is no quarter 5 (quarters are Q1 to Q4) (line {line})"
    ]


def test_bad_yaml_is_reported_with_its_line() -> None:
    problems = _problems(HEADER + "themes:\n  - id: x\n    title: [unclosed\n")
    assert len(problems) == 1
    assert problems[0].startswith("not valid YAML: ")
    assert problems[0].endswith("(line 11)")


def test_bad_json_is_reported_with_its_line() -> None:
    problems = _problems('{"cypp_plan": 1,\n "id": "x",\n "area": {"name": "A"},,\n}')
    assert problems == ["not valid JSON: expected a key in double quotes (line 3)"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty: a plan file is a mapping of keys, starting cypp_plan: 1 (line 1)"),
        (
            "- a\n- b\n",
            "a plan file is a mapping of keys starting cypp_plan: 1, not a list (line 1)",
        ),
        ("id: x\narea: {name: A}\n", "'cypp_plan' is missing (line 1)"),
        (
            "cypp_plan: 2\nid: x\narea: {name: A}\n",
            "cypp_plan: unsupported plan file version 2 (this version of cypp reads 1) (line 1)",
        ),
        ("cypp_plan: 1\nid: x\nid: y\narea: {name: A}\n", "key 'id' appears twice (line 3)"),
    ],
)
def test_documents_that_are_not_plans(text: str, problem: str) -> None:
    assert _problems(text) == [problem]


def test_wrong_types_unknown_keys_and_values_are_all_reported_at_once() -> None:
    text = (
        HEADER
        + """\
colour: blue
values: [1, Respect]
themes:
  - id: t1
    title: One
    measures:
      - id: m1
        name: M
        unit: percentage
        polarity: down
        baseline: {value: eight, period: 2012/13}
        target: {kind: hope, value: 3}
        owner: [Council]
        nmae: typo
"""
    )
    assert _problems(text) == [
        "colour: unknown key 'colour' (line 8)",
        "values[0]: expected text, found 1 (line 9)",
        "themes[0].measures[0].unit: 'percentage' is not one of: percent, rate_per_1000, "
        "rate_per_10000, rate_per_100000, count, days, rank, score, ratio, other (line 16)",
        "themes[0].measures[0].polarity: 'down' is not one of: higher_is_better, "
        "lower_is_better, none (line 17)",
        "themes[0].measures[0].baseline.value: expected a number, found 'eight' (line 18)",
        "themes[0].measures[0].target.kind: 'hope' is not one of: value, relative_change, rank, "
        "quartile, comparator, gap, trend, narrative, no_target, tbc (line 19)",
        "themes[0].measures[0].owner: expected text, found a list (line 20)",
        "themes[0].measures[0].nmae: unknown key 'nmae' (line 21)",
    ]


def test_yes_is_not_a_number() -> None:
    text = HEADER + "themes:\n  - id: t\n    title: T\n    measures:\n"
    text += "      - {id: m, name: M, baseline: {value: yes}}\n"
    assert _problems(text) == [
        "themes[0].measures[0].baseline.value: expected a number, found true (true or false) "
        "(line 12)"
    ]


def test_target_details_must_fit_the_kind() -> None:
    text = (
        HEADER
        + """\
themes:
  - id: t
    title: T
    measures:
      - id: m1
        name: M1
        target: {kind: rank, value: 200, out_of: 151, comparator: england}
      - id: m2
        name: M2
        target: {kind: tbc, period: 2014/15, value: 3}
      - id: m3
        name: M3
        target: {kind: comparator, text: in line}
      - id: m4
        name: M4
        target: {kind: relative_change}
      - id: m5
        name: M5
        target: {kind: quartile, quartile: 5}
"""
    )
    assert _problems(text) == [
        "themes[0].measures[0].target.comparator: 'comparator' does not apply to a rank target "
        "(line 14)",
        "themes[0].measures[0].target.value: rank 200 is beyond out_of 151 (line 14)",
        "themes[0].measures[1].target.period: a tbc target has no period (line 17)",
        "themes[0].measures[1].target.value: a tbc target has no value (line 17)",
        "themes[0].measures[2].target.comparator: a comparator target must name its comparator "
        "(line 20)",
        "themes[0].measures[2].target.relation: a comparator target needs a relation (line 20)",
        "themes[0].measures[3].target.value: a relative_change target needs the percent change "
        "as value (line 23)",
        "themes[0].measures[4].target.quartile: 5 is greater than the maximum of 4 (line 26)",
    ]


def test_duplicate_ids_and_dangling_references() -> None:
    text = (
        HEADER
        + """\
themes:
  - id: t
    title: T
    outcomes:
      - {id: o1, title: Fewer admissions}
      - {id: o1, title: More sport}
    actions:
      - {id: a1, title: Commission services, due: 2015/16, owner: Public Health}
      - {id: a1, title: Train staff}
    measures:
      - {id: m1, name: M1, outcome: o1}
      - {id: m1, name: M2, outcome: o9}
  - id: t
    title: Again
    measures:
      - id: m3
        name: M3
        breakdowns:
          - {label: BHT}
          - {label: BHT}
"""
    )
    assert _problems(text) == [
        "themes[0].outcomes[1].id: outcome id 'o1' is already used by themes[0].outcomes[0] "
        "(line 13)",
        "themes[0].actions[1].id: action id 'a1' is already used by themes[0].actions[0] (line 16)",
        "themes[0].measures[1].id: measure id 'm1' is already used by themes[0].measures[0] "
        "(line 19)",
        "themes[0].measures[1].outcome: no outcome has id 'o9' (line 19)",
        "themes[1].id: theme id 't' is already used by themes[0] (line 20)",
        "themes[1].measures[0].breakdowns[1].label: breakdown 'BHT' repeats breakdowns[0] "
        "(line 27)",
    ]


def test_every_problem_is_collected_and_nothing_is_returned() -> None:
    text = (HEADER + MEASURE).replace("name: A\n", "name: A\n        unit: percentage\n")
    text = text.replace("id: b\n", "id: a\n")
    with pytest.raises(PlanFileError) as raised:
        load_plan(text)
    error = raised.value
    assert len(error.errors) == 3
    assert str(error).splitlines()[0] == "plan file: 3 problems"
    assert [e.path for e in error.errors] == [
        "themes[2].measures[0].unit",
        "themes[2].measures[1].id",
        "themes[2].measures[4].target.period",
    ]
    assert all(e.line is not None for e in error.errors)
    data, positions = read_plan_data(text)
    assert len(validate_plan_data(data, positions)) == 3
    assert error.errors[0].as_dict() == {
        "path": "themes[2].measures[0].unit",
        "line": 18,
        "message": error.errors[0].message,
    }


def test_the_file_name_heads_the_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(HEADER + MEASURE, encoding="utf-8")
    with pytest.raises(PlanFileError) as raised:
        load_plan(path)
    assert str(raised.value).splitlines()[0] == f"{path}: 1 problem"


def test_the_example_in_the_reference_page_loads() -> None:
    page = (REPO_ROOT / "docs" / "plan-file.md").read_text(encoding="utf-8")
    example = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    plan = load_plan(example)
    assert plan.measure_count() == 1
    assert str(plan.themes[0].actions[0].due) == "Q2 2014/15"

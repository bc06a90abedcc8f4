"""Importing the shared plans: valid plan files, traceable items, and the accuracy goals."""

from __future__ import annotations

from pathlib import Path

import pytest

from cypp.domain.planfile import dump_plan, load_plan, plan_from_data, validate_plan_data
from cypp.importer.evaluate import evaluate, match_measures, score_document
from cypp.importer.pipeline import import_document
from tests.paths import SHARED

DOCS = SHARED / "plans" / "docs"
GOLD = SHARED / "plans" / "gold"
PLANS = sorted(DOCS.glob("*.txt"))


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return evaluate(DOCS, GOLD)


def test_the_five_shared_plans_are_there() -> None:
    assert len(PLANS) == 5


def test_measure_detection_goal(report) -> None:  # type: ignore[no-untyped-def]
    overall = report.overall
    assert overall.gold == 154
    assert overall.f1 >= 0.95, report.table()


@pytest.mark.parametrize("field", ["baseline_value", "target_kind", "target_value"])
def test_field_accuracy_goals(report, field: str) -> None:  # type: ignore[no-untyped-def]
    assert report.overall.accuracy(field) >= 0.90, report.table()


def test_every_document_is_read(report) -> None:  # type: ignore[no-untyped-def]
    assert all(d.error is None for d in report.documents)
    assert all(d.f1 >= 0.85 for d in report.documents), report.table()


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_import_gives_a_valid_plan_file(path: Path, tmp_path: Path) -> None:
    result = import_document(path)
    assert validate_plan_data(result.plan) == []
    plan = plan_from_data(result.plan)
    written = tmp_path / "plan.yaml"
    written.write_text(dump_plan(plan), encoding="utf-8")
    assert load_plan(written) == plan
    count = sum(len(t.get("measures", [])) for t in result.plan["themes"])
    assert count == len(result.measures)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_item_is_traceable_to_its_line(path: Path) -> None:
    result = import_document(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for measure in result.measures:
        assert 0 < measure["confidence"] <= 1
        line = lines[measure["location"]["line"] - 1]
        assert measure["quote"].split("\t")[0][:40] in line
    for theme in result.draft["themes"]:
        for item in theme["outcome_items"] + theme["action_items"]:
            assert item["location"]["line"] >= 1
            # An item wrapped over several lines starts on the line given.
            line = lines[item["location"]["line"] - 1].strip()
            assert item["quote"][:12] in line or item["quote"].startswith(line)
            assert 0 < item["confidence"] <= 1


def test_plan_facts_of_a_shared_plan() -> None:
    result = import_document(DOCS / "000_b6f99d2380cd7db8.txt")
    assert result.plan["area"]["name"] == "Central Bedfordshire"
    assert result.plan["period"] == "2015-2017"
    assert result.plan["status"] == "draft"
    assert result.plan["vision"].startswith("We want every child")
    assert len(result.plan["themes"]) == 4


def test_low_confidence_items_are_listed_for_review() -> None:
    result = import_document(DOCS / "004_26c1e7d5e326071f.txt")
    low = result.low_confidence()
    assert low
    flagged = {w.get("quote") for w in result.warnings if "low confidence" in w["message"]}
    assert {m["quote"] for m in low} <= flagged


def test_matching_is_one_to_one_and_uses_names_to_split_a_shared_quote() -> None:
    row = "Voice\tA survey score B survey views"
    gold = [
        {"quote": row, "name": "A survey score", "unit": "score"},
        {"quote": row, "name": "B survey views", "unit": None},
    ]
    found = [
        {"quote": row, "name": "B survey views", "unit": None},
        {"quote": row, "name": "A survey score", "unit": "score"},
        {"quote": "Something else entirely", "name": "Other", "unit": None},
    ]
    pairs = match_measures(found, gold)
    assert sorted((e, g) for e, g, _ in pairs) == [(0, 1), (1, 0)]
    score = score_document("doc", found, gold)
    assert (score.matched, score.precision, score.recall) == (2, 2 / 3, 1.0)
    assert score.accuracy("unit") == 1.0
    assert len(score.spurious) == 1


def test_field_accuracy_compares_numbers_and_nulls() -> None:
    gold = [{"quote": "q", "name": "n", "baseline": {"value": 5}, "target": None}]
    found = [{"quote": "q", "name": "n", "baseline": {"value": 5.0}, "target": {"kind": "tbc"}}]
    score = score_document("doc", found, gold)
    assert score.accuracy("baseline_value") == 1.0
    assert score.accuracy("target_kind") == 0.0
    assert score.accuracy("target_value") == 1.0  # null against null


def test_evaluate_other_suffix_reports_missing_documents(tmp_path: Path) -> None:
    report = evaluate(DOCS, GOLD, suffix=".pdf") if not list(DOCS.glob("*.pdf")) else None
    if report is None:
        pytest.skip("the shared folder holds PDFs")
    assert all(d.error and "no document" in d.error for d in report.documents)
    assert report.overall.f1 == 0.0


def test_evaluate_reads_another_format_from_a_folder(tmp_path: Path) -> None:
    source = DOCS / "002_c99d9787d6d769f6.txt"
    (tmp_path / "docs").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "docs" / "002_c99d9787d6d769f6.md").write_bytes(source.read_bytes())
    (tmp_path / "gold" / "002_c99d9787d6d769f6.json").write_bytes(
        (GOLD / "002_c99d9787d6d769f6.json").read_bytes()
    )
    report = evaluate(tmp_path / "docs", tmp_path / "gold", suffix=".md")
    assert report.documents[0].error is None
    assert report.overall.f1 >= 0.95

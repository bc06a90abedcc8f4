"""The shipped example plans load, validate and round-trip losslessly."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from cypp.domain.planfile import dump_plan, load_plan, plan_from_data, read_plan_data
from tests.paths import EXAMPLES

# Plan files start with the format key; examples/ also holds other kinds of example file.
PLANS = sorted(
    path
    for path in Path(EXAMPLES).glob("*.yaml")
    if path.read_text(encoding="utf-8").startswith("cypp_plan:")
)


def test_all_five_example_plans_are_shipped() -> None:
    assert len(PLANS) == 5


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_example_round_trips(path: Path, fmt: str) -> None:
    plan = load_plan(path)
    assert plan.measure_count() > 0
    text = dump_plan(plan, fmt)  # type: ignore[arg-type]
    again = plan_from_data(read_plan_data(text, fmt)[0])  # type: ignore[arg-type]
    assert again == plan
    assert dump_plan(again, fmt) == text  # type: ignore[arg-type]


def _number(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _period(value: object) -> str | None:
    return None if value is None else str(value)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_example_measures_equal_the_gold_labels(path: Path, shared_dir: Path) -> None:
    """Field by field, the shipped plans hold what the hand-labelled gold files record."""
    plan = load_plan(path)
    assert plan.source is not None and plan.source.file is not None
    gold_file = shared_dir / "plans" / "gold" / Path(plan.source.file).with_suffix(".json").name
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    assert plan.area.name == gold["area"]
    assert _period(plan.period) == gold["plan_period"]
    assert plan.vision == gold["vision"]
    assert [t.title for t in plan.themes] == [t["title"] for t in gold["themes"]]
    for theme, gold_theme in zip(plan.themes, gold["themes"], strict=True):
        assert [o.title for o in theme.outcomes] == gold_theme["outcomes"]
        assert [a.title for a in theme.actions] == gold_theme["actions"]
    assert [t.title for t in plan.cross_cutting] == gold["cross_cutting"]

    placed = sorted(plan.measures(), key=lambda item: item[2].id)
    assert len(placed) == len(gold["measures"])
    for (_, theme, measure), expected in zip(placed, gold["measures"], strict=True):
        where = f"{path.stem} {measure.id}"
        if expected["theme"] is not None:
            assert theme.title == expected["theme"], where
        assert measure.name == expected["name"], where
        assert measure.quote == expected["quote"], where
        assert measure.unit == expected["unit"], where
        assert measure.polarity == expected["polarity"], where
        assert measure.note == expected.get("note"), where
        baseline = expected["baseline"]
        if baseline is None:
            assert measure.baseline is None, where
        else:
            assert measure.baseline is not None, where
            assert _number(measure.baseline.value) == _number(baseline["value"]), where
            assert _period(measure.baseline.period) == baseline["period"], where
        target = expected["target"]
        if target is None:
            assert measure.target is None, where
        else:
            assert measure.target is not None, where
            assert measure.target.kind == target["kind"], where
            value = _number(target["value"])
            if "written unsigned" in (expected.get("note") or ""):
                # The gold file records both figures of a reduction unsigned; the plan file signs a
                # relative change, so a reduction reads as a negative change.
                assert value is not None
                value = -value
            assert _number(measure.target.value) == value, where
            assert _period(measure.target.period) == target["period"], where
            assert measure.target.text == target["text"], where
        breakdowns = expected.get("breakdowns") or []
        assert [b.label for b in measure.breakdowns] == [b["label"] for b in breakdowns], where
        for breakdown, gold_breakdown in zip(measure.breakdowns, breakdowns, strict=True):
            base = None if breakdown.baseline is None else breakdown.baseline.value
            goal = None if breakdown.target is None else breakdown.target.value
            assert _number(base) == _number(gold_breakdown["baseline"]), where
            assert _number(goal) == _number(gold_breakdown["target"]), where

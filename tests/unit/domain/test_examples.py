"""The shipped example plans load, validate and round-trip losslessly."""

from pathlib import Path

import pytest

from cypp.domain.planfile import dump_plan, load_plan, plan_from_data, read_plan_data
from tests.paths import EXAMPLES

PLANS = sorted(Path(EXAMPLES).glob("*.yaml"))


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

"""Fixtures for tests that use the database (SQLite by default, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cypp.domain.plan import Plan
from cypp.domain.planfile import load_plan
from tests.paths import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="session")
def example_files() -> list[Path]:
    if len(EXAMPLE_FILES) != 5:
        pytest.fail(f"expected the five example plans in {EXAMPLES}, found {len(EXAMPLE_FILES)}")
    return EXAMPLE_FILES


@pytest.fixture(scope="session")
def example_plans(example_files: list[Path]) -> dict[str, Plan]:
    """The five example plans as domain values, keyed by plan id."""
    plans = [load_plan(path) for path in example_files]
    return {plan.id: plan for plan in plans}


@pytest.fixture
def worcestershire(example_plans: dict[str, Plan]) -> Plan:
    return next(plan for plan in example_plans.values() if plan.area.name == "Worcestershire")

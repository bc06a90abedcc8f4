"""Fixtures for the performance tests: the Worcestershire plan, a few real-looking figures."""

from __future__ import annotations

import polars as pl
import pytest

from cypp.data.observations import ObservationBatch, validate_observations
from cypp.domain.planfile import load_plan
from cypp.web.data.actions import import_observations
from cypp.web.plans.actions import create_plan_from_domain
from tests.paths import EXAMPLES

WORCESTERSHIRE = "E10000034"
ENGLAND = "E92000001"
SLUG = "worcestershire-2014-17"


def batch(rows: list[dict[str, str]], file: str = "figures.csv") -> ObservationBatch:
    """Rows of text cells validated the way a file reader does."""
    names = {name for row in rows for name in row}
    raw = pl.DataFrame(
        [{name: row.get(name, "") for name in sorted(names)} for row in rows],
        schema={name: pl.String for name in sorted(names)},
    )
    return ObservationBatch(frame=validate_observations(raw, file=file), format="long", file=file)


def m01(area: str, period: str, value: str, quality: str = "final") -> dict[str, str]:
    """Hospital admissions for self-harm, per 10,000 (lower is better; target 377.5 by 2014/15)."""
    return {"measure": "m01", "area_code": area, "period": period, "value": value,
            "quality": quality}  # fmt: skip


FIGURES = [
    m01(WORCESTERSHIRE, "2012/13", "416"),
    m01(WORCESTERSHIRE, "2013/14", "401"),
    m01(WORCESTERSHIRE, "2014/15", "409.1"),
    m01(ENGLAND, "2013/14", "352"),
    m01(ENGLAND, "2014/15", "350"),
]


@pytest.fixture
def plan(db):
    return create_plan_from_domain(load_plan(EXAMPLES / f"{SLUG}.yaml"), actor="test")


@pytest.fixture
def figures(plan):
    import_observations(batch(FIGURES), plan=plan, actor="test")
    return plan


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(
        "officer", "officer@example.org", "a-long-test-password", is_staff=True
    )


@pytest.fixture
def board_member(django_user_model):
    from cypp.web.accounts.models import Membership
    from cypp.web.accounts.roles import Role

    user = django_user_model.objects.create_user("board", "board@example.org", "a-long-password")
    Membership.objects.create(user=user, role=Role.BOARD_MEMBER)
    return user

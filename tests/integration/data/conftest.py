"""Fixtures for the data-collection tests: a stored plan, an officer and partners."""

from __future__ import annotations

from datetime import date

import pytest

from cypp.domain.planfile import load_plan
from cypp.web.data import actions
from cypp.web.data.models import Organisation
from cypp.web.plans.actions import create_plan_from_domain
from tests.paths import EXAMPLES


@pytest.fixture
def plan(db):
    return create_plan_from_domain(
        load_plan(EXAMPLES / "worcestershire-2014-17.yaml"), actor="test"
    )


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(
        "officer",
        "officer@example.org",
        "a-long-test-password",
        is_staff=True,
        first_name="Pat",
        last_name="Officer",
    )


@pytest.fixture
def partners(plan, officer):
    """Two partners: the police own m01 and m02, the NHS trust owns m03."""
    police = Organisation.objects.create(name="West Mercia Police", slug="police", kind="police")
    nhs = Organisation.objects.create(
        name="Worcestershire Health NHS Trust", slug="nhs", kind="nhs"
    )
    measures = actions.plan_measures(plan)
    for key, org in (("m01", police), ("m02", police), ("m03", nhs)):
        actions.assign_measure_owner(measures[key], org, user=officer)
    return police, nhs


@pytest.fixture
def collection(plan, officer, partners):
    return actions.open_collection(
        plan, "Q1 2025/26", due=date(2025, 7, 31), opens=date(2025, 7, 1), user=officer
    )

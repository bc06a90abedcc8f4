"""A published and a draft plan, two partners, and one person in every role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cypp.domain.planfile import load_plan
from cypp.web.accounts import actions as accounts
from cypp.web.accounts.roles import Role
from cypp.web.data import actions as data
from cypp.web.data.models import Organisation
from cypp.web.plans.actions import create_plan_from_domain
from tests.paths import EXAMPLES

PUBLISHED = "worcestershire-2014-17.yaml"
DRAFT = "central-bedfordshire-2013-draft.yaml"


@dataclass
class World:
    published: Any
    draft: Any
    police: Any
    nhs: Any
    users: dict[str, Any]

    def measure(self, plan: Any, key: str) -> Any:
        return data.plan_measures(plan)[key]


ROLE_USERS = {
    "administrator": Role.ADMINISTRATOR,
    "officer": Role.PERFORMANCE_OFFICER,
    "owner": Role.MEASURE_OWNER,
    "board": Role.BOARD_MEMBER,
}


@pytest.fixture
def world(db) -> World:
    published = create_plan_from_domain(load_plan(EXAMPLES / PUBLISHED), actor="test")
    draft = create_plan_from_domain(load_plan(EXAMPLES / DRAFT), actor="test")
    police = data.create_organisation("West Mercia Police", kind="police")
    nhs = data.create_organisation("Health NHS Trust", kind="nhs")
    users: dict[str, Any] = {"public": AnonymousUser()}
    for name, role in ROLE_USERS.items():
        users[name] = accounts.add_user(
            name,
            role,
            organisation=police if role is Role.MEASURE_OWNER else None,
            password=None,
        )
    users["signed_in"] = accounts.add_user("nobody", Role.BOARD_MEMBER)
    accounts.revoke_role(users["signed_in"], Role.BOARD_MEMBER)
    officer = users["officer"]
    for plan, key, organisation in (
        (published, "m01", police),
        (published, "m03", nhs),
        (draft, "m01", police),
        (draft, "m02", nhs),
    ):
        data.assign_measure_owner(data.plan_measures(plan)[key], organisation, user=officer)
    return World(published, draft, police, nhs, users)


@pytest.fixture
def organisations(world: World) -> list[Organisation]:
    return [world.police, world.nhs]

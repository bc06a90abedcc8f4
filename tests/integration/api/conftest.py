"""API fixtures: the accounts world (roles, plans, partners) and a token per role."""

from __future__ import annotations

import pytest
from django.test import Client

from cypp.web.accounts import actions as accounts
from tests.integration.accounts import conftest as shared
from tests.integration.accounts.conftest import World

#: The same people, plans and partners as the policy tests.
world = shared.world


@pytest.fixture
def tokens(world: World) -> dict[str, str]:
    found = {}
    for role, user in world.users.items():
        if role != "public":
            found[role] = accounts.create_token(user, name="tests")[1]
    return found


class Api:
    """A test client that speaks JSON and sends the bearer token of one role."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):  # type: ignore[no-untyped-def]
        return self.client.get(f"/api{path}", params, headers=self.headers)

    def post(self, path: str, body: dict):  # type: ignore[no-untyped-def]
        return self.client.post(
            f"/api{path}", body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api(tokens: dict[str, str]):  # type: ignore[no-untyped-def]
    def for_role(role: str) -> Api:
        return Api(tokens.get(role))

    return for_role

"""Schemathesis against the API's own OpenAPI schema, in process through WSGI.

Every operation gets generated requests (valid and invalid) as a performance officer,
whose token reaches the deepest code (sending figures stores them); none may answer
with a server error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from cypp.domain.planfile import load_plan
from cypp.web.accounts import actions as accounts
from cypp.web.accounts.roles import Role
from cypp.web.plans.actions import create_plan_from_domain
from cypp.web.wsgi import application
from tests.paths import EXAMPLES

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Requests run inside the test's transaction: keep Django from closing the
    connection after each one, as its own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(db, keep_connection) -> str:  # type: ignore[no-untyped-def]
    create_plan_from_domain(load_plan(EXAMPLES / "worcestershire-2014-17.yaml"), actor="test")
    user = accounts.add_user("schema-officer", Role.PERFORMANCE_OFFICER)
    return accounts.create_token(user)[1]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case: Any, officer_token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {officer_token}"}, checks=[not_a_server_error]
    )

"""`cypp user` and `cypp token` against the test database; tokens then open the API."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.test import Client

from cypp.cli import main
from cypp.web.accounts.policy import subject
from cypp.web.accounts.roles import Role
from cypp.web.audit.models import AuditEvent
from cypp.web.data import actions as data

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_add_people_with_roles(django_user_model) -> None:  # type: ignore[no-untyped-def]
    police = data.create_organisation("West Mercia Police", kind="police")
    assert run("user", "add", "pat", "--role", "performance-officer")[0] == 0
    code, out = run("user", "add", "sam", "--role", "measure-owner", "--organisation", police.slug)
    assert code == 0, out
    sam = django_user_model.objects.get(username="sam")
    assert subject(sam).role is Role.MEASURE_OWNER
    assert subject(sam).organisation_ids == {police.pk}
    code, out = run("user", "add", "kim", "--role", "measure-owner")
    assert code == 1 and "needs an organisation" in out
    assert not django_user_model.objects.filter(username="kim").exists()
    code, out = run("user", "add", "pat", "--role", "board-member")
    assert code == 1 and "already exists" in out
    listed = run("user", "list")[1]
    assert "pat\tPerformance officer" in listed
    assert "sam\tMeasure owner for West Mercia Police" in listed
    assert AuditEvent.objects.filter(verb="accounts.role.grant").count() == 2


def test_grant_and_revoke(django_user_model) -> None:  # type: ignore[no-untyped-def]
    run("user", "add", "lee", "--role", "board-member")
    lee = django_user_model.objects.get(username="lee")
    assert run("user", "grant", "lee", "--role", "administrator")[0] == 0
    lee.refresh_from_db()
    assert lee.is_superuser and subject(lee).role is Role.ADMINISTRATOR
    assert run("user", "revoke", "lee", "--role", "administrator")[0] == 0
    lee = django_user_model.objects.get(username="lee")
    assert subject(lee).role is Role.BOARD_MEMBER
    assert run("user", "revoke", "lee", "--role", "administrator")[0] == 1


def test_token_create_list_revoke() -> None:
    run("user", "add", "ash", "--role", "board-member")
    code, secret = run("token", "create", "ash", "--label", "dashboard", "--days", "30")
    assert code == 0
    secret = secret.strip()
    client = Client()
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/plans", headers=auth).status_code == 200
    listed = run("token", "list", "ash")[1]
    assert "dashboard\tusable" in listed
    prefix = listed.split("…")[0]
    assert secret.startswith(prefix)
    assert run("token", "revoke", prefix)[0] == 0
    assert client.get("/api/plans", headers=auth).status_code == 401
    assert "revoked" in run("token", "list")[1]


def test_people_without_a_role_get_no_token(django_user_model) -> None:  # type: ignore[no-untyped-def]
    django_user_model.objects.create_user("visitor")
    code, out = run("token", "create", "visitor")
    assert code == 1 and "has no role" in out
    assert run("token", "create", "nobody")[0] == 1

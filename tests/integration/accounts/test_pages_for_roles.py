"""Pages that change with the role: a measure owner's own returns, drafts for the Board."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from cypp.web.data import actions as data
from tests.integration.accounts.conftest import World

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_measure_owner_sees_their_organisations_returns(world: World) -> None:
    collection = data.open_collection(
        world.published,
        "Q1 2025/26",
        due=date(2025, 7, 31),
        opens=date(2025, 7, 1),
        user=world.users["officer"],
    )
    police = collection.returns.get(organisation=world.police)
    nhs = collection.returns.get(organisation=world.nhs)
    page = _client(world.users["owner"]).get("/data/").content.decode()
    assert f"/data/returns/{police.pk}/" in page
    assert f"/data/returns/{nhs.pk}/" not in page
    assert _client(world.users["owner"]).get(f"/data/returns/{police.pk}/").status_code == 200
    assert _client(world.users["owner"]).get(f"/data/returns/{nhs.pk}/").status_code == 403


def test_draft_plans_are_listed_for_the_board_not_the_public(world: World) -> None:
    public = Client().get("/").content.decode()
    board = _client(world.users["board"]).get("/").content.decode()
    assert f"/plans/{world.published.slug}/" in public
    assert f"/plans/{world.draft.slug}/" not in public
    assert f"/plans/{world.draft.slug}/" in board

"""Comments on measures through the API: who may read and add them, errors, the audit."""

from __future__ import annotations

import pytest

from cypp.web.audit.models import AuditEvent
from cypp.web.performance.models import MeasureComment
from tests.integration.accounts.conftest import World

pytestmark = pytest.mark.django_db


def _path(world: World, plan: str = "published", key: str = "m01") -> str:
    measure = world.measure(getattr(world, plan), key)
    return f"/measures/{measure.pk}/comments"


@pytest.mark.parametrize("role", ["administrator", "officer", "board"])
def test_staff_and_board_comment_on_any_measure(world: World, api, role: str) -> None:
    for plan, key in (("published", "m02"), ("draft", "m03")):
        response = api(role).post(_path(world, plan, key), {"text": f"  Noted by {role}.  "})
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["text"] == f"Noted by {role}." and body["by"] == role
        assert body["measure"] == world.measure(getattr(world, plan), key).pk
        listed = api(role).get(_path(world, plan, key)).json()["items"]
        assert [c["text"] for c in listed] == [f"Noted by {role}."]


def test_measure_owner_comments_only_on_their_organisation_measures(world: World, api) -> None:
    owner = api("owner")
    mine = owner.post(_path(world, "published", "m01"), {"text": "Police figures are late."})
    assert mine.status_code == 201 and mine.json()["role"] == "Measure owner"
    assert owner.get(_path(world, "published", "m01")).status_code == 200
    # a published measure of another partner: visible, but not theirs to comment on
    assert owner.post(_path(world, "published", "m03"), {"text": "x"}).status_code == 403
    assert owner.get(_path(world, "published", "m03")).status_code == 403
    # a draft plan's measure they do not own stays unknown
    assert owner.post(_path(world, "draft", "m02"), {"text": "x"}).status_code == 404
    assert MeasureComment.objects.count() == 1


def test_public_and_people_without_a_role_cannot(world: World, api) -> None:
    assert api("public").post(_path(world), {"text": "hello"}).status_code == 401
    assert api("public").get(_path(world)).status_code == 401
    assert api("public").get(_path(world, "draft")).status_code == 404
    assert api("signed_in").post(_path(world), {"text": "hello"}).status_code == 403
    assert not MeasureComment.objects.exists()


def test_invalid_comments_name_the_field_and_store_nothing(world: World, api) -> None:
    blank = api("board").post(_path(world), {"text": "   "})
    assert blank.status_code == 422
    assert blank.json()["errors"] == [{"field": "text", "message": "Enter your comment"}]
    too_long = api("board").post(_path(world), {"text": "x" * 2001})
    assert too_long.status_code == 422 and "text" in str(too_long.json()["detail"])
    missing = api("board").post(_path(world), {})
    assert missing.status_code == 422 and "text" in str(missing.json()["detail"])
    assert api("board").post("/measures/999999/comments", {"text": "x"}).status_code == 404
    assert not MeasureComment.objects.exists()


def test_adding_a_comment_is_audited(world: World, api) -> None:
    api("board").post(_path(world), {"text": "Good progress."})
    event = AuditEvent.objects.get(verb="measure.comment")
    assert event.actor == world.users["board"]
    assert event.detail["text"] == "Good progress." and event.detail["measure"] == "m01"


def test_a_signed_in_browser_session_cannot_add_comments(world: World, client) -> None:
    client.force_login(world.users["board"])
    response = client.post(
        f"/api{_path(world)}", {"text": "from a page"}, content_type="application/json"
    )
    assert response.status_code == 401 and not MeasureComment.objects.exists()

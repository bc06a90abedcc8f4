"""The REST API through Django's test client: reading, sending figures, tokens, paging."""

from __future__ import annotations

from datetime import date

import pytest

from cypp.web.accounts import actions as accounts
from cypp.web.accounts.models import ApiToken
from cypp.web.data import actions as data
from cypp.web.data import models as dm
from tests.integration.accounts.conftest import World

pytestmark = pytest.mark.django_db
WORCS = "E10000034"


def _send(api, role: str, world: World, rows: list[dict], **extra):  # type: ignore[no-untyped-def]
    body = {"plan": world.published.slug, "period": "Q1 2025/26", "observations": rows} | extra
    return api(role).post("/observations", body)


def test_public_sees_published_plans_only(world: World, api) -> None:  # type: ignore[no-untyped-def]
    listed = api("public").get("/plans").json()
    assert [p["id"] for p in listed["items"]] == [world.published.slug]
    assert listed["items"][0]["published"] is True
    assert api("public").get(f"/plans/{world.draft.slug}").status_code == 404
    board = api("board").get(f"/plans/{world.draft.slug}")
    assert board.status_code == 200
    assert board.json()["themes"], "the plan detail lists its themes"
    owner = {p["id"] for p in api("owner").get("/plans").json()["items"]}
    assert owner == {world.published.slug, world.draft.slug}


def test_measures_and_targets(world: World, api) -> None:  # type: ignore[no-untyped-def]
    measure = world.measure(world.published, "m01")
    got = api("public").get(f"/measures/{measure.pk}").json()
    assert got["key"] == "m01" and got["plan"] == world.published.slug
    targets = api("public").get(f"/measures/{measure.pk}/targets").json()
    assert [t["kind"] for t in targets] == [t["kind"] for t in got["targets"]]
    hidden = world.measure(world.draft, "m02")
    assert api("public").get(f"/measures/{hidden.pk}").status_code == 404
    assert api("owner").get(f"/measures/{hidden.pk}").status_code == 404
    assert api("owner").get(f"/measures/{world.measure(world.draft, 'm01').pk}").status_code == 200


def test_pagination(world: World, api) -> None:  # type: ignore[no-untyped-def]
    first = api("board").get("/measures", limit=3, offset=0).json()
    second = api("board").get("/measures", limit=3, offset=3).json()
    assert len(first["items"]) == 3 and len(second["items"]) == 3
    assert first["count"] == second["count"] > 6
    assert {m["id"] for m in first["items"]}.isdisjoint(m["id"] for m in second["items"])
    public = api("public").get("/measures", limit=500).json()
    assert public["count"] < first["count"], "draft plan measures are hidden from the public"
    assert api("public").get("/measures", limit=501).status_code == 422


def test_actions_tracker(world: World, api) -> None:  # type: ignore[no-untyped-def]
    listed = api("public").get("/actions", plan=world.published.slug).json()
    assert listed["count"] > 0
    first = listed["items"][0]
    assert api("public").get(f"/actions/{first['id']}").json()["title"] == first["title"]
    assert api("public").get("/actions", plan=world.draft.slug).json()["count"] == 0


def test_tokens(world: World, api, tokens) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.api.conftest import Api

    assert Api("cypp_not-a-token").get("/plans").status_code == 401
    assert Api("nonsense").get("/plans").status_code == 401
    token = ApiToken.objects.get(digest=ApiToken.digest_of(tokens["board"]))
    accounts.revoke_token(token)
    assert api("board").get("/plans").status_code == 401
    assert api("officer").get("/plans").status_code == 200
    assert ApiToken.objects.get(digest=ApiToken.digest_of(tokens["officer"])).last_used_at


def test_officer_figures_are_stored_and_filterable(world: World, api) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"measure": "m01", "value": "12.5"},
        {"measure": "m01", "value": "14", "area_code": "E92000001"},
        {"measure": "m02", "value": "c"},
    ]
    sent = _send(api, "officer", world, rows, reason="quarterly figures")
    assert sent.status_code == 200, sent.content
    assert sent.json() | {} == {
        "outcome": "stored",
        "created": 3,
        "revised": 0,
        "unchanged": 0,
        "returns": [],
    }
    again = _send(api, "officer", world, rows)
    assert again.json()["unchanged"] == 3
    public = api("public")
    found = public.get("/observations", measure="m01", area=WORCS, period="Q1 2025/26").json()
    assert [(o["value"], o["area_code"]) for o in found["items"]] == [(12.5, WORCS)]
    suppressed = public.get("/observations", measure="m02").json()["items"][0]
    assert suppressed["value"] is None and suppressed["suppression_code"] == "c"
    one = public.get(f"/observations/{suppressed['id']}").json()
    assert one["measure_key"] == "m02"


def test_bad_figures_name_the_field_and_store_nothing(world: World, api) -> None:  # type: ignore[no-untyped-def]
    rows = [{"measure": "m01", "value": "12.5"}, {"measure": "m01", "value": "lots"}]
    rows.append({"measure": "nope", "value": "1"})
    sent = _send(api, "officer", world, rows)
    assert sent.status_code == 422
    fields = {e["field"] for e in sent.json()["errors"]}
    assert "observations[1].value" in fields
    assert "observations[2].measure" in fields
    assert not dm.Observation.objects.exists()


def test_public_and_board_cannot_send_figures(world: World, api) -> None:  # type: ignore[no-untyped-def]
    rows = [{"measure": "m01", "value": "1"}]
    assert _send(api, "public", world, rows).status_code == 401
    assert _send(api, "board", world, rows).status_code == 403
    assert _send(api, "signed_in", world, rows).status_code == 403
    assert not dm.Observation.objects.exists()


def test_measure_owner_figures_wait_for_approval(world: World, api) -> None:  # type: ignore[no-untyped-def]
    officer = world.users["officer"]
    collection = data.open_collection(
        world.published, "Q1 2025/26", due=date(2025, 7, 31), opens=date(2025, 7, 1), user=officer
    )
    not_ours = _send(api, "owner", world, [{"measure": "m03", "value": "4"}])
    assert not_ours.status_code == 422
    assert not_ours.json()["errors"][0]["field"] == "observations[0].measure"
    wrong = _send(api, "owner", world, [{"measure": "m01", "value": "half"}])
    assert wrong.json()["errors"][0]["field"] == "observations[0].value"
    sent = _send(api, "owner", world, [{"measure": "m01", "value": "12.5", "commentary": "ok"}])
    assert sent.status_code == 200, sent.content
    assert sent.json()["outcome"] == "submitted"
    police_return = dm.Return.objects.get(collection=collection, organisation=world.police)
    assert sent.json()["returns"] == [police_return.pk]
    assert police_return.status == dm.Return.Status.SUBMITTED
    assert police_return.items.get(measure__key="m01").value == 12.5
    assert not dm.Observation.objects.exists(), "nothing is published before approval"
    data.approve_return(police_return, user=officer)
    assert api("public").get("/observations", measure="m01").json()["count"] == 1


def test_ratings_come_from_the_statistics(world: World, api) -> None:  # type: ignore[no-untyped-def]
    measure = world.measure(world.published, "m01")
    waiting = api("public").get(f"/measures/{measure.pk}/ratings").json()
    assert waiting and all(r["status"] == "Awaiting data" for r in waiting)
    _send(api, "officer", world, [{"measure": "m01", "value": "12.5"}])
    rated = api("public").get(f"/measures/{measure.pk}/ratings").json()
    assert rated[0]["provenance"]["rule_version"] == rated[0]["rule_version"]
    assert rated[0]["explanation"].startswith(rated[0]["status"])
    hidden = world.measure(world.draft, "m02")
    assert api("public").get(f"/measures/{hidden.pk}/ratings").status_code == 404


def test_openapi_and_docs(world: World, api) -> None:  # type: ignore[no-untyped-def]
    schema = api("public").client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/observations" in schema["paths"]
    assert "BearerAuth" in str(schema["components"]["securitySchemes"]) or schema["components"]
    docs = api("public").client.get("/api/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode(), "no CDN"
    assert api("public").client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_stored_ratings_follow_the_policy(world: World, api) -> None:  # type: ignore[no-untyped-def]
    from cypp.web.performance.actions import calculate_ratings

    officer = world.users["officer"]
    for plan in (world.published, world.draft):
        rows = [{"measure": "m01", "value": "12.5"}, {"measure": "m02", "value": "3"}]
        body = {"plan": plan.slug, "period": "2014/15", "observations": rows}
        assert api("officer").post("/observations", body).status_code == 200
        calculate_ratings(plan, "2014/15", user=officer)
    public = api("public").get("/ratings").json()
    assert public["count"] > 0
    assert {r["plan"] for r in public["items"]} == {world.published.slug}
    first = public["items"][0]
    assert first["explanation"] and first["rule_version"] and first["observation_ids"] is not None
    board = api("board").get("/ratings", limit=500).json()
    assert {r["plan"] for r in board["items"]} == {world.published.slug, world.draft.slug}
    owner = api("owner").get("/ratings", plan=world.draft.slug, limit=500).json()
    assert {r["measure_key"] for r in owner["items"]} == {"m01"}, "own draft measures only"
    one = api("public").get("/ratings", measure="m02", plan=world.published.slug).json()
    assert {r["measure_key"] for r in one["items"]} == {"m02"}

"""Every URL of the project, with every role: allowed or denied exactly as the policy says.

The test walks Django's URL resolver, so a new page or API endpoint that is not
classified in :data:`ROUTES` (or by the admin rule) fails the test until someone says
which policy action guards it. "Denied" means 401, 403 or 404, or a redirect to a
sign-in page; anything else is "allowed" (a 405 for GET on a POST-only page included).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cypp.data.observations import ObservationBatch, validate_observations
from cypp.voice.stories import Teller
from cypp.web.accounts import actions as accounts
from cypp.web.accounts.policy import can, is_published
from cypp.web.data import actions as data
from cypp.web.data import models as dm
from cypp.web.imports.actions import start_import
from cypp.web.plans import models as pm
from cypp.web.voice import actions as voice
from tests.integration.accounts.conftest import World
from tests.paths import SHARED

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
ROLES = ("administrator", "officer", "owner", "board", "public", "signed_in")
PERIOD = "Q1 2025/26"


@dataclass
class Place:
    """The objects a URL's parameters point at, for one of the two plans."""

    plan: pm.Plan
    world: World
    extra: dict[str, Any]

    @property
    def theme(self) -> pm.Theme:
        return self.plan.all_themes.order_by("section", "position").first()


@dataclass(frozen=True)
class Rule:
    """What guards a route: a policy action on an object, or nothing (``None``)."""

    action: str | None
    #: Which plan(s) to try the route with.
    plans: tuple[str, ...] = ("published", "draft")
    kwargs: Callable[[Place], dict[str, Any]] = lambda place: {}
    #: The object the action applies to (default: the plan).
    target: Callable[[Place], Any] | None = None
    method: str = "get"
    #: Public pages: open to all, but only for published plans.
    published_only: bool = False
    #: A route that answers 404 to everyone (the API's bare root).
    nothing_there: bool = False
    #: A route that only sends everyone on, permanently, to this URL name.
    moved_to: str | None = None
    #: The JSON body of a POST (default: figures for the plan).
    body: Callable[[Place], dict[str, Any]] | None = None

    def expect(self, user: Any, place: Place) -> bool:
        if self.nothing_there:
            return False
        if self.published_only:
            return is_published(place.plan)
        if self.action is None:
            return True
        target = self.target(place) if self.target else place.plan
        return can(user, self.action, target)


def _slug(place: Place) -> dict[str, Any]:
    return {"slug": place.plan.slug}


def _measure(place: Place, key: str = "m01") -> pm.Measure:
    return data.plan_measures(place.plan)[key]


def _action(place: Place) -> pm.Action:
    return pm.Action.objects.filter(theme__plan=place.plan).order_by("id").first()


def _obs(place: Place) -> dm.Observation:
    return place.extra["observations"][place.plan.slug]


def _return(place: Place) -> dm.Return:
    return place.extra["return"]


def _story(place: Place) -> Any:
    return place.extra["story"]


def _item_key(place: Place) -> str:
    return place.extra["draft"].items[0]["key"]


PUBLISHED = ("published",)
READ_PACK = "report.download"
ROUTES: dict[str, Rule] = {
    # plan pages
    "plans:home": Rule(None, PUBLISHED),
    "plans:detail": Rule("plan.view", kwargs=_slug),
    # performance pages and board pack
    "performance:overview": Rule(READ_PACK, kwargs=_slug),
    "performance:scorecard": Rule(READ_PACK, kwargs=_slug),
    "performance:measure": Rule(READ_PACK, kwargs=lambda p: _slug(p) | {"key": "m01"}),
    "performance:exceptions": Rule(READ_PACK, kwargs=_slug),
    "performance:review": Rule(READ_PACK, kwargs=_slug),
    "performance:actions": Rule(READ_PACK, kwargs=_slug),
    "performance:board_pack": Rule(READ_PACK, PUBLISHED, lambda p: _slug(p) | {"fmt": "html"}),
    "performance:calculate": Rule("plan.edit", kwargs=_slug),
    "performance:exception_note": Rule("plan.edit", kwargs=lambda p: _slug(p) | {"key": "m01"}),
    "performance:review_edit": Rule(
        "plan.edit", kwargs=lambda p: _slug(p) | {"theme_id": p.theme.pk}
    ),
    "performance:action_update": Rule(
        "plan.edit", kwargs=lambda p: _slug(p) | {"action_id": _action(p).pk}
    ),
    "performance:measure_comments": Rule(
        "comment.add", kwargs=lambda p: _slug(p) | {"key": "m01"}, target=_measure
    ),
    "performance:public_home": Rule(None, PUBLISHED),
    "performance:public_plan": Rule(None, kwargs=_slug, published_only=True),
    # data collection
    "data:home": Rule("account.view", PUBLISHED),
    "data:sign_in": Rule(None, PUBLISHED, moved_to="account_login"),
    "data:upload": Rule("observation.import", kwargs=_slug),
    "data:collections": Rule("collection.manage", kwargs=_slug),
    "data:collection": Rule(
        "collection.manage", PUBLISHED, lambda p: {"pk": _return(p).collection_id}
    ),
    "data:review": Rule("observation.approve", PUBLISHED, lambda p: {"pk": _return(p).pk}),
    "data:return": Rule(
        "return.submit", PUBLISHED, lambda p: {"pk": _return(p).pk}, target=_return
    ),
    "data:return_done": Rule(
        "return.submit", PUBLISHED, lambda p: {"pk": _return(p).pk}, target=_return
    ),
    "data:correct": Rule("observation.import", kwargs=lambda p: {"pk": _obs(p).pk}, target=_obs),
    "data:link": Rule(
        None,
        PUBLISHED,
        lambda p: {"token": data.create_access_link(_return(p), user=p.world.users["officer"])},
    ),
    # signing in (django-allauth); sign-up answers everyone that it is closed
    "account_login": Rule(None, PUBLISHED),
    "account_logout": Rule(None, PUBLISHED),
    "account_signup": Rule(None, PUBLISHED),
    "account_inactive": Rule(None, PUBLISHED),
    "account_change_password": Rule("account.view", PUBLISHED),
    "account_set_password": Rule("account.view", PUBLISHED),
    "account_password_changed": Rule("account.view", PUBLISHED),
    "account_reset_password": Rule(None, PUBLISHED),
    "account_reset_password_done": Rule(None, PUBLISHED),
    "account_reset_password_from_key": Rule(
        None, PUBLISHED, lambda p: {"uidb36": "1", "key": "not-a-key"}
    ),
    "account_reset_password_from_key_done": Rule(None, PUBLISHED),
    # children's voice
    "voice:children": Rule("plan.view", kwargs=_slug),
    "voice:tell_us": Rule("plan.view", kwargs=_slug),
    "voice:thanks": Rule("plan.view", kwargs=_slug),
    "voice:overview": Rule("voice.moderate", kwargs=_slug),
    "voice:consultation_new": Rule("voice.moderate", kwargs=_slug),
    "voice:moderation": Rule("voice.moderate", kwargs=_slug),
    "voice:moderate": Rule("voice.moderate", PUBLISHED, lambda p: _slug(p) | {"pk": _story(p).pk}),
    "voice:summary": Rule("voice.moderate", kwargs=lambda p: _slug(p) | {"year": 2025, "month": 7}),
    "voice:wording": Rule("voice.moderate", kwargs=lambda p: _slug(p) | {"key": p.theme.key}),
    # plan documents brought in by the importer
    "imports:upload": Rule("plan.edit", PUBLISHED),
    "imports:review": Rule("plan.edit", PUBLISHED, lambda p: {"pk": p.extra["draft"].pk}),
    "imports:correct": Rule(
        "plan.edit", PUBLISHED, lambda p: {"pk": p.extra["draft"].pk, "key": _item_key(p)}
    ),
    "imports:create": Rule("plan.edit", PUBLISHED, lambda p: {"pk": p.extra["draft"].pk}),
    "imports:discard": Rule("plan.edit", PUBLISHED, lambda p: {"pk": p.extra["draft"].pk}),
    # REST API
    "api:api-root": Rule(None, PUBLISHED, nothing_there=True),
    "api:openapi-json": Rule(None, PUBLISHED),
    "api:openapi-view": Rule(None, PUBLISHED),
    "api:list_plans": Rule(None, PUBLISHED),
    "api:get_plan": Rule("plan.view", kwargs=lambda p: {"plan_id": p.plan.slug}),
    "api:plan_themes": Rule("plan.view", kwargs=lambda p: {"plan_id": p.plan.slug}),
    "api:plan_measures": Rule("plan.view", kwargs=lambda p: {"plan_id": p.plan.slug}),
    "api:get_theme": Rule(
        "plan.view", kwargs=lambda p: {"theme_id": p.theme.pk}, target=lambda p: p.theme
    ),
    "api:list_measures": Rule(None, PUBLISHED),
    "api:get_measure": Rule(
        "plan.view",
        kwargs=lambda p: {"measure_id": _measure(p, "m02").pk},
        target=lambda p: _measure(p, "m02"),
    ),
    "api:measure_targets": Rule(
        "plan.view",
        kwargs=lambda p: {"measure_id": _measure(p, "m02").pk},
        target=lambda p: _measure(p, "m02"),
    ),
    "api:measure_ratings": Rule(
        "observation.view",
        kwargs=lambda p: {"measure_id": _measure(p).pk},
        target=_measure,
    ),
    "api:list_actions": Rule(None, PUBLISHED),
    "api:get_action": Rule(
        "plan.view", kwargs=lambda p: {"action_id": _action(p).pk}, target=_action
    ),
    "api:list_observations": Rule(None, PUBLISHED),
    "api:list_stored_ratings": Rule(None, PUBLISHED),
    "api:get_observation": Rule(
        "observation.view", kwargs=lambda p: {"observation_id": _obs(p).pk}, target=_obs
    ),
    "api:send_observations": Rule("observation.submit", method="post"),
    # comments: m03 is the NHS trust's in the published plan, no one's in the draft
    "api:measure_comments": Rule(
        "comment.add",
        kwargs=lambda p: {"measure_id": _measure(p, "m03").pk},
        target=lambda p: _measure(p, "m03"),
    ),
    "api:add_measure_comment": Rule(
        "comment.add",
        kwargs=lambda p: {"measure_id": _measure(p, "m01").pk},
        target=lambda p: _measure(p, "m01"),
        method="post",
        body=lambda p: {"text": "A comment from the role walk."},
    ),
}

#: Admin pages that are not behind the admin site's permission check.
ADMIN_OPEN = {"admin:login", "admin:logout"}


# --- walking the resolver ------------------------------------------------------------------


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route, name) of every URL pattern; name is ``namespace:name`` or the route."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield route, name if pattern.name else f"{namespace}:{route}"


PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _admin_url(route: str, name: str) -> str:
    """A concrete admin URL: real object ids where the model has rows."""
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "plans"})
    if "(?P<url>" in route:
        return "/admin/no-such-page/"
    parts = route.split("/")
    model = None
    if len(parts) > 3 and "<" not in parts[1] and "<" not in parts[2]:
        try:
            model = apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            model = None
    row = model.objects.first() if model is not None else None
    pk = row.pk if row else 1
    values = {"object_id": pk, "id": pk, "content_type_id": 1}
    return "/" + PARAM.sub(lambda m: str(values[m.group(1)]), route)


def _url(route: str, kwargs: dict[str, Any]) -> str:
    return "/" + PARAM.sub(lambda m: str(kwargs[m.group(1)]), route)


def _denied(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return "login" in location or "sign-in" in location


def _admin_denied(response: Any) -> bool:
    """The admin site's gate sends people it refuses to its own sign-in page."""
    location = response.get("Location", "") if response.status_code == 302 else ""
    return "/admin/login/" in location


# --- the world the pages are walked in -----------------------------------------------------


def _store_figures(plan: pm.Plan, officer: Any) -> dm.Observation:
    raw = pl.DataFrame(
        [
            {"measure": key, "area_code": plan.area_ons_code, "period": PERIOD, "value": "12"}
            for key in ("m01", "m02")
        ]
    )
    frame = validate_observations(raw, file="figures.csv")
    batch = ObservationBatch(frame=frame, format="long", file="figures.csv")
    data.import_observations(batch, plan=plan, user=officer)
    return dm.Observation.objects.get(measure=data.plan_measures(plan)["m02"])


@pytest.fixture
def places(world: World) -> dict[str, Place]:
    officer = world.users["officer"]
    observations = {p.slug: _store_figures(p, officer) for p in (world.published, world.draft)}
    collection = data.open_collection(
        world.published,
        "Q2 2025/26",
        due=date(2025, 10, 31),
        opens=date(2025, 10, 1),
        user=officer,
    )
    police_return = collection.returns.get(organisation=world.police)
    theme = world.published.all_themes.order_by("section", "position").first()
    story = voice.submit_story(
        world.published,
        theme,
        teller=Teller.CHILD,
        what_changed="The youth club opened on Saturdays.",
        for_whom="me and my friends",
        consent_to_publish=True,
        age_group="11 to 15",
        address="127.0.0.1",
        now=datetime(2025, 7, 10, tzinfo=UTC),
    )
    document = min(SHARED.glob("plans/docs/*.txt"), key=lambda path: path.stat().st_size)
    draft = start_import(document.name, document.read_bytes(), user=officer)
    extra = {"observations": observations, "return": police_return, "story": story}
    extra["draft"] = draft
    return {
        "published": Place(world.published, world, extra),
        "draft": Place(world.draft, world, extra),
    }


def _clients(world: World) -> dict[str, tuple[Client, dict[str, str]]]:
    found = {}
    for role in ROLES:
        client, headers = Client(raise_request_exception=False), {}
        user = world.users[role]
        if role != "public":
            client.force_login(user)
            headers = {"Authorization": f"Bearer {accounts.create_token(user)[1]}"}
        found[role] = (client, headers)
    return found


def _send(client: Client, rule: Rule, url: str, place: Place, headers: dict[str, str]) -> Any:
    if rule.method == "post" and rule.body is not None:
        return client.post(url, rule.body(place), content_type="application/json", headers=headers)
    if rule.method == "post":
        body = {"plan": place.plan.slug, "period": PERIOD}
        body["observations"] = [{"measure": "m01", "value": "12"}]  # type: ignore[assignment]
        return client.post(url, body, content_type="application/json", headers=headers)
    return client.get(url, headers=headers)


def test_every_url_is_classified_and_obeys_the_policy(
    world: World, places: dict[str, Place]
) -> None:
    clients = _clients(world)
    unclassified, wrong, failures, checked = [], [], [], 0
    for route, name in walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            url = _admin_url(route, name)
            for role in ROLES:
                client, _ = clients[role]
                response = client.get(url)
                expected = name in ADMIN_OPEN or can(world.users[role], "admin")
                checked += 1
                if response.status_code >= 500:
                    failures.append(f"{role} {response.status_code} {url}")
                if _admin_denied(response) == expected:
                    wrong.append(f"{role} {'denied' if expected else 'allowed'} {url}")
            continue
        rule = ROUTES.get(name)
        if rule is None:
            unclassified.append(f"{name} ({route})")
            continue
        for which in rule.plans:
            place = places[which]
            for role in ROLES:
                url = _url(route, rule.kwargs(place))
                client, headers = clients[role]
                is_api = route.startswith("api/")
                response = _send(client, rule, url, place, headers if is_api else {})
                expected = rule.expect(world.users[role], place)
                checked += 1
                if response.status_code >= 500:
                    failures.append(f"{role} {response.status_code} {url}")
                if rule.moved_to:
                    if response.status_code != 301 or not response["Location"].startswith(
                        reverse(rule.moved_to)
                    ):
                        wrong.append(f"{role} not moved ({response.status_code}) {url} [{name}]")
                elif _denied(response) == expected:
                    wrong.append(
                        f"{role} {'denied' if expected else 'allowed'} ({response.status_code})"
                        f" {rule.method.upper()} {url} [{name}]"
                    )
    assert not unclassified, "classify these routes in ROUTES:\n" + "\n".join(unclassified)
    assert not wrong, "\n".join(wrong)
    assert not failures, "server errors:\n" + "\n".join(failures)
    assert checked > 1000

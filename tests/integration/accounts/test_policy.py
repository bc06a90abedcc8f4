"""The policy matrix: every role × every action × objects inside and outside a role's scope.

The expected table is written out by hand from the roles' description, not derived from
the policy, so a change to a rule shows up here as a failing cell.
"""

from __future__ import annotations

from typing import Any

import pytest

from cypp.web.accounts.policy import ACTIONS, can, subject, visible_plans
from cypp.web.accounts.roles import Role
from cypp.web.data import models as dm
from tests.integration.accounts.conftest import World

ROLES = ("administrator", "officer", "owner", "board", "public", "signed_in")
LETTER = {"administrator": "A", "officer": "O", "owner": "M", "board": "B", "public": "P"}
LETTER["signed_in"] = "N"
EVERYONE = "AOMBPN"

#: The measure owner (police) owns m01 of both plans; the NHS trust owns draft m02.
OWN = ("published plan", "draft plan", "own measure", "own draft measure", "own draft figure")
OWN += ("own return",)
OTHER = ("published measure", "other draft measure", "published figure", "other draft figure")
OTHER += ("other return",)
OBJECTS = ("nothing", *OWN, *OTHER)


def objects(world: World) -> dict[str, Any]:
    pub, draft = world.published, world.draft
    collection = dm.Collection(plan=pub, period="Q1 2025/26")
    return {
        "nothing": None,
        "published plan": pub,
        "draft plan": draft,
        "own measure": world.measure(pub, "m01"),
        "own draft measure": world.measure(draft, "m01"),
        "own draft figure": dm.Observation(measure=world.measure(draft, "m01")),
        "own return": dm.Return(collection=collection, organisation=world.police),
        "published measure": world.measure(pub, "m02"),
        "other draft measure": world.measure(draft, "m02"),
        "published figure": dm.Observation(measure=world.measure(pub, "m02")),
        "other draft figure": dm.Observation(measure=world.measure(draft, "m02")),
        "other return": dm.Return(collection=collection, organisation=world.nhs),
    }


def _read() -> dict[str, str]:
    table = dict.fromkeys(OBJECTS, EVERYONE)
    for name in ("draft plan", "own draft measure", "own draft figure"):
        table[name] = "AOBM"
    for name in ("other draft measure", "other draft figure"):
        table[name] = "AOB"
    return table


def _scoped(owner_extra: str = "") -> dict[str, str]:
    """Staff (and ``owner_extra`` roles) anywhere; the measure owner within their scope."""
    table = dict.fromkeys(OBJECTS, "AO" + owner_extra)
    for name in ("nothing", *OWN):
        table[name] = "AOM" + owner_extra
    return table


def _everywhere(roles: str) -> dict[str, str]:
    return dict.fromkeys(OBJECTS, roles)


EXPECTED: dict[str, dict[str, str]] = {
    "plan.view": _read(),
    "plan.edit": _everywhere("AO"),
    "observation.view": _read(),
    "observation.submit": _scoped(),
    "observation.import": _everywhere("AO"),
    "observation.approve": _everywhere("AO"),
    "collection.manage": _everywhere("AO"),
    "return.view": _scoped("B"),
    "return.submit": _scoped(),
    "voice.tell": _everywhere(EVERYONE),
    "voice.moderate": _everywhere("AO"),
    "comment.add": _scoped("B"),
    "report.download": _everywhere("AOB"),
    "account.view": _everywhere("AOMBN"),
    "token.create": _everywhere("AOMB"),
    "admin": _everywhere("A"),
}


def test_every_action_has_expectations() -> None:
    assert set(EXPECTED) == set(ACTIONS)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_policy_matrix(world: World, action: str) -> None:
    found = objects(world)
    wrong = []
    for label in OBJECTS:
        for role in ROLES:
            expected = LETTER[role] in EXPECTED[action][label]
            if can(world.users[role], action, found[label]) != expected:
                wrong.append(f"{role} {'may' if expected else 'may not'} {action} on {label}")
    assert not wrong, "\n".join(wrong)


def test_unknown_action_is_an_error(world: World) -> None:
    with pytest.raises(ValueError, match=r"unknown action 'plan\.delete'"):
        can(world.users["administrator"], "plan.delete")


def test_roles_come_from_memberships_and_django_flags(world: World, django_user_model) -> None:
    assert subject(world.users["owner"]).role is Role.MEASURE_OWNER
    assert subject(world.users["owner"]).organisation_ids == {world.police.pk}
    assert subject(world.users["signed_in"]).role is Role.PUBLIC
    staff = django_user_model.objects.create_user("legacy", is_staff=True)
    assert subject(staff).role is Role.PERFORMANCE_OFFICER
    root = django_user_model.objects.create_superuser("root")
    assert subject(root).role is Role.ADMINISTRATOR
    inactive = django_user_model.objects.create_superuser("gone", is_active=False)
    assert subject(inactive).role is Role.PUBLIC


def test_organisation_members_are_measure_owners(world: World, django_user_model) -> None:
    member = django_user_model.objects.create_user("partner")
    world.nhs.members.add(member)
    assert can(member, "return.submit", dm.Return(organisation=world.nhs))
    assert not can(member, "return.submit", dm.Return(organisation=world.police))
    assert can(member, "observation.view", world.measure(world.draft, "m02"))


def test_visible_plans_agree_with_can(world: World) -> None:
    for role in ROLES:
        user = world.users[role]
        shown = set(visible_plans(user).values_list("slug", flat=True))
        allowed = {p.slug for p in (world.published, world.draft) if can(user, "plan.view", p)}
        assert shown == allowed, role
    assert set(visible_plans(world.users["public"]).values_list("slug", flat=True)) == {
        world.published.slug
    }

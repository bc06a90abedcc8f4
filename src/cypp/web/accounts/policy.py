"""The one place that decides who may do what.

Every page, API endpoint, CLI command and action asks :func:`can`. A person's roles come
from their :class:`~cypp.web.accounts.models.Membership` rows; on top of those, a Django
superuser is an administrator, a staff account without a membership is a performance
officer, and a member of a partner organisation (``Organisation.members``) is that
organisation's measure owner. Everyone else, signed in or not, is the public.

What is *published*: a plan whose status is adopted, review or superseded, with its
themes, measures, targets, actions and stored observations (figures reach the store only
after an officer approved a return or imported a file). Draft plans and the figures
inside returns that are not yet approved are unpublished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Q

from cypp.web.accounts.roles import Role

#: Plan statuses whose plans, and the figures stored for them, anyone may read.
PUBLISHED_STATUSES = ("adopted", "review", "superseded")

#: Every action the policy knows, with what it allows.
ACTIONS: dict[str, str] = {
    "plan.view": "read a plan, its themes, outcomes, measures, targets and actions",
    "plan.edit": "load, change or publish a plan and its actions",
    "observation.view": "read stored figures and the ratings made from them",
    "observation.submit": "send figures for a measure (measure owners: for approval)",
    "observation.import": "store figures directly: uploads, national refreshes, corrections",
    "observation.approve": "approve or return partners' figures",
    "collection.manage": "open and close collections, name measure owners, send links",
    "return.view": "read a data return and the figures in it before approval",
    "return.submit": "fill in and send a data return",
    "voice.tell": "send a story or view to the partnership",
    "voice.moderate": "run consultations and moderate stories",
    "comment.add": "add commentary to a measure",
    "report.download": "download the board pack",
    "account.view": "see one's own account pages, such as the returns one answers for",
    "token.create": "create API tokens for one's own account",
    "admin": "manage people, roles and the admin site",
}

_STAFF = frozenset({Role.ADMINISTRATOR, Role.PERFORMANCE_OFFICER})
_READ_ALL = _STAFF | {Role.BOARD_MEMBER}


@dataclass
class Subject:
    """A person as the policy sees them: roles and the organisations they answer for."""

    roles: frozenset[Role]
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    user_id: int | None = None

    @property
    def role(self) -> Role:
        """The most trusted role held (roles are declared most trusted first)."""
        return next(role for role in Role if role in self.roles)

    def has(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @cached_property
    def owned_measure_ids(self) -> frozenset[int]:
        if not self.organisation_ids:
            return frozenset()
        from cypp.web.data.models import MeasureOwner

        return frozenset(
            MeasureOwner.objects.filter(organisation_id__in=self.organisation_ids).values_list(
                "measure_id", flat=True
            )
        )

    @cached_property
    def owned_plan_ids(self) -> frozenset[int]:
        if not self.owned_measure_ids:
            return frozenset()
        from cypp.web.plans.models import Measure

        return frozenset(
            Measure.objects.filter(pk__in=self.owned_measure_ids).values_list(
                "theme__plan_id", flat=True
            )
        )


PUBLIC = Subject(frozenset({Role.PUBLIC}))
_CACHE = "_cypp_subject"


def subject(user: Any) -> Subject:
    """The policy's view of ``user`` (cached on the user object for one request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    from cypp.web.accounts.models import Membership
    from cypp.web.data.models import Organisation

    roles: set[Role] = {Role.PUBLIC}
    organisations: set[int] = set()
    memberships = list(Membership.objects.filter(user=user).values_list("role", "organisation"))
    for role, organisation in memberships:
        roles.add(Role(role))
        if role == Role.MEASURE_OWNER and organisation is not None:
            organisations.add(organisation)
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    if user.is_staff and not memberships:
        roles.add(Role.PERFORMANCE_OFFICER)
    members_of = set(Organisation.objects.filter(members=user).values_list("pk", flat=True))
    if members_of:
        roles.add(Role.MEASURE_OWNER)
        organisations |= members_of
    found = Subject(frozenset(roles), frozenset(organisations), user.pk)
    setattr(user, _CACHE, found)
    return found


def organisation_ids(user: Any) -> frozenset[int]:
    """The partner organisations ``user`` answers for as a measure owner."""
    return subject(user).organisation_ids


def forget(user: Any) -> None:
    """Drop the cached roles of ``user`` (after its memberships changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


# --- objects -------------------------------------------------------------------------------


def _plan_of(obj: Any) -> Any:
    """The plan an object belongs to, or None for objects outside any plan."""
    from cypp.web.data import models as dm
    from cypp.web.plans import models as pm

    if isinstance(obj, pm.Plan):
        return obj
    if isinstance(obj, pm.Theme):
        return obj.plan
    if isinstance(obj, dm.Return):
        return obj.collection.plan
    if isinstance(obj, dm.ReturnItem):
        return obj.data_return.collection.plan
    measure = _measure_of(obj)
    if measure is not None:
        return measure.theme.plan
    if hasattr(obj, "theme") and isinstance(getattr(obj, "theme", None), pm.Theme):
        return obj.theme.plan
    plan = getattr(obj, "plan", None)
    return plan if isinstance(plan, pm.Plan) else None


def _measure_of(obj: Any) -> Any:
    from cypp.web.data import models as dm
    from cypp.web.plans import models as pm

    if isinstance(obj, pm.Measure):
        return obj
    if isinstance(obj, pm.Target):
        return obj.measure if obj.measure_id else obj.breakdown.measure
    if isinstance(obj, pm.Breakdown | pm.ComparatorValue | dm.Observation | dm.ReturnItem):
        return obj.measure
    if isinstance(obj, dm.MeasureOwner):
        return obj.measure
    return None


def _organisation_of(obj: Any) -> int | None:
    from cypp.web.data import models as dm

    if isinstance(obj, dm.Organisation):
        return obj.pk
    if isinstance(obj, dm.Return):
        return obj.organisation_id
    if isinstance(obj, dm.ReturnItem):
        return obj.data_return.organisation_id
    return None


def is_published(plan: Any) -> bool:
    return plan is not None and plan.status in PUBLISHED_STATUSES


def _owns(who: Subject, obj: Any) -> bool:
    """``obj`` is one of the measures (or figures, returns) of who's organisations."""
    if not who.has(Role.MEASURE_OWNER) or obj is None:
        return False
    organisation = _organisation_of(obj)
    if organisation is not None:
        return organisation in who.organisation_ids
    measure = _measure_of(obj)
    if measure is not None:
        return measure.pk in who.owned_measure_ids
    plan = _plan_of(obj)
    return plan is not None and plan.pk in who.owned_plan_ids


# --- rules ---------------------------------------------------------------------------------


def _read(who: Subject, obj: Any) -> bool:
    """Published things for everyone; everything for staff and board; own for owners."""
    if obj is None or who.has(*_READ_ALL):
        return True
    if is_published(_plan_of(obj)):
        return True
    return _owns(who, obj)


def _staff(who: Subject, obj: Any) -> bool:
    return who.has(*_STAFF)


def _staff_or_owner(who: Subject, obj: Any) -> bool:
    if who.has(*_STAFF):
        return True
    if not who.has(Role.MEASURE_OWNER):
        return False
    return obj is None or _owns(who, obj)


def _return_view(who: Subject, obj: Any) -> bool:
    if who.has(*_READ_ALL):
        return True
    return who.has(Role.MEASURE_OWNER) and (obj is None or _owns(who, obj))


def _comment(who: Subject, obj: Any) -> bool:
    return who.has(*_READ_ALL) or _staff_or_owner(who, obj)


def _everyone(who: Subject, obj: Any) -> bool:
    return True


def _signed_in(who: Subject, obj: Any) -> bool:
    return who.user_id is not None and who.roles != {Role.PUBLIC}


RULES: dict[str, Callable[[Subject, Any], bool]] = {
    "plan.view": _read,
    "plan.edit": _staff,
    "observation.view": _read,
    "observation.submit": _staff_or_owner,
    "observation.import": _staff,
    "observation.approve": _staff,
    "collection.manage": _staff,
    "return.view": _return_view,
    "return.submit": _staff_or_owner,
    "voice.tell": _everyone,
    "voice.moderate": _staff,
    "comment.add": _comment,
    "report.download": lambda who, obj: who.has(*_READ_ALL),
    "account.view": lambda who, obj: who.user_id is not None,
    "token.create": _signed_in,
    "admin": lambda who, obj: who.has(Role.ADMINISTRATOR),
}
assert RULES.keys() == ACTIONS.keys()


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May ``user`` (a Django user, AnonymousUser or None) do ``action`` on ``obj``?

    Without ``obj`` the answer is whether the user may do the action on anything at all
    (for lists, which are then narrowed with :func:`visible_plans` and friends).
    """
    try:
        rule = RULES[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}") from None
    return rule(subject(user), obj)


# --- querysets -----------------------------------------------------------------------------


def plan_filter(user: Any, prefix: str = "") -> Q:
    """A filter on plans (or on rows reaching a plan through ``prefix``) the user may read."""
    who = subject(user)
    if who.has(*_READ_ALL):
        return Q()
    published = Q(**{f"{prefix}status__in": PUBLISHED_STATUSES})
    if who.owned_plan_ids:
        return published | Q(**{f"{prefix}pk__in": who.owned_plan_ids})
    return published


def measure_filter(user: Any, prefix: str = "") -> Q:
    """A filter on measures (or rows reaching one through ``prefix``) whose data the user
    may read: published plans, or the user's own measures."""
    who = subject(user)
    if who.has(*_READ_ALL):
        return Q()
    published = Q(**{f"{prefix}theme__plan__status__in": PUBLISHED_STATUSES})
    if who.owned_measure_ids:
        return published | Q(**{f"{prefix}pk__in": who.owned_measure_ids})
    return published


def visible_plans(user: Any, queryset: Any = None) -> Any:
    from cypp.web.plans.models import Plan

    queryset = Plan.objects.all() if queryset is None else queryset
    return queryset.filter(plan_filter(user))

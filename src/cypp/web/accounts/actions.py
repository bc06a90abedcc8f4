"""The only code that writes memberships and API tokens; each change is audited."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cypp.web.accounts import policy
from cypp.web.accounts.models import ApiToken, Membership
from cypp.web.accounts.roles import GRANTABLE, Role
from cypp.web.audit.models import record

TOKEN_PREFIX = "cypp_"
#: How often (at most) a token's last use is written, so reads do not all become writes.
LAST_USED_STEP = timedelta(minutes=5)


class AccountError(ValueError):
    """The change was refused; nothing was written."""


def _who(by: Any) -> dict[str, Any]:
    return {"user": by if getattr(by, "pk", None) else None, "actor_label": "" if by else "cli"}


def grant_role(user: Any, role: Role, *, organisation: Any = None, by: Any = None) -> Membership:
    """Give ``user`` a role; measure owners need the organisation whose measures they own."""
    if role not in GRANTABLE:
        raise AccountError(f"the {role.label.lower()} role is not granted: everyone holds it")
    if role is Role.MEASURE_OWNER and organisation is None:
        raise AccountError("a measure owner needs an organisation (--organisation)")
    if role is not Role.MEASURE_OWNER and organisation is not None:
        raise AccountError(f"only measure owners belong to an organisation, not {role.label}")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, role=role.value, organisation=organisation
        )
        # Staff may use the sign-in form of the admin site (which then asks the policy).
        if role in (Role.ADMINISTRATOR, Role.PERFORMANCE_OFFICER) and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        if role is Role.ADMINISTRATOR and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        if created:
            record(
                "accounts.role.grant",
                membership,
                **_who(by),
                detail={"user": user.get_username(), "role": role.value},
            )
    policy.forget(user)
    return membership


def revoke_role(user: Any, role: Role, *, organisation: Any = None, by: Any = None) -> int:
    with transaction.atomic():
        rows = Membership.objects.filter(user=user, role=role.value, organisation=organisation)
        count = rows.count()
        rows.delete()
        if role is Role.ADMINISTRATOR and user.is_superuser:
            user.is_superuser = False
            user.save(update_fields=["is_superuser"])
        if count:
            record(
                "accounts.role.revoke",
                user,
                **_who(by),
                detail={"role": role.value, "organisation": getattr(organisation, "slug", None)},
            )
    policy.forget(user)
    return count


def add_user(
    username: str,
    role: Role,
    *,
    organisation: Any = None,
    email: str = "",
    password: str | None = None,
    by: Any = None,
) -> Any:
    """Create an account holding ``role``; without a password it can use API tokens only."""
    model = get_user_model()
    if not username.strip():
        raise AccountError("a user needs a name")
    if model.objects.filter(username=username).exists():
        raise AccountError(f"a user called {username!r} already exists")
    with transaction.atomic():
        user = model.objects.create_user(username=username, email=email, password=password)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        record("accounts.user.add", user, **_who(by), detail={"role": role.value})
        grant_role(user, role, organisation=organisation, by=by)
    return user


def create_token(
    user: Any, *, name: str = "", expires_in: timedelta | None = None, by: Any = None
) -> tuple[ApiToken, str]:
    """A new API token for ``user``: the stored row and the secret, shown only this once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            digest=ApiToken.digest_of(secret),
            expires_at=timezone.now() + expires_in if expires_in else None,
        )
        record(
            "accounts.token.create",
            token,
            **_who(by),
            detail={"user": user.get_username(), "name": name},
        )
    return token, secret


def revoke_token(token: ApiToken, *, by: Any = None) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record("accounts.token.revoke", token, **_who(by))


def user_for_token(secret: str) -> Any:
    """The active user a bearer token belongs to, or None for unknown, expired or revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(secret)).first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

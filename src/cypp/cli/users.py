"""`cypp user …` and `cypp token …`: people, their roles and their API tokens.

Every change goes through :mod:`cypp.web.accounts.actions`, so it is audited.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from cypp.cli import _django

ROLE_NAMES = ["administrator", "performance-officer", "measure-owner", "board-member"]


def _role(text: str) -> Any:
    from cypp.web.accounts.roles import Role

    return Role.parse(text)


def _organisation(slug_or_name: str | None) -> Any:
    if slug_or_name is None:
        return None
    from django.db.models import Q

    from cypp.web.data.models import Organisation

    found = Organisation.objects.filter(Q(slug=slug_or_name) | Q(name=slug_or_name)).first()
    if found is None:
        raise click.ClickException(
            f"no organisation {slug_or_name!r}: add it with `cypp data organisation add`"
        )
    return found


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(username=name).first()
    if found is None:
        raise click.ClickException(f"no user called {name!r}: `cypp user list` shows them")
    return found


@click.group("user")
def user() -> None:
    """People and their roles (administrator, performance officer, measure owner, board)."""


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLE_NAMES), help="The role to give.")
@click.option("--organisation", help="Measure owners: the partner (slug or name) they answer for.")
@click.option("--email", default="", help="E-mail address.")
@click.option(
    "--password/--no-password",
    default=False,
    help=(
        "Ask for a password to sign in to the web pages (otherwise: API tokens, until "
        "a password is chosen through a reset link sent by e-mail)."
    ),
)
def user_add(name: str, role: str, organisation: str | None, email: str, password: bool) -> None:
    """Add a person NAME with a role."""
    _django.require_database()
    from cypp.web.accounts.actions import AccountError, add_user

    secret = None
    if password:
        secret = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        made = add_user(
            name,
            _role(role),
            organisation=_organisation(organisation),
            email=email,
            password=secret,
        )
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"added {made.get_username()} as {_role(role).label.lower()}")


@user.command("grant")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLE_NAMES))
@click.option("--organisation", help="Measure owners: the partner (slug or name).")
def user_grant(name: str, role: str, organisation: str | None) -> None:
    """Give an existing person NAME another role."""
    _django.require_database()
    from cypp.web.accounts.actions import AccountError, grant_role

    try:
        grant_role(_user(name), _role(role), organisation=_organisation(organisation))
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{name} is now also {_role(role).label.lower()}")


@user.command("revoke")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLE_NAMES))
@click.option("--organisation", help="Measure owners: the partner (slug or name).")
def user_revoke(name: str, role: str, organisation: str | None) -> None:
    """Take a role away from NAME."""
    _django.require_database()
    from cypp.web.accounts.actions import revoke_role

    count = revoke_role(_user(name), _role(role), organisation=_organisation(organisation))
    if not count:
        raise click.ClickException(f"{name} does not hold that role")
    click.echo(f"{name} is no longer {_role(role).label.lower()}")


@user.command("list")
def user_list() -> None:
    """Everyone with an account and the role the policy gives them."""
    _django.require_database()
    from django.contrib.auth import get_user_model

    from cypp.web.accounts.policy import subject

    for person in get_user_model().objects.order_by("username"):
        who = subject(person)
        where = ""
        if who.organisation_ids:
            from cypp.web.data.models import Organisation

            names = Organisation.objects.filter(pk__in=who.organisation_ids)
            where = " for " + ", ".join(o.name for o in names)
        click.echo(f"{person.get_username()}\t{who.role.label}{where}")


@click.group("token")
def token() -> None:
    """API tokens (send them as `Authorization: Bearer <token>`)."""


@token.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown in lists).")
@click.option("--days", type=click.IntRange(min=1), help="Expire after this many days.")
def token_create(name: str, label: str, days: int | None) -> None:
    """Create an API token for the person NAME; it is shown once, keep it safe."""
    _django.require_database()
    from cypp.web.accounts.actions import create_token
    from cypp.web.accounts.policy import can

    person = _user(name)
    if not can(person, "token.create"):
        raise click.ClickException(f"{name} has no role: give them one with `cypp user grant`")
    _, secret = create_token(person, name=label, expires_in=timedelta(days=days) if days else None)
    click.echo(secret)


@token.command("list")
@click.argument("name", required=False)
def token_list(name: str | None) -> None:
    """Tokens (of NAME, or of everyone): prefix, owner, label, state."""
    _django.require_database()
    from cypp.web.accounts.models import ApiToken

    tokens = ApiToken.objects.select_related("user")
    if name:
        tokens = tokens.filter(user=_user(name))
    for found in tokens:
        state = "revoked" if found.revoked_at else ("usable" if found.is_usable() else "expired")
        click.echo(f"{found.prefix}…\t{found.user.get_username()}\t{found.name}\t{state}")


@token.command("revoke")
@click.argument("prefix")
def token_revoke(prefix: str) -> None:
    """Revoke the token whose first characters are PREFIX (as `cypp token list` shows)."""
    _django.require_database()
    from cypp.web.accounts.actions import revoke_token
    from cypp.web.accounts.models import ApiToken

    found = list(ApiToken.objects.filter(prefix=prefix.rstrip("…"), revoked_at__isnull=True))
    if len(found) != 1:
        raise click.ClickException(f"{len(found)} usable tokens start with {prefix!r}")
    revoke_token(found[0])
    click.echo(f"revoked {found[0].prefix}…")


commands = [user, token]

"""Who is calling: a bearer token, the signed-in session (reads only), or the public."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from cypp.web.accounts.actions import user_for_token
from cypp.web.accounts.policy import can

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; without the header the caller is the public.

    A signed-in browser session counts for reads. Writes need a token, so a page on
    another site cannot make a signed-in browser change data (no CSRF exposure).
    A header with an unknown, expired or revoked token is refused with 401, never
    quietly treated as the public.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get("Authorization"):
            user = getattr(request, "user", None)
            if request.method in SAFE_METHODS and user is not None and user.is_authenticated:
                return user
            return AnonymousUser()
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return user_for_token(token)


def caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def require(request: HttpRequest, action: str, obj: Any = None) -> None:
    """Stop with 401 (public) or 403 (signed in) unless the policy allows ``action``."""
    user = caller(request)
    if can(user, action, obj):
        return
    if not user.is_authenticated:
        raise HttpError(401, f"sign in with an API token to {action.replace('.', ' ')}")
    raise HttpError(403, f"your role does not allow {action.replace('.', ' ')}")


def visible(request: HttpRequest, action: str, obj: Any, what: str) -> Any:
    """``obj`` if the caller may see it; otherwise 404, so hidden things stay unknown."""
    if obj is None or not can(caller(request), action, obj):
        raise HttpError(404, f"no {what} with that id")
    return obj

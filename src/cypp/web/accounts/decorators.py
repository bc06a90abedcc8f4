"""View decorators that ask the policy, so pages and API share one set of rules."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from cypp.web.accounts.policy import can

#: Where people are sent to sign in (GOV.UK-styled page).
SIGN_IN = "account_login"


def allowed(
    action: str,
    obj: Callable[..., Any] | None = None,
    *,
    login_url: str = SIGN_IN,
    forbidden: Callable[[HttpRequest], HttpResponse] | None = None,
):
    """Run the view only if the policy allows ``action``; ``obj(**kwargs)`` finds the object.

    People who are not signed in are sent to sign in; signed-in people who may not are
    refused with 403 (``forbidden`` renders the page, else Django's 403 handler does).
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            target = obj(**kwargs) if obj is not None else None
            if can(request.user, action, target):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse(login_url))
            if forbidden is not None:
                return forbidden(request)
            raise PermissionDenied(f"not allowed: {action}")

        wrapped.policy_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorate

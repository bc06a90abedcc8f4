"""How django-allauth behaves here: no self sign-up, no flash messages.

Accounts are made by administrators (the admin site or ``cypp user``), so the sign-up
page only says so. Pages say what happened themselves, so allauth's messages ("signed in
as …") are not queued for whatever page comes next.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def add_message(self, *args: Any, **kwargs: Any) -> None:
        return None

    def get_password_change_redirect_url(self, request: HttpRequest) -> str:
        return reverse("account_password_changed")

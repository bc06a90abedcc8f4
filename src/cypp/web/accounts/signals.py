"""Password events from django-allauth, written to the audit log (the event, never the password).

Connected when the accounts app is ready.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver
from django.http import HttpRequest

from cypp.web.audit.models import record

_VERBS = {
    password_changed: "account.password_change",
    password_set: "account.password_set",
    password_reset: "account.password_reset",
}


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def audit_password(
    sender: Any, request: HttpRequest, user: Any, signal: Any, **kwargs: Any
) -> None:
    record(_VERBS[signal], user, user=user, detail={"username": user.get_username()})

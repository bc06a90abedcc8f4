"""Who may do what with data collection.

A performance officer (a staff user) runs collections, uploads files and decides on
returns. A measure owner answers their organisation's return, either signed in as a
member of the organisation or through a one-time link held in their session.
"""

from __future__ import annotations

from typing import Any

SESSION_KEY = "cypp.data.returns"


def is_performance_officer(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def can_answer(request: Any, data_return: Any) -> bool:
    """The request may see and edit ``data_return``: via a spent link, membership or as officer."""
    if data_return.pk in request.session.get(SESSION_KEY, []):
        return True
    user = request.user
    if is_performance_officer(user):
        return True
    return bool(
        user.is_authenticated and data_return.organisation.members.filter(pk=user.pk).exists()
    )


def grant(request: Any, data_return: Any) -> None:
    """Remember in the session that a one-time link opened ``data_return``."""
    allowed = [pk for pk in request.session.get(SESSION_KEY, []) if pk != data_return.pk]
    request.session[SESSION_KEY] = [*allowed, data_return.pk]

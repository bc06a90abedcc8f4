"""Who may do what with data collection, as decided by :mod:`cypp.web.accounts.policy`.

A performance officer runs collections, uploads files and decides on returns. A measure
owner answers their organisation's return, either signed in as a member of the
organisation or through a one-time link held in their session.
"""

from __future__ import annotations

from typing import Any

from cypp.web.accounts.policy import can

SESSION_KEY = "cypp.data.returns"


def is_performance_officer(user: Any) -> bool:
    return can(user, "collection.manage")


def can_answer(request: Any, data_return: Any) -> bool:
    """The request may see and edit ``data_return``: via a spent link, membership or as officer."""
    if data_return.pk in request.session.get(SESSION_KEY, []):
        return True
    return can(request.user, "return.submit", data_return)


def grant(request: Any, data_return: Any) -> None:
    """Remember in the session that a one-time link opened ``data_return``."""
    allowed = [pk for pk in request.session.get(SESSION_KEY, []) if pk != data_return.pk]
    request.session[SESSION_KEY] = [*allowed, data_return.pk]

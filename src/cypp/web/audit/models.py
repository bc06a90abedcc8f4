"""The explicit audit record that actions write beside django-simple-history's row history.

History says which rows changed; an AuditEvent says what was done and why, in one row
per action (for example "plan.load" with the file it came from).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    #: Who did it when there is no user account (for example "cli" or "demo").
    actor_label = models.CharField(max_length=200, blank=True)
    verb = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=200, blank=True)
    object_repr = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = (
            "-at",
            "-id",
        )
        indexes = (models.Index(fields=["object_type", "object_id"]),)

    def __str__(self) -> str:
        who = self.actor or self.actor_label or "system"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.verb} {self.object_repr}"


def record(
    verb: str,
    obj: models.Model | None = None,
    *,
    user=None,
    actor_label: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Write one audit event; actions call this inside their transaction."""
    return AuditEvent.objects.create(
        actor=user if getattr(user, "pk", None) else None,
        actor_label=actor_label,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:500] if obj is not None else "",
        detail=detail or {},
    )

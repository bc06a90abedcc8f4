"""Edits made on the admin site, written to the audit log as well.

Django's admin records each addition, change and deletion it makes (a ``LogEntry``,
with a message naming the fields and inline rows changed). Each one is copied here,
so the audit log holds every edit however it was made: pages, API, CLI or admin site.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from cypp.web.audit.models import AuditEvent

_VERBS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


@receiver(post_save, sender=LogEntry)
def audit_admin_edit(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    content_type = instance.content_type
    AuditEvent.objects.create(
        actor_id=instance.user_id,
        verb=_VERBS.get(instance.action_flag, "admin.edit"),
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=instance.object_id or "",
        object_repr=instance.object_repr[:500],
        detail={"change": instance.get_change_message()},
    )

"""A plan document read by the importer and the reviewer's decisions about it.

The draft keeps what the importer produced untouched (``plan_data``, ``items``,
``warnings``) beside what the reviewer decided (``header``, ``decisions``), so the plan
built at the end can always be traced to both. The uploaded file itself is not kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportDraft(models.Model):
    class Status(models.TextChoices):
        REVIEWING = "reviewing", "Being reviewed"
        CREATED = "created", "Plan created"
        DISCARDED = "discarded", "Discarded"

    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    #: Plan file data exactly as the importer produced it.
    plan_data = models.JSONField()
    #: Every reviewable item: ``{"key", "kind", "theme", "index", "quote", "location",
    #: "confidence", "low"}`` (see :mod:`cypp.web.imports.review`).
    items = models.JSONField(default=list)
    #: The importer's warnings: ``{"path", "message", "quote"?, "location"?}``.
    warnings = models.JSONField(default=list)
    #: The plan header as the reviewer set it: ``{"id", "title", "area", "period", "vision"}``.
    header = models.JSONField(default=dict)
    #: ``{item key: {"decision": "accepted" | "rejected" | "corrected", "values": {...}}}``.
    decisions = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REVIEWING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_drafts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    #: The plan's id when it was created (kept if the plan is later deleted).
    plan_slug = models.CharField(max_length=200, blank=True)
    #: How many items were kept and dropped: ``{"accepted": n, "corrected": n, "rejected": n}``.
    outcome_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_status_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REVIEWING

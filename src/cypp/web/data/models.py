"""The observation store and the data-return workflow, as stored.

An :class:`Observation` is one figure for measure × area × period × breakdown. It is
never overwritten silently: a changed figure keeps its row and gains a
:class:`Revision` saying who changed what, when and why. Partners send figures through
a :class:`Return` inside a period's :class:`Collection`; only approved returns become
observations. Only :mod:`cypp.web.data.actions` writes these models.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from cypp.data.observations import ALL, Quality


def _text(**kwargs) -> models.TextField:
    return models.TextField(blank=True, default="", **kwargs)


class Organisation(models.Model):
    """A partner that owns measures and sends returns: NHS trust, police, schools, council."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        NHS = "nhs", "NHS trust or health body"
        POLICE = "police", "Police"
        SCHOOLS = "schools", "Schools and colleges"
        VOLUNTARY = "voluntary", "Voluntary and community sector"
        OTHER = "other", "Other partner"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    contact_email = models.EmailField(blank=True, default="")
    #: People with an account who answer for this organisation.
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="data_organisations"
    )

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class MeasureOwner(models.Model):
    """Which organisation reports a measure (each measure has at most one)."""

    measure = models.OneToOneField(
        "plans.Measure", on_delete=models.CASCADE, related_name="data_owner"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="measures_owned"
    )

    def __str__(self) -> str:
        return f"{self.measure} – {self.organisation}"


class DataImport(models.Model):
    """One file or fetch stored as observations: where it came from and what it changed."""

    at = models.DateTimeField(default=timezone.now)
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="data_imports")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(max_length=200, blank=True, default="")
    file = models.CharField(max_length=500, blank=True, default="")
    format = models.CharField(max_length=100, blank=True, default="")
    source = models.CharField(max_length=500, blank=True, default="")
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    revised = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.file or self.source} ({self.at:%Y-%m-%d %H:%M})"


QUALITY_CHOICES = [(q.value, q.value) for q in Quality]

#: The fields of an observation that carry the figure; a change to any is a revision.
FIGURE_FIELDS = (
    "value",
    "count",
    "denominator",
    "lower_ci95",
    "upper_ci95",
    "lower_ci998",
    "upper_ci998",
    "quality",
    "suppression_code",
    "suppression_reason",
)


class Observation(models.Model):
    measure = models.ForeignKey(
        "plans.Measure", on_delete=models.RESTRICT, related_name="observations"
    )
    area_code = models.CharField(max_length=20, help_text="ONS code of the area.")
    period = models.CharField(max_length=100, help_text="Canonical period label.")
    period_start = models.DateField()
    period_end = models.DateField()
    breakdown = models.CharField(max_length=200, default=ALL)
    value = models.FloatField(null=True, blank=True)
    count = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    lower_ci95 = models.FloatField(null=True, blank=True)
    upper_ci95 = models.FloatField(null=True, blank=True)
    lower_ci998 = models.FloatField(null=True, blank=True)
    upper_ci998 = models.FloatField(null=True, blank=True)
    quality = models.CharField(max_length=20, choices=QUALITY_CHOICES, default=Quality.FINAL)
    suppression_code = models.CharField(max_length=10, blank=True, default="")
    suppression_reason = models.CharField(max_length=200, blank=True, default="")
    source = _text()
    note = _text()
    data_import = models.ForeignKey(
        DataImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("measure", "area_code", "period_start", "breakdown")
        constraints = (
            models.UniqueConstraint(
                fields=["measure", "area_code", "period", "breakdown"],
                name="observation_key_unique",
            ),
        )
        indexes = (models.Index(fields=["measure", "period_start"]),)

    def __str__(self) -> str:
        shown = self.suppression_code or self.value
        return f"{self.measure.key} {self.area_code} {self.period} {self.breakdown}: {shown}"

    def figures(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in FIGURE_FIELDS}


class Revision(models.Model):
    """A change to a stored figure: old → new, who, when and why."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="revisions")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(max_length=200, blank=True, default="")
    reason = models.TextField()
    old_value = models.FloatField(null=True, blank=True)
    new_value = models.FloatField(null=True, blank=True)
    #: Every changed field as ``{name: [old, new]}``.
    changes = models.JSONField(default=dict)
    data_import = models.ForeignKey(
        DataImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )

    class Meta:
        ordering = ("observation", "at", "id")

    def __str__(self) -> str:
        return f"{self.observation}: {self.old_value} → {self.new_value}"

    @property
    def who(self) -> str:
        if self.actor is not None:
            return self.actor.get_full_name() or self.actor.get_username()
        return self.actor_label or "system"


class Collection(models.Model):
    """A reporting period for which the officer asks partners for their figures."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="collections")
    period = models.CharField(max_length=100, help_text="Canonical period label.")
    period_start = models.DateField()
    period_end = models.DateField()
    opens = models.DateField()
    due = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("plan", "-period_start")
        constraints = (
            models.UniqueConstraint(fields=["plan", "period"], name="collection_period_unique"),
            models.CheckConstraint(
                condition=models.Q(due__gte=models.F("opens")), name="collection_due_after_opens"
            ),
        )

    def __str__(self) -> str:
        return f"{self.plan}: {self.period}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Return(models.Model):
    """One organisation's figures for one collection."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not submitted"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for changes"

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="returns")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    commentary = _text()
    officer_comment = _text()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.CharField(max_length=200, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("collection", "organisation__name")
        constraints = (
            models.UniqueConstraint(
                fields=["collection", "organisation"], name="return_per_organisation"
            ),
        )

    def __str__(self) -> str:
        return f"{self.organisation} – {self.collection.period}"

    @property
    def is_editable(self) -> bool:
        return self.collection.is_open and self.status in (
            self.Status.DRAFT,
            self.Status.RETURNED,
        )

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.collection.is_open
            and self.status in (self.Status.DRAFT, self.Status.RETURNED)
            and self.collection.due < today
        )


class ReturnItem(models.Model):
    """One measure's figure and commentary inside a return."""

    data_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="items")
    measure = models.ForeignKey("plans.Measure", on_delete=models.RESTRICT, related_name="+")
    breakdown = models.CharField(max_length=200, default=ALL)
    value = models.FloatField(null=True, blank=True)
    #: The exact text the partner typed, so nothing is rounded on the way in.
    value_text = models.CharField(max_length=50, blank=True, default="")
    suppression_code = models.CharField(max_length=10, blank=True, default="")
    count = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    commentary = _text()

    class Meta:
        ordering = ("data_return", "measure__theme__position", "measure__position", "breakdown")
        constraints = (
            models.UniqueConstraint(
                fields=["data_return", "measure", "breakdown"], name="return_item_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.measure}: {self.value_text or self.suppression_code or '–'}"

    @property
    def is_answered(self) -> bool:
        return self.value is not None or bool(self.suppression_code)


class AccessLink(models.Model):
    """A one-time link that lets one organisation answer one return without an account.

    The URL carries a signed token; only its SHA-256 digest is stored, so the database
    alone cannot be used to forge a link. Opening it once starts a session for that
    return and spends the link.
    """

    data_return = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="links")
    token_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_to = models.EmailField(blank=True, default="")

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"link for {self.data_return}"

    @property
    def organisation(self) -> Organisation:
        return self.data_return.organisation

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

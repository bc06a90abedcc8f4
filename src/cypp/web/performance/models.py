"""Performance records: stored ratings, exception notes and sign-off, annual review, action updates.

A :class:`RatingRun` is one calculation of a plan's ratings for a reporting period. Its
:class:`StoredRating` rows keep the result with everything used to reach it (provenance,
the observations' ids, the series the Board saw), so a past scorecard or board pack is
shown exactly as it was even after figures are revised. Only
:mod:`cypp.web.performance.actions` writes these models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


def _user_fk(related_name: str = "+") -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class RatingRun(models.Model):
    """One calculation of every measure's rating of a plan for one reporting period."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="rating_runs")
    period = models.CharField(max_length=100, help_text="The reporting period, as plans write it.")
    period_end = models.DateField()
    computed_at = models.DateTimeField(default=timezone.now, db_index=True)
    rule_version = models.CharField(max_length=50)
    actor = _user_fk()
    actor_label = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ("plan", "-computed_at", "-id")
        indexes = (models.Index(fields=["plan", "period", "-computed_at"]),)

    def __str__(self) -> str:
        return f"{self.plan.slug} {self.period} ({self.computed_at:%Y-%m-%d %H:%M})"

    @property
    def computed_label(self) -> str:
        """'23 November 2026 at 10:55' in local time."""
        when = timezone.localtime(self.computed_at)
        return f"{when.day} {when:%B %Y at %H:%M}"


class StoredRating(models.Model):
    """A measure's rating as calculated in one run, with its provenance."""

    run = models.ForeignKey(RatingRun, on_delete=models.CASCADE, related_name="ratings")
    measure = models.ForeignKey("plans.Measure", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(help_text="Order of the measure in the plan.")
    area_code = models.CharField(max_length=20, blank=True, default="")
    period = models.CharField(max_length=100, blank=True, default="", help_text="Rated period.")
    status = models.CharField(max_length=40)
    direction = models.CharField(max_length=40, blank=True, default="")
    direction_since_baseline = models.CharField(max_length=40, blank=True, default="")
    significance = models.CharField(max_length=40, blank=True, default="")
    latest_value = models.FloatField(null=True, blank=True)
    explanation = models.TextField()
    #: The rating with its inputs, comparators, method, confidence, tolerance and rule.
    provenance = models.JSONField(default=dict)
    rule_version = models.CharField(max_length=50)
    computed_at = models.DateTimeField(default=timezone.now)
    #: Ids of every stored observation the run read for this measure.
    observation_ids = models.JSONField(default=list)
    #: The series, rank and quartile the Board saw (points oldest first).
    series = models.JSONField(default=dict)

    class Meta:
        ordering = ("run", "position")
        constraints = (
            models.UniqueConstraint(fields=["run", "measure"], name="stored_rating_unique"),
        )

    def __str__(self) -> str:
        return f"{self.measure_id} {self.period}: {self.status}"


class ExceptionNote(models.Model):
    """What is being done about a measure that is an exception in a reporting period."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=100)
    measure = models.ForeignKey("plans.Measure", on_delete=models.CASCADE, related_name="+")
    cause = models.TextField(blank=True, default="")
    recovery_action = models.TextField(blank=True, default="")
    owner = models.CharField(max_length=200, blank=True, default="")
    review_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = _user_fk()

    class Meta:
        ordering = ("plan", "period", "measure")
        constraints = (
            models.UniqueConstraint(
                fields=["plan", "period", "measure"], name="exception_note_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.measure} ({self.period})"


class ExceptionSignOff(models.Model):
    """The exception report of a period signed off, against the ratings of one run."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=100)
    run = models.ForeignKey(RatingRun, on_delete=models.PROTECT, related_name="sign_offs")
    signed_at = models.DateTimeField(default=timezone.now)
    signed_by = _user_fk()
    #: The notes as signed off, keyed by measure key.
    notes = models.JSONField(default=dict)

    class Meta:
        ordering = ("plan", "-signed_at")

    def __str__(self) -> str:
        return f"{self.plan.slug} {self.period} signed off {self.signed_at:%Y-%m-%d}"


class ReviewEntry(models.Model):
    """A priority's "we said / we did" text of an annual review, as edited before publishing."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=100)
    theme = models.ForeignKey("plans.Theme", on_delete=models.CASCADE, related_name="+")
    we_said = models.TextField()
    we_did = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = _user_fk()

    class Meta:
        ordering = ("plan", "period", "theme__section", "theme__position")
        constraints = (
            models.UniqueConstraint(fields=["plan", "period", "theme"], name="review_entry_unique"),
        )

    def __str__(self) -> str:
        return f"{self.theme} ({self.period})"


class ReviewPublication(models.Model):
    """An annual review published: the text of every priority as it was published."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=100)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = _user_fk()
    #: ``[{"theme": title, "we_said": [...], "we_did": [...]}, ...]``
    sections = models.JSONField(default=list)

    class Meta:
        ordering = ("plan", "-published_at")

    def __str__(self) -> str:
        return f"{self.plan.slug} review {self.period}"


class ActionUpdate(models.Model):
    """Progress on a plan action: its status now and what has happened.

    Actions are found by their theme's id and their own id (or place in the theme), so
    updates survive a re-load of the plan file.
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    theme_key = models.CharField(max_length=200)
    action_ref = models.CharField(max_length=200, help_text="The action's id, else its place.")
    action_title = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    by = _user_fk()
    status = models.CharField(max_length=40)
    text = models.TextField()

    class Meta:
        ordering = ("plan", "theme_key", "action_ref", "-at", "-id")
        indexes = (models.Index(fields=["plan", "theme_key", "action_ref"]),)

    def __str__(self) -> str:
        return f"{self.action_title}: {self.status}"


class MeasureComment(models.Model):
    """A comment on a measure by someone who takes part in its commentary.

    The author's name and role are kept as they were, so the record still reads the same
    after the account changes or is removed.
    """

    measure = models.ForeignKey("plans.Measure", on_delete=models.CASCADE, related_name="comments")
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = _user_fk()
    by_name = models.CharField(max_length=200)
    by_role = models.CharField(max_length=40)

    class Meta:
        ordering = ("measure", "-at", "-id")

    def __str__(self) -> str:
        return f"{self.by_name} on {self.measure} ({self.at:%Y-%m-%d})"

    @property
    def at_label(self) -> str:
        """'23 November 2026 at 10:55' in local time."""
        when = timezone.localtime(self.at)
        return f"{when.day} {when:%B %Y at %H:%M}"

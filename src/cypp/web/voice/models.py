"""Stored consultations, agreement with priorities, outcome stories and village figures.

The rules (screening, moderation, reading age, the village arithmetic) live in
:mod:`cypp.voice`; these rows only hold what was decided.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cypp.voice.consultations import Method
from cypp.voice.stories import Moderation, Teller


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ").capitalize()) for member in enum]


class Consultation(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(max_length=300)
    run_by = models.CharField(max_length=300)
    held_from = models.DateField()
    held_to = models.DateField()
    method = models.CharField(max_length=40, choices=_choices(Method))
    #: ``[{"label": "11 to 15", "participants": 120}, ...]``
    age_groups = models.JSONField(default=list, blank=True)
    #: Free-text themes children raised, one per line, in the order given.
    themes = models.TextField(blank=True)
    #: Where the figures come from and what is not known (for example, dates not published).
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("-held_from", "title")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_from:%B %Y})"

    @property
    def participants(self) -> int:
        return sum(int(group["participants"]) for group in self.age_groups)


class Agreement(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="agreements"
    )
    theme = models.ForeignKey("plans.Theme", on_delete=models.CASCADE, related_name="agreements")
    agreed = models.PositiveIntegerField()
    asked = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("consultation", "theme"), name="one_agreement_per_theme"
            ),
            models.CheckConstraint(
                condition=models.Q(agreed__lte=models.F("asked")), name="agreed_within_asked"
            ),
        )

    @property
    def percent(self) -> float:
        return 100.0 * self.agreed / self.asked


class RankedIssue(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="ranked_issues"
    )
    rank = models.PositiveIntegerField()
    issue = models.CharField(max_length=300)
    votes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("rank",)
        constraints = (
            models.UniqueConstraint(fields=("consultation", "rank"), name="one_issue_per_rank"),
        )


class ChildWording(models.Model):
    """A priority in words a 10-year-old can read, and what changed, for the children's page."""

    theme = models.OneToOneField(
        "plans.Theme", on_delete=models.CASCADE, related_name="child_wording"
    )
    #: The priority's heading on the children's page; without it the plain words are.
    title = models.CharField(max_length=120, blank=True)
    plain_words = models.TextField()
    what_changed = models.TextField(blank=True)
    history = HistoricalRecords()


class Story(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="stories")
    theme = models.ForeignKey("plans.Theme", on_delete=models.CASCADE, related_name="stories")
    teller = models.CharField(max_length=40, choices=_choices(Teller))
    age_group = models.CharField(max_length=40, blank=True)
    what_changed = models.TextField()
    for_whom = models.TextField()
    consent_to_publish = models.BooleanField()
    received = models.DateTimeField(db_index=True)
    #: A keyed hash of the sender's address: enough to limit floods, not to identify anyone.
    client_key = models.CharField(max_length=64, db_index=True)
    #: Screening flags found when the story arrived: ``[{"kind", "start", "end", "text"}]``.
    flags = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=40, choices=_choices(Moderation), default=Moderation.PENDING.value
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(blank=True)
    #: Made up for ``cypp demo``: quoted with a label saying it is an example.
    example = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ("-received",)
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"Story {self.pk} ({self.status})"


class VillageFigure(models.Model):
    """A measure chosen for the "village of 100 children" and how to say it."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="village")
    measure = models.ForeignKey("plans.Measure", on_delete=models.CASCADE, related_name="+")
    would = models.CharField(max_length=200, help_text="For example 'would be overweight'.")
    population = models.PositiveIntegerField(
        null=True, blank=True, help_text="Children in the area; needed for counts only."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")

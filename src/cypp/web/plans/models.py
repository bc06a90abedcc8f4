"""The plan as stored: one table per part of :mod:`cypp.domain.plan`.

Field names follow the domain dataclasses so the mapping in :mod:`cypp.web.plans.actions`
stays mechanical. Lists of words (values, aims, partners) are JSON lists; figures and
periods use :mod:`cypp.web.plans.fields` so they round-trip exactly. Only actions write
these models; django-simple-history keeps every earlier version of the editable ones.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from cypp.domain.periods import PeriodKind
from cypp.domain.plan import ActionStatus, Frequency, PlanStatus
from cypp.domain.targets import (
    Bound,
    Comparator,
    ComparatorRelation,
    GapDirection,
    QuartileSide,
    TargetKind,
    TargetScope,
    TrendDirection,
)
from cypp.domain.units import Polarity, Unit
from cypp.web.plans.fields import NumberField, PeriodField


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in enum]


def _text(**kwargs) -> models.TextField:
    return models.TextField(null=True, blank=True, **kwargs)


def _choice(enum: type) -> models.CharField:
    return models.CharField(max_length=40, choices=_choices(enum), null=True, blank=True)


class Plan(models.Model):
    slug = models.SlugField(max_length=200, unique=True, help_text="The plan file's id.")
    area_name = models.CharField(max_length=200)
    area_ons_code = models.CharField(max_length=20, null=True, blank=True)
    title = _text()
    period = PeriodField()
    status = _choice(PlanStatus)
    vision = _text()
    values = models.JSONField(default=list, blank=True)
    approach = models.JSONField(default=list, blank=True)
    source_title = _text()
    source_file = _text()
    source_url = _text()
    source_published = models.DateField(null=True, blank=True)
    has_source = models.BooleanField(default=False)
    note = _text()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = (
            "area_name",
            "slug",
        )

    def __str__(self) -> str:
        return self.title or f"{self.area_name} plan"


class Theme(models.Model):
    """A priority of the plan; ``section`` says whether it is a theme or cross-cutting."""

    THEMES = "themes"
    CROSS_CUTTING = "cross_cutting"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="all_themes")
    section = models.CharField(
        max_length=20,
        choices=[(THEMES, "theme"), (CROSS_CUTTING, "cross-cutting theme")],
        default=THEMES,
    )
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=200, help_text="The theme's id in the plan file.")
    title = models.TextField()
    aims = models.JSONField(default=list, blank=True)
    note = _text()
    history = HistoricalRecords()

    class Meta:
        ordering = (
            "plan",
            "section",
            "position",
        )
        constraints = (
            models.UniqueConstraint(
                fields=["plan", "section", "position"], name="theme_position_unique"
            ),
        )

    def __str__(self) -> str:
        return self.title


class CrossCuttingThemeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(section=Theme.CROSS_CUTTING)


class CrossCuttingTheme(Theme):
    """A theme that runs across the plan's priorities (same table as Theme)."""

    objects = CrossCuttingThemeManager()

    class Meta:
        proxy = True
        verbose_name = "cross-cutting theme"


class Outcome(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=200, null=True, blank=True)
    title = models.TextField()
    quote = _text()
    note = _text()
    history = HistoricalRecords()

    class Meta:
        ordering = (
            "theme",
            "position",
        )

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=200, null=True, blank=True)
    title = models.TextField()
    owner = _text()
    partners = models.JSONField(default=list, blank=True)
    due = PeriodField()
    status = _choice(ActionStatus)
    quote = _text()
    note = _text()
    history = HistoricalRecords()

    class Meta:
        ordering = (
            "theme",
            "position",
        )

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=200, help_text="The measure's id in the plan file.")
    name = models.TextField()
    definition = _text()
    unit = _choice(Unit)
    polarity = _choice(Polarity)
    frequency = _choice(Frequency)
    period_type = _choice(PeriodKind)
    data_source = _text()
    owner = _text()
    has_baseline = models.BooleanField(default=False)
    baseline_value = NumberField()
    baseline_period = PeriodField()
    baseline_text = _text()
    has_national_indicator = models.BooleanField(default=False)
    fingertips_indicator_id = models.IntegerField(null=True, blank=True)
    lait_measure = _text()
    ees = _text()
    outcome = _text(help_text="The outcome this measure evidences, as the plan names it.")
    quote = _text()
    has_location = models.BooleanField(default=False)
    location_line = models.PositiveIntegerField(null=True, blank=True)
    location_page = models.PositiveIntegerField(null=True, blank=True)
    confidence = NumberField()
    note = _text()
    history = HistoricalRecords()

    class Meta:
        ordering = (
            "theme",
            "position",
        )

    def __str__(self) -> str:
        return self.name


class Breakdown(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="breakdowns")
    position = models.PositiveIntegerField()
    label = models.TextField()
    has_baseline = models.BooleanField(default=False)
    baseline_value = NumberField()
    baseline_period = PeriodField()
    baseline_text = _text()
    history = HistoricalRecords()

    class Meta:
        ordering = (
            "measure",
            "position",
        )

    def __str__(self) -> str:
        return self.label


class Target(models.Model):
    """A measure's target (position 0 is the primary one) or a breakdown's target."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="targets", null=True, blank=True
    )
    breakdown = models.ForeignKey(
        Breakdown, on_delete=models.CASCADE, related_name="targets", null=True, blank=True
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=40, choices=_choices(TargetKind))
    value = NumberField()
    period = PeriodField()
    text = _text()
    bound = _choice(Bound)
    out_of = models.IntegerField(null=True, blank=True)
    quartile = models.IntegerField(null=True, blank=True)
    side = _choice(QuartileSide)
    share = NumberField()
    comparator = _choice(Comparator)
    relation = _choice(ComparatorRelation)
    between = models.JSONField(default=list, blank=True)
    gap_direction = _choice(GapDirection)
    direction = _choice(TrendDirection)
    from_value = NumberField()
    scope = _choice(TargetScope)
    history = HistoricalRecords()

    class Meta:
        ordering = (
            "measure",
            "breakdown",
            "position",
        )
        constraints = (
            models.CheckConstraint(
                condition=(
                    models.Q(measure__isnull=False, breakdown__isnull=True)
                    | models.Q(measure__isnull=True, breakdown__isnull=False)
                ),
                name="target_has_one_owner",
            ),
        )

    def __str__(self) -> str:
        return self.text or f"{self.kind} target"


class ComparatorValue(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="comparators")
    position = models.PositiveIntegerField()
    comparator = models.CharField(max_length=100)
    value = NumberField()
    period = PeriodField()
    history = HistoricalRecords()

    class Meta:
        ordering = (
            "measure",
            "position",
        )

    def __str__(self) -> str:
        return f"{self.comparator}: {self.value}"


class Board(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="boards")
    position = models.PositiveIntegerField()
    name = models.TextField()
    priorities = models.JSONField(default=list, blank=True)
    note = _text()
    history = HistoricalRecords()

    class Meta:
        ordering = (
            "plan",
            "position",
        )

    def __str__(self) -> str:
        return self.name

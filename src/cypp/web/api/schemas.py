"""What the API returns and accepts. Figures keep their stored precision (no rounding)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

Number = int | Decimal | None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class PlanOut(Schema):
    id: str = Field(description="The plan's id (its slug in the plan file).")
    title: str | None
    area_name: str
    area_code: str | None
    period: str | None
    status: str | None
    published: bool

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return obj.slug

    @staticmethod
    def resolve_area_code(obj: Any) -> str | None:
        return obj.area_ons_code

    @staticmethod
    def resolve_period(obj: Any) -> str | None:
        return _text(obj.period)

    @staticmethod
    def resolve_published(obj: Any) -> bool:
        from cypp.web.accounts.policy import is_published

        return is_published(obj)


class ThemeOut(Schema):
    id: int
    plan: str
    key: str
    section: str
    position: int
    title: str
    aims: list[str]

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return obj.plan.slug


class PlanDetail(PlanOut):
    vision: str | None
    values: list[Any]
    themes: list[ThemeOut]

    @staticmethod
    def resolve_themes(obj: Any) -> list[Any]:
        return list(obj.all_themes.all())


class TargetOut(Schema):
    id: int
    measure: int | None
    position: int
    kind: str
    value: Number
    period: str | None
    text: str | None
    bound: str | None
    comparator: str | None
    direction: str | None

    @staticmethod
    def resolve_measure(obj: Any) -> int | None:
        return obj.measure_id if obj.measure_id else obj.breakdown.measure_id

    @staticmethod
    def resolve_period(obj: Any) -> str | None:
        return _text(obj.period)


class _InTheme(Schema):
    """Fields of anything that belongs to a plan's theme: the plan's id and the theme's."""

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return obj.theme.plan.slug

    @staticmethod
    def resolve_theme(obj: Any) -> int:
        return obj.theme_id


class MeasureOut(_InTheme):
    id: int
    plan: str
    theme: int
    key: str
    name: str
    definition: str | None
    unit: str | None
    polarity: str | None
    frequency: str | None
    owner: str | None
    data_source: str | None
    baseline_value: Number
    baseline_period: str | None
    fingertips_indicator_id: int | None
    targets: list[TargetOut]

    @staticmethod
    def resolve_baseline_period(obj: Any) -> str | None:
        return _text(obj.baseline_period)

    @staticmethod
    def resolve_targets(obj: Any) -> list[Any]:
        return list(obj.targets.all())


class ActionOut(_InTheme):
    id: int
    plan: str
    theme: int
    key: str | None
    title: str
    owner: str | None
    partners: list[str]
    due: str | None
    status: str | None
    note: str | None

    @staticmethod
    def resolve_due(obj: Any) -> str | None:
        return _text(obj.due)


class _OfMeasure(Schema):
    """Fields of anything recorded against a measure: the plan's id, the measure's database
    id and its id in the plan file."""

    @staticmethod
    def resolve_plan(obj: Any) -> str:
        return obj.measure.theme.plan.slug

    @staticmethod
    def resolve_measure(obj: Any) -> int:
        return obj.measure_id

    @staticmethod
    def resolve_measure_key(obj: Any) -> str:
        return obj.measure.key


class ObservationOut(_OfMeasure):
    id: int
    plan: str
    measure: int
    measure_key: str
    area_code: str
    period: str
    period_start: date
    period_end: date
    breakdown: str
    value: float | None
    count: float | None
    denominator: float | None
    lower_ci95: float | None
    upper_ci95: float | None
    lower_ci998: float | None
    upper_ci998: float | None
    quality: str
    suppression_code: str
    suppression_reason: str
    source: str
    note: str


class RatingOut(Schema):
    measure: int
    area_code: str | None
    period: str | None
    status: str
    explanation: str = Field(description="One plain-English sentence.")
    target_kind: str
    method: str
    rule_version: str
    provenance: dict[str, Any] = Field(description="Every input, comparator and rule used.")


class StoredRatingOut(_OfMeasure):
    id: int
    plan: str
    measure: int
    measure_key: str
    run: int
    area_code: str
    period: str
    status: str
    direction: str
    direction_since_baseline: str
    significance: str
    latest_value: float | None
    explanation: str
    rule_version: str
    computed_at: datetime
    provenance: dict[str, Any]
    observation_ids: list[int] = Field(description="The stored figures the rating used.")

    @staticmethod
    def resolve_run(obj: Any) -> int:
        return obj.run_id


class ObservationIn(Schema):
    measure: str = Field(max_length=200, description="The measure's id in the plan file.")
    value: str = Field(
        max_length=50, description="The figure as text (12.5), or a suppression code (c, *)."
    )
    breakdown: str = Field("all", max_length=200)
    area_code: str | None = Field(
        None, max_length=20, description="ONS code; the plan's own area when left out."
    )
    count: str | None = Field(None, max_length=50)
    denominator: str | None = Field(None, max_length=50)
    lower_ci95: str | None = Field(None, max_length=50)
    upper_ci95: str | None = Field(None, max_length=50)
    quality: str | None = Field(None, max_length=20)
    commentary: str = Field("", max_length=5000)


class SubmissionIn(Schema):
    plan: str = Field(max_length=200, description="The plan's id.")
    period: str = Field(max_length=100, description="The period the figures are for.")
    observations: list[ObservationIn] = Field(min_length=1, max_length=5000)
    reason: str = Field("", max_length=2000, description="Why figures change (revisions).")
    commentary: str = Field("", max_length=5000, description="Commentary on the return.")
    submit: bool = Field(
        True, description="Measure owners: send for approval (false keeps a draft)."
    )


class SubmissionOut(Schema):
    outcome: str = Field(description="'stored' (published now) or 'submitted'/'saved'.")
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    returns: list[int] = Field(default_factory=list, description="Returns that hold the figures.")


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = Field(default_factory=list)

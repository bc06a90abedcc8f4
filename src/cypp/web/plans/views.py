"""Plan pages. They read stored plans as domain values and never write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cypp.domain.plan import Measure, Plan, Theme
from cypp.web.plans import models as m
from cypp.web.plans import wording
from cypp.web.plans.actions import plan_queryset, plan_to_domain
from cypp.web.plans.findings import Finding, findings_by_path


def home(request: HttpRequest) -> HttpResponse:
    plans = m.Plan.objects.annotate(
        theme_count=Count(
            "all_themes", filter=Q(all_themes__section=m.Theme.THEMES), distinct=True
        ),
        measure_count=Count("all_themes__measures", distinct=True),
    ).order_by("area_name", "period", "slug")
    return render(request, "plans/home.html", {"plans": plans, "active_nav": "plans"})


@dataclass
class MeasureView:
    """A measure with its wording and linter findings, ready for the template."""

    measure: Measure
    anchor: str
    sentence: str
    baseline: str | None
    targets: list[str]
    polarity: str | None
    breakdowns: list[dict[str, Any]]
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ThemeView:
    theme: Theme
    anchor: str
    measures: list[MeasureView]


def _theme_view(
    section: str, index: int, theme: Theme, findings: dict[str, list[Finding]]
) -> ThemeView:
    prefix = f"{section}[{index}]"
    measures = []
    for position, measure in enumerate(theme.measures):
        path = f"{prefix}.measures[{position}]"
        unit = measure.unit
        measures.append(
            MeasureView(
                measure=measure,
                anchor=f"measure-{section.replace('_', '-')}-{index + 1}-{position + 1}",
                sentence=wording.measure_sentence(measure),
                baseline=wording.baseline_phrase(measure.baseline, unit),
                targets=[wording.target_phrase(target, unit) for target in measure.targets],
                polarity=wording.polarity_phrase(measure.polarity),
                breakdowns=[
                    {
                        "label": part.label,
                        "baseline": wording.baseline_phrase(part.baseline, unit) or "Not stated",
                        "target": wording.target_phrase(part.target, unit)
                        if part.target
                        else "Not stated",
                    }
                    for part in measure.breakdowns
                ],
                findings=[
                    finding
                    for key, items in findings.items()
                    if key == path or key.startswith(path + ".")
                    for finding in items
                ],
            )
        )
    return ThemeView(
        theme=theme, anchor=f"{section.replace('_', '-')}-{index + 1}", measures=measures
    )


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    stored = plan_queryset().filter(slug=slug).first()
    if stored is None:
        raise Http404("No plan with that id")
    plan: Plan = plan_to_domain(stored)
    findings = findings_by_path(plan)
    themes = [_theme_view("themes", i, theme, findings) for i, theme in enumerate(plan.themes)]
    cross = [
        _theme_view("cross_cutting", i, theme, findings)
        for i, theme in enumerate(plan.cross_cutting)
    ]
    finding_count = sum(len(view.findings) for group in (themes, cross) for view in _all(group))
    context = {
        "plan": plan,
        "stored": stored,
        "title": plan.title or f"{plan.area.name} Children and Young People's Plan",
        "themes": themes,
        "cross_cutting": cross,
        "finding_count": finding_count,
        "measure_count": plan.measure_count(),
        "active_nav": "plans",
    }
    return render(request, "plans/detail.html", context)


def _all(themes: list[ThemeView]) -> list[MeasureView]:
    return [measure for theme in themes for measure in theme.measures]

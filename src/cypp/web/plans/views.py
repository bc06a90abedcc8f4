"""Plan pages. They read stored plans as domain values and never write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cypp.domain.plan import Action, Measure, Outcome, Plan, Theme
from cypp.web.accounts.policy import can, visible_plans
from cypp.web.plans import models as m
from cypp.web.plans import wording
from cypp.web.plans.actions import plan_queryset, plan_to_domain
from cypp.web.plans.findings import Finding, findings_by_path
from cypp.web.voice.results import theme_results


def home(request: HttpRequest) -> HttpResponse:
    plans = (
        visible_plans(request.user)
        .annotate(
            theme_count=Count(
                "all_themes", filter=Q(all_themes__section=m.Theme.THEMES), distinct=True
            ),
            measure_count=Count("all_themes__measures", distinct=True),
        )
        .order_by("area_name", "period", "slug")
    )
    return render(
        request, "plans/home.html", {"plans": plans, "active_nav": "plans", "title": "Plans"}
    )


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
    comparators: list[dict[str, str]]
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ThemeView:
    theme: Theme
    anchor: str
    measures: list[MeasureView]
    #: Outcomes with the measures that name them; measures naming no outcome follow.
    outcome_groups: list[tuple[Outcome, list[MeasureView]]]
    other_measures: list[MeasureView]
    actions: list[Action]
    #: Consultation results for this priority (cypp.web.voice.results.ThemeResult).
    voice: list[Any] = field(default_factory=list)

    @property
    def action_rows(self) -> list[list[dict[str, str]]]:
        return [
            [
                {"text": action.title},
                {"text": action.owner or "Not stated"},
                {"text": ", ".join(action.partners) or "None stated"},
                {"text": str(action.due) if action.due else "Not stated"},
                {"text": wording.action_status(action.status) or "Not stated"},
            ]
            for action in self.actions
        ]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _measure_view(
    path: str, anchor: str, measure: Measure, findings: dict[str, list[Finding]]
) -> MeasureView:
    unit = measure.unit
    return MeasureView(
        measure=measure,
        anchor=anchor,
        sentence=wording.measure_sentence(measure),
        baseline=wording.baseline_phrase(measure.baseline, unit),
        targets=[_capital(wording.target_phrase(target, unit)) for target in measure.targets],
        polarity=wording.polarity_phrase(measure.polarity),
        breakdowns=[
            {
                "label": part.label,
                "baseline": wording.baseline_phrase(part.baseline, unit) or "Not stated",
                "target": wording.target_phrase(part.target, unit) if part.target else "Not stated",
            }
            for part in measure.breakdowns
        ],
        comparators=[
            {
                "name": wording.comparator_name(item.comparator),
                "value": wording.figure(item.value, unit) if item.value is not None else "",
                "period": str(item.period or ""),
            }
            for item in measure.comparators
        ],
        findings=[
            finding
            for key, items in findings.items()
            if key == path or key.startswith(path + ".")
            for finding in items
        ],
    )


def _theme_view(
    section: str, index: int, theme: Theme, findings: dict[str, list[Finding]]
) -> ThemeView:
    prefix = f"{section}[{index}]"
    slug = section.replace("_", "-")
    measures = [
        _measure_view(
            f"{prefix}.measures[{position}]",
            f"measure-{slug}-{index + 1}-{position + 1}",
            measure,
            findings,
        )
        for position, measure in enumerate(theme.measures)
    ]
    linked = {outcome.id for outcome in theme.outcomes if outcome.id}
    groups = [
        (outcome, [view for view in measures if view.measure.outcome == outcome.id])
        for outcome in theme.outcomes
        if outcome.id and any(view.measure.outcome == outcome.id for view in measures)
    ]
    return ThemeView(
        theme=theme,
        anchor=f"{slug}-{index + 1}",
        measures=measures,
        outcome_groups=groups,
        other_measures=[view for view in measures if view.measure.outcome not in linked],
        actions=list(theme.actions),
    )


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    stored = plan_queryset().filter(slug=slug).first()
    if stored is None or not can(request.user, "plan.view", stored):
        raise Http404("No plan with that id")
    plan: Plan = plan_to_domain(stored)
    findings = findings_by_path(plan)
    themes = [_theme_view("themes", i, theme, findings) for i, theme in enumerate(plan.themes)]
    cross = [
        _theme_view("cross_cutting", i, theme, findings)
        for i, theme in enumerate(plan.cross_cutting)
    ]
    measure_views = [
        view for group in (themes, cross) for theme in group for view in theme.measures
    ]
    voice = theme_results(stored)
    for view in (*themes, *cross):
        view.voice = voice.get(view.theme.id, [])
    context = {
        "plan": plan,
        "stored": stored,
        "title": plan.title or f"{plan.area.name} Children and Young People's Plan",
        "themes": themes,
        "cross_cutting": cross,
        "finding_count": sum(len(view.findings) for view in measure_views),
        "plan_findings": [
            finding
            for key, items in findings.items()
            if ".measures[" not in key
            for finding in items
        ],
        "measure_count": plan.measure_count(),
        "status": wording.plan_status(plan.status),
        "active_nav": "plans",
    }
    return render(request, "plans/detail.html", context)

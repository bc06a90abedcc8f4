"""Plans and their parts: themes, measures with targets, and the actions tracker."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from cypp.web.accounts.policy import measure_filter, plan_filter, visible_plans
from cypp.web.api.auth import caller, visible
from cypp.web.api.pagination import Pages
from cypp.web.api.params import MAX_ID, Id, Slug, text_query
from cypp.web.api.schemas import ActionOut, MeasureOut, PlanDetail, PlanOut, TargetOut, ThemeOut
from cypp.web.plans import models as pm

router = Router(tags=["plans"])

MEASURES = pm.Measure.objects.select_related("theme__plan").prefetch_related("targets__breakdown")
ACTIONS = pm.Action.objects.select_related("theme__plan")


def _plan(request: HttpRequest, plan_id: str) -> pm.Plan:
    return visible(request, "plan.view", pm.Plan.objects.filter(slug=plan_id).first(), "plan")


@router.get("/plans", response=list[PlanOut], summary="Plans the caller may read")
@paginate(Pages)
def list_plans(request: HttpRequest, status: str | None = text_query("Only this status")) -> Any:
    plans = visible_plans(caller(request)).order_by("area_name", "slug")
    return plans.filter(status=status) if status else plans


@router.get("/plans/{plan_id}", response=PlanDetail, summary="One plan with its themes")
def get_plan(request: HttpRequest, plan_id: Slug) -> Any:
    return _plan(request, plan_id)


@router.get("/plans/{plan_id}/themes", response=list[ThemeOut], summary="A plan's themes")
def plan_themes(request: HttpRequest, plan_id: Slug) -> Any:
    return list(_plan(request, plan_id).all_themes.select_related("plan"))


@router.get("/themes/{theme_id}", response=ThemeOut, summary="One theme")
def get_theme(request: HttpRequest, theme_id: Id) -> Any:
    found = pm.Theme.objects.select_related("plan").filter(pk=theme_id).first()
    return visible(request, "plan.view", found, "theme")


@router.get("/measures", response=list[MeasureOut], summary="Measures the caller may read")
@paginate(Pages)
def list_measures(
    request: HttpRequest,
    plan: str | None = text_query("Only this plan's measures (plan id)"),
    theme: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this theme")] = None,
) -> Any:
    found = MEASURES.filter(measure_filter(caller(request))).order_by(
        "theme__plan__slug", "theme__section", "theme__position", "position"
    )
    if plan:
        found = found.filter(theme__plan__slug=plan)
    if theme:
        found = found.filter(theme_id=theme)
    return found


@router.get("/plans/{plan_id}/measures", response=list[MeasureOut], summary="A plan's measures")
@paginate(Pages)
def plan_measures(request: HttpRequest, plan_id: Slug) -> Any:
    plan = _plan(request, plan_id)
    return MEASURES.filter(theme__plan=plan).filter(measure_filter(caller(request)))


@router.get("/measures/{measure_id}", response=MeasureOut, summary="One measure with targets")
def get_measure(request: HttpRequest, measure_id: Id) -> Any:
    return visible(request, "plan.view", MEASURES.filter(pk=measure_id).first(), "measure")


@router.get(
    "/measures/{measure_id}/targets", response=list[TargetOut], summary="A measure's targets"
)
def measure_targets(request: HttpRequest, measure_id: Id) -> Any:
    measure = visible(request, "plan.view", MEASURES.filter(pk=measure_id).first(), "measure")
    return list(pm.Target.objects.filter(measure=measure).select_related("breakdown")) + list(
        pm.Target.objects.filter(breakdown__measure=measure).select_related("breakdown")
    )


@router.get("/actions", response=list[ActionOut], summary="The actions tracker")
@paginate(Pages)
def list_actions(
    request: HttpRequest,
    plan: str | None = text_query("Only this plan's actions (plan id)"),
    status: str | None = text_query("Only actions with this status (on_track, complete …)"),
) -> Any:
    found = ACTIONS.filter(plan_filter(caller(request), prefix="theme__plan__")).order_by(
        "theme__plan__slug", "theme__section", "theme__position", "position"
    )
    if plan:
        found = found.filter(theme__plan__slug=plan)
    if status:
        found = found.filter(status=status)
    return found


@router.get("/actions/{action_id}", response=ActionOut, summary="One action")
def get_action(request: HttpRequest, action_id: Id) -> Any:
    return visible(request, "plan.view", ACTIONS.filter(pk=action_id).first(), "action")

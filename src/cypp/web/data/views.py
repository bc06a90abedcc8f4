"""Data pages: uploads, collections and partners' returns. They write only through actions."""

from __future__ import annotations

import tempfile
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cypp.data.errors import DataImportError, Problem
from cypp.data.observations import SUPPRESSION_CODES
from cypp.web.accounts.policy import organisation_ids
from cypp.web.data import actions
from cypp.web.data import models as dm
from cypp.web.data.forms import (
    CommentForm,
    CorrectionForm,
    LinkForm,
    OpenCollectionForm,
    OwnerForm,
    UploadForm,
    error_list,
    field_error,
)
from cypp.web.data.permissions import can_answer, grant, is_performance_officer
from cypp.web.plans import models as pm

NAV = {"active_nav": "data", "field_error": field_error}


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    return render(request, f"data/{template}", {**NAV, **context}, status=status)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return _page(request, "forbidden.html", {"title": "You cannot see this page"}, 403)


def officer_required(view):
    """Signed-in performance officers only; others are asked to sign in or refused."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        if not is_performance_officer(request.user):
            return _forbidden(request)
        return view(request, *args, **kwargs)

    return wrapped


def home(request: HttpRequest) -> HttpResponse:
    """Officers see every collection; members of a partner see their organisation's returns."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
    if not is_performance_officer(request.user):
        return _my_returns(request)
    return _officer_home(request)


def _my_returns(request: HttpRequest) -> HttpResponse:
    returns = (
        dm.Return.objects.filter(organisation__in=organisation_ids(request.user))
        .select_related("collection__plan", "organisation")
        .order_by("-collection__period_start", "organisation__name")
    )
    return _page(request, "my_returns.html", {"title": "Your returns", "returns": returns})


def _officer_home(request: HttpRequest) -> HttpResponse:
    plans = pm.Plan.objects.order_by("area_name", "slug")
    collections = dm.Collection.objects.select_related("plan").prefetch_related("returns")
    overdue = [
        r
        for r in dm.Return.objects.select_related("collection__plan", "organisation").filter(
            collection__status=dm.Collection.Status.OPEN,
            status__in=[dm.Return.Status.DRAFT, dm.Return.Status.RETURNED],
            collection__due__lt=timezone.localdate(),
        )
    ]
    waiting = dm.Return.objects.select_related("collection__plan", "organisation").filter(
        status=dm.Return.Status.SUBMITTED
    )
    return _page(
        request,
        "home.html",
        {
            "title": "Data collection",
            "plans": plans,
            "collections": collections,
            "overdue": overdue,
            "waiting": waiting,
            "imports": dm.DataImport.objects.select_related("plan", "actor")[:10],
        },
    )


# --- uploads -------------------------------------------------------------------------------


def _plan_measure_choices(plan: pm.Plan) -> list[tuple[str, str]]:
    return [
        (m.key, f"{m.key}: {m.name}")
        for m in pm.Measure.objects.filter(theme__plan=plan).order_by("theme__position", "position")
    ]


def _read_upload(plan: pm.Plan, upload: Any, measure: str | None):
    """Read an uploaded file with the data layer's readers (they need a path)."""
    from cypp.data.formats import read_observations
    from cypp.data.indicators import measure_specs
    from cypp.web.plans.actions import plan_to_domain

    specs = measure_specs(plan_to_domain(plan))
    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return read_observations(
            Path(handle.name),
            plan_measures=specs,
            default_measure=measure or None,
            name=Path(upload.name).name,
        )


SHOWN_PROBLEMS = 200


def _problem_list(problems: list[Problem]) -> list[dict[str, str]]:
    """Every problem in the error summary, each linking to its row in the problems table."""
    shown = [
        {"text": str(problem), "href": f"#problem-{i}"}
        for i, problem in enumerate(problems[:SHOWN_PROBLEMS], start=1)
    ]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(
            {"text": f"… and {len(problems) - SHOWN_PROBLEMS} more problems", "href": "#problems"}
        )
    return shown


@officer_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(pm.Plan, slug=slug)
    choices = _plan_measure_choices(plan)
    form = UploadForm(
        *((request.POST, request.FILES) if request.method == "POST" else ()), measures=choices
    )
    problems: list[Problem] = []
    summary = None
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch = _read_upload(plan, data["file"], data["measure"])
                summary = actions.import_observations(
                    batch, plan=plan, user=request.user, reason=data["reason"]
                )
            except DataImportError as error:
                problems = error.problems
                errors = {
                    "file": [
                        f"The file has {len(problems)} problem"
                        f"{'s' if len(problems) != 1 else ''}: nothing was imported"
                    ]
                }
        else:
            errors = form.errors
    status = 400 if errors else 200
    return _page(
        request,
        "upload.html",
        {
            "title": f"Upload figures for {plan.area_name}",
            "plan": plan,
            "measures": choices,
            "form": form,
            "errors": errors,
            "error_list": _problem_list(problems) if problems else error_list(errors),
            "problems": problems,
            "summary": summary,
        },
        status,
    )


# --- collections ---------------------------------------------------------------------------


def _owner_form(plan: pm.Plan, data: Any = None) -> OwnerForm:
    return OwnerForm(
        data,
        measures=_plan_measure_choices(plan),
        organisations=[(str(o.pk), o.name) for o in dm.Organisation.objects.all()],
        kinds=list(dm.Organisation.Kind.choices),
    )


def _assign_owner(request: HttpRequest, plan: pm.Plan, form: OwnerForm) -> dict[str, Any]:
    """Run the owner form through the actions; return its errors (empty when done)."""
    if not form.is_valid():
        return dict(form.errors)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if data["organisation"]:
                organisation = dm.Organisation.objects.get(pk=data["organisation"])
            else:
                organisation = actions.create_organisation(
                    data["new_organisation"],
                    kind=data["kind"] or dm.Organisation.Kind.OTHER,
                    user=request.user,
                )
            measure = actions.plan_measures(plan)[data["measure"]]
            actions.assign_measure_owner(measure, organisation, user=request.user)
    except actions.ReturnFormError as error:
        return {("new_organisation" if k == "name" else k): [v] for k, v in error.errors.items()}
    return {}


@officer_required
@require_http_methods(["GET", "POST"])
def collections(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(pm.Plan, slug=slug)
    posted = request.POST if request.method == "POST" else None
    is_owner_form = posted is not None and posted.get("action") == "owner"
    form = OpenCollectionForm(None if is_owner_form else posted)
    owner_form = _owner_form(plan, posted if is_owner_form else None)
    errors: dict[str, Any] = {}
    if is_owner_form:
        errors = _assign_owner(request, plan, owner_form)
        if not errors:
            return redirect(reverse("data:collections", args=[slug]) + "#owners")
    elif posted is not None:
        if form.is_valid():
            try:
                opened = actions.open_collection(
                    plan,
                    form.cleaned_data["period"],
                    due=form.cleaned_data["due"],
                    user=request.user,
                )
                return redirect("data:collection", pk=opened.pk)
            except actions.ReturnFormError as error:
                errors = {k: [v] for k, v in error.errors.items()}
            except actions.ActionError as error:
                errors = {"period": [str(error).capitalize()]}
        else:
            errors = form.errors
    owners = (
        dm.MeasureOwner.objects.filter(measure__theme__plan=plan)
        .select_related("measure", "organisation")
        .order_by("organisation__name", "measure__theme__position", "measure__position")
    )
    return _page(
        request,
        "collections.html",
        {
            "title": f"Collections for {plan.area_name}",
            "plan": plan,
            "collections": plan.collections.all(),
            "owners": owners,
            "owner_form": owner_form,
            "is_owner_form": is_owner_form,
            "errors": errors,
            "error_list": error_list(errors, {"due_day": "due-day"}),
            "values": posted or {},
        },
        400 if errors else 200,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def collection(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(dm.Collection.objects.select_related("plan"), pk=pk)
    if request.method == "POST" and request.POST.get("action") == "close":
        actions.close_collection(found, user=request.user)
        return redirect("data:collection", pk=pk)
    returns = list(found.returns.select_related("organisation").prefetch_related("items"))
    today = timezone.localdate()
    stored = dm.Observation.objects.filter(
        measure__theme__plan=found.plan, area_code=found.plan.area_ons_code, period=found.period
    ).select_related("measure")
    return _page(
        request,
        "collection.html",
        {
            "title": f"{found.plan.area_name}: {found.period}",
            "collection": found,
            "returns": returns,
            "overdue": [r for r in returns if r.is_overdue(today)],
            "today": today,
            "stored": stored,
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    data_return = get_object_or_404(
        dm.Return.objects.select_related("collection__plan", "organisation"), pk=pk
    )
    errors: dict[str, Any] = {}
    link = None
    action = request.POST.get("action")
    comment_form = CommentForm(request.POST if action == "return" else None)
    link_form = LinkForm(request.POST if action == "link" else None)
    if request.method == "POST":
        try:
            if action == "approve":
                actions.approve_return(data_return, user=request.user)
                return redirect("data:collection", pk=data_return.collection_id)
            if action == "return":
                if comment_form.is_valid():
                    actions.return_with_comment(
                        data_return, comment_form.cleaned_data["comment"], user=request.user
                    )
                    return redirect("data:collection", pk=data_return.collection_id)
                errors = comment_form.errors
            if action == "link":
                if link_form.is_valid():
                    token = actions.create_access_link(
                        data_return, user=request.user, sent_to=link_form.cleaned_data["sent_to"]
                    )
                    link = request.build_absolute_uri(reverse("data:link", args=[token]))
                else:
                    errors = link_form.errors
        except actions.ReturnFormError as error:
            errors = {k: [v] for k, v in error.errors.items()}
        except actions.ActionError as error:
            errors = {"__all__": [str(error).capitalize()]}
    return _page(
        request,
        "review.html",
        {
            "title": f"{data_return.organisation.name}: {data_return.collection.period}",
            "data_return": data_return,
            "items": data_return.items.select_related("measure"),
            "errors": errors,
            "error_list": error_list(errors),
            "link": link,
            "values": request.POST,
        },
        400 if errors else 200,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a stored figure after its period has closed: a revision with a reason."""
    obs = get_object_or_404(dm.Observation.objects.select_related("measure__theme__plan"), pk=pk)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if form.is_valid():
            text = form.cleaned_data["value"].strip()
            code = text.lower() if text.lower() in SUPPRESSION_CODES else ""
            try:
                value = None if code else float(text.replace(",", ""))
            except ValueError:
                errors = {"value": ["Enter the corrected figure as a number, like 12.5"]}
            else:
                try:
                    actions.correct_after_close(
                        obs,
                        value=value,
                        suppression_code=code,
                        reason=form.cleaned_data["reason"],
                        user=request.user,
                    )
                    collection = dm.Collection.objects.filter(
                        plan=obs.measure.theme.plan, period=obs.period
                    ).first()
                    if collection is not None:
                        return redirect(reverse("data:collection", args=[collection.pk]))
                    return redirect("data:home")
                except actions.ActionError as error:
                    errors = {"value": [str(error).capitalize()]}
        else:
            errors = form.errors
    return _page(
        request,
        "correct.html",
        {
            "title": f"Correct a figure: {obs.measure.name}",
            "obs": obs,
            "revisions": obs.revisions.select_related("actor"),
            "errors": errors,
            "error_list": error_list(errors),
            "values": request.POST,
        },
        400 if errors else 200,
    )


# --- the measure owner's return ------------------------------------------------------------


def link(request: HttpRequest, token: str) -> HttpResponse:
    """Spend a one-time link: remember the return in the session and open it."""
    try:
        data_return = actions.redeem_access_link(token)
    except actions.ActionError as error:
        return _page(
            request,
            "link_invalid.html",
            {"title": "This link cannot be used", "reason": error},
            403,
        )
    grant(request, data_return)
    return redirect("data:return", pk=data_return.pk)


def _answers(request: HttpRequest, items: list[dm.ReturnItem]) -> dict[int, actions.ItemAnswer]:
    return {
        item.pk: actions.ItemAnswer(
            request.POST.get(f"value-{item.pk}", ""),
            request.POST.get(f"commentary-{item.pk}", ""),
        )
        for item in items
    }


@require_http_methods(["GET", "POST"])
def return_form(request: HttpRequest, pk: int) -> HttpResponse:
    data_return = get_object_or_404(
        dm.Return.objects.select_related("collection__plan", "organisation"), pk=pk
    )
    if not can_answer(request, data_return):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        return _forbidden(request)
    items = list(data_return.items.select_related("measure"))
    errors: dict[str, Any] = {}
    who = (
        request.user.get_username()
        if request.user.is_authenticated
        else f"one-time link for {data_return.organisation.name}"
    )
    if request.method == "POST":
        commentary = request.POST.get("commentary", "")
        answers = _answers(request, items)
        try:
            if request.POST.get("action") == "save":
                actions.save_return(
                    data_return, answers, commentary=commentary, actor=who, user=request.user
                )
                return redirect(reverse("data:return", args=[pk]) + "?saved=1")
            actions.submit_return(
                data_return, answers, commentary=commentary, actor=who, user=request.user
            )
            return redirect("data:return_done", pk=pk)
        except actions.ReturnFormError as error:
            errors = {k: [v] for k, v in error.errors.items()}
        except actions.ActionError as error:
            errors = {"__all__": [str(error).capitalize()]}
    return _page(
        request,
        "return_form.html",
        {
            "title": f"Figures for {data_return.collection.period}",
            "data_return": data_return,
            "items": items,
            "errors": errors,
            "error_list": error_list(errors),
            "values": request.POST if request.method == "POST" else None,
            "saved": request.GET.get("saved") == "1",
        },
        400 if errors else 200,
    )


def return_done(request: HttpRequest, pk: int) -> HttpResponse:
    data_return = get_object_or_404(
        dm.Return.objects.select_related("collection__plan", "organisation"), pk=pk
    )
    if not can_answer(request, data_return):
        return _forbidden(request)
    return _page(request, "return_done.html", {"title": "Figures sent", "data_return": data_return})

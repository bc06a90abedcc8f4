"""Performance pages: overview, scorecard, measure, exceptions, annual review, actions,
board pack downloads and the public page. Thin: they read :mod:`.pages` and call
:mod:`.actions`."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from markupsafe import Markup

from cypp.domain.plan import ActionStatus
from cypp.reports.charts import chart_svg, has_chart
from cypp.reports.model import MeasureLine
from cypp.reports.render import FORMATS, MEDIA_TYPES
from cypp.reports.render import render as render_pack
from cypp.stats.formatting import format_number
from cypp.web.accounts.decorators import allowed
from cypp.web.accounts.policy import PUBLISHED_STATUSES, can
from cypp.web.data import models as dm
from cypp.web.performance import actions as act
from cypp.web.performance import figures, wording
from cypp.web.performance import models as pm
from cypp.web.performance.comments import comment_context
from cypp.web.performance.pages import PackView, load_pack
from cypp.web.plans import models as plans
from cypp.web.voice.results import theme_results

READ = "report.download"
EDIT = "plan.edit"


def _plan(slug: str, **_: Any) -> plans.Plan:
    plan = plans.Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise Http404("No plan with this id")
    return plan


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    context.setdefault("active_nav", "performance")
    context["can_edit"] = can(request.user, EDIT, context.get("plan"))
    context["messages"] = list(get_messages(request))
    context["w"] = wording
    return render(request, f"performance/{template}", context, status=status)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return _page(request, "forbidden.html", {"title": "You cannot see this page"}, 403)


def _view(request: HttpRequest, slug: str) -> PackView:
    return load_pack(_plan(slug), request.GET.get("period") or None)


def _context(view: PackView, title: str, **extra: Any) -> dict[str, Any]:
    return {"plan": view.plan, "view": view, "pack": view.pack, "title": title, **extra}


# --------------------------------------------------------------------------- overview


@allowed(READ, _plan, forbidden=_forbidden)
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    view = _view(request, slug)
    lines = {line.id: line for line in view.pack.measures()} if view.pack else {}
    voice = theme_results(view.plan)
    themes = []
    for _, _, theme in view.domain.all_themes():
        measures = [lines[m.id] for m in theme.measures if m.id in lines]
        # Without figures there are no lines: the page then shows only what children said.
        rated = [m for m in theme.measures if m.id in lines]
        groups = [
            (outcome.title, [lines[m.id] for m in rated if m.outcome == outcome.id])
            for outcome in theme.outcomes
        ]
        named = {outcome.id for outcome in theme.outcomes if outcome.id}
        others = [lines[m.id] for m in rated if m.outcome not in named]
        themes.append(
            {
                "theme": theme,
                "groups": groups,
                "others": others,
                "count": len(measures),
                "voice": voice.get(theme.id, []),
            }
        )
    return _page(request, "overview.html", _context(view, "Performance", themes=themes))


# --------------------------------------------------------------------------- scorecard

SORTS = {
    "measure": lambda line, owner: line.name.lower(),
    "theme": lambda line, owner: line.theme_title.lower(),
    "rating": lambda line, owner: wording.status_rank(line.status),
    "direction": lambda line, owner: line.direction,
    "owner": lambda line, owner: owner.lower(),
}


def _owner(view: PackView, line: MeasureLine) -> str:
    return view.owners.get(line.id) or line.owner or "Not stated"


#: Seconds a scorecard body or page is kept; any change to the data makes new keys sooner.
CACHE_SECONDS = 3600


@allowed(READ, _plan, forbidden=_forbidden)
def scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    """The scorecard of a stored run, from the cache while the data stay the same.

    The body (everything below the plan's caption) depends only on the run, the data
    version, the query and the two permissions it shows links for, so it is shared by
    everyone with those permissions. The page around it depends on the person too, so a
    whole page is kept only for the same session and CSRF cookie, and never when a
    message is waiting to be shown.
    """
    view = _view(request, slug)
    permissions = (can(request.user, EDIT, view.plan), can(request.user, READ, view.plan))
    if view.cache_key is None:
        body = _scorecard_body(request, view, *permissions)
        return _page(request, "scorecard.html", _context(view, "Scorecard", body=Markup(body)))
    query = sorted((k, v) for k, v in request.GET.lists())
    body_key = _key("body", view.plan.pk, *view.cache_key, query, permissions)
    person = (
        request.user.pk,
        request.user.is_staff,
        request.session.session_key,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME),
    )
    page_key = _key("page", body_key, person)
    quiet = not len(get_messages(request))
    if quiet and (page := cache.get(page_key)) is not None:
        return HttpResponse(page)
    body = cache.get(body_key)
    if body is None:
        body = _scorecard_body(request, view, *permissions)
        cache.set(body_key, body, CACHE_SECONDS)
    response = _page(request, "scorecard.html", _context(view, "Scorecard", body=Markup(body)))
    if quiet and response.status_code == 200:
        cache.set(page_key, response.content, CACHE_SECONDS)
    return response


def _key(kind: str, *parts: Any) -> str:
    return f"cypp:scorecard:{kind}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _scorecard_body(request: HttpRequest, view: PackView, can_edit: bool, can_read: bool) -> str:
    lines = list(view.pack.measures()) if view.pack else []
    themes = sorted({line.theme_title for line in lines}, key=[x.theme_title for x in lines].index)
    owners = sorted({_owner(view, line) for line in lines})
    statuses = sorted({line.status for line in lines}, key=wording.status_rank)
    chosen = {
        "theme": request.GET.get("theme", ""),
        "owner": request.GET.get("owner", ""),
        "rating": request.GET.get("rating", ""),
    }
    shown = [
        line
        for line in lines
        if (not chosen["theme"] or line.theme_title == chosen["theme"])
        and (not chosen["owner"] or _owner(view, line) == chosen["owner"])
        and (not chosen["rating"] or line.status.value == chosen["rating"])
    ]
    sort = request.GET.get("sort", "")
    descending = request.GET.get("order") == "desc"
    if sort in SORTS:
        key = SORTS[sort]
        shown.sort(key=lambda line: key(line, _owner(view, line)), reverse=descending)
    rows = [{"line": line, "owner": _owner(view, line)} for line in shown]
    context = _context(
        view,
        "Scorecard",
        rows=rows,
        total=len(lines),
        themes=themes,
        owners=owners,
        statuses=statuses,
        chosen=chosen,
        sort=sort,
        descending=descending,
        formats=FORMATS,
        can_download=can_read,
        can_edit=can_edit,
        w=wording,
    )
    # No request: nothing about the person (tokens, name) can reach the kept body.
    return render_to_string("performance/_scorecard_body.html", context)


@allowed(EDIT, _plan, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def calculate(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(slug)
    frame = figures.observation_frame(plan.pk)
    periods = figures.reporting_periods(frame, plan.area_ons_code)
    errors: dict[str, str] = {}
    if request.method == "POST":
        period = request.POST.get("period", "")
        if period not in periods:
            errors["period"] = "Select the period to rate"
        else:
            run = act.calculate_ratings(plan, period, user=request.user)
            # The scorecard this redirects to and the board pack asked for next are ready
            # sooner: the pack is kept and its print charts drawn in the background.
            pack = load_pack(plan, run.period, run=run).pack
            if pack is not None:
                # Imported here: WeasyPrint loads only when a pack is asked for.
                from cypp.reports.print_charts import prepare_print_charts

                prepare_print_charts(pack.measures())
            messages.success(request, f"Ratings for {period} calculated and stored.")
            return redirect(
                reverse("performance:scorecard", args=[plan.slug]) + f"?period={run.period}"
            )
    runs = pm.RatingRun.objects.filter(plan=plan).order_by("-computed_at")[:20]
    context = {"plan": plan, "title": "Calculate ratings", "periods": periods, "runs": runs}
    context["errors"] = errors
    context["error_list"] = [{"text": text, "href": f"#{name}"} for name, text in errors.items()]
    return _page(request, "calculate.html", context, 400 if errors else 200)


# --------------------------------------------------------------------------- measure


def _commentary(measure: plans.Measure) -> list[dict[str, Any]]:
    items = (
        dm.ReturnItem.objects.filter(measure=measure)
        .exclude(commentary="")
        .exclude(data_return__status=dm.Return.Status.DRAFT)
        .select_related("data_return__collection", "data_return__organisation")
        .order_by("-data_return__collection__period_start")
    )
    return [
        {
            "period": item.data_return.collection.period,
            "organisation": item.data_return.organisation.name,
            "status": item.data_return.get_status_display(),
            "breakdown": item.breakdown,
            "text": item.commentary,
        }
        for item in items
    ]


def _figure(x: float | None) -> str:
    return "no value" if x is None else format_number(x)


def _quality(measure: plans.Measure, area_code: str | None) -> list[dict[str, Any]]:
    """The plan area's figures that are not plain final ones, and revised figures."""
    rows = (
        dm.Observation.objects.filter(measure=measure, area_code=(area_code or "").upper())
        .prefetch_related("revisions")
        .order_by("-period_end")
    )
    flags = []
    for obs in rows:
        words = []
        if obs.quality != "final":
            words.append(obs.get_quality_display().capitalize())
        if obs.suppression_code:
            words.append(f"Suppressed ({obs.suppression_reason or obs.suppression_code})")
        revisions = list(obs.revisions.all())
        if revisions and obs.quality != "revised":
            words.append("Revised")
        if words:
            last = revisions[-1] if revisions else None
            flags.append(
                {
                    "period": obs.period,
                    "breakdown": obs.breakdown,
                    "flags": words,
                    "revision": (
                        f"{_figure(last.old_value)} → {_figure(last.new_value)} "
                        f"on {last.at:%d %B %Y}: {last.reason}"
                        if last
                        else ""
                    ),
                }
            )
    return flags


@allowed(READ, _plan, forbidden=_forbidden)
def measure(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    view = _view(request, slug)
    line = next((m for m in view.pack.measures() if m.id == key), None) if view.pack else None
    row = plans.Measure.objects.filter(theme__plan=view.plan, key=key).first()
    if line is None or row is None:
        raise Http404("No measure with this id in the plan")
    rating = view.ratings.get(key)
    stored = view.stored_ratings.get(key)
    context = _context(
        view,
        line.name,
        line=line,
        chart=chart_svg(line, f"chart-{line.id}") if has_chart(line) else None,
        provenance=wording.provenance_rows(rating, stored),
        commentary=_commentary(row),
        **comment_context(request, row),
        quality=_quality(row, view.plan.area_ons_code),
        owner=_owner(view, line),
        voice=theme_results(view.plan).get(line.theme_id, []),
    )
    return _page(request, "measure.html", context)


# --------------------------------------------------------------------------- exceptions


@allowed(READ, _plan, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def exceptions(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(slug)
    period = request.POST.get("period") or request.GET.get("period") or None
    error_list: list[dict[str, str]] = []
    if request.method == "POST":
        if not can(request.user, EDIT, plan):
            return _forbidden(request)
        try:
            act.sign_off_exceptions(plan, period or "", user=request.user)
        except act.SignOffRefused as refused:
            error_list = _missing_errors(refused)
        else:
            messages.success(request, f"The exception report for {period} is signed off.")
            return redirect(reverse("performance:exceptions", args=[slug]) + f"?period={period}")
    view = load_pack(plan, period)
    sign_offs = pm.ExceptionSignOff.objects.filter(plan=plan, period=view.period).select_related(
        "signed_by"
    )
    status = 400 if error_list else 200
    context = _context(view, "Exception report", error_list=error_list, sign_offs=sign_offs)
    return _page(request, "exceptions.html", context, status)


def _missing_errors(refused: act.SignOffRefused) -> list[dict[str, str]]:
    if not refused.missing:
        return [{"text": str(refused)[:1].upper() + str(refused)[1:]}]
    return [
        {"text": f"{name}: enter the {', '.join(fields)}", "href": "#exceptions"}
        for name, fields in refused.missing.items()
    ]


def _date_parts(post: Any, name: str) -> tuple[str, dict[str, str]]:
    parts = [post.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        return "", {}
    try:
        day, month, year = (int(p) for p in parts)
        return date(year, month, day).isoformat(), {}
    except ValueError:
        return "", {name: "Review date must be a real date, for example 30 9 2015"}


@allowed(EDIT, _plan, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def exception_note(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    plan = _plan(slug)
    period = request.POST.get("period") or request.GET.get("period") or ""
    row = get_object_or_404(plans.Measure, theme__plan=plan, key=key)
    note = pm.ExceptionNote.objects.filter(plan=plan, period=period, measure=row).first()
    values = {
        "cause": note.cause if note else "",
        "recovery_action": note.recovery_action if note else "",
        "owner": note.owner if note else (row.owner or ""),
        "review_date": note.review_date if note else None,
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        review_date, errors = _date_parts(request.POST, "review_date")
        values.update({k: request.POST.get(k, "") for k in ("cause", "recovery_action", "owner")})
        if not errors:
            try:
                act.save_exception_note(
                    plan,
                    period,
                    row,
                    act.NoteInput(
                        values["cause"], values["recovery_action"], values["owner"], review_date
                    ),
                    user=request.user,
                )
            except act.NoteError as error:
                errors = error.errors
            else:
                messages.success(request, f"Saved the exception details for {row.name}.")
                target = reverse("performance:exceptions", args=[slug])
                return redirect(f"{target}?period={period}#exception-{key}")
    context = {
        "plan": plan,
        "measure": row,
        "period": period,
        "values": values,
        "post": request.POST if request.method == "POST" else {},
        "errors": errors,
        "error_list": [
            {"text": text, "href": "#review_date-day" if name == "review_date" else f"#{name}"}
            for name, text in errors.items()
        ],
        "title": f"Exception details: {row.name}",
    }
    return _page(request, "exception_note.html", context, 400 if errors else 200)


# --------------------------------------------------------------------------- annual review


def _review_sections(view: PackView) -> list[dict[str, Any]]:
    """Each priority's "we said / we did", as edited where it has been."""
    edited = {
        e.theme_id: e for e in pm.ReviewEntry.objects.filter(plan=view.plan, period=view.period)
    }
    themes = {t.key: t for t in plans.Theme.objects.filter(plan=view.plan)}
    voice = theme_results(view.plan)
    sections = []
    for section in view.pack.review if view.pack else ():
        theme = themes[section.theme_id]
        entry = edited.get(theme.pk)
        sections.append(
            {
                "theme_id": theme.pk,
                "title": section.title,
                "we_said": entry.we_said.splitlines() if entry else list(section.we_said),
                "we_did": entry.we_did.splitlines() if entry else list(section.we_did),
                "edited": entry,
                "voice": voice.get(section.theme_id, []),
            }
        )
    return sections


@allowed(READ, _plan, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(slug)
    period = request.POST.get("period") or request.GET.get("period") or None
    view = load_pack(plan, period)
    sections = _review_sections(view)
    if request.method == "POST":
        if not can(request.user, EDIT, plan):
            return _forbidden(request)
        published = [{k: s[k] for k in ("title", "we_said", "we_did")} for s in sections]
        act.publish_review(plan, view.period or "", published, user=request.user)
        messages.success(request, f"The annual review for {view.period} is published.")
        return redirect(reverse("performance:review", args=[slug]) + f"?period={view.period}")
    publications = pm.ReviewPublication.objects.filter(plan=plan, period=view.period)
    context = _context(view, "Annual review", sections=sections, publications=publications)
    return _page(request, "review.html", context)


@allowed(EDIT, _plan, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    plan = _plan(slug)
    theme = get_object_or_404(plans.Theme, plan=plan, pk=theme_id)
    view = load_pack(plan, request.POST.get("period") or request.GET.get("period") or None)
    section = next(s for s in _review_sections(view) if s["theme_id"] == theme.pk)
    values = {"we_said": "\n".join(section["we_said"]), "we_did": "\n".join(section["we_did"])}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("we_said", "we_did")}
        try:
            act.save_review_entry(
                plan, view.period or "", theme, values["we_said"], values["we_did"],
                user=request.user,
            )  # fmt: skip
        except act.NoteError as error:
            errors = error.errors
        else:
            messages.success(request, f"Saved the review of {theme.title}.")
            target = reverse("performance:review", args=[slug])
            return redirect(f"{target}?period={view.period}")
    context = _context(
        view,
        f"Edit the review: {theme.title}",
        theme=theme,
        values=values,
        errors=errors,
        error_list=[{"text": text, "href": f"#{name}"} for name, text in errors.items()],
    )
    return _page(request, "review_edit.html", context, 400 if errors else 200)


# --------------------------------------------------------------------------- actions


@allowed(READ, _plan, forbidden=_forbidden)
def actions(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(slug)
    updates: dict[tuple[str, str], list[pm.ActionUpdate]] = {}
    for update in pm.ActionUpdate.objects.filter(plan=plan).select_related("by"):
        updates.setdefault((update.theme_key, update.action_ref), []).append(update)
    themes = []
    for theme in plans.Theme.objects.filter(plan=plan).prefetch_related("actions"):
        rows = []
        for action in theme.actions.all():
            history = updates.get((theme.key, act.action_ref(action)), [])
            status = history[0].status if history else action.status
            rows.append({"action": action, "status": status, "history": history})
        if rows:
            themes.append({"theme": theme, "rows": rows})
    context = {"plan": plan, "title": "Actions tracker", "themes": themes}
    return _page(request, "actions.html", context)


@allowed(EDIT, _plan, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    plan = _plan(slug)
    action = get_object_or_404(plans.Action.objects.select_related("theme"), theme__plan=plan,
                               pk=action_id)  # fmt: skip
    values = {"status": "", "text": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            act.add_action_update(action, values["status"], values["text"], user=request.user)
        except act.NoteError as error:
            errors = error.errors
        else:
            messages.success(request, f"Saved the update to {action.title}.")
            return redirect(reverse("performance:actions", args=[slug]) + f"#action-{action.pk}")
    context = {
        "plan": plan,
        "action": action,
        "values": values,
        "statuses": [(s.value, wording.ACTION_WORDS[s]) for s in ActionStatus],
        "errors": errors,
        "error_list": [{"text": text, "href": f"#{name}"} for name, text in errors.items()],
        "title": f"Update: {action.title}",
    }
    return _page(request, "action_update.html", context, 400 if errors else 200)


# --------------------------------------------------------------------------- downloads


@allowed(READ, _plan, forbidden=_forbidden)
def board_pack(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown report format")
    view = _view(request, slug)
    if view.pack is None:
        raise Http404("There are no figures to report yet")
    body = render_pack(view.pack, fmt)
    name = f"{view.plan.slug}-board-pack-{wording.file_part(view.period or '')}.{fmt}"
    response = HttpResponse(body, content_type=MEDIA_TYPES[fmt])
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


# --------------------------------------------------------------------------- public


def public_home(request: HttpRequest) -> HttpResponse:
    published = plans.Plan.objects.filter(status__in=PUBLISHED_STATUSES).order_by(
        "area_name", "slug"
    )
    context = {
        "plans": published,
        "title": "How we are doing",
        "active_nav": "public",
        "w": wording,
    }
    return render(request, "performance/public_home.html", context)


def public_plan(request: HttpRequest, slug: str) -> HttpResponse:
    plan = plans.Plan.objects.filter(slug=slug, status__in=PUBLISHED_STATUSES).first()
    if plan is None:
        raise Http404("No published plan with this id")
    view = load_pack(plan, request.GET.get("period") or None, public=True)
    sections = []
    for theme in view.pack.themes if view.pack else ():
        sections.append(
            {"title": theme.title, "lines": [wording.public_line(m) for m in theme.measures]}
        )
    context = {
        "plan": plan,
        "view": view,
        "sections": sections,
        "title": f"How we are doing: {plan.title or plan.area_name}",
        "active_nav": "public",
        "w": wording,
    }
    return render(request, "performance/public_plan.html", context)

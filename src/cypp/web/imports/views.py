"""Import pages: upload a plan document, review what was read, correct items, create the plan.

Every page works without JavaScript: the review page is one form whose buttons say what
to do (save, accept the confident items, correct one item, go on to create), and each
correction has its own page with GOV.UK error messages. The pages write only through
:mod:`cypp.web.imports.actions`.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cypp.importer.errors import DocumentError
from cypp.web.accounts.decorators import allowed
from cypp.web.imports import actions, review
from cypp.web.imports.forms import MAX_UPLOAD_BYTES, UploadForm, error_list, field_error
from cypp.web.imports.models import ImportDraft

log = logging.getLogger(__name__)

EDIT = "plan.edit"
_WARNING_PATH = re.compile(r"^themes\[(\d+)\]\.(outcomes|actions|measures)\[(\d+)\]")
_KIND_OF_LIST = {name: kind for kind, name in review.LISTS.items()}


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    base = {"active_nav": "imports", "field_error": field_error, "review": review}
    return render(request, f"imports/{template}", {**base, **context}, status=status)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return _page(request, "forbidden.html", {"title": "You cannot import plans"}, 403)


def _draft(pk: int) -> ImportDraft:
    return get_object_or_404(ImportDraft, pk=pk)


# --- upload --------------------------------------------------------------------------------


@allowed(EDIT, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            name = Path(upload.name).name
            try:
                draft = actions.start_import(name, upload.read(), user=request.user)
            except DocumentError as error:
                errors = {"file": [f"{name} cannot be imported: {error.problem}"]}
            except Exception:
                log.exception("importing %s failed", name)
                errors = {
                    "file": [
                        f"{name} cannot be imported: something went wrong reading it. "
                        "Save it again as .docx or .pdf and try once more"
                    ]
                }
            else:
                return redirect("imports:review", pk=draft.pk)
        else:
            errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    drafts = ImportDraft.objects.select_related("created_by", "plan")[:20]
    return _page(
        request,
        "upload.html",
        {
            "title": "Import a plan document",
            "errors": errors,
            "error_list": error_list(errors),
            "drafts": drafts,
            "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
        },
        status=400 if errors else 200,
    )


# --- review --------------------------------------------------------------------------------


def _warnings(draft: ImportDraft) -> list[dict[str, Any]]:
    """The importer's warnings, each linked to the item it is about where there is one."""
    keys = {item["key"] for item in draft.items}
    found = []
    for warning in draft.warnings:
        entry = dict(warning)
        match = _WARNING_PATH.match(str(warning.get("path") or ""))
        if match:
            theme, name, index = int(match[1]), match[2], int(match[3])
            key = review.item_key(_KIND_OF_LIST[name], theme, index)
            entry["item"] = key if key in keys else None
        found.append(entry)
    return found


def _item_views(draft: ImportDraft, verdicts: dict[str, str] | None = None) -> list[dict]:
    """Items grouped by theme, each with its extracted value, current value and decision."""
    themes = draft.plan_data.get("themes") or []
    groups: list[dict[str, Any]] = [
        {"index": t, "title": theme.get("title", ""), "items": {k: [] for k in review.KINDS}}
        for t, theme in enumerate(themes)
    ]
    for item in draft.items:
        decision = draft.decisions.get(item["key"]) or {}
        value = review.current(draft.plan_data, item, decision)
        chosen = decision.get("decision")
        if verdicts is not None and item["key"] in verdicts:
            chosen = verdicts[item["key"]]
        groups[item["theme"]]["items"][item["kind"]].append(
            {
                **item,
                "value": value,
                "title": _title(item["kind"], value),
                "decision": decision.get("decision"),
                "chosen": chosen,
            }
        )
    return groups


def _title(kind: str, value: Any) -> str:
    if kind == "measure":
        return str(value.get("name", ""))
    return str(value.get("title", "")) if isinstance(value, dict) else str(value)


@allowed(EDIT, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    if not draft.is_open:
        return _finished(request, draft)
    header = dict(draft.header)
    verdicts: dict[str, str] | None = None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        header = {name: request.POST.get(f"plan-{name}", "") for name in review.HEADER_FIELDS}
        verdicts = {
            item["key"]: request.POST[f"decision-{item['key']}"]
            for item in draft.items
            if f"decision-{item['key']}" in request.POST
        }
        errors = actions.save_review(draft, header, verdicts, user=request.user)
        if not errors:
            action = request.POST.get("action", "save")
            correct = request.POST.get("correct")
            if correct and any(item["key"] == correct for item in draft.items):
                return redirect("imports:correct", pk=draft.pk, key=correct)
            if action == "accept_high":
                accepted = actions.accept_high_confidence(draft, user=request.user)
                request.session["imports_notice"] = (
                    f"{accepted} high-confidence item{'s' if accepted != 1 else ''} accepted"
                )
            if action == "check":
                return redirect("imports:create", pk=draft.pk)
            return redirect(reverse("imports:review", args=[draft.pk]) + "#decisions")
    decided = sum(1 for item in draft.items if item["key"] in draft.decisions)
    context = {
        "title": f"Review the import of {draft.file_name}",
        "draft": draft,
        "header": header,
        "errors": errors,
        "error_list": error_list({f"plan-{k}": v for k, v in errors.items()}),
        "themes": _item_views(draft, verdicts),
        "cross_cutting": draft.plan_data.get("cross_cutting") or [],
        "to_check": [
            {**item, "title": _title(item["kind"], review.extracted(draft.plan_data, item))}
            for item in review.low_confidence_first(draft.items)
        ],
        "warnings": _warnings(draft),
        "decided": decided,
        "undecided": len(draft.items) - decided,
        "confident_undecided": sum(
            1 for i in draft.items if not i["low"] and i["key"] not in draft.decisions
        ),
        "notice": request.session.pop("imports_notice", None),
    }
    return _page(request, "review.html", context, status=400 if errors else 200)


def _finished(request: HttpRequest, draft: ImportDraft) -> HttpResponse:
    return _page(
        request,
        "finished.html",
        {"title": f"Import of {draft.file_name}", "draft": draft},
    )


# --- corrections ---------------------------------------------------------------------------


@allowed(EDIT, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    draft = _draft(pk)
    if not draft.is_open:
        return redirect("imports:review", pk=draft.pk)
    item = next((item for item in draft.items if item["key"] == key), None)
    if item is None:
        raise Http404("No such item in this import")
    decision = draft.decisions.get(key) or {}
    value = review.current(draft.plan_data, item, decision)
    if item["kind"] == "measure":
        values = review.measure_values(value)
        labels = review.MEASURE_LABELS
    else:
        values = {"title": _title(item["kind"], value)}
        labels = review.ITEM_LABELS
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in labels}
        errors = actions.correct_item(draft, key, values, user=request.user)
        if not errors:
            return redirect(reverse("imports:review", args=[draft.pk]) + f"#item-{key}")
    theme = (draft.plan_data.get("themes") or [])[item["theme"]]
    return _page(
        request,
        "correct.html",
        {
            "title": f"Correct this {item['kind']}",
            "draft": draft,
            "item": item,
            "theme": theme,
            "values": values,
            "errors": errors,
            "error_list": error_list(errors, {"polarity": "polarity-0"}),
        },
        status=400 if errors else 200,
    )


# --- create --------------------------------------------------------------------------------


@allowed(EDIT, forbidden=_forbidden)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    if request.method == "POST":
        try:
            plan, _ = actions.create_plan(draft, user=request.user)
        except actions.CreateRefused as refused:
            problems = refused.errors
        else:
            return redirect("plans:detail", slug=plan.slug)
    else:
        if draft.status == ImportDraft.Status.CREATED and draft.plan is not None:
            return redirect("plans:detail", slug=draft.plan.slug)
        problems = []
    if not draft.is_open and not problems:
        return redirect("imports:review", pk=draft.pk)
    built = review.build_plan(draft.plan_data, draft.items, draft.decisions, draft.header)
    review_url = reverse("imports:review", args=[draft.pk])
    summary = []
    for problem in problems[:50]:
        if problem.get("item"):
            summary.append(
                {"text": problem["text"], "href": f"{review_url}#item-{problem['item']}"}
            )
        elif problem.get("field"):
            summary.append(
                {"text": problem["text"], "href": f"{review_url}#plan-{problem['field']}"}
            )
        else:
            summary.append({"text": problem["text"]})
    if len(problems) > 50:
        summary.append({"text": f"and {len(problems) - 50} more"})
    return _page(
        request,
        "create.html",
        {
            "title": "Check and create the plan",
            "draft": draft,
            "built": built,
            "error_list": summary,
            "themes": built.data.get("themes") or [],
        },
        status=400 if problems else 200,
    )


@allowed(EDIT, forbidden=_forbidden)
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    actions.discard_draft(draft, user=request.user)
    return redirect("imports:upload")

"""Comments on a measure: the list and form on the measure page, and their own page.

The page of its own serves measure owners (who cannot read the board's measure page) and
shows a comment that could not be added, with its error, in GOV.UK's pattern.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.messages import get_messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cypp.web.accounts.decorators import allowed
from cypp.web.accounts.policy import can
from cypp.web.performance import actions
from cypp.web.performance.models import MeasureComment
from cypp.web.plans import models as plans

ACTION = "comment.add"


def _measure(slug: str, key: str) -> plans.Measure:
    found = (
        plans.Measure.objects.select_related("theme__plan")
        .filter(theme__plan__slug=slug, key=key)
        .first()
    )
    if found is None:
        raise Http404("No measure with this id in the plan")
    return found


def comment_context(request: HttpRequest, measure: plans.Measure) -> dict[str, Any]:
    """What the measure page needs to show comments and, for those who may, the form."""
    allowed_to = can(request.user, ACTION, measure)
    return {
        "comments": list(MeasureComment.objects.filter(measure=measure)) if allowed_to else [],
        "can_comment": allowed_to,
        "comment_max": actions.COMMENT_MAX,
    }


@allowed(ACTION, _measure)
@require_http_methods(["GET", "POST"])
def measure_comments(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    measure = _measure(slug, key)
    errors: dict[str, str] = {}
    text = ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            actions.add_comment(measure, text, user=request.user)
        except actions.NoteError as error:
            errors = error.errors
        else:
            messages.success(request, "Your comment has been added.")
            back = request.POST.get("back") == "measure" and can(
                request.user, "report.download", measure.theme.plan
            )
            if back:
                return redirect(reverse("performance:measure", args=[slug, key]) + "#comments")
            return redirect("performance:measure_comments", slug=slug, key=key)
    context = {
        "plan": measure.theme.plan,
        "measure": measure,
        "title": f"Comments on {measure.name}",
        "text": text,
        "errors": errors,
        "error_list": [{"text": m, "href": f"#{f}"} for f, m in errors.items()],
        "can_read_pack": can(request.user, "report.download", measure.theme.plan),
        "active_nav": "performance",
        "messages": list(get_messages(request)),
        **comment_context(request, measure),
    }
    return render(request, "performance/comments.html", context, status=400 if errors else 200)

"""Voice pages: the public children's page and story form; staff consultation and moderation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import user_passes_test
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cypp.voice import consultations as c
from cypp.voice.readability import CHILD_GRADE, assess
from cypp.voice.stories import Moderation, StoryError, Teller, monthly_summary
from cypp.voice.village import village_svg
from cypp.web.accounts.policy import can
from cypp.web.plans import models as pm
from cypp.web.voice import actions
from cypp.web.voice import models as vm
from cypp.web.voice.forms import (
    AGE_GROUPS,
    ConsultationForm,
    ModerationForm,
    StoryForm,
    WordingForm,
)

#: Consultations and moderation: whoever the accounts policy lets moderate voice.
staff_only = user_passes_test(lambda user: can(user, "voice.moderate"), login_url="admin:login")


def _plan(slug: str) -> pm.Plan:
    return get_object_or_404(pm.Plan, slug=slug)


def _public_plan(request: HttpRequest, slug: str) -> pm.Plan:
    """The plan of a public page: a draft plan is not there for those who may not see it."""
    plan = _plan(slug)
    if not can(request.user, "plan.view", plan):
        raise Http404("No published plan with this id")
    return plan


def _themes(plan: pm.Plan) -> list[pm.Theme]:
    return list(pm.Theme.objects.filter(plan=plan, section=pm.Theme.THEMES).order_by("position"))


def error_list(form: Any) -> list[dict[str, str]]:
    """GOV.UK error summary entries, each linking to its field."""
    return [
        {"text": str(message), "href": f"#{name}" if name != "__all__" else "#main-content"}
        for name, messages in form.errors.items()
        for message in messages
    ]


def field_error(form: Any, name: str) -> dict[str, str] | None:
    return {"text": str(form.errors[name][0])} if name in form.errors else None


def _context(plan: pm.Plan, **extra: Any) -> dict[str, Any]:
    return {
        "plan": plan,
        "active_nav": "voice",
        "error_list": error_list,
        "field_error": field_error,
        **extra,
    }


# -- public -----------------------------------------------------------------------------


def children_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Each priority in plain words, what children said and what changed; published only."""
    plan = _public_plan(request, slug)
    priorities = []
    for theme in _themes(plan):
        wording = vm.ChildWording.objects.filter(theme=theme).first()
        agreement = (
            vm.Agreement.objects.filter(theme=theme)
            .select_related("consultation")
            .order_by("-consultation__held_from")
            .first()
        )
        stories = vm.Story.objects.filter(
            theme=theme, status=Moderation.PUBLISHED.value, consent_to_publish=True
        )[:3]
        heading, words = _child_heading(theme, wording)
        priorities.append(
            {
                "theme": theme,
                "heading": heading,
                "words": words,
                "what_changed": wording.what_changed if wording else "",
                "agreement": agreement,
                "quotes": [actions.as_domain(story).quote for story in stories],
            }
        )
    people, _ = actions.village_for(plan)
    pictures = [(p, village_svg(p, ident=f"village-{i}")) for i, p in enumerate(people)]
    return render(
        request,
        "voice/children.html",
        _context(
            plan,
            title=f"What children said about {plan.area_name}'s plan",
            priorities=priorities,
            pictures=pictures,
        ),
    )


@require_http_methods(["GET", "POST"])
def tell_us(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _public_plan(request, slug)
    themes = _themes(plan)
    choices = [(t.key, _child_title(t)) for t in themes]
    form = StoryForm(request.POST or None, themes=choices)
    problem = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            problem = "Your story could not be sent. Please try again without the extra field."
        else:
            theme = next(t for t in themes if t.key == form.cleaned_data["theme"])
            try:
                actions.submit_story(
                    plan,
                    theme,
                    teller=Teller(form.cleaned_data["teller"]),
                    what_changed=form.cleaned_data["what_changed"],
                    for_whom=form.cleaned_data["for_whom"],
                    consent_to_publish=form.cleaned_data["consent"] == "yes",
                    age_group=form.cleaned_data["age_group"],
                    address=request.META.get("REMOTE_ADDR", ""),
                    now=timezone.now(),
                )
            except StoryError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            except actions.TooManyStories as error:
                problem = str(error)
            else:
                return redirect("voice:thanks", slug=plan.slug)
    status = 429 if problem and "wait" in problem else 200 if not form.errors else 400
    return render(
        request,
        "voice/tell_us.html",
        _context(
            plan,
            title="Tell us what changed",
            form=form,
            problem=problem,
            themes=choices,
            age_groups=AGE_GROUPS,
        ),
        status=status,
    )


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _public_plan(request, slug)
    return render(request, "voice/thanks.html", _context(plan, title="Thank you"))


def _child_heading(theme: pm.Theme, wording: vm.ChildWording | None) -> tuple[str, str]:
    """The priority's heading and the plain words under it (none when they are the heading)."""
    if wording is None:
        return theme.title, ""
    if wording.title:
        return wording.title, wording.plain_words
    return wording.plain_words, ""


def _child_title(theme: pm.Theme) -> str:
    return _child_heading(theme, vm.ChildWording.objects.filter(theme=theme).first())[0]


# -- staff ------------------------------------------------------------------------------


@staff_only
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(slug)
    counts = dict(vm.Story.objects.filter(plan=plan).values_list("status").annotate(n=Count("pk")))
    today = timezone.localdate()
    return render(
        request,
        "voice/overview.html",
        _context(
            plan,
            title="Children and young people's voice",
            consultations=vm.Consultation.objects.filter(plan=plan).prefetch_related(
                "agreements__theme"
            ),
            counts=counts,
            themes=_themes(plan),
            month=today,
        ),
    )


@staff_only
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(slug)
    themes = _themes(plan)
    form = ConsultationForm(request.POST or None, theme_keys=[t.key for t in themes])
    if request.method == "POST" and form.is_valid():
        try:
            consultation = _consultation_from(form, themes)
        except c.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            actions.record_consultation(
                plan, consultation, {t.title: t.key for t in themes}, user=request.user
            )
            return redirect("voice:overview", slug=plan.slug)
    return render(
        request,
        "voice/consultation_form.html",
        _context(
            plan,
            title="Record a consultation",
            form=form,
            themes=themes,
            age_groups=list(enumerate(AGE_GROUPS)),
        ),
        status=400 if form.errors else 200,
    )


def _consultation_from(form: ConsultationForm, themes: list[pm.Theme]) -> c.Consultation:
    data = form.cleaned_data
    groups = tuple(
        c.AgeGroup(label, data[f"age_{i}"])
        for i, label in enumerate(AGE_GROUPS)
        if data.get(f"age_{i}") is not None
    )
    agreements = []
    for theme in themes:
        agreed, asked = data.get(f"agreed_{theme.key}"), data.get(f"asked_{theme.key}")
        if agreed is None and asked is None:
            continue
        if agreed is None or asked is None:
            raise c.ConsultationError(
                f"{theme.title}: enter both how many agreed and how many were asked"
            )
        agreements.append(c.PriorityAgreement(theme.title, agreed, asked))
    issues = [line.strip() for line in data["issues"].splitlines() if line.strip()]
    return c.Consultation(
        title=data["title"],
        run_by=data["run_by"],
        held_from=data["held_from"],
        held_to=data["held_to"],
        method=c.Method(data["method"]),
        age_groups=groups,
        agreements=tuple(agreements),
        ranked_issues=tuple(c.RankedIssue(i + 1, text) for i, text in enumerate(issues)),
        themes=tuple(line.strip() for line in data["themes"].splitlines() if line.strip()),
    )


@staff_only
def moderation_queue(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan(slug)
    pending = vm.Story.objects.filter(plan=plan, status=Moderation.PENDING.value).select_related(
        "theme"
    )
    return render(
        request,
        "voice/moderation.html",
        _context(plan, title="Stories to check", stories=pending),
    )


@staff_only
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = _plan(slug)
    story = get_object_or_404(vm.Story, plan=plan, pk=pk)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.moderate_story(
                story,
                Moderation(form.cleaned_data["decision"]),
                cleared_flags=form.cleaned_data["cleared_flags"],
                note=form.cleaned_data["note"],
                user=request.user,
                now=timezone.now(),
            )
        except StoryError as error:
            form.add_error("decision", error.message)
        else:
            return redirect("voice:moderation", slug=plan.slug)
    return render(
        request,
        "voice/moderate.html",
        _context(
            plan,
            title=f"Check story {story.pk}",
            story=story,
            form=form,
            domain=actions.as_domain(story),
        ),
        status=400 if form.errors else 200,
    )


@staff_only
def summary(request: HttpRequest, slug: str, year: int, month: int) -> HttpResponse:
    plan = _plan(slug)
    if not 1 <= month <= 12:
        raise Http404("No such month")
    rows = vm.Story.objects.filter(plan=plan, received__year=year, received__month=month)
    themes = _themes(plan)
    titles = {t.key: t.title for t in themes}
    order = {t.key: index for index, t in enumerate(themes)}
    months = monthly_summary(
        [actions.as_domain(r) for r in rows.select_related("theme")], date(year, month, 1)
    )
    months.sort(key=lambda item: order.get(item.priority, len(order)))
    return render(
        request,
        "voice/summary.html",
        _context(
            plan,
            title=f"Stories in {date(year, month, 1):%B %Y}",
            months=months,
            titles=titles,
            month=date(year, month, 1),
        ),
    )


@staff_only
@require_http_methods(["GET", "POST"])
def wording(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Edit a priority's child-friendly words; a reading age above 10 must be confirmed."""
    plan = _plan(slug)
    theme = get_object_or_404(pm.Theme, plan=plan, key=key)
    current = vm.ChildWording.objects.filter(theme=theme).first()
    initial = (
        {
            "title": current.title,
            "plain_words": current.plain_words,
            "what_changed": current.what_changed,
        }
        if current
        else {}
    )
    form = WordingForm(request.POST or None, initial=initial)
    reading = None
    if request.method == "POST" and form.is_valid():
        text = " ".join([form.cleaned_data["plain_words"], form.cleaned_data["what_changed"]])
        reading = assess(text)
        if reading.child_friendly or form.cleaned_data["accept_reading_age"]:
            actions.set_child_wording(
                theme,
                title=form.cleaned_data["title"],
                plain_words=form.cleaned_data["plain_words"],
                what_changed=form.cleaned_data["what_changed"],
                user=request.user,
            )
            return redirect(reverse("voice:overview", args=[plan.slug]))
        form.add_error(
            "plain_words",
            f"This reads at about age {reading.reading_age:.0f}; children's pages should read "
            f"at age 10 (grade {CHILD_GRADE:.0f}) or under. Use shorter words and sentences, "
            "or tick the box to keep it anyway",
        )
    return render(
        request,
        "voice/wording.html",
        _context(
            plan,
            title=f"Words for children: {theme.title}",
            form=form,
            theme=theme,
            reading=reading,
        ),
        status=400 if form.errors else 200,
    )

"""`cypp demo`'s voice data: Buckinghamshire's published consultation, Worcestershire's village."""

from __future__ import annotations

import pytest
from django.test import Client

from cypp.domain.plan import Plan
from cypp.voice.stories import EXAMPLE_LABEL
from cypp.web.audit.models import AuditEvent
from cypp.web.plans import models as pm
from cypp.web.plans.actions import store_plan
from cypp.web.voice import actions
from cypp.web.voice import models as vm
from cypp.web.voice.demo import BUCKS, BUCKS_TITLE, WORCS, load_demo_voice
from cypp.web.voice.results import voice_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(example_plans: dict[str, Plan]) -> None:
    for slug in (BUCKS, WORCS):
        store_plan(example_plans[slug], actor="test")


def test_bucks_counts_come_from_the_published_percentages_and_demo_is_idempotent(
    plans: None,
) -> None:
    first = load_demo_voice()
    assert "consultation stored (5 priorities, 197 asked)" in first
    assert "village of 100 set (4 figures)" in first
    consultation = vm.Consultation.objects.get(plan__slug=BUCKS, title=BUCKS_TITLE)
    agreements = [
        (a.theme.title, a.agreed, a.asked, f"{a.percent:.2f}")
        for a in consultation.agreements.order_by("theme__position")
    ]
    assert agreements == [
        ("Closing the Gap", 193, 197, "97.97"),
        ("Transitions", 180, 197, "91.37"),
        ("Early Intervention and Secondary Prevention", 188, 197, "95.43"),
        ("Family Focus", 187, 197, "94.92"),
        ("Children and young people's involvement in decision making", 192, 197, "97.46"),
    ]
    assert consultation.participants == 197
    assert "The plan gives neither the consultation's dates" in consultation.note

    events = AuditEvent.objects.count()
    rows = (vm.Consultation.objects.count(), vm.Agreement.objects.count(),
            vm.VillageFigure.objects.count(), vm.Story.objects.count())  # fmt: skip
    second = load_demo_voice()
    assert "consultation already stored" in second and "village of 100 already set" in second
    assert "example stories already stored" in second
    assert AuditEvent.objects.count() == events
    assert rows == (vm.Consultation.objects.count(), vm.Agreement.objects.count(),
                    vm.VillageFigure.objects.count(), vm.Story.objects.count())  # fmt: skip


def test_worcestershire_village_is_shown_with_its_arithmetic(plans: None) -> None:
    load_demo_voice()
    people, problems = actions.village_for(pm.Plan.objects.get(slug=WORCS))
    assert problems == []
    neet = next(p for p in people if "education, employment" in p.sentence)
    assert neet.sentence == (
        "5 children aged 16 to 18 would not be in education, employment or training."
    )
    assert neet.arithmetic.startswith("4.7% of 100 children is 4.7; rounded to 5")
    page = Client().get(f"/children/{WORCS}/").content.decode()
    assert "4.7% of 100 children is 4.7; rounded to 5" in page


def test_bucks_plan_page_shows_the_published_consultation(plans: None) -> None:
    load_demo_voice()
    html = Client().get(f"/plans/{BUCKS}/").content.decode()
    assert "<strong>98.0%</strong> (193 of 197 asked; 95% confidence interval" in html
    assert "April 2010 to March 2011" in html
    assert "Buckinghamshire Children and Young People&#39;s Trust" in html


def test_example_stories_are_labelled_wherever_they_are_quoted(plans: None) -> None:
    assert "4 example stories stored" in load_demo_voice()
    plan = pm.Plan.objects.get(slug=WORCS)
    assert vm.Story.objects.filter(plan=plan, example=True).count() == 4
    page = Client().get(f"/children/{WORCS}/").content.decode()
    quote = "I know which adult to talk to at school if something at home worries me."
    assert f"{quote} {EXAMPLE_LABEL}" in page
    assert "leaflet" not in page  # kept private
    section = voice_section(plan)
    assert section.month_text == "March 2015"
    assert [(s.received, s.published) for s in section.stories] == [(2, 2), (2, 1)]
    assert all(q.endswith(EXAMPLE_LABEL) for s in section.stories for q in s.quotes)


def test_overview_of_a_plan_without_figures_still_shows_what_children_said(
    plans: None, django_user_model
) -> None:  # type: ignore[no-untyped-def]
    load_demo_voice()
    client = Client()
    client.force_login(django_user_model.objects.create_user("o", password="x", is_staff=True))
    html = client.get(f"/plans/{BUCKS}/performance/").content.decode()
    assert "No figures have been stored for this plan yet" in html
    assert html.count("What children and young people said about this priority") == 5
    assert "(188 of 197 asked; 95% confidence interval" in html

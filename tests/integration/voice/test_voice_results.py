"""Consultation results on the plan, performance and measure pages, and in the board pack."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from openpyxl import load_workbook

from cypp.voice import consultations as c
from cypp.voice.stories import Moderation, Teller
from cypp.web.performance.actions import calculate_ratings
from cypp.web.plans import models as pm
from cypp.web.plans.actions import create_plan_from_domain
from cypp.web.voice import actions
from cypp.web.voice import models as vm
from cypp.web.voice.results import theme_results, voice_section
from tests.integration.performance.conftest import FIGURES, batch
from tests.paths import EXAMPLES

pytestmark = pytest.mark.django_db

SLUG = "worcestershire-2014-17"
HEALTHY = "children-and-young-people-have"  # the priority of measure m01
HEALTHY_TITLE = "Children and young people have a healthy lifestyle"


@pytest.fixture
def plan() -> pm.Plan:
    from cypp.domain.planfile import load_plan
    from cypp.web.data.actions import import_observations

    stored = create_plan_from_domain(load_plan(EXAMPLES / f"{SLUG}.yaml"), actor="test")
    import_observations(batch(FIGURES), plan=stored, actor="test")
    return stored


@pytest.fixture
def consultation(plan: pm.Plan) -> vm.Consultation:
    recorded = c.Consultation(
        title="Make Your Mark 2014",
        run_by="Worcestershire Youth Cabinet",
        held_from=date(2014, 9, 1),
        held_to=date(2014, 10, 31),
        method=c.Method.BALLOT,
        age_groups=(c.AgeGroup("11 to 15", 150), c.AgeGroup("16 to 18", 50)),
        agreements=(c.PriorityAgreement(HEALTHY_TITLE, 180, 200),),
        ranked_issues=(c.RankedIssue(1, "Bullying"), c.RankedIssue(2, "Work experience")),
        themes=("Buses after school", "Safe parks"),
    )
    return actions.record_consultation(plan, recorded, {HEALTHY_TITLE: HEALTHY})


@pytest.fixture
def officer(django_user_model) -> Client:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user("officer", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def _stories(plan: pm.Plan) -> None:
    theme = pm.Theme.objects.get(plan=plan, key=HEALTHY)
    now = datetime(2015, 3, 10, 12, tzinfo=UTC)
    texts = [
        ("My friend Alfie and I swim every week now", True, Moderation.PUBLISHED),
        ("The school gave us free fruit every morning", False, Moderation.KEPT_PRIVATE),
        ("I walk to school with my dad on Mondays", True, None),
    ]
    for index, (text, consent, decision) in enumerate(texts):
        row = actions.submit_story(
            plan, theme, teller=Teller.CHILD, what_changed=text, for_whom="me",
            consent_to_publish=consent, age_group="11 to 15", address=f"10.0.0.{index}", now=now,
        )  # fmt: skip
        if decision is not None:
            actions.moderate_story(row, decision, cleared_flags=True, note="", user=None, now=now)


def _assert_result(html: str) -> None:
    assert "What children and young people said about this priority" in html
    assert "Make Your Mark 2014" in html
    assert "September to October 2014" in html
    assert "Worcestershire Youth Cabinet" in html
    assert (
        "<strong>90.0%</strong> (180 of 200 asked; 95% confidence interval 85.1% to 93.4%)" in html
    )
    assert "<li>Bullying</li><li>Work experience</li>" in html
    assert "<li>Safe parks</li>" in html


def test_theme_results_are_keyed_by_theme_with_interval(
    plan: pm.Plan, consultation: vm.Consultation
) -> None:
    results = theme_results(plan)
    assert list(results) == [HEALTHY]
    result = results[HEALTHY][0].result
    assert (result.agreed, result.asked, result.consultation.participants) == (180, 200, 200)
    assert round(result.lower, 1) == 85.1 and round(result.upper, 1) == 93.4


def test_plan_page_shows_results_in_the_priority_section(
    plan: pm.Plan, consultation: vm.Consultation
) -> None:
    html = Client().get(f"/plans/{SLUG}/").content.decode()
    section = html[html.index('id="themes-1"') : html.index('id="themes-2"')]
    _assert_result(section)
    assert "Make Your Mark" not in html[html.index('id="themes-2"') :]


def test_draft_plan_results_are_not_public(plan: pm.Plan, consultation: vm.Consultation) -> None:
    pm.Plan.objects.filter(pk=plan.pk).update(status="draft")
    assert Client().get(f"/plans/{SLUG}/").status_code == 404


def test_performance_overview_and_measure_page_show_results(
    plan: pm.Plan, consultation: vm.Consultation, officer: Client
) -> None:
    overview = officer.get(f"/plans/{SLUG}/performance/").content.decode()
    _assert_result(overview)
    measure = officer.get(f"/plans/{SLUG}/measures/m01/").content.decode()
    _assert_result(measure)
    assert f"This measure belongs to the priority “{HEALTHY_TITLE}”" in measure
    other = officer.get(f"/plans/{SLUG}/measures/m13/").content.decode()
    assert "What children and young people said" not in other


def test_board_pack_shows_what_children_told_us_and_only_shareable_quotes(
    plan: pm.Plan, consultation: vm.Consultation, officer: Client
) -> None:
    calculate_ratings(plan, "2014/15", actor="test")
    before = officer.get(f"/plans/{SLUG}/board-pack.html").content.decode()
    assert "What children and young people told us" in before
    assert "Stories of what changed" not in before
    _stories(plan)  # audited, so the kept pack of the stored run is not reused
    html = officer.get(f"/plans/{SLUG}/board-pack.html").content.decode()
    section = html[html.index('id="voice"') : html.index('id="annual-review"')]
    assert f"Agreement with the priority “{HEALTHY_TITLE}”" in section
    assert "Stories of what changed in March 2015" in section
    assert "My friend [name removed] and I swim every week now" in section
    assert "Alfie" not in html
    assert "free fruit" not in html and "walk to school" not in html
    assert "10.0.0" not in html and "11 to 15" not in section.split("Stories")[1]
    workbook = load_workbook(io.BytesIO(officer.get(f"/plans/{SLUG}/board-pack.xlsx").content))
    rows = list(workbook["Stories"].iter_rows(values_only=True))
    assert rows[1][1:4] == (HEALTHY_TITLE, 3, 1)


def test_voice_section_counts_the_latest_month_only(plan: pm.Plan) -> None:
    _stories(plan)
    theme = pm.Theme.objects.get(plan=plan, key=HEALTHY)
    actions.submit_story(
        plan, theme, teller=Teller.PARENT, what_changed="An older story from last year",
        for_whom="my son", consent_to_publish=True, age_group="", address="10.1.1.1",
        now=datetime(2014, 5, 1, 12, tzinfo=UTC),
    )  # fmt: skip
    section = voice_section(plan)
    assert section.stories_month == date(2015, 3, 1)
    assert [(s.received, s.published) for s in section.stories] == [(3, 1)]


def test_annual_review_says_what_children_said_beside_we_said_we_did(
    plan: pm.Plan, consultation: vm.Consultation, officer: Client
) -> None:
    html = officer.get(f"/plans/{SLUG}/review/").content.decode()
    card = html[html.index(HEALTHY_TITLE) :]
    card = card[: card.index("govuk-summary-card__title", 1)]
    assert "What children and young people said" in card
    assert (
        "90.0% agreed with this priority (180 of 200 asked; 95% confidence interval "
        "85.1% to 93.4%) in Make Your Mark 2014, September to October 2014"
    ) in card
    assert html.count("What children and young people said") == 1

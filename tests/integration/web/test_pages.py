"""The plan pages, error pages, static files and admin, through Django's test client."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cypp.domain.plan import Plan
from cypp.web.plans import models as m
from cypp.web.plans.actions import store_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(example_plans: dict[str, Plan]) -> dict[str, Plan]:
    for plan in example_plans.values():
        store_plan(plan, actor="test")
    return example_plans


def test_home_lists_every_plan_with_a_link(admin_client: Client, stored: dict[str, Plan]) -> None:
    page = admin_client.get("/").content.decode()
    assert "<caption" in page and "5 plans" in page
    for slug, plan in stored.items():
        assert f'href="/plans/{slug}/"' in page
        assert plan.title in page.replace("&#39;", "'")


def test_home_without_plans_says_how_to_load_one(client: Client) -> None:
    page = client.get("/").content.decode()
    assert "No plans yet" in page
    assert "cypp plan load" in page


def test_plan_page_reads_baselines_and_targets_in_plain_english(
    client: Client, stored: dict[str, Plan]
) -> None:
    response = client.get("/plans/worcestershire-2014-17/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "From 416 per 10,000 in 2012/13 to 377.5 per 10,000 in 2014/15." in page
    assert "At most 14% in 2014/15" in page  # "14% or fewer"
    assert "Not significantly different from England" in page
    plan = stored["worcestershire-2014-17"]
    # Every priority is a section with a level-2 heading, every measure a level-4 heading.
    assert len(re.findall(r'<h2 class="govuk-heading-l"', page)) == len(plan.themes) + len(
        plan.cross_cutting
    ) + (1 if plan.boards else 0)
    assert page.count('<h4 class="govuk-heading-s">') == plan.measure_count()


def test_every_example_plan_page_renders(admin_client: Client, stored: dict[str, Plan]) -> None:
    for slug, plan in stored.items():
        page = admin_client.get(f"/plans/{slug}/").content.decode()
        assert page.count('class="cypp-measure"') == plan.measure_count(), slug
        assert '<main class="govuk-main-wrapper' in page
        assert 'href="#main-content"' in page


def test_tables_have_captions_and_header_scopes(client: Client, stored: dict[str, Plan]) -> None:
    page = client.get("/plans/buckinghamshire-2011-14/").content.decode()
    tables = re.findall(r"<table.*?</table>", page, flags=re.S)
    assert tables
    for table in tables:
        assert "<caption" in table
        assert 'scope="col"' in table


def test_unknown_plan_is_a_gov_uk_not_found_page(client: Client) -> None:
    response = client.get("/plans/nowhere-2020/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/static/govuk/cypp.min.css",
        "/static/govuk/govuk-frontend.min.js",
        "/static/cypp/init.mjs",
        "/static/cypp/favicon.svg",
        "/static/cypp/favicon.ico",
        "/static/cypp/icon-180.png",
    ],
)
def test_static_assets_are_served(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_stylesheet_uses_system_fonts_and_no_crown(client: Client) -> None:
    response = client.get("/static/govuk/cypp.min.css")
    css = b"".join(response.streaming_content).decode()
    assert "system-ui" in css
    assert "GDS Transport" not in css
    assert ".woff" not in css
    page = client.get("/").content.decode()
    assert "govuk-header__logotype" not in page
    assert "favicon.svg" in page and "/assets/images/" not in page


def test_admin_shows_stored_plans(admin_client: Client, stored: dict[str, Plan]) -> None:
    plan = m.Plan.objects.get(slug="worcestershire-2014-17")
    measure = m.Measure.objects.filter(theme__plan=plan).first()
    assert measure is not None
    for url in (
        "/admin/plans/plan/",
        f"/admin/plans/plan/{plan.pk}/change/",
        f"/admin/plans/plan/{plan.pk}/history/",
        "/admin/plans/measure/",
        f"/admin/plans/measure/{measure.pk}/change/",
        "/admin/audit/auditevent/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert "Worcestershire" in admin_client.get("/admin/plans/plan/").content.decode()


def test_linter_findings_sit_beside_the_measure_they_concern(
    client: Client, stored: dict[str, Plan]
) -> None:
    page = client.get("/plans/worcestershire-2014-17/").content.decode()
    blocks = re.findall(
        r'<div class="cypp-measure".*?(?=<div class="cypp-measure"|</section>)', page, flags=re.S
    )
    year6 = next(block for block in blocks if "Year 6 pupils with excess weight</h4>" in block)
    assert "cypp-findings" in year6
    assert "31.9%" in year6 and "33%" in year6
    assert "possible problem" in page

"""The plan list and plan pages in a real browser: navigation, keyboard, axe WCAG 2.2 AA."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.paths import EXAMPLES

pytestmark = pytest.mark.browser

PLAN_STEMS = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))

HEADING_LEVELS = """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
    .filter(h => h.offsetParent !== null || h.closest('.govuk-visually-hidden'))
    .map(h => Number(h.tagName[1]))"""


def assert_heading_order(page: Page) -> None:
    levels = page.evaluate(HEADING_LEVELS)
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"


def sign_in_as_board_member(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    """Board members see draft plans too (the public sees published plans only)."""
    from django.test import Client

    from cypp.web.accounts.actions import add_user
    from cypp.web.accounts.roles import Role

    client = Client()
    client.force_login(add_user("board-member", Role.BOARD_MEMBER))
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


def test_plan_list_links_to_each_plan(
    page: Page, live_server, store_examples, assert_accessible: Callable[[Page], None]
) -> None:
    store_examples()
    sign_in_as_board_member(page, live_server)
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Children and Young People's Plans")
    table = page.locator("table")
    expect(table.locator("caption")).to_have_text("5 plans")
    expect(table.locator("tbody tr")).to_have_count(5)
    assert_accessible(page)
    assert_heading_order(page)

    page.get_by_role(
        "link", name="Worcestershire Children and Young People's Plan 2014-2017"
    ).click()
    expect(page).to_have_url(live_server.url + "/plans/worcestershire-2014-17/")
    expect(page.locator("h1")).to_contain_text("Worcestershire Children and Young People's Plan")


def test_empty_plan_list_is_accessible(
    page: Page, live_server, transactional_db, assert_accessible: Callable[[Page], None]
) -> None:
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="No plans yet")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("stem", PLAN_STEMS)
def test_plan_page_is_accessible(
    page: Page, live_server, store_examples, assert_accessible: Callable[[Page], None], stem: str
) -> None:
    store_examples(stem)
    sign_in_as_board_member(page, live_server)
    page.goto(f"{live_server.url}/plans/{stem}/")
    expect(page.locator("main h1")).to_be_visible()
    assert page.locator(".cypp-measure").count() > 0
    assert_accessible(page)
    assert_heading_order(page)


def test_plan_page_reads_in_plain_english_and_works_by_keyboard(
    page: Page, live_server, store_examples
) -> None:
    store_examples("worcestershire-2014-17")
    page.goto(f"{live_server.url}/plans/worcestershire-2014-17/")
    # GOV.UK Frontend's JavaScript loaded from our static files and ran.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    measure = page.locator(".cypp-measure", has_text="Year 6 pupils with excess weight")
    expect(measure.locator("p").first).to_have_text("From 31.9% in 2012/13 to 33% in 2013/14.")
    expect(measure.locator(".govuk-summary-list")).to_contain_text("Lower is better")

    # The first Tab reaches the skip link; following it moves focus into the main content.
    page.keyboard.press("Tab")
    skip = page.locator(".govuk-skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    # The contents list jumps to a priority.
    page.get_by_role("link", name="Children and young people are protected from abuse").click()
    assert page.url.endswith("#themes-4")
    expect(page.locator("#themes-4-title")).to_be_in_viewport()


def test_landmarks_and_header_name_the_partnership(page: Page, live_server, store_examples) -> None:
    store_examples("buckinghamshire-2011-14")
    page.goto(f"{live_server.url}/plans/buckinghamshire-2011-14/")
    for role in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_visible()
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Children and Young People's Partnership")
    assert header.locator("svg").count() == 0  # no crown
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")


def test_not_found_page_is_accessible(
    page: Page, live_server, transactional_db, assert_accessible: Callable[[Page], None]
) -> None:
    response = page.goto(f"{live_server.url}/plans/nowhere-2020/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert_accessible(page)

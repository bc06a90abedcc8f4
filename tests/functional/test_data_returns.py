"""Data returns in a real browser: the partner's form by keyboard only, officer pages, axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.functional.keyboard import tab_to

pytestmark = pytest.mark.browser

PASSWORD = "a-long-browser-test-password"


@pytest.fixture
def returns_setup(store_examples, django_user_model):
    """The Worcestershire plan, an officer, two partners and an open collection."""
    from cypp.web.data import actions
    from cypp.web.plans.models import Plan

    store_examples("worcestershire-2014-17")
    plan = Plan.objects.get(slug="worcestershire-2014-17")
    officer = django_user_model.objects.create_user(
        "officer", "officer@example.org", PASSWORD, is_staff=True
    )
    police = actions.create_organisation("West Mercia Police", kind="police", user=officer)
    nhs = actions.create_organisation("Health and Care NHS Trust", kind="nhs", user=officer)
    measures = actions.plan_measures(plan)
    for key, org in (("m01", police), ("m02", police), ("m03", nhs)):
        actions.assign_measure_owner(measures[key], org, user=officer)
    collection = actions.open_collection(
        plan, "Q1 2025/26", due=date(2030, 7, 31), opens=date(2025, 7, 1), user=officer
    )
    police_return = collection.returns.get(organisation=police)
    return {
        "officer": officer,
        "collection": collection,
        "return": police_return,
        "items": {i.measure.key: i for i in police_return.items.select_related("measure")},
        "token": actions.create_access_link(police_return, user=officer),
    }


def test_return_form_by_keyboard_only(
    page: Page, live_server, returns_setup, assert_accessible: Callable[[Page], None]
) -> None:
    from cypp.web.data.models import Return

    items = returns_setup["items"]
    m01, m02 = f"#value-{items['m01'].pk}", f"#value-{items['m02'].pk}"
    page.goto(f"{live_server.url}/data/link/{returns_setup['token']}/")
    expect(page.locator("h1")).to_have_text("Figures for Q1 2025/26")
    assert_accessible(page)

    # A wrong figure: type it, leave the other empty, send with Enter.
    tab_to(page, m01)
    page.keyboard.type("about forty")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page.locator(f"#value-{items['m01'].pk}-error")).to_contain_text("Enter a number")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    # Follow the first error link from the keyboard: focus lands in the field.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(m01)).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("35.2")
    tab_to(page, f"#commentary-{items['m01'].pk}")
    page.keyboard.type("Two new officers joined the team")
    tab_to(page, m02)
    page.keyboard.type("c")
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-panel__title")).to_have_text("Figures sent")
    assert_accessible(page)
    sent = Return.objects.get(pk=returns_setup["return"].pk)
    assert sent.status == "submitted"
    values = {i.measure.key: (i.value, i.suppression_code, i.commentary) for i in sent.items.all()}
    assert values == {
        "m01": (35.2, "", "Two new officers joined the team"),
        "m02": (None, "c", ""),
    }


def sign_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/data/")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.fill("#login", "officer")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Data collection")


def test_officer_pages_are_accessible_and_approve_a_return(
    page: Page, live_server, returns_setup, assert_accessible: Callable[[Page], None]
) -> None:
    from cypp.web.data import actions
    from cypp.web.data.models import Observation, Revision

    ret = returns_setup["return"]
    actions.submit_return(
        ret,
        {i.pk: actions.ItemAnswer("12.5", "steady") for i in returns_setup["items"].values()},
        actor="link",
    )
    page.goto(f"{live_server.url}/account/sign-in/")
    assert_accessible(page)
    sign_in(page, live_server)
    assert_accessible(page)

    page.goto(f"{live_server.url}/data/plans/worcestershire-2014-17/upload/")
    assert_accessible(page)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a file to upload")
    assert_accessible(page)

    page.goto(f"{live_server.url}/data/plans/worcestershire-2014-17/collections/")
    assert_accessible(page)
    page.get_by_role("link", name="Q1 2025/26").click()
    expect(page.locator("h1")).to_contain_text("Collection for Q1 2025/26")
    assert_accessible(page)
    page.get_by_role("link", name="Review the return from West Mercia Police").click()
    expect(page.locator("h1")).to_contain_text("West Mercia Police")
    assert_accessible(page)
    page.get_by_role("button", name="Return with comment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what the organisation")
    assert_accessible(page)
    page.get_by_role("button", name="Approve the return").click()
    expect(page.locator("h1")).to_contain_text("Collection for Q1 2025/26")
    assert Observation.objects.filter(measure__key__in=["m01", "m02"]).count() == 2
    assert_accessible(page)

    # After the collection closes, a figure changes only as a correction with a reason.
    page.get_by_role("button", name="Close this collection").click()
    page.get_by_role("link", name=re.compile(r"^Correct ")).first.click()
    expect(page.locator("h1")).to_contain_text("Correct a figure")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the corrected figure")
    assert_accessible(page)
    page.fill("#value", "13")
    page.fill("#reason", "late figures from the force")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator("h1")).to_contain_text("Collection for Q1 2025/26")
    assert Revision.objects.get().reason == "late figures from the force"

"""Performance pages in a real browser: every page template checked by axe (WCAG 2.2 AA),
the exception form completed by keyboard only, and the PDF board pack read by pdftotext."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.functional.keyboard import tab_to

pytestmark = pytest.mark.browser

SLUG = "worcestershire-2014-17"
AREA = "E10000034"
ENGLAND = "E92000001"
NAME = "Hospital admissions as a result of self-harm (10-24 years)"
#: Set to a folder to keep a screenshot of each page (for checking by eye).
SHOTS = os.environ.get("CYPP_SCREENSHOTS")

HEADING_LEVELS = "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"


def check(page: Page, assert_accessible: Callable[[Page], None], name: str) -> None:
    """axe with no WCAG 2.2 AA violation, one h1 and no skipped heading level."""
    assert_accessible(page)
    levels = page.evaluate(HEADING_LEVELS)
    assert levels and levels.count(1) == 1, (name, levels)
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{name}: heading jumps from h{before} to h{after}"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def rows(*items: tuple[str, str, str, str]) -> list[dict[str, str]]:
    return [
        {"measure": m, "area_code": a, "period": p, "value": v, "quality": "final"}
        for m, a, p, v in items
    ]


@pytest.fixture
def rated(store_examples, django_user_model):
    """The Worcestershire plan with figures for two measures, rated for 2014/15, one revised."""
    from cypp.web.data.actions import import_observations
    from cypp.web.performance.actions import calculate_ratings
    from cypp.web.plans.models import Plan
    from tests.integration.performance.conftest import batch

    store_examples(SLUG)
    plan = Plan.objects.get(slug=SLUG)
    figures = rows(
        ("m01", AREA, "2011/12", "430"),
        ("m01", AREA, "2012/13", "416"),
        ("m01", AREA, "2013/14", "401"),
        ("m01", AREA, "2014/15", "409.1"),
        ("m01", ENGLAND, "2013/14", "352"),
        ("m01", ENGLAND, "2014/15", "350"),
        ("m04", AREA, "2013/14", "25.2"),
        ("m04", AREA, "2014/15", "19.6"),
        ("m04", ENGLAND, "2014/15", "22.6"),
    )
    import_observations(batch(figures), plan=plan, actor="test")
    revised = rows(("m01", AREA, "2012/13", "415"))
    import_observations(batch(revised, "revision.csv"), plan=plan, actor="test")
    calculate_ratings(plan, "2014/15", actor="test")
    users = django_user_model.objects
    officer = users.create_user("officer", "o@example.org", "pw-x", is_staff=True)
    stranger = users.create_user("stranger", "s@example.org", "pw-y")
    return {"plan": plan, "officer": officer, "stranger": stranger}


def sign_in(page: Page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


def test_officer_pages_are_accessible(
    page: Page, live_server, rated, assert_accessible: Callable[[Page], None]
) -> None:
    sign_in(page, live_server, rated["officer"])
    base = f"{live_server.url}/plans/{SLUG}"

    page.goto(f"{base}/performance/")
    expect(page.locator("h1")).to_have_text("Performance")
    expect(page.locator("table").first.locator("caption")).to_be_visible()
    expect(page.get_by_text("Red", exact=True).first).to_be_visible()
    check(page, assert_accessible, "overview")

    page.goto(f"{base}/scorecard/")
    expect(page.locator("#scorecard tbody tr")).to_have_count(32)
    page.select_option("#rating", "Red")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#scorecard tbody tr")).to_have_count(1)
    expect(page.locator("#scorecard tbody th")).to_have_text(NAME)
    page.get_by_role("link", name=re.compile(r"^Measure\W+sort ascending$")).click()
    expect(page.locator("#scorecard thead th").first).to_have_attribute("aria-sort", "ascending")
    check(page, assert_accessible, "scorecard")

    page.get_by_role("link", name=NAME).click()
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.locator("svg[role=img]")).to_have_count(1)
    expect(page.get_by_text("Revised", exact=True)).to_be_visible()
    expect(page.get_by_text("Rule version")).to_be_visible()
    check(page, assert_accessible, "measure")

    page.goto(f"{base}/ratings/")
    check(page, assert_accessible, "calculate")

    page.goto(f"{base}/exceptions/")
    expect(page.get_by_text("Not yet recorded").first).to_be_visible()
    check(page, assert_accessible, "exceptions")
    page.get_by_role("button", name="Sign off the exception report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        f"{NAME}: enter the cause, recovery action, owner, review date"
    )
    check(page, assert_accessible, "exceptions-refused")

    page.goto(f"{base}/exceptions/m01/?period=2014/15")
    page.fill("#review_date-day", "31")
    page.fill("#review_date-month", "2")
    page.fill("#review_date-year", "2015")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Review date must be a real date")
    check(page, assert_accessible, "exception-note-error")

    page.goto(f"{base}/review/")
    expect(page.get_by_role("heading", name="We said").first).to_be_visible()
    check(page, assert_accessible, "review")
    page.get_by_role("link", name="Change the review of").first.click()
    page.fill("#we_said", "")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what the plan said")
    check(page, assert_accessible, "review-edit")

    page.goto(f"{base}/actions/")
    check(page, assert_accessible, "actions")
    page.get_by_role("link", name="Add an update").first.click()
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the action's status")
    check(page, assert_accessible, "action-update")
    page.get_by_label("At risk").check()
    page.fill("#text", "Recruitment is three months late")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved the update")
    expect(page.get_by_text("Recruitment is three months late")).to_be_visible()
    check(page, assert_accessible, "actions-updated")


def test_public_pages_and_forbidden_page_are_accessible(
    page: Page, live_server, rated, assert_accessible: Callable[[Page], None]
) -> None:
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name="Worcestershire Children and Young People's Plan").click()
    expect(page.locator("h1")).to_contain_text("How we are doing")
    expect(page.get_by_text("Not on track.").first).to_be_visible()
    expect(page.get_by_text("our target was 377.5 per 10,000 or lower by 2014/15")).to_be_visible()
    check(page, assert_accessible, "public-plan")
    page.goto(f"{live_server.url}/public/")
    check(page, assert_accessible, "public-home")

    sign_in(page, live_server, rated["stranger"])
    response = page.goto(f"{live_server.url}/plans/{SLUG}/scorecard/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("You cannot see this page")
    check(page, assert_accessible, "forbidden")


def test_exception_details_by_keyboard_only_then_sign_off(
    page: Page, live_server, rated, assert_accessible: Callable[[Page], None]
) -> None:
    from cypp.web.audit.models import AuditEvent
    from cypp.web.performance.models import ExceptionNote, ExceptionSignOff

    sign_in(page, live_server, rated["officer"])
    page.goto(f"{live_server.url}/plans/{SLUG}/exceptions/m01/?period=2014/15")
    tab_to(page, "#cause")
    page.keyboard.type("More admissions of 15 to 17 year olds")
    page.keyboard.press("Tab")
    page.keyboard.type("Targeted support in secondary schools")
    page.keyboard.press("Tab")
    page.keyboard.type("Public health lead")
    page.keyboard.press("Tab")
    page.keyboard.type("30")
    page.keyboard.press("Tab")
    page.keyboard.type("9")
    page.keyboard.press("Tab")
    page.keyboard.type("2015")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved the exception")
    note = ExceptionNote.objects.get(measure__key="m01")
    assert (note.owner, note.review_date.isoformat()) == ("Public health lead", "2015-09-30")

    # The other exceptions (if any) are completed the same way, then the report is signed off.
    from cypp.web.performance.actions import NoteInput, save_exception_note
    from cypp.web.performance.pages import load_pack
    from cypp.web.plans.models import Measure

    for item in load_pack(rated["plan"], "2014/15").pack.exceptions:
        if item.missing:
            measure = Measure.objects.get(theme__plan=rated["plan"], key=item.measure.id)
            save_exception_note(
                rated["plan"], "2014/15", measure, NoteInput("c", "r", "o", "2015-09-30")
            )
    page.goto(f"{live_server.url}/plans/{SLUG}/exceptions/?period=2014/15")
    tab_to(page, "#sign-off", limit=200)
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is signed off")
    check(page, assert_accessible, "exceptions-signed")
    assert ExceptionSignOff.objects.get().signed_by == rated["officer"]
    assert AuditEvent.objects.filter(verb="exceptions.sign_off").count() == 1


def test_pdf_board_pack_download_reads_back(page: Page, live_server, rated, tmp_path) -> None:
    sign_in(page, live_server, rated["officer"])
    page.goto(f"{live_server.url}/plans/{SLUG}/scorecard/?period=2014/15")
    with page.expect_download(timeout=240_000) as info:
        page.get_by_role("link", name="Download the board pack as PDF").click()
    download = info.value
    assert download.suggested_filename == f"{SLUG}-board-pack-2014-15.pdf"
    pdf = tmp_path / "pack.pdf"
    download.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = " ".join(text.split())
    assert "Plan 2014-2017: board report for 2014/15" in text
    assert "Hospital admissions as a result of self-harm" in text
    assert "409.1" in text
    info_text = subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert "Tagged:          yes" in info_text

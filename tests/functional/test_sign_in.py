"""Signing in, changing a password, signing out and resetting a password in a real browser,
and commenting on a measure; axe on every page and error state."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"
SLUG = "worcestershire-2014-17"


@pytest.fixture
def board_member(transactional_db):  # type: ignore[no-untyped-def]
    from cypp.web.accounts.actions import add_user
    from cypp.web.accounts.roles import Role

    return add_user("board", Role.BOARD_MEMBER, email="board@example.org", password=PASSWORD)


def sign_in(page: Page, live_server, login: str, password: str, next_url: str = "/") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/account/sign-in/?next={next_url}")
    page.fill("#login", login)
    page.fill("#password", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # the next page's icons too, so a following page.goto cancels nothing
    page.wait_for_load_state("networkidle")


def test_sign_in_out_and_reset_a_password(
    page: Page, live_server, board_member, assert_accessible: Callable[[Page], None]
) -> None:
    from django.core import mail

    page.goto(f"{live_server.url}/data/sign-in/")  # the old address moved here
    expect(page.locator("h1")).to_have_text("Sign in")
    assert page.url.endswith("/account/sign-in/")
    assert_accessible(page)

    sign_in(page, live_server, "board", "wrong password")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary a")).to_have_attribute("href", "#login")
    assert_accessible(page)

    sign_in(page, live_server, "board@example.org", PASSWORD, next_url="/public/")
    expect(page).to_have_url(f"{live_server.url}/public/")

    page.get_by_role("link", name="Change password").click()
    expect(page.locator("h1")).to_have_text("Change your password")
    assert_accessible(page)
    page.fill("#oldpassword", "not my password")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    page.fill("#oldpassword", PASSWORD)
    page.fill("#password1", "a-changed-browser-password")
    page.fill("#password2", "a-changed-browser-password")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("h1")).to_have_text("Your password has been changed")
    assert_accessible(page)

    page.get_by_role("link", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign out")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_role("link", name="I have forgotten my password").click()
    expect(page.locator("h1")).to_have_text("Reset your password")
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.fill("#email", "board@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    assert_accessible(page)

    link = re.search(r"https?://\S+/account/password/reset/key/\S+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    page.goto(link.group(0))
    expect(page.locator("h1")).to_have_text("Choose a new password")
    assert_accessible(page)
    page.fill("#password1", "another-long-password-42")
    page.fill("#password2", "another-long-password-42")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("h1")).to_have_text("Your password has been changed")
    assert_accessible(page)

    sign_in(page, live_server, "board", "a-changed-browser-password")
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # replaced by the reset
    sign_in(page, live_server, "board", "another-long-password-42", next_url="/public/")
    expect(page).to_have_url(f"{live_server.url}/public/")


def test_board_member_comments_on_a_measure(
    page: Page,
    live_server,
    store_examples,
    board_member,
    assert_accessible: Callable[[Page], None],
) -> None:
    store_examples(SLUG)
    comments = f"/plans/{SLUG}/measures/m01/comments/"
    sign_in(page, live_server, "board", PASSWORD, next_url=comments)
    expect(page.locator("h1")).to_contain_text("Comments on")
    assert_accessible(page)

    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Add a comment").fill("Why did admissions rise in 2014/15?")
    expect(page.locator(".govuk-character-count__status")).to_contain_text("characters remaining")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your comment has been added"
    )
    expect(page.locator("main")).to_contain_text("Why did admissions rise in 2014/15?")
    assert_accessible(page)

"""Children's voice end to end in a real browser: a consultation, a month of stories,
moderation and the children's page, with axe (WCAG 2.2 AA) on every voice page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SLUG = "worcestershire-2014-17"
PROTECTED = "Children and young people are protected from abuse and neglect"
HEALTHY = "Children and young people have a healthy lifestyle"
PLAIN = "The priority in words a 10-year-old can read"


def _log_in(page: Page, base: str, django_user_model) -> None:  # type: ignore[no-untyped-def]
    django_user_model.objects.create_user("officer", password="a long pass phrase", is_staff=True)
    page.goto(f"{base}/admin/login/?next=/voice/{SLUG}/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "a long pass phrase")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Children and young people's voice")


def test_story_sent_with_the_keyboard_only(
    page: Page, live_server, store_examples, assert_accessible: Callable[[Page], None]
) -> None:
    store_examples("worcestershire-2014-17")
    page.goto(f"{live_server.url}/children/{SLUG}/tell-us/")
    assert_accessible(page)
    # Sending the empty form shows the error summary, which must also be accessible.
    page.get_by_role("button", name="Send my story").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tell us what changed")
    assert_accessible(page)

    page.get_by_label("A child or young person").focus()
    page.keyboard.press("Space")
    page.get_by_label("Children and young people have a healthy lifestyle").focus()
    page.keyboard.press("Space")
    page.get_by_label("What changed?").focus()
    page.keyboard.type("I play football after school now and feel much fitter")
    page.keyboard.press("Tab")
    page.keyboard.type("me and my friends")
    page.get_by_label("Yes").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Send my story").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Thank you for your story")
    assert_accessible(page)


def test_consultation_stories_moderation_and_children_page(
    page: Page,
    live_server,
    store_examples,
    django_user_model,
    assert_accessible: Callable[[Page], None],
) -> None:
    store_examples("worcestershire-2014-17")
    base = live_server.url
    _log_in(page, base, django_user_model)
    assert_accessible(page)

    page.get_by_role("link", name="Record a consultation").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Make Your Mark 2013")
    page.get_by_label("Who ran it").fill("Worcestershire Youth Cabinet")
    page.get_by_label("Date it started").fill("2013-09-01")
    page.get_by_label("Date it ended").fill("2013-10-31")
    page.get_by_label("Aged 11 to 15").fill("180")
    group = page.get_by_role("group", name=f"Agreement with “{PROTECTED}”")
    group.get_by_label("How many agreed").fill("170")
    group.get_by_label("How many were asked").fill("180")
    page.get_by_label("Issues children ranked").fill("Bullying\nWork experience")
    page.get_by_role("button", name="Save consultation").click()
    expect(page.locator("table")).to_contain_text("170 of 180 (94.4%)")

    # A story arrives with a name in it; it stays private until checked.
    story = page.context.new_page()
    story.goto(f"{base}/children/{SLUG}/tell-us/")
    story.get_by_label("A parent or carer").check()
    story.get_by_label("Children and young people are protected from abuse and neglect").check()
    story.get_by_label("What changed?").fill("My son Alfie is no longer bullied on the bus")
    story.get_by_label("Who did it change things for?").fill("my son")
    story.get_by_label("Yes").check()
    story.get_by_role("button", name="Send my story").click()
    expect(story.locator("h1")).to_have_text("Thank you for your story")
    story.close()

    page.goto(f"{base}/voice/{SLUG}/stories/")
    assert_accessible(page)
    page.get_by_role("link", name="Check story").first.click()
    expect(page.locator("main")).to_contain_text("possible name “Alfie”")
    assert_accessible(page)
    page.get_by_label("Publish it").check()
    page.get_by_label("I have checked every highlighted detail").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator("main")).to_contain_text("There are no stories waiting")

    today = date.today()
    page.goto(f"{base}/voice/{SLUG}/summary/{today.year}/{today.month}/")
    expect(page.locator("table")).to_contain_text("protected from abuse and neglect")
    assert_accessible(page)

    page.goto(f"{base}/voice/{SLUG}/")
    page.get_by_role("link", name=PROTECTED).click()
    assert_accessible(page)
    page.get_by_label("Short title").fill("Keeping you safe")
    page.get_by_label(PLAIN).fill("Being kept safe from harm.")
    page.get_by_role("button", name="Save words").click()

    page.goto(f"{base}/children/{SLUG}/")
    main = page.locator("main")
    expect(main.locator("h2").first).to_have_text(HEALTHY)
    expect(main.get_by_role("heading", name="Keeping you safe")).to_be_visible()
    expect(main).to_contain_text("Being kept safe from harm.")
    expect(main).to_contain_text("170 out of 180")
    expect(main).to_contain_text("My son [name removed] is no longer bullied on the bus")
    expect(main).not_to_contain_text("Alfie")
    assert_accessible(page)

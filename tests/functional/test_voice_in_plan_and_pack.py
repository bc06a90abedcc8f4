"""What children said, end to end in a real browser: an officer records a consultation on the
priorities, stories arrive and are moderated, then the children's page, the plan's priority
section, the measure page and the board pack show it, with axe (WCAG 2.2 AA) on each page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SLUG = "worcestershire-2014-17"
AREA = "E10000034"
ENGLAND = "E92000001"
HEALTHY = "Children and young people have a healthy lifestyle"
PROTECTED = "Children and young people are protected from abuse and neglect"
M01 = "Hospital admissions as a result of self-harm (10-24 years)"  # a healthy-lifestyle measure


@pytest.fixture
def plan_with_figures(store_examples, django_user_model):  # type: ignore[no-untyped-def]
    """The Worcestershire plan with figures for one measure, rated for 2014/15."""
    from cypp.web.data.actions import import_observations
    from cypp.web.performance.actions import calculate_ratings
    from cypp.web.plans.models import Plan
    from tests.integration.performance.conftest import batch

    store_examples(SLUG)
    plan = Plan.objects.get(slug=SLUG)
    figures = [
        {"measure": "m01", "area_code": area, "period": period, "value": value,
         "quality": "final"}
        for area, period, value in ((AREA, "2013/14", "401"), (AREA, "2014/15", "409.1"),
                                    (ENGLAND, "2014/15", "350"))
    ]  # fmt: skip
    import_observations(batch(figures), plan=plan, actor="test")
    calculate_ratings(plan, "2014/15", actor="test")
    django_user_model.objects.create_user("officer", password="a long pass phrase", is_staff=True)
    return plan


def _go(page: Page, url: str) -> None:
    """Leave the page only once its icons have loaded, so no request is cut short."""
    page.wait_for_load_state("networkidle")
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _send_story(page: Page, base: str, priority: str, text: str, consent: str) -> None:
    story = page.context.new_page()
    story.goto(f"{base}/children/{SLUG}/tell-us/")
    story.get_by_label("A child or young person").check()
    story.get_by_label(priority).check()
    story.get_by_label("What changed?").fill(text)
    story.get_by_label("Who did it change things for?").fill("me and my friends")
    story.get_by_label(consent, exact=True).check()
    story.get_by_role("button", name="Send my story").click()
    expect(story.locator("h1")).to_have_text("Thank you for your story")
    story.wait_for_load_state("networkidle")
    story.close()


def _moderate(page: Page, base: str, decision: str) -> None:
    _go(page, f"{base}/voice/{SLUG}/stories/")
    page.get_by_role("link", name="Check story").first.click()
    page.get_by_label(decision).check()
    checked = page.get_by_label("I have checked every highlighted detail")
    if checked.count():
        checked.check()
    page.get_by_role("button", name="Save decision").click()
    page.wait_for_load_state("networkidle")


def test_what_children_said_reaches_every_page_and_the_board_pack(
    page: Page,
    live_server,
    plan_with_figures,
    assert_accessible: Callable[[Page], None],
) -> None:
    base = live_server.url
    _go(page, f"{base}/admin/login/?next=/voice/{SLUG}/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "a long pass phrase")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Children and young people's voice")

    # The officer records a consultation on the priorities with its results.
    page.get_by_role("link", name="Record a consultation").click()
    page.get_by_label("Title").fill("Make Your Mark 2014")
    page.get_by_label("Who ran it").fill("Worcestershire Youth Cabinet")
    page.get_by_label("Date it started").fill("2014-09-01")
    page.get_by_label("Date it ended").fill("2014-10-31")
    page.get_by_label("Aged 11 to 15").fill("150")
    page.get_by_label("Aged 16 to 18").fill("50")
    for priority, agreed in ((HEALTHY, "180"), (PROTECTED, "190")):
        group = page.get_by_role("group", name=f"Agreement with “{priority}”")
        group.get_by_label("How many agreed").fill(agreed)
        group.get_by_label("How many were asked").fill("200")
    page.get_by_label("Issues children ranked").fill("Bullying\nMental health\nBuses")
    page.get_by_label("Themes from what children wrote").fill("Safe parks\nMore sport clubs")
    page.get_by_role("button", name="Save consultation").click()
    expect(page.locator("table")).to_contain_text("180 of 200 (90.0%)")

    # Three stories arrive: one is published, one kept private, one waits.
    _send_story(page, base, HEALTHY, "My friend Alfie and I swim every week now", "Yes")
    _send_story(page, base, HEALTHY, "The school gives us free fruit every morning", "No")
    _send_story(page, base, PROTECTED, "I know who to talk to at school if I feel unsafe", "Yes")
    _moderate(page, base, "Keep it for the board")  # the newest: the school one
    _moderate(page, base, "Keep it for the board")  # the fruit story: no consent
    expect(page.locator("main")).to_contain_text("Check story")
    _moderate(page, base, "Publish it")
    expect(page.locator("main")).to_contain_text("There are no stories waiting")

    # The children's page.
    _go(page, f"{base}/children/{SLUG}/")
    main = page.locator("main")
    expect(main).to_contain_text("180 out of 200")
    expect(main).to_contain_text("My friend [name removed] and I swim every week now")
    expect(main).not_to_contain_text("Alfie")
    expect(main).not_to_contain_text("free fruit")
    assert_accessible(page)

    # The plan's priority section.
    _go(page, f"{base}/plans/{SLUG}/")
    section = page.locator("#themes-1")
    expect(section).to_contain_text("What children and young people said about this priority")
    results = section.locator(".cypp-voice-results")
    expect(results).to_contain_text("Make Your Mark 2014")
    expect(results).to_contain_text("September to October 2014")
    expect(results).to_contain_text("Worcestershire Youth Cabinet")
    taking_part = results.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(r"^Children and young people$"))
    )
    expect(taking_part.locator("dd")).to_have_text("200")
    expect(results).to_contain_text(
        "90.0% (180 of 200 asked; 95% confidence interval 85.1% to 93.4%)"
    )
    expect(results.locator("ol li")).to_have_text(["Bullying", "Mental health", "Buses"])
    expect(page.locator("#themes-4 .cypp-voice-results")).to_contain_text("95.0%")
    assert_accessible(page)

    # The performance overview and the measure page of a healthy-lifestyle measure.
    _go(page, f"{base}/plans/{SLUG}/performance/")
    expect(page.locator(".cypp-voice-results").first).to_contain_text("180 of 200 asked")
    assert_accessible(page)
    _go(page, f"{base}/plans/{SLUG}/measures/m01/")
    expect(page.locator("h1")).to_have_text(M01)
    voice = page.locator("#voice")
    expect(voice.locator("h2")).to_have_text(
        "What children and young people said about this priority"
    )
    expect(voice).to_contain_text(f"% agreed with “{HEALTHY}”")
    expect(voice).to_contain_text("Safe parks")
    assert_accessible(page)

    # The board pack.
    _go(page, f"{base}/plans/{SLUG}/board-pack.html")
    pack = page.locator("main")
    expect(pack.locator("#voice")).to_have_text("What children and young people told us")
    expect(
        pack.locator("table", has_text=f"Agreement with the priority “{HEALTHY}”")
    ).to_contain_text("85.1% to 93.4%")
    month = date.today().strftime("%B %Y")
    stories = pack.locator("table", has_text=f"Stories received and published in {month}")
    expect(stories.locator("tbody tr").first).to_contain_text(HEALTHY)
    expect(stories.locator("tbody tr").first.locator("td").nth(0)).to_have_text("2")
    expect(stories.locator("tbody tr").first.locator("td").nth(1)).to_have_text("1")
    expect(pack).to_contain_text("“My friend [name removed] and I swim every week now”")
    expect(pack).not_to_contain_text("Alfie")
    expect(pack).not_to_contain_text("free fruit")
    expect(pack).not_to_contain_text("talk to at school")
    assert_accessible(page)

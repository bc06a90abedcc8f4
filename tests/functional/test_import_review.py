"""Import review in a real browser: upload a plan, review it by keyboard, correct one
measure, reject another, create the plan; axe on every page and error state."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.functional.keyboard import tab_to
from tests.paths import SHARED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long-browser-test-password"
#: Tab presses allowed on the review page, which lists every item of a whole plan.
LONG_PAGE = 1500
#: Central Bedfordshire 2015-17: measure tables with a few rows the importer is unsure of.
DOCUMENT = SHARED / "plans" / "docs" / "000_b6f99d2380cd7db8.txt"


def retype(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector, limit=LONG_PAGE)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


@pytest.fixture
def officer(transactional_db, django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user(
        "officer", "officer@example.org", PASSWORD, is_staff=True
    )


def sign_in(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/account/sign-in/?next=/imports/")
    page.fill("#login", "officer")
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Import a plan document")


def test_upload_review_correct_reject_create(
    page: Page, live_server, officer, tmp_path, assert_accessible: Callable[[Page], None]
) -> None:
    from cypp.web.imports.models import ImportDraft
    from cypp.web.plans import models as pm

    sign_in(page, live_server)
    assert_accessible(page)

    # A file that cannot be read: the error summary names it, nothing is stored.
    empty = tmp_path / "empty-plan.txt"
    empty.write_bytes(b"")
    page.set_input_files("#file", str(empty))
    tab_to(page, "form button.govuk-button", limit=LONG_PAGE)
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("empty-plan.txt cannot be imported: the file is empty")
    expect(page.locator("#file-error")).to_contain_text("empty-plan.txt")
    assert_accessible(page)
    assert ImportDraft.objects.count() == 0

    # The real plan.
    page.set_input_files("#file", str(DOCUMENT))
    tab_to(page, "form button.govuk-button", limit=LONG_PAGE)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Review what was read")
    draft = ImportDraft.objects.get()
    low = [item for item in draft.items if item["low"]]
    assert low, "this plan has items the importer is unsure of"
    expect(page.locator(".govuk-tag--yellow", has_text="Check this")).to_have_count(len(low))
    assert_accessible(page)

    # A plan period that does not read: refused beside the field and in the summary.
    retype(page, "#plan-period", "sometime soon")
    page.keyboard.press("Enter")
    expect(summary).to_be_focused()
    expect(page.locator("#plan-period-error")).to_contain_text("Plan period:")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    retype(page, "#plan-period", "2015-2017")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

    # Accept everything read with confidence.
    tab_to(page, "button[value=accept_high]", limit=LONG_PAGE)
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "high-confidence items accepted"
    )
    draft.refresh_from_db()
    confident_measures = [i["key"] for i in draft.items if i["kind"] == "measure" and not i["low"]]
    low_measures = [i["key"] for i in low if i["kind"] == "measure"]
    rejected, corrected = confident_measures[0], low_measures[0]

    # Correct a low-confidence measure: first with a bad figure, then properly.
    tab_to(page, f"button[name=correct][value={corrected}]", limit=LONG_PAGE)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Correct this measure")
    assert_accessible(page)
    retype(page, "#baseline_value", "about forty")
    page.keyboard.press("Enter")
    expect(page.locator("#baseline_value-error")).to_contain_text("Baseline value must be a number")
    assert_accessible(page)
    retype(page, "#name", "Young carers who feel supported")
    retype(page, "#baseline_value", "62.5")
    retype(page, "#baseline_period", "2014/15")
    page.keyboard.press("Enter")
    expect(page.locator(f"#item-{corrected} .govuk-tag--purple")).to_have_text("Corrected")

    # Reject one confident measure: its Accept radio has focus, the arrow moves to Reject.
    tab_to(page, f"#decision-{rejected}", limit=LONG_PAGE)
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#decision-{rejected}-2")).to_be_checked()
    # Accept the other low-confidence items one by one.
    for item in low:
        if item["key"] != corrected:
            tab_to(page, f"#decision-{item['key']}", limit=LONG_PAGE)
            page.keyboard.press("Space")
            expect(page.locator(f"#decision-{item['key']}")).to_be_checked()
    tab_to(page, "button[value=check]", limit=LONG_PAGE)
    page.keyboard.press("Enter")

    # Check and create.
    expect(page.locator("h1")).to_have_text("Check and create the plan")
    expect(page.locator("#rejected-count")).to_have_text(
        "1 rejected item will be left out of the plan."
    )
    assert_accessible(page)
    tab_to(page, "form button.govuk-button", limit=LONG_PAGE)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/plans/{draft.header['id']}/")

    plan = pm.Plan.objects.get(slug=draft.header["id"])
    assert plan.source_file == DOCUMENT.name
    by_key = {i["key"]: i for i in draft.items}

    def measure_id(key: str) -> str:
        item = by_key[key]
        return draft.plan_data["themes"][item["theme"]]["measures"][item["index"]]["id"]

    keys = set(pm.Measure.objects.filter(theme__plan=plan).values_list("key", flat=True))
    assert measure_id(rejected) not in keys
    changed = pm.Measure.objects.get(theme__plan=plan, key=measure_id(corrected))
    assert changed.name == "Young carers who feel supported"
    assert changed.baseline_value == Decimal("62.5")
    assert changed.baseline_period.label == "2014/15"
    total = sum(1 for i in draft.items if i["kind"] == "measure")
    assert len(keys) == total - 1

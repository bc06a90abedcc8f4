"""Browser tests: a live server with a real database, Debian's Chromium driven by Playwright,
and axe-core checking every page against WCAG 2.2 AA.

Chromium must be installed (`.ci/run` installs it): when it is missing these tests fail,
they are never skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django would
# otherwise refuse the database work the tests do in that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from cypp.domain.planfile import load_plan
from tests.paths import EXAMPLES

CHROMIUM = Path(os.environ.get("CYPP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: install Debian's chromium package "
            "(`.ci/run` does) or set CYPP_CHROMIUM to its path"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that fails the test on any failed request or script error."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        # Failed requests are reported by the "response" handler (a 404 page is expected).
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status} for {response.url}")
            if response.status >= 400 and not response.request.is_navigation_request()
            else None
        ),
    )
    page.on(
        "requestfailed",
        # A load cut short because the page moved on (net::ERR_ABORTED) is not a failure.
        lambda request: (
            problems.append(f"request failed: {request.url} ({request.failure})")
            if request.failure != "net::ERR_ABORTED"
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def assert_accessible(axe: Axe) -> Callable[[Page], None]:
    """Run axe-core on the page and fail with its report on any WCAG 2.2 AA violation."""

    def check(page: Page) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture
def store_examples(transactional_db: Any) -> Callable[..., None]:
    """Store some (or all) of the example plans in the live server's database."""
    from cypp.web.plans.actions import store_plan

    def store(*stems: str) -> None:
        paths = [EXAMPLES / f"{stem}.yaml" for stem in stems] or sorted(EXAMPLES.glob("*.yaml"))
        for path in paths:
            store_plan(load_plan(path), actor="test", source=path.name)

    return store

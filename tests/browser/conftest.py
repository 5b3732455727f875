"""Browser fixtures: Debian's Chromium driven by Playwright (never a downloaded browser)."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TRYGG_TEST_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Test output, git-ignored: a test run never rewrites the committed docs/screenshots/.
# `make screenshots` runs these tests and copies the pictures there.
SCREENSHOTS = Path(
    os.environ.get(
        "TRYGG_SCREENSHOTS_DIR", Path(__file__).resolve().parents[2] / "build" / "screenshots"
    )
)


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API keeps an event loop running while it is open, which
    # must not outlive the browser tests (later async tests run their own loops).
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run the tests with `make test` (it installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    # The quick-exit target is a real external site: answer it locally, nothing leaves the machine.
    page.route(
        "https://www.smhi.se/**",
        lambda route: route.fulfill(status=200, body="<p>väder</p>", content_type="text/html"),
    )
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


@pytest.fixture
def site(city_site, stack):
    """The city's page (tests/conftest.py CitySite), once the web app it embeds is running."""
    return city_site

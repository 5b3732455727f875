"""The statistics and audit pages fit a desktop and a phone: wide tables scroll in their own
region, charts shrink, and the page itself never scrolls sideways. The audit log's filter (also
with a field marked wrong), its page links and the alert on unusual days pass axe too."""

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from sqlalchemy import insert

from bot.places import centres
from bot.storage import staff as staff_repo
from bot.storage import statistics
from bot.storage.db import session_scope
from bot.storage.models import audit_log
from tests.browser.test_console_flow import PASSWORD, wcag_violations


@pytest.fixture(scope="module")
def lead_site(web_only):
    _stack, client, state = web_only
    with session_scope(f"sqlite:///{state / 'trygg.db'}") as s:
        staff_repo.create_account(s, "lisa", "rvc_innerstan", "lead", PASSWORD)
        statistics.count(s, "conversation_started", "sv", by=900)
        for index, centre in enumerate(centres()):  # a booking column per centre, some small
            statistics.count(s, "booking_made", "sv", centre, by=index + 2)
        # More reveals than the default alert threshold, and more rows than one audit page.
        now = datetime.now(timezone.utc)
        for number in range(60):
            s.execute(
                insert(audit_log).values(
                    at=now - timedelta(seconds=number),
                    actor="lisa",
                    centre="rvc_innerstan",
                    event="reveal",
                    booking_id=f"{number:032x}",
                    detail="",
                )
            )
    return client


@pytest.mark.parametrize("width", [1280, 390])
def test_statistics_and_audit_pages_never_scroll_sideways(browser, lead_site, width):
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(lead_site.base + "/console/")
    page.get_by_test_id("username").fill("lisa")
    page.get_by_test_id("password").fill(PASSWORD)
    page.get_by_test_id("login").click()
    for path in ("/console/stats", "/console/audit", "/console/audit?from=x", "/console/"):
        page.goto(lead_site.base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert wcag_violations(page) == [], path
    page.goto(lead_site.base + "/console/audit")
    for testid in ("alerts", "audit-filter", "page-older"):
        expect(page.get_by_test_id(testid)).to_be_visible()
    page.goto(lead_site.base + "/console/stats")
    for testid in ("chart", "chart-bookings"):
        expect(page.get_by_test_id(testid)).to_be_visible()
        assert page.get_by_test_id(testid).bounding_box()["width"] <= width
    page.context.close()

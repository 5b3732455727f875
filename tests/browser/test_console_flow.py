"""Issue 7's promise in a real Chromium: a resident books through the widget; staff of that
centre log in, claim, reveal the number and mark the call done; the number is then gone from
the database; staff of another centre never see the booking."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from bot.console_labels import EVENT_LABELS
from bot.storage import staff as staff_repo
from bot.storage.db import session_scope
from bot.storage.models import bookings
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.stack
PASSWORD = "a long demo password"
REFERENCE_CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")
AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


@pytest.fixture(scope="module")
def accounts(state_dir):
    url = f"sqlite:///{state_dir / 'trygg.db'}"
    with session_scope(url) as s:
        staff_repo.create_account(s, "sara", "rvc_vastra_soderort", "staff", PASSWORD)
        staff_repo.create_account(s, "olle", "rvc_vasterort", "staff", PASSWORD)
        staff_repo.create_account(s, "lina", "rvc_vastra_soderort", "lead", PASSWORD)
        staff_repo.create_account(s, "adam", "rvc_innerstan", "admin", PASSWORD)
        staff_repo.create_account(s, "tove", "rvc_innerstan", "staff", PASSWORD)
    return url


def chat(page):
    """The chat inside its frame (the widget on the page is only the launcher and the frame)."""
    return page.frame_locator("[data-testid=chat-frame]")


def click_bot_button(page, text):
    count = chat(page).locator("[data-testid=message][data-from=bot]").count()
    buttons = chat(page).get_by_test_id("bot-button").filter(has_text=text)
    (buttons.first if isinstance(text, re.Pattern) else buttons.last).click()
    expect(chat(page).locator("[data-testid=message][data-from=bot]").nth(count)).to_be_visible()
    page.wait_for_timeout(300)


def type_message(page, text):
    count = chat(page).locator("[data-testid=message][data-from=bot]").count()
    chat(page).get_by_test_id("input").fill(text)
    chat(page).get_by_test_id("send").click()
    expect(chat(page).locator("[data-testid=message][data-from=bot]").nth(count)).to_be_visible()
    page.wait_for_timeout(300)


def login(page, client, username):
    page.goto(client.base + "/console/")
    page.get_by_test_id("username").fill(username)
    page.get_by_test_id("password").fill(PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("who")).to_have_text(username)


def test_resident_books_in_widget_and_staff_call_back(browser, client, accounts):
    resident = browser.new_context().new_page()
    resident.goto(client.base + "/demo")
    resident.get_by_test_id("launcher").click()
    type_message(resident, "jag bor i Skärholmen")
    assert any(
        "RVC Västra söderort" in t
        for t in chat(resident).locator("[data-testid=message][data-from=bot]").all_inner_texts()
    )
    click_bot_button(resident, "Bli uppringd")
    click_bot_button(resident, re.compile(r"\d\d:\d\d"))  # the first free time
    for choice in ("Vardagar förmiddag", "Nej", "Nej", "Ja", "Svenska", "Nej"):
        click_bot_button(resident, choice)
    type_message(resident, "070-765 43 21")
    click_bot_button(resident, "Ja, boka")  # still Swedish: the number did not change the language
    confirmation = (
        chat(resident)
        .locator("[data-testid=message][data-from=bot]")
        .filter(has_text=REFERENCE_CODE)
        .last.inner_text()
    )
    assert REFERENCE_CODE.search(confirmation), (
        chat(resident).locator("[data-testid=message]").all_inner_texts()[-5:]
    )
    resident.context.close()

    other = browser.new_context().new_page()
    login(other, client, "olle")
    assert other.get_by_test_id("booking").count() == 0
    other.context.close()

    staff = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    login(staff, client, "sara")
    row = staff.get_by_test_id("booking").first
    expect(row).to_be_visible()
    assert "NEJ" in row.inner_text()  # may not say we call from RVC
    screenshot(staff, "console-list.png")
    row.get_by_test_id("claim").click()
    staff.get_by_test_id("reveal").first.click()
    # The resident's answers come first and are plain: "Säg INTE …", no message, withheld number.
    expect(staff.get_by_test_id("before-call")).to_be_focused()
    expect(staff.get_by_test_id("rule-identify")).to_have_attribute("data-safe", "no")
    expect(staff.get_by_test_id("rule-message")).to_have_attribute("data-safe", "no")
    expect(staff.get_by_test_id("rule-withheld")).to_have_attribute("data-safe", "yes")
    expect(staff.get_by_test_id("phone-number")).to_have_text("070-765 43 21")
    expect(staff.get_by_test_id("phone-number")).to_have_attribute("href", "tel:+46707654321")
    assert wcag_violations(staff) == []
    screenshot(staff, "console-reveal.png")
    staff.get_by_test_id("outcome-reached").check()
    staff.get_by_test_id("save-outcome").click()
    expect(staff.get_by_test_id("saved")).to_have_attribute("data-erased", "yes")
    expect(staff.get_by_test_id("saved")).to_be_focused()
    assert "765 43 21" not in staff.content() and "7654321" not in staff.content()
    staff.goto(client.base + "/console/")
    expect(staff.get_by_test_id("empty")).to_be_visible()
    with session_scope(accounts) as s:
        done = s.execute(select(bookings).where(bookings.c.centre == "rvc_vastra_soderort")).all()
    assert [(b.status, b.phone_cipher) for b in done] == [("done", None)]
    staff.context.close()

    lead = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    login(lead, client, "lina")
    lead.goto(client.base + "/console/audit")
    audit = lead.get_by_test_id("audit").inner_text()
    assert EVENT_LABELS["reveal"] in audit and "sara" in audit and "7654321" not in audit
    screenshot(lead, "console-audit.png")
    lead.goto(client.base + "/console/stats")
    expect(lead.get_by_test_id("stats-table")).to_be_visible()
    assert lead.get_by_test_id("chart").is_visible()
    screenshot(lead, "console-stats.png")
    lead.context.close()


def wcag_violations(page):
    page.evaluate(AXE.read_text())
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})""")
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_an_admin_stops_an_account_from_an_accessible_accounts_page(browser, client, accounts):
    admin = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    login(admin, client, "adam")
    for path in ("/console/password", "/console/2fa"):
        admin.goto(client.base + path)
        assert wcag_violations(admin) == []
    admin.goto(client.base + "/console/staff")
    assert wcag_violations(admin) == []
    tove = admin.get_by_test_id("account-tove")
    expect(
        admin.get_by_test_id("account-adam").get_by_role("button", name=re.compile("Stäng av"))
    ).to_have_count(0)
    tove.get_by_role("button", name="Stäng av tove").click()
    expect(admin.get_by_test_id("account-tove")).to_contain_text("nej")
    screenshot(admin, "console-accounts.png")
    admin.get_by_test_id("account-tove").get_by_role(
        "button", name="Nytt lösenord för tove"
    ).click()
    expect(admin.get_by_test_id("reset")).to_contain_text("tove")
    admin.context.close()


def no_sideways_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_every_console_page_fits_the_screen_and_passes_axe(browser, client, accounts, width):
    lead = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    login(lead, client, "lina")
    for path in (
        "/console/",
        "/console/handled",
        "/console/answers",
        "/console/schedule",
        "/console/audit",
        "/console/stats",
        "/console/password",
        "/console/2fa",
    ):
        lead.goto(client.base + path)
        assert no_sideways_scroll(lead), (path, width)
        assert wcag_violations(lead) == [], (path, width)
    if width == 390:
        screenshot(lead, "console-schedule-390.png")
    lead.context.close()


def test_a_schedule_typo_comes_back_with_the_input_kept_and_the_error_beside_it(
    browser, client, accounts
):
    lead = browser.new_context(viewport={"width": 390, "height": 800}).new_page()
    login(lead, client, "lina")
    lead.goto(client.base + "/console/schedule")
    lead.get_by_test_id("hours-tue").fill("09:00-11:00, 13.00-15:00")
    lead.get_by_test_id("capacity").fill("4")
    lead.get_by_test_id("save-schedule").click()
    expect(lead.get_by_test_id("schedule-error")).to_be_visible()
    expect(lead.get_by_test_id("error-hours-tue")).to_be_visible()
    expect(lead.get_by_test_id("hours-tue")).to_be_focused()
    expect(lead.get_by_test_id("hours-tue")).to_have_value("09:00-11:00, 13.00-15:00")
    expect(lead.get_by_test_id("capacity")).to_have_value("4")
    assert wcag_violations(lead) == [] and no_sideways_scroll(lead)
    lead.context.close()

"""The widget in a real Chromium against the whole running stack."""

import json
import re
from pathlib import Path

import pytest
from booking_steps import FICTION_PHONE, START
from playwright.sync_api import expect

from bot.answers import Content
from bot.settings import Settings
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.stack
CONTENT = Content.from_settings(Settings())
AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


READS_LEFT_TO_RIGHT = """(element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const text = walker.nextNode();
    const range = document.createRange();
    range.setStart(text, 0); range.setEnd(text, 1);
    const first = range.getBoundingClientRect().left;
    range.setStart(text, text.length - 1); range.setEnd(text, text.length);
    return first < range.getBoundingClientRect().left;
}"""


def chat(page):
    """The chat, inside the widget's iframe (cross-origin to the city's page around it)."""
    return page.frame_locator("[data-testid=chat-frame]")


def chat_frame(page):
    return next(frame for frame in page.frames if "/widget/frame.html" in frame.url)


def open_widget(page, origin, width=None, path="/"):
    """The city's page (``site.origin``, an origin of its own; or the demo page, ``client.base``
    with ``path="/demo"``, on the web app's) with the chat opened by its launcher."""
    if width:
        page.set_viewport_size({"width": width, "height": 740})
    page.goto(origin + path)
    page.get_by_test_id("launcher").click()
    expect(chat(page).get_by_test_id("panel")).to_be_visible()


def send(page, text):
    count = chat(page).locator("[data-testid=message][data-from=bot]").count()
    chat(page).get_by_test_id("input").fill(text)
    chat(page).get_by_test_id("send").click()
    expect(chat(page).locator("[data-testid=message][data-from=bot]").nth(count)).to_be_visible()
    page.wait_for_timeout(300)  # the rest of the answer's messages render in the same tick


def bot_texts(page):
    return chat(page).locator("[data-testid=message][data-from=bot]").all_inner_texts()


def open_buttons(page):
    return chat(page).locator(
        "[data-testid=bot-buttons]:not([data-answered]) [data-testid=bot-button]"
    )


def choose(page, title=None):
    """Click a button of the rows not yet answered (the first one, or the one named ``title``)."""
    count = chat(page).locator("[data-testid=message][data-from=bot]").count()
    buttons = open_buttons(page)
    (
        buttons.filter(has_text=re.compile(f"^{re.escape(title)}$")) if title else buttons
    ).first.click()
    expect(chat(page).locator("[data-testid=message][data-from=bot]").nth(count)).to_be_visible()
    page.wait_for_timeout(300)


def book_a_callback(page, n):
    """The whole booking form through the widget, as a resident clicks it (scripts/booking_steps.py)."""
    send(page, START["sv"])
    for title in (
        "RVC Innerstan",
        None,
        "Vardagar förmiddag",
        "Nej",
        "Nej",
        "Ja",
        "Svenska",
        "Nej",
    ):
        choose(page, title)
    send(page, FICTION_PHONE.format(n=n))
    choose(page, "Ja, boka")


IN_VIEW = """(node) => {
    const r = node.getBoundingClientRect();
    const log = node.closest('[data-testid=messages]').getBoundingClientRect();
    return r.height > 0 && r.top >= Math.max(log.top, 0) && r.bottom <= Math.min(log.bottom, innerHeight);
}"""
CONFIRMATION_TOP_IN_VIEW = """(code) => {
    const log = code.closest('[data-testid=messages]').getBoundingClientRect();
    return code.closest('[data-testid=message]').getBoundingClientRect().top >= Math.max(log.top, 0);
}"""


def test_a_whole_swedish_conversation(page, site):
    open_widget(page, site.origin)
    send(page, "hej")
    assert "Trygg chatt" in bot_texts(page)[0]
    where_to_turn = next(
        b["title"]
        for b in CONTENT.render("utter_greet", "sv")["buttons"]
        if b["payload"] == "/where_to_turn"
    )
    chat(page).get_by_test_id("bot-button").filter(has_text=where_to_turn).first.click()
    expect(
        chat(page)
        .locator("[data-testid=message][data-from=bot]")
        .filter(has_text="Kvinnofridslinjen")
        .first
    ).to_be_visible()
    send(page, "han slår mig just nu")
    danger = chat(page).locator(".trygg-emergency").first
    expect(danger).to_be_visible()
    assert danger.inner_text().startswith(
        CONTENT.render("utter_acute_danger", "sv")["text"].split("\n\n")[0]
    )
    assert danger.get_attribute("role") == "alert"
    screenshot(page, "widget-desktop.png")


def test_a_whole_arabic_conversation_reads_right_to_left(page, site):
    open_widget(page, site.origin, width=390)
    chat(page).get_by_test_id("language-select").select_option("ar")
    expect(chat(page).get_by_test_id("panel")).to_have_attribute("dir", "rtl")
    send(page, "مرحبا، أحتاج إلى مساعدة")
    send(page, "أين يمكنني الحصول على المساعدة؟ زوجي يضربني")
    bubble = chat(page).locator("[data-testid=message][data-from=bot]").last
    assert re.search(r"[\u0600-\u06FF]", bubble.inner_text())
    assert bubble.get_attribute("dir") == "rtl" and bubble.get_attribute("lang") == "ar"
    numbers = chat(page).locator("[data-testid=message][data-from=bot] bdi[dir=ltr]")
    assert "020-50 50 50" in numbers.all_inner_texts()
    # Inside right-to-left text the number still reads left to right: its first digit is drawn
    # to the left of its last one.
    kvinnofrid = numbers.filter(has_text="020-50 50 50").first
    assert kvinnofrid.evaluate(READS_LEFT_TO_RIGHT)
    screenshot(page, "widget-arabic.png")


def test_language_switch_mid_conversation_keeps_the_history(page, site):
    open_widget(page, site.origin)
    send(page, "hej")
    placeholder_sv = chat(page).get_by_test_id("input").get_attribute("placeholder")
    chat(page).get_by_test_id("language-select").select_option("en")
    assert chat(page).get_by_test_id("input").get_attribute("placeholder") != placeholder_sv
    send(page, "where can I get help?")
    texts = bot_texts(page)
    assert "Trygg chatt" in texts[0]  # the Swedish greeting is still there
    assert any("Kvinnofridslinjen" in t and "helpline" in t.lower() for t in texts[1:]), texts


NO_TRACE = """() => indexedDB.databases().then(d => d.length + localStorage.length
    + sessionStorage.length + document.cookie.length)"""


@pytest.mark.parametrize("where", ["chat", "page"])
def test_quick_exit_leaves_no_trace(page, site, where):
    open_widget(page, site.origin)
    send(page, "hej")
    assert page.evaluate(NO_TRACE) == 0 and chat_frame(page).evaluate(NO_TRACE) == 0
    if where == "page":  # Esc with the focus on the city's page, not in the chat
        page.locator("h1").click()
    page.keyboard.press("Escape")
    page.wait_for_url("https://www.smhi.se/**")
    page.go_back()
    page.wait_for_timeout(500)
    assert site.origin not in page.url  # location.replace: Back does not return to the chat


def test_the_quick_exit_button_leaves_from_the_open_chat(page, site):
    open_widget(page, site.origin, width=390)  # the chat fills the screen; the button stays on top
    send(page, "hej")
    page.get_by_test_id("quick-exit").click()
    page.wait_for_url("https://www.smhi.se/**")


def test_idle_chat_clears_itself_after_a_notice(browser, site):
    context = browser.new_context()
    context.add_init_script("window.TryggChatConfig = {idleSeconds: 2, idleWarningSeconds: 2};")
    page = context.new_page()
    open_widget(page, site.origin)
    send(page, "hej")
    expect(chat(page).get_by_test_id("idle-notice")).to_be_visible(timeout=10_000)
    expect(chat(page).get_by_test_id("cleared-notice")).to_be_visible(timeout=10_000)
    assert chat(page).locator("[data-testid=message][data-from=bot]").count() == 0
    context.close()


def test_server_down_still_shows_emergency_numbers(page, site):
    page.route("**/api/chat", lambda route: route.abort())
    open_widget(page, site.origin)
    chat(page).get_by_test_id("input").fill("hej")
    chat(page).get_by_test_id("send").click()
    notice = chat(page).get_by_test_id("offline-notice")
    expect(notice).to_be_visible()
    assert "112" in notice.inner_text() and "020-50 50 50" in notice.inner_text()


AXE_RUN = """() => axe.run(document, {iframes: false, runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""


def axe_violations(frame):
    frame.evaluate(AXE.read_text())
    result = frame.evaluate(AXE_RUN)
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_open_widget_has_no_wcag_aa_violations(page, site, width):
    open_widget(page, site.origin, width=width)
    send(page, "hej")
    choose(page)  # an answered row (disabled buttons, the chosen one marked) is checked too
    assert axe_violations(page.main_frame) == []  # the city's page, launcher and quick exit
    assert axe_violations(chat_frame(page)) == []  # the chat inside its frame
    if width == 320:
        screenshot(page, "widget-mobile.png")


def test_an_answered_button_row_cannot_answer_again(page, site):
    posts = []
    page.on(
        "request",
        lambda request: posts.append(request) if request.url.endswith("/api/chat") else None,
    )
    open_widget(page, site.origin)
    send(page, "tack")
    row = chat(page).locator("[data-testid=bot-buttons]").last
    yes, other = row.get_by_test_id("bot-button").first, row.get_by_test_id("bot-button").last
    before = len(posts)
    yes.click()
    yes.evaluate(
        "b => b.click()"
    )  # a second click, and another answer, while the first is on its way
    other.evaluate("b => b.click()")
    expect(chat(page).locator("[data-testid=message][data-from=user]")).to_have_count(2)
    page.wait_for_timeout(1000)
    yes.evaluate("b => b.click()")  # and after the answer came
    page.wait_for_timeout(500)
    assert len(posts) - before == 1
    assert chat(page).locator("[data-testid=message][data-from=user]").count() == 2
    for button in row.get_by_test_id("bot-button").all():
        expect(button).to_be_disabled()
        assert button.get_attribute("aria-disabled") == "true"
    assert yes.get_attribute("aria-pressed") == "true" and "trygg-chosen" in yes.get_attribute(
        "class"
    )
    assert other.get_attribute("aria-pressed") is None


def test_a_typed_reply_closes_the_open_button_rows(page, site):
    open_widget(page, site.origin)
    send(page, "hej")
    assert open_buttons(page).count() > 0
    send(page, "vart kan jag vända mig?")
    assert chat(page).locator("[data-testid=bot-buttons][data-answered]").count() > 0
    for button in (
        chat(page)
        .locator("[data-testid=bot-buttons][data-answered] [data-testid=bot-button]")
        .all()
    ):
        expect(button).to_be_disabled()
    assert chat(page).locator("[data-testid=bot-buttons][data-answered] .trygg-chosen").count() == 0


# Heights at which the confirmation and the feedback question after it do not both fit: a
# laptop with the browser's bars, a phone in a short window.
@pytest.mark.parametrize("width, height", [(1280, 640), (390, 520)])
def test_the_reference_code_stays_in_view_after_a_booking(page, site, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_widget(page, site.origin)
    book_a_callback(page, n=60 + width % 37)
    code = chat(page).get_by_test_id("reference-code").last
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code.inner_text())
    assert open_buttons(page).count() == 3  # the feedback question came after the confirmation
    assert code.evaluate(IN_VIEW)
    assert code.evaluate(CONFIRMATION_TOP_IN_VIEW)
    chat(page).get_by_test_id("close").click()
    page.get_by_test_id("launcher").click()
    assert code.evaluate(IN_VIEW)  # still there when the panel is opened again


HOST_READS_CHAT = """() => {
    const frame = document.querySelector('[data-testid=chat-frame]');
    let read = null;
    try { read = frame.contentWindow.document.body.innerText; } catch (e) { /* cross-origin */ }
    return {doc: frame.contentDocument !== null, read: read,
            page: document.documentElement.outerHTML};
}"""
# On the city's page only (not inside the chat's frame): every message it is sent.
HEAR = """if (window === window.top) { window.heard = [];
    window.addEventListener('message', e => window.heard.push(JSON.stringify(e.data)), true); }"""
CANARY = "kanariefågel 0701234567"


def test_the_citys_page_cannot_read_the_chat(page, site):
    open_widget(page, site.origin)
    send(page, CANARY)
    seen = page.evaluate(HOST_READS_CHAT)
    assert seen["doc"] is False and seen["read"] is None
    assert "kanarief" not in seen["page"] and "0701234567" not in seen["page"]
    assert chat_frame(page).url.startswith(site.web)  # the web app's origin, not the city's


def test_the_citys_page_hears_kinds_of_message_never_the_conversation(page, site):
    page.add_init_script(HEAR)
    open_widget(page, site.origin)
    send(page, CANARY)
    chat(page).get_by_test_id("language-select").select_option("ar")
    expect(page.locator(".trygg-root")).to_have_attribute("dir", "rtl")  # the launcher follows
    chat(page).get_by_test_id("close").click()
    expect(page.get_by_test_id("chat-frame")).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.testid") == "launcher"
    heard = [json.loads(m) for m in page.evaluate("window.heard")]
    assert {m["trygg"] for m in heard} == {"ready", "lang", "close"}
    assert all(set(m) <= {"trygg", "lang"} for m in heard), heard
    assert {m["lang"] for m in heard if "lang" in m} == {"sv", "ar"}


def test_a_message_from_any_other_window_is_ignored(page, site):
    open_widget(page, site.origin)
    send(page, "hej")
    # The city's page itself, and another frame on it, pretending to be the chat asking to
    # leave, and to be the page asking the chat to change its layout.
    page.evaluate("window.postMessage({trygg: 'exit'}, '*')")
    page.evaluate("""() => { const f = document.createElement('iframe');
        f.srcdoc = "<script>parent.postMessage({trygg: 'exit'}, '*');" +
            "parent.document.querySelector('[data-testid=chat-frame]').contentWindow" +
            ".postMessage({trygg: 'layout', full: true}, '*');</scr" + "ipt>";
        document.body.append(f); }""")
    page.wait_for_timeout(500)
    assert page.url.startswith(site.origin)
    assert chat(page).locator(".trygg-root.trygg-full").count() == 0
    assert chat(page).locator("[data-testid=message][data-from=bot]").count() > 0


def test_the_demo_page_embeds_the_same_chat(page, client):
    open_widget(page, client.base, path="/demo")
    send(page, "hej")
    assert "Trygg chatt" in bot_texts(page)[0]
    page.keyboard.press("Escape")
    page.wait_for_url("https://www.smhi.se/**")

"""An editor changes the running assistant's content (issues 9 and 20).

Good edits are live at once, without a restart or retraining. A mistake never reaches a
resident: the running stack keeps the last good version entry by entry, logs what it
refused without the text, and lists it on the console's answers page.
"""

import time
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po, write_po

from bot.answers import Content
from bot.settings import Settings
from bot.storage import staff as staff_repo
from bot.storage.db import session_scope
from tests.helpers import texts
from tests.integration.test_console import PASSWORD, login

pytestmark = pytest.mark.stack
CONTENT = Content.from_settings(Settings())
THANKS = CONTENT.source_text("utter_thanks")  # the msgid; the stack's catalogs are copies


def save(path: Path, text: str) -> None:
    time.sleep(0.05)  # a new mtime even on coarse file systems
    path.write_text(text, encoding="utf-8")


def edit_translation(po: Path, source: str, change) -> str:
    """Rewrite one translation with ``change(old) -> new``; returns the old one."""
    with po.open("rb") as f:
        catalog = read_po(f)
    old = catalog[source].string
    catalog[source].string = change(old)
    time.sleep(0.05)
    with po.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True)
    return old


@pytest.fixture(scope="module")
def editor(stack, state_dir):
    with session_scope(f"sqlite:///{state_dir / 'trygg.db'}") as s:
        if "redaktor" not in {account.username for account in staff_repo.accounts(s)}:
            staff_repo.create_account(s, "redaktor", "rvc_innerstan", "staff", PASSWORD)
    session, response = login({"base": f"http://127.0.0.1:{stack.ports.web}"}, "redaktor")
    assert response.status_code == 200
    return session


def answers_page(stack, editor) -> str:
    return editor.get(f"http://127.0.0.1:{stack.ports.web}/console/answers").text


def log_text(stack) -> str:
    return "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in Path(stack.log_dir).glob("*.log")
    )


def test_changed_answer_and_fact_are_live_without_restart(client, state_dir):
    before = texts(client.say("tack så mycket", language="sv"))
    assert before[0] == CONTENT.render("utter_thanks", "sv")["text"]

    po = state_dir / "locales/sv/LC_MESSAGES/messages.po"
    old = edit_translation(po, THANKS, lambda _: "Varsågod! Vill du veta något mer?")

    facts_file = state_dir / "facts.yml"
    original_text = facts_file.read_text(encoding="utf-8")
    facts = yaml.safe_load(original_text)
    original = facts["kvinnofridslinjen_phone"]["value"]
    facts["kvinnofridslinjen_phone"]["value"] = "020-11 22 33"
    save(facts_file, yaml.safe_dump(facts, allow_unicode=True))
    try:
        assert (
            texts(client.say("tack så mycket", language="sv"))[0]
            == "Varsågod! Vill du veta något mer?"
        )
        goodbye = " ".join(texts(client.say("hej då", language="sv")))
        assert "020-11 22 33" in goodbye and original not in goodbye
        english = " ".join(texts(client.say("bye", language="en")))
        assert "020-11 22 33" in english  # a fact changes in every language at once
    finally:
        save(facts_file, original_text)
        edit_translation(po, THANKS, lambda _: old)


def test_a_misspelt_placeholder_never_reaches_a_resident(stack, client, state_dir, editor):
    po = state_dir / "locales/en/LC_MESSAGES/messages.po"
    danger = "someone is hitting me right now"
    assert "112" in " ".join(texts(client.say(danger, language="en")))
    source = next(
        m.id for m in read_po(po.open("rb")) if m.id and "{emergency_phone} nu om du" in m.id
    )
    old = edit_translation(
        po, source, lambda text: text.replace("{emergency_phone}", "{emergency_phon}")
    )
    try:
        answer = " ".join(texts(client.say(danger, language="en")))
        assert "112" in answer and "{" not in answer
        page = answers_page(stack, editor)
        assert (
            'data-code="placeholder_mismatch"' in page
            and "locales/en/LC_MESSAGES/messages.po:" in page
        )
        logs = log_text(stack)
        assert "content edit refused" in logs and "[placeholder_mismatch]" in logs
        assert (
            "emergency_phon}" not in logs and old[:40] not in logs
        )  # file, line and rule; never the text
    finally:
        edit_translation(po, source, lambda _: old)
    assert 'data-testid="refused"' not in answers_page(stack, editor)


def test_a_renamed_fact_keeps_its_number_until_the_answers_follow(stack, client, state_dir, editor):
    facts_file = state_dir / "facts.yml"
    original = facts_file.read_text(encoding="utf-8")
    number = yaml.safe_load(original)["kvinnofridslinjen_phone"]["value"]
    assert "kvinnofridslinjen_phone:" in original
    save(facts_file, original.replace("kvinnofridslinjen_phone:", "kvinnofrid_telefon:"))
    try:
        goodbye = " ".join(texts(client.say("hej då", language="sv")))
        assert number in goodbye and "{" not in goodbye
        assert 'data-code="fact_missing"' in answers_page(stack, editor)
    finally:
        save(facts_file, original)


def test_a_broken_facts_file_keeps_every_fact(stack, client, state_dir, editor):
    facts_file = state_dir / "facts.yml"
    original = facts_file.read_text(encoding="utf-8")
    number = yaml.safe_load(original)["kvinnofridslinjen_phone"]["value"]
    broken = original.replace("emergency_phone:\n  value:", "emergency_phone:\n value: [", 1)
    assert broken != original
    save(facts_file, broken)
    try:
        goodbye = " ".join(texts(client.say("hej då", language="sv")))
        assert number in goodbye and "112" in goodbye and "{" not in goodbye
        assert 'data-code="yaml_syntax"' in answers_page(stack, editor)
    finally:
        save(facts_file, original)


def test_an_unterminated_po_string_keeps_the_whole_answer(stack, client, state_dir, editor):
    po = state_dir / "locales/en/LC_MESSAGES/messages.po"
    before = texts(client.say("thanks a lot", language="en"))[0]
    original = po.read_text(encoding="utf-8")
    line = next(
        row for row in original.splitlines() if row.startswith("msgstr") and before[:20] in row
    )
    save(po, original.replace(line, line[:-1], 1))
    try:
        assert texts(client.say("thanks a lot", language="en"))[0] == before
        assert 'data-code="po_quote"' in answers_page(stack, editor)
    finally:
        save(po, original)


def test_a_changed_number_is_in_the_served_widget_without_restart(client, state_dir):
    """The widget's bundled emergency numbers (its offline notice) follow the facts file."""
    facts_file = state_dir / "facts.yml"
    original_text = facts_file.read_text(encoding="utf-8")
    original = yaml.safe_load(original_text)["city_contact_centre_phone"]["value"]
    status, script, headers = client.request("GET", "/widget/chat.js")
    assert status == 200 and f'"city_contact_centre_phone": "{original}"' in script
    headers = {name.lower(): value for name, value in headers.items()}
    assert headers["cache-control"] == "no-store" and headers["content-type"].startswith(
        "application/javascript"
    )
    changed = original_text.replace(f'"{original}"', '"08-123 45 67"', 1)
    assert changed != original_text
    save(facts_file, changed)
    try:
        _, script, _ = client.request("GET", "/widget/chat.js")
        assert '"city_contact_centre_phone": "08-123 45 67"' in script and original not in script
    finally:
        save(facts_file, original_text)

"""An editor changes a Swedish answer and a phone number; the running assistant uses them at
once, without a restart or retraining (issue 9)."""
import time

import pytest
import yaml
from babel.messages.pofile import read_po, write_po

from tests.helpers import texts

pytestmark = pytest.mark.stack


def test_changed_answer_and_fact_are_live_without_restart(client, state_dir):
    before = " ".join(texts(client.say("tack så mycket", language="sv")))
    assert "Så lite" in before

    po = state_dir / "locales/sv/LC_MESSAGES/messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    catalog["Så lite. Finns det något mer du vill veta?"].string = "Varsågod! Vill du veta något mer?"
    with po.open("wb") as f:
        write_po(f, catalog, width=0)

    facts_file = state_dir / "facts.yml"
    facts = yaml.safe_load(facts_file.read_text(encoding="utf-8"))
    original = facts["kvinnofridslinjen_phone"]["value"]
    facts["kvinnofridslinjen_phone"]["value"] = "020-11 22 33"
    time.sleep(0.05)
    facts_file.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    try:
        assert texts(client.say("tack så mycket", language="sv"))[0] == "Varsågod! Vill du veta något mer?"
        goodbye = " ".join(texts(client.say("hej då", language="sv")))
        assert "020-11 22 33" in goodbye and original not in goodbye
        english = " ".join(texts(client.say("bye", language="en")))
        assert "020-11 22 33" in english  # a fact changes in every language at once
    finally:
        facts["kvinnofridslinjen_phone"]["value"] = original
        facts_file.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")


def test_a_changed_number_is_in_the_served_widget_without_restart(client, state_dir):
    """The widget's bundled emergency numbers (its offline notice) follow the facts file."""
    facts_file = state_dir / "facts.yml"
    facts = yaml.safe_load(facts_file.read_text(encoding="utf-8"))
    original = facts["city_contact_centre_phone"]["value"]
    status, script, headers = client.request("GET", "/widget/widget.js")
    assert status == 200 and f'"city_contact_centre_phone": "{original}"' in script
    headers = {name.lower(): value for name, value in headers.items()}
    assert headers["cache-control"] == "no-store" and headers["content-type"].startswith("application/javascript")
    facts["city_contact_centre_phone"]["value"] = "08-123 45 67"
    time.sleep(0.05)
    facts_file.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    try:
        _, script, _ = client.request("GET", "/widget/widget.js")
        assert '"city_contact_centre_phone": "08-123 45 67"' in script and original not in script
    finally:
        facts["city_contact_centre_phone"]["value"] = original
        facts_file.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")

"""The shared codes have one home (bot/content/vocabulary.yml), and everything follows it."""

import json
import re
from pathlib import Path

import yaml

from bot import vocabulary
from bot.console_labels import LANGUAGE_NAMES, OUTCOME_LABELS, SAFE_TIME_LABELS
from bot.followup import count_answer
from bot.routes.demo import widget_script

ROOT = Path(__file__).resolve().parents[2]


def test_every_language_has_its_catalog_and_training_data():
    for code in vocabulary.LANGUAGES:
        assert (ROOT / "locales" / code / "LC_MESSAGES" / "messages.po").exists(), code
    assert vocabulary.SOURCE_LANGUAGE in vocabulary.LANGUAGES
    assert vocabulary.RTL_LANGUAGES <= set(vocabulary.LANGUAGES)


def test_the_console_names_every_code_the_vocabulary_has():
    assert set(OUTCOME_LABELS) == set(vocabulary.OUTCOMES)
    assert set(SAFE_TIME_LABELS) == set(vocabulary.SAFE_TIMES)
    assert set(LANGUAGE_NAMES) == set(vocabulary.LANGUAGES)
    assert set(vocabulary.CLOSING_OUTCOMES) < set(vocabulary.OUTCOMES)


def test_the_booking_form_offers_exactly_the_vocabularys_safe_times_and_languages():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    offered = {}
    for name in ("utter_ask_safe_times", "utter_ask_call_language"):
        payloads = [
            button["payload"]
            for variant in domain["responses"][name]
            for button in variant.get("buttons", [])
        ]
        offered[name] = {json.loads(payload[len("/choose") :])["choice"] for payload in payloads}
    assert offered["utter_ask_safe_times"] == set(vocabulary.SAFE_TIMES)
    assert offered["utter_ask_call_language"] == set(vocabulary.CALL_LANGUAGES)


def test_the_widget_is_served_with_the_vocabularys_languages(tmp_path):
    from bot.answers import Content
    from bot.settings import Settings

    script = widget_script(ROOT / "widget" / "widget.js", Content.from_settings(Settings()))
    served = json.loads(re.search(r"const LANGUAGES = (\{.*?\});", script).group(1))
    assert list(served) == list(vocabulary.LANGUAGES)
    assert {code for code, info in served.items() if info["rtl"]} == vocabulary.RTL_LANGUAGES
    assert "vocabulary.yml */" not in script.split("const LANGUAGES = ")[1].split(";")[0]


def test_every_topic_has_an_intent_and_an_answer():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for topic in vocabulary.TOPICS:
        assert topic in domain["intents"] and f"utter_{topic}" in domain["responses"], topic


def test_a_helpline_added_to_the_facts_is_counted_as_a_referral(monkeypatch):
    counted = []
    monkeypatch.setattr(
        "bot.followup.buffer.add", lambda metric, language, centre="": counted.append(metric)
    )
    count_answer(
        "utter_where_to_turn",
        "Ring {new_helpline_phone} eller {emergency_phone}.",
        "sv",
        {"events": [{"event": "user"}]},
    )
    assert "referral:new_helpline_phone" in counted
    assert "referral:emergency_phone" not in counted

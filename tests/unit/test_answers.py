"""Answers come from the catalogs with facts filled in by name, and follow edits live."""

import shutil
import time
from pathlib import Path

import pytest
import yaml

from bot.answers import Content, UnknownResponse, fill
from bot.settings import Settings
from bot.vocabulary import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def content() -> Content:
    return Content.from_settings(Settings())


def test_swedish_answer_has_facts_filled_in(content):
    source = content.source_text("utter_acute_danger")
    assert "{emergency_phone}" in source and "{kvinnofridslinjen_phone}" in source
    text = content.render("utter_acute_danger", "sv")["text"]
    assert content.fact("emergency_phone")["value"] in text.split("\n\n")[0]
    assert content.fact("kvinnofridslinjen_phone")["value"] in text
    assert "{" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_response_renders_without_placeholders_in_every_language(content, language):
    for name in content.response_names():
        arguments = {
            "place": "Tensta",
            "centre_name": "RVC Västerort",
            "district": "Järva",
            "address": "Bredholmsgatan 4",
            "year": "2018",
            "slot_time": "onsdag 25 november 09:00",
            "reference": "ABCD-2345",
            "safe_times_text": "@utter_safe_weekday_mornings",
            "may_identify_text": "@utter_word_no",
            "may_leave_message_text": "@utter_word_no",
            "withheld_ok_text": "@utter_word_yes",
            "call_language_text": "@utter_language_name_ar",
            "interpreter_text": "@utter_word_yes",
        }
        message = content.render(name, language, arguments)
        assert "{" not in message["text"], (name, language)
        assert message["custom"]["language"] == language


def test_arabic_and_persian_are_marked_right_to_left(content):
    assert content.render("utter_greet", "ar")["custom"]["direction"] == "rtl"
    assert content.render("utter_greet", "fa")["custom"]["direction"] == "rtl"
    assert content.render("utter_greet", "fi")["custom"]["direction"] == "ltr"


def test_acute_danger_is_flagged_as_emergency(content):
    assert content.render("utter_acute_danger", "so")["custom"]["priority"] == "emergency"


def test_buttons_are_translated_and_payloads_kept(content):
    sv = content.render("utter_greet", "sv")["buttons"]
    en = content.render("utter_greet", "en")["buttons"]
    assert [b["payload"] for b in sv] == [b["payload"] for b in en]
    assert [b["title"] for b in sv] != [b["title"] for b in en]


def test_unknown_language_falls_back_to_swedish(content):
    assert (
        content.render("utter_greet", "de")["text"] == content.render("utter_greet", "sv")["text"]
    )


def test_unknown_response_is_an_error(content):
    with pytest.raises(UnknownResponse):
        content.render("utter_does_not_exist", "sv")


def test_missing_placeholder_value_is_left_visible_not_a_crash():
    assert fill("Ring {nothing}", {}) == "Ring {nothing}"


def test_edits_to_facts_and_catalogs_apply_without_restart(tmp_path):
    for name in ("domain.yml",):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    shutil.copy(ROOT / "bot/content/facts.yml", tmp_path / "facts.yml")
    content = Content(tmp_path / "domain.yml", tmp_path / "locales", tmp_path / "facts.yml")
    facts = yaml.safe_load((tmp_path / "facts.yml").read_text())
    assert (
        facts["kvinnofridslinjen_phone"]["value"] in content.render("utter_goodbye", "sv")["text"]
    )

    facts["kvinnofridslinjen_phone"]["value"] = "020-99 99 99"
    time.sleep(0.01)
    (tmp_path / "facts.yml").write_text(yaml.safe_dump(facts, allow_unicode=True))
    assert "020-99 99 99" in content.render("utter_goodbye", "sv")["text"]

    po = tmp_path / "locales/sv/LC_MESSAGES/messages.po"
    thanks = content.source_text("utter_thanks")
    assert f'msgstr "{thanks}"' in po.read_text()
    po.write_text(po.read_text().replace(f'msgstr "{thanks}"', 'msgstr "Varsågod! Något mer?"'))
    assert content.render("utter_thanks", "sv")["text"] == "Varsågod! Något mer?"


def test_a_broken_catalog_keeps_the_last_good_answers(tmp_path):
    shutil.copy(ROOT / "domain.yml", tmp_path / "domain.yml")
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    content = Content(tmp_path / "domain.yml", tmp_path / "locales", ROOT / "bot/content/facts.yml")
    before = content.render("utter_thanks", "en")["text"]
    po = tmp_path / "locales/en/LC_MESSAGES/messages.po"
    time.sleep(0.01)
    po.write_text('msgid "unterminated\n')
    assert content.render("utter_thanks", "en")["text"] == before

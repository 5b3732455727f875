"""An editor's mistake never reaches a resident: each one is refused entry by entry, the last
good version stays live, and the editor is told where (issue 20)."""

import logging
import shutil
import time
from pathlib import Path

import pytest
import yaml

from bot.answers import Content

ROOT = Path(__file__).resolve().parents[2]
ACUTE_EN = "Call {emergency_phone} now"  # the start of the English acute-danger answer in the shipped catalog


@pytest.fixture
def files(tmp_path) -> Path:
    shutil.copy(ROOT / "domain.yml", tmp_path / "domain.yml")
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    shutil.copy(ROOT / "bot/content/facts.yml", tmp_path / "facts.yml")
    return tmp_path


def content_of(root: Path) -> Content:
    return Content(root / "domain.yml", root / "locales", root / "facts.yml")


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    time.sleep(0.01)  # a new mtime
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def edit_translations(po: Path, old: str, new: str) -> None:
    """Change the translations (msgstr lines) only; the Swedish msgids stay as they are."""
    lines = po.read_text(encoding="utf-8").splitlines()
    changed, in_translation = [], False
    for line in lines:
        if not line.startswith('"'):
            in_translation = line.startswith("msgstr")
        changed.append(line.replace(old, new) if in_translation else line)
    assert changed != lines, old
    time.sleep(0.01)
    po.write_text("\n".join(changed) + "\n", encoding="utf-8")


def english_catalog(root: Path) -> Path:
    return root / "locales/en/LC_MESSAGES/messages.po"


def test_a_misspelt_placeholder_keeps_the_last_good_translation(files):
    content = content_of(files)
    before = content.render("utter_acute_danger", "en")["text"]
    assert "112" in before
    edit_translations(english_catalog(files), "{emergency_phone}", "{emergency_phon}")
    after = content.render("utter_acute_danger", "en")["text"]
    assert after == before
    refused = content.refused()
    assert {p.code for p in refused} == {"placeholder_mismatch"}
    assert all(p.where.startswith("locales/en/LC_MESSAGES/messages.po:") for p in refused)
    assert "{emergency_phon}" in refused[0].sv and "{emergency_phone}" in refused[0].en


def test_the_fix_goes_live_and_clears_the_refusal(files):
    content = content_of(files)
    content.render("utter_acute_danger", "en")
    edit_translations(english_catalog(files), "{emergency_phone}", "{emergency_phon}")
    assert content.refused()
    edit_translations(english_catalog(files), "{emergency_phon}", "{emergency_phone}")
    assert content.refused() == ()
    assert "112" in content.render("utter_acute_danger", "en")["text"]


def test_a_broken_translation_with_no_good_version_falls_back_to_swedish(files):
    edit_translations(english_catalog(files), "{emergency_phone}", "{emergency_phon}")
    content = content_of(files)  # first read: nothing earlier to keep
    text = content.render("utter_acute_danger", "en")["text"]
    assert text == content.render("utter_acute_danger", "sv")["text"]
    assert "{" not in text and "112" in text


def test_a_renamed_fact_keeps_its_last_value(files):
    content = content_of(files)
    assert "020-50 50 50" in content.render("utter_goodbye", "sv")["text"]
    edit(files / "facts.yml", "kvinnofridslinjen_phone:", "kvinnofrid_phone:")
    text = content.render("utter_goodbye", "sv")["text"]
    assert "020-50 50 50" in text and "{" not in text
    assert [p.code for p in content.refused()] == ["fact_missing"]
    assert "kvinnofridslinjen_phone" in content.refused()[0].sv


def test_other_edits_in_the_same_file_still_go_live(files):
    content = content_of(files)
    before = content.render("utter_acute_danger", "en")["text"]
    facts = yaml.safe_load((files / "facts.yml").read_text(encoding="utf-8"))
    old_police = facts["police_phone"]["value"]
    edit(files / "facts.yml", "kvinnofridslinjen_phone:", "kvinnofrid_phone:")
    edit(files / "facts.yml", f'value: "{old_police}"', 'value: "114 99"')
    edit_translations(english_catalog(files), "{emergency_phone}", "{emergency_phon}")
    edit(english_catalog(files), "msgstr \"You're welcome", 'msgstr "No problem', 1)
    assert content.render("utter_acute_danger", "en")["text"] == before
    assert content.render("utter_thanks", "en")["text"].startswith("No problem")
    assert any("114 99" in content.render(name, "sv")["text"] for name in content.response_names())


def test_an_unterminated_po_string_is_refused_not_cut_short(files):
    content = content_of(files)
    before = content.render("utter_acute_danger", "en")["text"]
    po = english_catalog(files)
    lines = po.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f'"{ACUTE_EN}'))
    time.sleep(0.01)
    lines[index] = lines[index].rstrip('"')
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert content.render("utter_acute_danger", "en")["text"] == before
    problem = next(p for p in content.refused() if p.code == "po_quote")
    assert problem.where == f"locales/en/LC_MESSAGES/messages.po:{index + 1}"
    assert (
        content.render("utter_thanks", "en")["text"] != content.render("utter_thanks", "sv")["text"]
    )


def test_a_yaml_error_in_the_facts_keeps_them_and_names_the_line(files):
    content = content_of(files)
    before = content.render("utter_goodbye", "sv")["text"]
    edit(
        files / "facts.yml",
        "kvinnofridslinjen_phone:\n  value:",
        "kvinnofridslinjen_phone:\n value: [",
    )
    assert content.render("utter_goodbye", "sv")["text"] == before
    (problem,) = content.refused()
    assert problem.code == "yaml_syntax" and problem.where.startswith("facts.yml:")
    assert "den tidigare versionen används" in problem.sv


def test_an_unknown_fact_in_a_swedish_answer_keeps_the_previous_answer(files):
    content = content_of(files)
    before = content.render("utter_acute_danger", "sv")["text"]
    edit(files / "domain.yml", "{emergency_phone}", "{emergency_phon}")
    assert content.render("utter_acute_danger", "sv")["text"] == before
    assert {p.code for p in content.refused()} == {"unknown_placeholder"}
    assert all(p.where.startswith("domain.yml:") for p in content.refused())


def test_the_log_names_file_line_and_rule_never_the_text(files, caplog):
    content = content_of(files)
    content.render("utter_acute_danger", "en")
    edit_translations(english_catalog(files), "{emergency_phone}", "{emergency_phon}")
    with caplog.at_level(logging.WARNING, logger="bot.content_store"):
        content.render("utter_acute_danger", "en")
        content.render("utter_acute_danger", "en")  # logged once, not on every answer
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.content_store"]
    assert lines and all(
        "placeholder_mismatch" in line and "messages.po:" in line for line in lines
    )
    assert len(lines) == len(content.refused())
    assert not any("Call" in line or "emergency_phon" in line for line in lines)

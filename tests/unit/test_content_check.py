"""`make content-check` catches what an editor can break, with a message an editor understands."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def content_copy(tmp_path):
    for name in ("domain.yml", "config.yml", "credentials.yml", "endpoints.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("locales", "data", "bot/content"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def run_check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "content_check.py"), "--fast", "--root", str(root)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )


def test_the_shipped_content_passes(content_copy):
    result = run_check(content_copy)
    assert result.returncode == 0, result.stdout


def test_a_broken_placeholder_in_the_persian_catalog_fails_with_file_line_and_advice(content_copy):
    po = content_copy / "locales/fa/LC_MESSAGES/messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    entry = next(m for m in catalog if m.id and "{kvinnofridslinjen_phone}" in m.string)
    entry.string = entry.string.replace("{kvinnofridslinjen_phone}", "{kvinnofridslinjen_telefon}")
    with po.open("wb") as f:
        write_po(f, catalog, width=0)
    result = run_check(content_copy)
    assert result.returncode == 1
    assert "locales/fa/LC_MESSAGES/messages.po:" in result.stdout
    assert (
        "{kvinnofridslinjen_telefon}" in result.stdout
        and "never translate what is inside" in result.stdout
    )


def test_a_missing_fact_is_named(content_copy):
    domain = content_copy / "domain.yml"
    domain.write_text(
        domain.read_text(encoding="utf-8").replace("{police_phone}", "{polis_nummer}", 1),
        encoding="utf-8",
    )
    result = run_check(content_copy)
    assert (
        result.returncode == 1
        and "{polis_nummer}, which is not in bot/content/facts.yml" in result.stdout
    )


def test_an_example_under_two_intents_is_reported(content_copy):
    with (content_copy / "data/nlu/stop.yml").open("a", encoding="utf-8") as f:
        f.write("  - intent: greet\n    examples: |\n      - avbryt\n")
    result = run_check(content_copy)
    assert result.returncode == 1 and '"avbryt" is under greet here and under stop' in result.stdout


def test_an_untranslated_answer_is_reported(content_copy):
    po = content_copy / "locales/so/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid "Så lite.')
    end = text.index("msgstr", start)
    line_end = text.index("\n", end)
    po.write_text(text[:end] + 'msgstr ""' + text[line_end:], encoding="utf-8")
    result = run_check(content_copy)
    assert result.returncode == 1 and 'no translation for "Så lite.' in result.stdout
    assert re.search(r"\| so \| \d+ \| 1 \| 0 \|", result.stdout)


def test_a_yaml_error_in_the_facts_names_the_line_in_swedish_without_a_traceback(content_copy):
    facts = content_copy / "bot/content/facts.yml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(
        text.replace("police_phone:\n  value:", "police_phone:\n value: [", 1), encoding="utf-8"
    )
    result = run_check(content_copy)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    broken_line = text.splitlines().index("police_phone:") + 2
    # The parser stops on the broken line or the next; the message says to look at both.
    assert re.search(
        rf"bot/content/facts.yml:({broken_line}|{broken_line + 1}): filen går inte att läsa \(YAML",
        result.stdout,
    )
    assert "uses {emergency_phone}" not in result.stdout  # one mistake, one problem
    assert "(en) the file cannot be read" in result.stdout


def test_an_unterminated_po_string_is_reported_at_its_line(content_copy):
    po = content_copy / "locales/fi/LC_MESSAGES/messages.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    index = next(
        i for i, line in enumerate(lines) if line.startswith('msgstr "') and len(line) > 12
    )
    lines[index] = lines[index][:-1]
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_check(content_copy)
    assert result.returncode == 1
    assert (
        f"locales/fi/LC_MESSAGES/messages.po:{index + 1}: texten saknar sitt avslutande citattecken"
        in result.stdout
    )


def test_a_misformatted_po_line_is_explained_in_swedish(content_copy):
    po = content_copy / "locales/ar/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "', 'msgstr: "', 1), encoding="utf-8")
    result = run_check(content_copy)
    assert result.returncode == 1 and "messages.po:" in result.stdout
    assert (
        "raden är ingen giltig PO-rad" in result.stdout
        and "Unknown or misformatted" not in result.stdout
    )


def test_a_danger_phrase_under_another_intent_is_refused(content_copy):
    with (content_copy / "data/nlu/sv/where_to_turn_extra.yml").open("w", encoding="utf-8") as f:
        f.write(
            'version: "3.1"\nnlu:\n  - intent: where_to_turn\n    examples: |\n      - han slår mig nu\n'
        )
    result = run_check(content_copy)
    assert result.returncode == 1
    assert re.search(
        r"data/nlu/sv/where_to_turn_extra.yml:5: \"han slår mig nu\" låter som akut fara",
        result.stdout,
    )


def test_a_misspelt_response_in_a_rule_is_named_with_its_line(content_copy):
    rules = content_copy / "data/rules/knowledge.yml"
    text = rules.read_text(encoding="utf-8")
    name = re.search(r"- action: (utter_\w+)", text).group(1)
    misspelt = name[:-2] + name[-1] + name[-2]
    rules.write_text(
        text.replace(f"- action: {name}", f"- action: {misspelt}", 1), encoding="utf-8"
    )
    line = next(
        i
        for i, row in enumerate(rules.read_text(encoding="utf-8").splitlines(), 1)
        if misspelt in row
    )
    result = run_check(content_copy)
    assert result.returncode == 1
    assert (
        f"data/rules/knowledge.yml:{line}: {misspelt} finns inte i domain.yml (menade du {name}?)"
        in result.stdout
    )


def test_a_misspelt_concept_in_the_danger_rules_is_refused(content_copy):
    patterns = content_copy / "bot/content/danger_patterns.yml"
    text = patterns.read_text(encoding="utf-8")
    patterns.write_text(
        text.replace("{all: [attack, now]", "{all: [atack, now]", 1), encoding="utf-8"
    )
    result = run_check(content_copy)
    assert result.returncode == 1
    assert (
        "bot/content/danger_patterns.yml: filen kan inte användas" in result.stdout
        and "'atack'" in result.stdout
    )


def test_a_fact_the_widget_needs_cannot_be_removed(content_copy):
    facts = content_copy / "bot/content/facts.yml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("city_contact_centre_phone:", "kontaktcenter:"),
        encoding="utf-8",
    )
    result = run_check(content_copy)
    assert result.returncode == 1
    assert "widgeten visar {city_contact_centre_phone} när servern inte svarar" in result.stdout

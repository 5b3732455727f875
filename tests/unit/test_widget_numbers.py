"""The chat bundles the emergency numbers for when the server is down (it cannot fetch them
then). The web app fills them in from the facts file each time it serves chat.js (the script of
the widget's iframe), so they are the facts file's numbers: an editor's change reaches the
widget with no code change."""

import json
import re
import shutil
import time
from pathlib import Path

import yaml

from bot.answers import Content
from bot.routes.demo import FACT_PLACEHOLDER, FACTS_MARK, widget_script

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "widget/chat.js"
LABELS = ROOT / "widget/labels.json"
FACTS = ROOT / "bot/content/facts.yml"
BUNDLED = ("emergency_phone", "kvinnofridslinjen_phone", "city_contact_centre_phone")


def content(facts_file: Path) -> Content:
    return Content(ROOT / "domain.yml", ROOT / "locales", facts_file, LABELS)


def offline_labels():
    return [labels["offline"] for labels in json.loads(LABELS.read_text(encoding="utf-8")).values()]


def served_facts(script: str) -> dict:
    return json.loads(re.search(r"const FACTS = (\{.*?\});", script).group(1))


def test_the_offline_notice_in_every_widget_language_names_the_facts_by_key():
    offline = offline_labels()
    assert len(offline) == 6
    facts = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    for text in offline:
        assert set(FACT_PLACEHOLDER.findall(text)) == set(BUNDLED), text
        for key in BUNDLED:
            assert (
                facts[key]["value"] not in text
            )  # a number written out could drift from the facts


def test_every_fact_the_widget_names_is_in_the_facts_file():
    named = set(FACT_PLACEHOLDER.findall(LABELS.read_text(encoding="utf-8"))) - {
        "s"
    }  # {s}: seconds
    assert named == set(BUNDLED)
    assert named <= set(yaml.safe_load(FACTS.read_text(encoding="utf-8")))


def test_the_served_widget_carries_the_facts_files_numbers():
    served = widget_script(WIDGET, content(FACTS))
    assert FACTS_MARK not in served
    facts = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    assert served_facts(served) == {key: facts[key]["value"] for key in BUNDLED}


def test_a_changed_number_in_the_facts_file_is_in_the_next_served_widget(tmp_path):
    copy = tmp_path / "facts.yml"
    shutil.copy(FACTS, copy)
    before = served_facts(widget_script(WIDGET, content(copy)))
    facts = yaml.safe_load(copy.read_text(encoding="utf-8"))
    facts["kvinnofridslinjen_phone"]["value"] = "020-11 22 33"
    time.sleep(0.01)
    copy.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    after = served_facts(widget_script(WIDGET, content(copy)))
    assert before["kvinnofridslinjen_phone"] != "020-11 22 33"
    assert after == {**before, "kvinnofridslinjen_phone": "020-11 22 33"}


def test_no_unconfirmed_number_is_bundled():
    served = widget_script(WIDGET, content(FACTS))
    assert "116 016" not in served  # Kvinnofridslinjen's unconfirmed number (facts.md)


def test_a_renamed_widget_fact_keeps_its_last_number(tmp_path):
    copy = tmp_path / "facts.yml"
    shutil.copy(FACTS, copy)
    live = content(copy)
    before = served_facts(widget_script(WIDGET, live))
    time.sleep(0.01)
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("city_contact_centre_phone:", "kontaktcenter:"),
        encoding="utf-8",
    )
    assert served_facts(widget_script(WIDGET, live)) == before
    assert [p.code for p in live.refused()] == ["fact_missing"]

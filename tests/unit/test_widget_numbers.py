"""The widget bundles the emergency numbers for when the server is down (it cannot fetch them
then). They must be the facts file's numbers: a changed fact must be changed there too."""
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ("emergency_phone", "kvinnofridslinjen_phone", "city_contact_centre_phone")


def test_offline_numbers_in_every_widget_language_match_the_facts_file():
    facts = yaml.safe_load((ROOT / "bot/content/facts.yml").read_text(encoding="utf-8"))
    offline = re.findall(r"offline:\s*'([^']*)'", (ROOT / "widget/widget.js").read_text(encoding="utf-8"))
    assert len(offline) == 6
    for text in offline:
        for key in BUNDLED:
            assert facts[key]["value"] in text, (key, text)


def test_no_unconfirmed_number_is_bundled():
    widget = (ROOT / "widget/widget.js").read_text(encoding="utf-8")
    assert "116 016" not in widget  # Kvinnofridslinjen's unconfirmed number (facts.md)

"""Every topic answers correctly in all six languages over /api/chat (issue 4), and the
nearest-RVC examples of issue 5 get the right centre."""

from pathlib import Path

import pytest
import yaml

from bot.answers import Content
from bot.settings import Settings
from bot.vocabulary import LANGUAGES, TOPICS
from tests.helpers import texts

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[2]
CONTENT = Content.from_settings(Settings())


def first_example(language: str, intent: str) -> str:
    data = yaml.safe_load(
        (ROOT / "data" / "nlu" / language / "nlu.yml").read_text(encoding="utf-8")
    )
    block = next(item["examples"] for item in data["nlu"] if item.get("intent") == intent)
    line = block.strip().splitlines()[0][2:]
    return line


CASES = [(language, topic) for language in LANGUAGES for topic in TOPICS]


@pytest.mark.parametrize("language, topic", CASES, ids=[f"{l}-{t}" for l, t in CASES])
def test_topic_answered_in_the_residents_language(client, language, topic):
    answers = client.say(first_example(language, topic), language=language)
    expected = CONTENT.render(f"utter_{topic}", language)["text"]
    # Rasa's REST channel sends a text without buttons as one message per paragraph.
    assert "\n\n".join(texts(answers)) == expected


@pytest.mark.parametrize(
    "message, language, centre",
    [
        ("jag bor i Tensta", "sv", "RVC Västerort"),
        ("bor på söder", "sv", "RVC Innerstan"),
        ("I live in Kista", "en", "RVC Västerort"),
        ("أسكن في فارستا", "ar", "RVC Södra söderort"),
    ],
)
def test_nearest_centre_over_the_chat_api(client, message, language, centre):
    text = " ".join(texts(client.say(message, language=language)))
    assert centre in text
    others = {"RVC Västerort", "RVC Innerstan", "RVC Västra söderort", "RVC Södra söderort"} - {
        centre
    }
    assert not any(other in text for other in others)


def test_a_solna_resident_is_sent_to_their_own_municipality(client):
    answers = texts(client.say("jag bor i Solna", language="sv"))
    assert answers[0] == CONTENT.render("utter_outside_city", "sv", {"place": "Solna"})["text"]
    assert "RVC Västerort" not in " ".join(answers)

"""The independent evaluation sets: big enough, covering every intent, scored only where unseen."""

import re
import sys
from pathlib import Path

import pytest
import yaml

from bot.vocabulary import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from bench_nlu import independent_set, training_texts  # noqa: E402

INTENTS = [
    i
    for i in re.findall(
        r"^\| (\w+) \|", (ROOT / "tests/independent/INTENTS.md").read_text(encoding="utf-8"), re.M
    )
    if i != "intent"
]


def load(language):
    return yaml.safe_load(
        (ROOT / "tests" / "independent" / f"{language}.yml").read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_set_is_as_big_as_issue_16_asks_without_what_is_also_trained_on(language):
    intents, not_acute, langid = independent_set(language)
    assert len(intents) + len(not_acute) >= 150
    assert sum(i == "acute_danger" for _, i in intents) >= 30
    assert len(not_acute) >= 30
    assert len(langid) >= 50


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_intent_is_covered(language):
    data = load(language)
    assert set(INTENTS) <= set(data["intents"]), set(INTENTS) - set(data["intents"])
    assert set(data["intents"]) | set(data["not_acute"]) <= set(INTENTS)
    assert "acute_danger" not in data["not_acute"]


def test_messages_that_are_also_training_examples_are_not_scored():
    trained = training_texts()
    for language in LANGUAGES:
        intents, not_acute, langid = independent_set(language)
        scored = [t for t, _ in intents + not_acute] + langid
        assert not [t for t in scored if " ".join(t.lower().split()) in trained]
    assert "hej" in trained  # the filter has something to do

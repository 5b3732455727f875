"""Regression guards on the independent evaluation sets, for the parts that need no model: the
danger phrases and patterns alone, and the answer language. The floors sit just below one
measured run (docs/benchmarks.md); they are guards against a change that loses ground, not the
targets of issue 16, and the sets must never be used to tune the patterns."""

import sys
from pathlib import Path

import pytest

from bot.danger import is_acute_danger
from bot.language import content_words, resolve_language

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from bench_nlu import independent_set  # noqa: E402

# language: (patterns' recall at least, their false alarms at most, answer language ≥ 3 words at least)
FLOORS = {
    "sv": (0.70, 0.02, 0.99),
    "en": (0.70, 0.02, 0.96),
    "ar": (0.85, 0.035, 0.90),
    "fa": (0.58, 0.035, 0.95),
    "so": (0.74, 0.02, 0.97),
    "fi": (0.60, 0.035, 0.98),
}


@pytest.mark.parametrize("language", list(FLOORS))
def test_danger_phrases_and_patterns_alone_keep_their_ground(language):
    recall_floor, alarm_ceiling, _ = FLOORS[language]
    intents, not_acute, _ = independent_set(language)
    acute = [t for t, i in intents if i == "acute_danger"]
    others = [t for t, i in intents + not_acute if i != "acute_danger"]
    assert sum(map(is_acute_danger, acute)) / len(acute) >= recall_floor
    assert sum(map(is_acute_danger, others)) / len(others) <= alarm_ceiling


@pytest.mark.parametrize("language", list(FLOORS))
def test_the_answer_language_of_a_first_message_keeps_its_ground(language):
    intents, not_acute, langid = independent_set(language)
    texts = [t for t in langid + [t for t, _ in intents + not_acute] if len(content_words(t)) >= 3]
    first = [
        {"events": [{"event": "user", "text": t, "parse_data": {"intent": {"name": "x"}}}]}
        for t in texts
    ]
    assert sum(resolve_language(f) == language for f in first) / len(texts) >= FLOORS[language][2]
    picked = [{"events": [{**f["events"][0], "metadata": {"language": language}}]} for f in first]
    assert all(resolve_language(p) == language for p in picked)

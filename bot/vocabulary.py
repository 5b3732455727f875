"""The codes the chat, the console and the widget share: languages, safe times, outcomes and
topics, read once from bot/content/vocabulary.yml (a data file, so adding a language or an
outcome is one line there, not an edit in several modules).

Helplines are not listed here: every fact in facts.yml whose key ends in ``_phone`` is one
(bot/followup.py counts referrals to them), except the emergency number.
"""

from dataclasses import dataclass
from typing import Dict, FrozenSet, Tuple

import yaml

from bot.settings import ROOT

VOCABULARY_FILE = ROOT / "bot" / "content" / "vocabulary.yml"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # as the language writes itself
    swedish: str  # the console's name for it
    script: str  # "latin" or "arabic"
    rtl: bool


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    closes: bool


def _load() -> dict:
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    if data["source_language"] not in data["languages"]:
        raise ValueError(f"{VOCABULARY_FILE}: source_language is not one of the languages")
    return data


_data = _load()
LANGUAGE_INFO: Dict[str, Language] = {
    code: Language(
        code,
        str(info["name"]),
        str(info["swedish"]),
        info.get("script", "latin"),
        bool(info.get("rtl")),
    )
    for code, info in _data["languages"].items()
}
LANGUAGES: Tuple[str, ...] = tuple(LANGUAGE_INFO)
SOURCE_LANGUAGE: str = _data["source_language"]
RTL_LANGUAGES: FrozenSet[str] = frozenset(code for code, info in LANGUAGE_INFO.items() if info.rtl)
ARABIC_SCRIPT_LANGUAGES: FrozenSet[str] = frozenset(
    c for c, info in LANGUAGE_INFO.items() if info.script == "arabic"
)
# The booking asks which language to call in: one of ours, or another (with an interpreter).
CALL_LANGUAGES: Tuple[str, ...] = LANGUAGES + ("other",)
SAFE_TIMES: Dict[str, str] = {code: str(label) for code, label in _data["safe_times"].items()}
OUTCOMES: Dict[str, Outcome] = {
    code: Outcome(code, str(info["label"]), bool(info.get("closes")))
    for code, info in _data["outcomes"].items()
}
CLOSING_OUTCOMES: Tuple[str, ...] = tuple(
    code for code, outcome in OUTCOMES.items() if outcome.closes
)
TOPICS: Tuple[str, ...] = tuple(_data["topics"])
EMERGENCY_FACT = "emergency_phone"


def is_helpline_fact(key: str) -> bool:
    return key.endswith("_phone") and key != EMERGENCY_FACT


def widget_languages() -> Dict[str, Dict[str, object]]:
    """What the widget needs to know of each language (its menu and text direction)."""
    return {code: {"name": info.name, "rtl": info.rtl} for code, info in LANGUAGE_INFO.items()}

"""Decide which language to answer in. The one function for it: ``resolve_language``.

Order, newest user message first (a stateless walk over the tracker Rasa sends, so the web
app keeps no conversation state):
1. an explicit request ("can you answer in English?"): intent ``switch_language``, the
   language named in it (an entity, or a name from bot/content/language_names.yml);
2. the language the client chose, sent as message metadata ``{"language": "ar"}``;
3. the language detected in the text, only when the detector is confident and the message is
   long enough; short or ambiguous messages ("ok", "ja", a number) fall through to the
   previous message, so the language stays stable.
Nothing found: Swedish.
"""
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional

import yaml

from bot.reloading import FileCache
from bot.settings import LANGUAGES, ROOT, SOURCE_LANGUAGE
from bot.text_norm import fold

PHONE_TOKENS = re.compile(r"\btel_[A-Za-z0-9]+\b")
LANGUAGE_NAMES_FILE = ROOT / "bot" / "content" / "language_names.yml"
MIN_LETTERS_TO_DETECT = 8
MIN_CONFIDENCE = 0.80


def resolve_language(tracker: Mapping[str, Any]) -> str:
    """The answer language for a Rasa tracker state (dict, as the NLG endpoint receives it)."""
    for event in reversed(list(_user_events(tracker))):
        language = _language_of(event)
        if language:
            return language
    return SOURCE_LANGUAGE


def detect_language(text: str) -> Optional[str]:
    """The language of ``text`` if the offline detector is confident; else None."""
    # A phone token ("tel_Xk3…") is random letters: it must not decide the language.
    text = PHONE_TOKENS.sub(" ", text or "")
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS_TO_DETECT:
        return None
    best = _detector().compute_language_confidence_values(text)[0]
    if best.value < MIN_CONFIDENCE:
        return None
    return best.language.iso_code_639_1.name.lower()


def requested_language(text: str) -> Optional[str]:
    """The language named in a request like "can you answer in English?" (bot/content/language_names.yml)."""
    words = f" {fold(text)} "
    for code, names in _language_names.get(LANGUAGE_NAMES_FILE).items():
        if any(f" {name} " in words for name in names):
            return code
    return None


def _language_of(event: Mapping[str, Any]) -> Optional[str]:
    parse = event.get("parse_data") or {}
    if (parse.get("intent") or {}).get("name") == "switch_language":
        for entity in parse.get("entities") or []:
            if entity.get("entity") == "language" and entity.get("value") in LANGUAGES:
                return entity["value"]
        named = requested_language(event.get("text") or "")
        if named:
            return named
    chosen = (event.get("metadata") or {}).get("language")
    if chosen in LANGUAGES:
        return chosen
    text = event.get("text") or ""
    if text.startswith("/"):  # a button payload carries no language
        return None
    return detect_language(text)


def _user_events(tracker: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    events = tracker.get("events") or []
    found = False
    for event in events:
        if event.get("event") == "user":
            found = True
            yield event
    if not found and tracker.get("latest_message"):
        yield tracker["latest_message"]


def _load_language_names(path: Path) -> Dict[str, List[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {code: [fold(str(n)) for n in names] for code, names in data.items() if code in LANGUAGES}


_language_names: FileCache[Dict[str, List[str]]] = FileCache(_load_language_names)


@lru_cache(maxsize=1)
def _detector():
    # lingua ships its language models inside the wheel: no download at run time.
    from lingua import Language, LanguageDetectorBuilder

    wanted = [Language.SWEDISH, Language.ENGLISH, Language.ARABIC, Language.PERSIAN, Language.SOMALI, Language.FINNISH]
    return LanguageDetectorBuilder.from_languages(*wanted).build()

"""Decide which language to answer in. The one function for it: ``resolve_language``.

Long because the decision and its two detectors are tuned together: the thresholds below
weigh lingua against our own model, and keeping them in one file keeps that visible.

The conversation is walked oldest message first (a stateless walk over the tracker Rasa sends,
so the web app keeps no conversation state). The answer language is then:
1. an explicit request ("can you answer in English?"): intent ``switch_language``, the language
   named in it (an entity, or a name from bot/content/language_names.yml). It holds until
   another request, or until the resident clearly writes a longer message in another language;
2. a language the resident picked in the widget (message metadata ``{"language": "ar"}``): it
   holds in the same way;
3. otherwise the language detected in the text. A message of fewer than ``FLIP_WORDS`` words
   ("ok", "ja", a number, a place name) never changes a language already in use.
Nothing found: Swedish.

Detection (``detect_language``) first removes what says nothing about the writer's language:
Swedish names of places (the gazetteer), institutions and legal terms (bot/content/
swedish_terms.yml), phone tokens, numbers. "Does socialtjänsten have to know?" is English. It
then combines two detectors that must agree enough: lingua (offline, its models inside its
wheel) and a character n-gram model trained on our own six-language texts (training examples
and answer catalogs), which knows how our residents write (no diacritics, Arabizi, dialect).
"""

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

import yaml

from bot.reloading import FileCache
from bot.settings import ROOT
from bot.text_norm import fold, unify_arabic_letters
from bot.training_data import examples
from bot.vocabulary import ARABIC_SCRIPT_LANGUAGES, LANGUAGES, SOURCE_LANGUAGE

PHONE_TOKENS = re.compile(r"\btel_[A-Za-z0-9]+\b")
LANGUAGE_NAMES_FILE = ROOT / "bot" / "content" / "language_names.yml"
SWEDISH_TERMS_FILE = ROOT / "bot" / "content" / "swedish_terms.yml"
MIN_LETTERS_TO_DETECT = 8
MIN_CONFIDENCE = 0.70  # combined probability of the best language
FLIP_WORDS = 3  # words (after removing names and terms) a message needs to change the language
HELD_FLIP_WORDS = 6  # ... to change a language the resident asked for or picked
HELD_FLIP_CONFIDENCE = 0.90
MAX_CHARS_TO_DETECT = 400  # the start of a long message tells its language; the rest costs time
OUR_WEIGHT = 0.6  # our own model's share of the combined probability (lingua has the rest)
# Arabizi writes Arabic in Latin letters, with digits for Arabic sounds ("3am", "7ada", "sa3douni"):
# no other of our languages puts 2, 3, 5, 7 or 9 inside a word.
ARABIZI_WORD = re.compile(r"^(?=.*[a-z])(?=.*[235679])[a-z235679']+$")
ARABIZI_MIN_WORDS = 2


@dataclass(frozen=True)
class Detection:
    language: str
    confidence: float
    words: int  # words left after names, terms and numbers are removed


def resolve_language(tracker: Mapping[str, Any]) -> str:
    """The answer language for a Rasa tracker state (dict, as the NLG endpoint receives it)."""
    current: Optional[str] = None
    held = False  # asked for or picked: only a clear, longer message changes it
    last_pick: Optional[str] = None
    for event in _user_events(tracker):
        requested = _requested(event)
        if requested:
            current, held = requested, True
            continue
        pick = (event.get("metadata") or {}).get("language")
        if pick in LANGUAGES and pick != last_pick:
            current, held, last_pick = pick, True, pick
            continue
        text = event.get("text") or ""
        if text.startswith("/"):  # a button payload carries no language
            continue
        found = detect(text)
        if found is None or found.language == current:
            continue
        if (
            current is None
            or (not held and found.words >= FLIP_WORDS)
            or (
                held and found.words >= HELD_FLIP_WORDS and found.confidence >= HELD_FLIP_CONFIDENCE
            )
        ):
            current, held = found.language, False
    return current or SOURCE_LANGUAGE


def detect_language(text: str) -> Optional[str]:
    """The language of ``text`` if the detectors are confident; else None."""
    found = detect(text)
    return found.language if found else None


def detect(text: str) -> Optional[Detection]:
    """The language of ``text`` with its confidence and word count; None if unsure or too short.
    Only the first ``MAX_CHARS_TO_DETECT`` characters are read, and only they are cached: the
    cost and memory of a detection do not grow with the message."""
    return _detect(text[:MAX_CHARS_TO_DETECT])


@lru_cache(maxsize=4096)
def _detect(text: str) -> Optional[Detection]:
    words = content_words(text)
    sample = " ".join(words)
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS_TO_DETECT:
        return None
    if _arabizi_words(words) >= ARABIZI_MIN_WORDS:
        return Detection("ar", 1.0, len(words))
    ours = _own_model().probabilities(sample)
    theirs = {
        value.language.iso_code_639_1.name.lower(): value.value
        for value in _lingua().compute_language_confidence_values(sample)
    }
    # The script narrows the choice: Arabic letters are Arabic or Persian, never Swedish; Latin
    # letters (Arabizi aside, above) are one of the others.
    arabic_script = _arabic_letter_share(sample) > 0.5
    candidates = [
        code for code in LANGUAGES if (code in ARABIC_SCRIPT_LANGUAGES) == arabic_script
    ] or list(LANGUAGES)
    combined = {
        code: OUR_WEIGHT * ours.get(code, 0.0) + (1 - OUR_WEIGHT) * theirs.get(code, 0.0)
        for code in candidates
    }
    total = sum(combined.values()) or 1.0
    combined = {code: value / total for code, value in combined.items()}
    best = max(combined, key=combined.get)
    if combined[best] < MIN_CONFIDENCE:
        return None
    return Detection(best, combined[best], len(words))


def content_words(text: str) -> List[str]:
    """The words of ``text`` that can tell its language: no phone tokens, numbers, Swedish place
    names, institutions or legal terms."""
    from bot.places import place_word_indices

    text = PHONE_TOKENS.sub(" ", text or "")
    words = _id_normalise(text).split()
    places = place_word_indices(" ".join(words))
    terms = _swedish_terms.get(SWEDISH_TERMS_FILE)
    kept, i = [], 0
    while i < len(words):
        n = _term_length(words, i, terms)
        if n:
            i += n
            continue
        if i not in places and not words[i].isdigit():
            kept.append(words[i])
        i += 1
    return kept


def requested_language(text: str) -> Optional[str]:
    """The language named in a request like "can you answer in English?" (bot/content/language_names.yml)."""
    words = f" {fold(text[:MAX_CHARS_TO_DETECT])} "
    for code, names in _language_names.get(LANGUAGE_NAMES_FILE).items():
        # Arabic and Persian attach prefixes to the name ("بالعربية"): match inside words there.
        if any(f" {name} " in words or (not name.isascii() and name in words) for name in names):
            return code
    return None


def _requested(event: Mapping[str, Any]) -> Optional[str]:
    parse = event.get("parse_data") or {}
    if (parse.get("intent") or {}).get("name") != "switch_language":
        return None
    for entity in parse.get("entities") or []:
        if entity.get("entity") == "language" and entity.get("value") in LANGUAGES:
            return entity["value"]
    # "Can you answer in my language?" names none: the language it is written in is the one.
    return requested_language(event.get("text") or "") or detect_language(event.get("text") or "")


def _user_events(tracker: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    events = [e for e in tracker.get("events") or [] if e.get("event") == "user"]
    if not events and tracker.get("latest_message"):
        events = [tracker["latest_message"]]
    return events


# ---- text for language identification ----------------------------------------------------

_NOT_LETTERS = re.compile(r"[^\w\s]|_")


def _id_normalise(text: str) -> str:
    """Lowercase, punctuation out, diacritics kept (ä tells Swedish and Finnish from Somali).
    Arabic and Persian letter variants are one letter: Arabic is often typed on a Persian
    keyboard (یضربنی), so the words, not ی or ي, must tell the two apart."""
    return _NOT_LETTERS.sub(" ", unify_arabic_letters((text or "").casefold()))


def _arabic_letter_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in letters) / (
        len(letters) or 1
    )


def _arabizi_words(words: List[str]) -> int:
    return sum(1 for w in words if ARABIZI_WORD.match(w) and not w.isdigit())


def _term_length(words: List[str], i: int, terms: Dict[str, Set[Tuple[str, ...]]]) -> int:
    """Words a Swedish term starting at ``words[i]`` covers (0: none). A term may carry an ending
    ("socialtjänsten", "socialtjänstenin", "RVC:n")."""
    for term in sorted(terms.get(_key(words[i]), ()), key=len, reverse=True):
        if tuple(_key(w) for w in words[i : i + len(term)]) == term:
            return len(term)
    return 0


def _key(word: str) -> str:
    # Six letters: a term with an ending or a typo in its tail ("brottskadeersättning") is the term.
    return fold(word)[:6]


def _load_swedish_terms(path: Path) -> Dict[str, Set[Tuple[str, ...]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms: Dict[str, Set[Tuple[str, ...]]] = {}
    for term in (t for group in data.values() for t in group or []):
        words = tuple(_key(w) for w in _id_normalise(str(term)).split())
        if words:
            terms.setdefault(words[0], set()).add(words)
    return terms


def _load_language_names(path: Path) -> Dict[str, List[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        code: [fold(str(n)) for n in names] for code, names in data.items() if code in LANGUAGES
    }


_language_names: FileCache[Dict[str, List[str]]] = FileCache(_load_language_names)
_swedish_terms: FileCache[Dict[str, Set[Tuple[str, ...]]]] = FileCache(_load_swedish_terms)


# ---- the two detectors ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _lingua():
    # lingua ships its language models inside the wheel: no download at run time.
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    wanted = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES
    ]
    return LanguageDetectorBuilder.from_languages(*wanted).build()


class CharNgramModel:
    """Multinomial naive Bayes over character 1–4-grams of words, one class per language."""

    ORDERS = (1, 2, 3, 4)
    ALPHA = 0.1

    def __init__(self, texts: Mapping[str, List[str]]) -> None:
        self.counts = {
            code: Counter(g for t in lines for g in self.grams(t)) for code, lines in texts.items()
        }
        self.totals = {code: sum(c.values()) for code, c in self.counts.items()}
        self.vocabulary = len(set().union(*self.counts.values())) or 1

    @classmethod
    def grams(cls, text: str) -> Iterable[str]:
        for word in text.split():
            padded = f" {word} "
            for n in cls.ORDERS:
                for i in range(len(padded) - n + 1):
                    yield padded[i : i + n]

    def probabilities(self, text: str) -> Dict[str, float]:
        grams = list(self.grams(text))
        if not grams:
            return {}
        scores = {}
        for code, counts in self.counts.items():
            denominator = math.log(self.totals[code] + self.ALPHA * self.vocabulary)
            scores[code] = sum(math.log(counts.get(g, 0) + self.ALPHA) - denominator for g in grams)
        # Per-gram average: a long message must not make the model absurdly certain.
        scaled = {code: s / len(grams) * 4 for code, s in scores.items()}
        top = max(scaled.values())
        exp = {code: math.exp(s - top) for code, s in scaled.items()}
        total = sum(exp.values())
        return {code: v / total for code, v in exp.items()}


@lru_cache(maxsize=1)
def _own_model() -> CharNgramModel:
    return CharNgramModel({code: _training_texts(code) for code in LANGUAGES})


def _training_texts(code: str) -> List[str]:
    """Our own texts in ``code``: NLU training examples and the answer catalog (translations)."""
    texts = list(examples(code))
    catalog = ROOT / "locales" / code / "LC_MESSAGES" / "messages.po"
    if catalog.exists():
        from babel.messages.pofile import read_po

        with catalog.open("rb") as f:
            # {placeholders} such as {emergency_phone} are no words of any language.
            texts += [
                re.sub(r"\{[^}]*\}", " ", m.string)
                for m in read_po(f)
                if m.id and isinstance(m.string, str)
            ]
    return [" ".join(content_words(t)) for t in texts]

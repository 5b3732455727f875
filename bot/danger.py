"""Does a message say the writer is in acute danger? Checks that need no model.

Two data files, both re-read when they change (editors extend them, docs/editing.md):
- ``bot/content/danger_terms*.yml``: whole phrases ("han slår mig nu");
- ``bot/content/danger_patterns.yml``: concepts (violence verb, "now", weapon, holding, at the
  door, locked in, strangling, threat to kill, marriage …) in six languages, and rules that
  combine them (bot/patterns.py) ("a violence verb near a word for now", "a weapon near holding it"). A
  rule generalises where a phrase list cannot: "hon står med en kniv i köket" is no phrase of the
  list, but it is a weapon near a word for holding it.

Both sides go through ``fold_for_match`` (no diacritics, Arabic letter variants, Persian می
joined, Arabizi digits, single letters for doubled ones). Used by the NLU component
``bot.rasa.nlu_danger``, which forces the ``acute_danger`` intent, so 112 never depends on the
classifier alone.
"""

from pathlib import Path
from typing import FrozenSet, Optional

import yaml

from bot import patterns
from bot.reloading import FileCache
from bot.text_norm import fold_for_match

CONTENT = Path(__file__).resolve().parent / "content"
LEXICON_FILES = ("danger_terms.yml", "danger_terms_extra.yml")
PATTERNS_FILE = "danger_patterns.yml"


def is_acute_danger(text: str) -> bool:
    return danger_reason(text) is not None


def danger_reason(text: str) -> Optional[str]:
    """Why ``text`` reads as acute danger: "phrase" or the name of a pattern rule; else None."""
    folded = fold_for_match(text or "")
    if not folded:
        return None
    rules, words = patterns.load(CONTENT / PATTERNS_FILE), folded.split()
    if rules.cancelled(words):  # "I'm safe now", "does it count as violence …"
        return None
    padded = f" {folded} "
    if any(f" {term} " in padded or _inside_word_hit(padded, term) for term in danger_terms()):
        return "phrase"
    return rules.first_match(words)


def danger_terms() -> FrozenSet[str]:
    terms = set()
    for name in LEXICON_FILES:
        terms |= _lexicons.get(CONTENT / name)
    return frozenset(terms)


def _inside_word_hit(padded: str, term: str) -> bool:
    # Arabic and Persian attach particles in front of words ("وسيقتلني"); a term may also
    # appear inside a longer word there. Latin-script terms must match whole words only.
    return not term.isascii() and term in padded


def _load_lexicon(path: Path) -> FrozenSet[str]:
    if not path.exists():
        return frozenset()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(
        fold_for_match(t) for terms in data.values() for t in (terms or []) if fold_for_match(t)
    )


_lexicons: FileCache[FrozenSet[str]] = FileCache(_load_lexicon)

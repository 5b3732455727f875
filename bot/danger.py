"""Does a message say the writer is in acute danger? A lexicon check that needs no model.

The lexicon lives in ``bot/content/danger_terms*.yml`` (one list per language) so editors can
extend it; it is re-read when a file changes. Used by the NLU component ``bot.nlu_danger``,
which forces the ``acute_danger`` intent, so 112 never depends on the classifier alone.
"""
from pathlib import Path
from typing import FrozenSet, Tuple

import yaml

from bot.reloading import FileCache
from bot.text_norm import fold

CONTENT = Path(__file__).resolve().parent / "content"
LEXICON_FILES = ("danger_terms.yml", "danger_terms_extra.yml")


def is_acute_danger(text: str) -> bool:
    """True if the folded message contains a folded danger term as a whole-word sequence."""
    padded = f" {fold(text)} "
    return any(f" {term} " in padded or _prefix_hit(padded, term) for term in danger_terms())


def danger_terms() -> FrozenSet[str]:
    terms = set()
    for name in LEXICON_FILES:
        terms |= _lexicons.get(CONTENT / name)
    return frozenset(terms)


def _prefix_hit(padded: str, term: str) -> bool:
    # Arabic and Persian attach particles in front of words ("وسيقتلني"); a term may also
    # appear inside a longer word there. Latin-script terms must match whole words only.
    return not term.isascii() and term in padded


def _load(path: Path) -> FrozenSet[str]:
    if not path.exists():
        return frozenset()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(fold(t) for terms in data.values() for t in (terms or []) if fold(t))


_lexicons: FileCache[FrozenSet[str]] = FileCache(_load)

"""Does a message say the writer is in acute danger? Checks that need no model.

Two data files, both re-read when they change (editors extend them, docs/editing.md):
- ``bot/content/danger_terms*.yml``: whole phrases ("han slår mig nu");
- ``bot/content/danger_patterns.yml``: concepts (violence verb, "now", weapon, holding,
  at the door, locked in, strangling, threat to kill, marriage …) in six languages, and rules
  that combine them ("a violence verb near a word for now", "a weapon near holding it"). A
  rule generalises where a phrase list cannot: "hon står med en kniv i köket" is no phrase of the
  list, but it is a weapon near a word for holding it.

Both sides go through ``fold_for_match`` (no diacritics, Arabic letter variants, Persian می
joined, Arabizi digits, single letters for doubled ones). Used by the NLU component
``bot.nlu_danger``, which forces the ``acute_danger`` intent, so 112 never depends on the
classifier alone.
"""
import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import yaml

from bot.reloading import FileCache
from bot.text_norm import fold_for_match

CONTENT = Path(__file__).resolve().parent / "content"
LEXICON_FILES = ("danger_terms.yml", "danger_terms_extra.yml")
PATTERNS_FILE = "danger_patterns.yml"
# How far (in words) before a rule's words a hypothetical or habitual marker ("what if",
# "often") still changes its meaning, and how far after.
UNLESS_BEFORE, UNLESS_AFTER = 3, 3


def is_acute_danger(text: str) -> bool:
    return danger_reason(text) is not None


def danger_reason(text: str) -> Optional[str]:
    """Why ``text`` reads as acute danger: "phrase" or the name of a pattern rule; else None."""
    folded = fold_for_match(text or "")
    if not folded:
        return None
    padded = f" {folded} "
    if any(f" {term} " in padded or _inside_word_hit(padded, term) for term in danger_terms()):
        return "phrase"
    patterns = _patterns.get(CONTENT / PATTERNS_FILE)
    return patterns.first_match(folded.split())


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
    return frozenset(fold_for_match(t) for terms in data.values() for t in (terms or []) if fold_for_match(t))


_lexicons: FileCache[FrozenSet[str]] = FileCache(_load_lexicon)


# ---- patterns ------------------------------------------------------------------------------

Term = Tuple[str, ...]  # one glob per word, already folded
_STAR = "qzxq"  # stands for "*" while a pattern is folded (letters that fold keeps as they are)


@dataclass(frozen=True)
class Rule:
    name: str
    concepts: Tuple[str, ...]   # each must occur ...
    window: int                 # ... all within this many words
    unless: Tuple[str, ...]     # and none of these next to them
    alone: bool = False         # only when its words are the whole message


class Patterns:
    def __init__(self, concepts: Dict[str, List[Term]], rules: Sequence[Rule]) -> None:
        self.concepts, self.rules = concepts, rules

    def first_match(self, words: List[str]) -> Optional[str]:
        found: Dict[str, List[Tuple[int, int]]] = {}

        def spans(concept: str) -> List[Tuple[int, int]]:
            if concept not in found:
                found[concept] = _find(self.concepts.get(concept, []), words)
            return found[concept]

        for rule in self.rules:
            if rule.alone:
                covered = {i for c in rule.concepts for s, e in spans(c) for i in range(s, e)}
                if words and len(covered) == len(words):
                    return rule.name
                continue
            for start, end in _joint_spans([spans(c) for c in rule.concepts], rule.window):
                near = range(max(0, start - UNLESS_BEFORE), end + UNLESS_AFTER)
                if not any(s in near for c in rule.unless for s, _e in spans(c)):
                    return rule.name
        return None


def _find(terms: List[Term], words: List[str]) -> List[Tuple[int, int]]:
    """Spans (first word, last word + 1) where a term matches consecutive words."""
    hits = []
    for term in terms:
        n = len(term)
        for i in range(len(words) - n + 1):
            if all(_word_matches(g, w) for g, w in zip(term, words[i:i + n])):
                hits.append((i, i + n))
    return hits


def _word_matches(glob: str, word: str) -> bool:
    if "*" not in glob:
        return glob == word
    return fnmatch.fnmatchcase(word, glob)


def _joint_spans(per_concept: List[List[Tuple[int, int]]], window: int) -> List[Tuple[int, int]]:
    """Combinations with one span of each concept, all inside ``window`` words."""
    joint = [(0, 0, True)]  # (start, end, empty)
    for spans in per_concept:
        if not spans:
            return []
        joint = [(s if empty else min(start, s), e if empty else max(end, e), False)
                 for start, end, empty in joint for s, e in spans
                 if empty or max(end, e) - min(start, s) <= window]
        if not joint:
            return []
    return [(start, end) for start, end, _empty in joint]


def _load_patterns(path: Path) -> Patterns:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    data = data or {}
    concepts: Dict[str, List[Term]] = {}
    for concept, per_language in (data.get("concepts") or {}).items():
        terms = []
        for phrases in (per_language or {}).values():
            for phrase in phrases or []:
                # "*" is a wildcard inside a word; the rest is folded like the message.
                words = fold_for_match(str(phrase).replace("*", _STAR)).replace(_STAR, "*").split()
                if all(words):
                    terms.append(tuple(words))
        concepts[concept] = terms
    rules = [Rule(name, tuple(spec["all"]), int(spec.get("window", 6)), tuple(spec.get("unless") or ()),
                  bool(spec.get("alone", False)))
             for name, spec in (data.get("rules") or {}).items()]
    return Patterns(concepts, rules)


_patterns: FileCache[Patterns] = FileCache(_load_patterns)

"""Concept patterns: words grouped into concepts, and rules that say which concepts together
mean something ("a violence verb within 4 words of a word for now").

A rule generalises where a phrase list cannot. Both the danger detector (bot/danger.py,
bot/content/danger_patterns.yml) and the needs that outrank a topic (bot/needs.py,
bot/content/needs_patterns.yml) are written this way; the data file's header says how to write
one. Message and words go through ``fold_for_match``, so spelling variants need no entries.
"""

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from bot.reloading import FileCache
from bot.text_norm import fold_for_match

# How far (in words) before and after a rule's words a cancelling concept ("what if", "often")
# still changes their meaning.
UNLESS_BEFORE, UNLESS_AFTER = 5, 5
Term = Tuple[str, ...]  # one glob per word, already folded
_GLOB = re.compile(r"(\*|\[[^\]]*\])")  # "*" and "[0-7]" stay; the letters around them are folded


@dataclass(frozen=True)
class Rule:
    name: str
    concepts: Tuple[str, ...]  # each must occur ...
    window: int  # ... all within this many words
    unless: Tuple[str, ...]  # and none of these next to them
    unless_before: Tuple[
        str, ...
    ] = ()  # nor these just before them ("what if he …"; "… if I don't" is a threat)
    alone: bool = False  # only when its words are the whole message


class Patterns:
    def __init__(
        self,
        concepts: Dict[str, "Concept"],
        rules: Sequence[Rule],
        unless_anywhere: Sequence[str] = (),
    ) -> None:
        self.concepts, self.rules, self.unless_anywhere = concepts, rules, tuple(unless_anywhere)

    def cancelled(self, words: List[str]) -> bool:
        """Does the message hold a concept that cancels every rule wherever it stands?"""
        joined = " ".join(words)
        return any(
            self.concepts.get(c, _NO_CONCEPT).spans(words, joined) for c in self.unless_anywhere
        )

    def first_match_in(self, text: str) -> Optional[str]:
        """The name of the first rule that matches ``text``, or None (also when it is cancelled)."""
        words = fold_for_match(text or "").split()
        return None if self.cancelled(words) else self.first_match(words)

    def first_match(self, words: List[str]) -> Optional[str]:
        """The first rule that matches the folded ``words``; the caller checks ``cancelled``."""
        found: Dict[str, List[Tuple[int, int]]] = {}
        joined = " ".join(words)

        def spans(concept: str) -> List[Tuple[int, int]]:
            if concept not in found:
                found[concept] = self.concepts.get(concept, _NO_CONCEPT).spans(words, joined)
            return found[concept]

        for rule in self.rules:
            if rule.alone:
                covered = {i for c in rule.concepts for s, e in spans(c) for i in range(s, e)}
                if words and len(covered) == len(words):
                    return rule.name
                continue
            for start, end in _joint_spans([spans(c) for c in rule.concepts], rule.window):
                near = [(s, e) for c in rule.unless for s, e in spans(c)]
                before = [(s, e) for c in rule.unless_before for s, e in spans(c)]
                if not any(
                    e > start - UNLESS_BEFORE and s < end + UNLESS_AFTER for s, e in near
                ) and not any(e > start - UNLESS_BEFORE and s < start for s, e in before):
                    return rule.name
        return None


class Glob:
    """One word of a pattern: exact, "abc*", "*abc", "*abc*", or any other glob ("1[0-7]")."""

    __slots__ = ("kind", "text", "regex")

    def __init__(self, glob: str) -> None:
        self.regex = None
        inner = glob.strip("*")
        if "*" not in glob and "[" not in glob:
            self.kind, self.text = "exact", glob
        elif "*" in inner or "[" in glob or not inner:
            self.kind, self.text, self.regex = "regex", glob, re.compile(fnmatch.translate(glob))
        elif glob.startswith("*") and glob.endswith("*"):
            self.kind, self.text = "contains", inner
        elif glob.endswith("*"):
            self.kind, self.text = "prefix", inner
        else:
            self.kind, self.text = "suffix", inner

    def matches(self, word: str) -> bool:
        if self.kind == "exact":
            return word == self.text
        if self.kind == "prefix":
            return word.startswith(self.text)
        if self.kind == "contains":
            return self.text in word
        if self.kind == "suffix":
            return word.endswith(self.text)
        return self.regex.match(word) is not None


class Concept:
    """The terms of one concept, indexed by their first word, so a message is read once."""

    def __init__(self, terms: List[Term]) -> None:
        self.exact: Dict[str, List[Tuple[Glob, ...]]] = {}
        self.prefix: Dict[str, List[Tuple[Glob, ...]]] = {}  # by the first two letters
        # Checked at every word, but only at words of their script (Latin, or Arabic script).
        self.scan: Dict[bool, List[Tuple[Glob, ...]]] = {True: [], False: []}
        for term in terms:
            globs = tuple(Glob(word) for word in term)
            first = globs[0]
            if first.kind == "exact":
                self.exact.setdefault(first.text, []).append(globs)
            elif first.kind == "prefix" and len(first.text) >= 2:
                self.prefix.setdefault(first.text[:2], []).append(globs)
            else:
                self.scan[first.text.isascii()].append(globs)

    def spans(self, words: List[str], joined: Optional[str] = None) -> List[Tuple[int, int]]:
        """Spans (first word, last word + 1) where a term matches consecutive words."""
        joined = " ".join(words) if joined is None else joined
        # A scanned term whose letters are nowhere in the message cannot match at any word.
        scan = {
            script: [g for g in terms if g[0].kind == "regex" or g[0].text in joined]
            for script, terms in self.scan.items()
        }
        hits = []
        for i, word in enumerate(words):
            for globs in (
                *self.exact.get(word, ()),
                *self.prefix.get(word[:2], ()),
                *scan[word.isascii()],
            ):
                n = len(globs)
                if i + n <= len(words) and all(
                    g.matches(w) for g, w in zip(globs, words[i : i + n])
                ):
                    hits.append((i, i + n))
        return hits


_NO_CONCEPT = Concept([])


def _joint_spans(per_concept: List[List[Tuple[int, int]]], window: int) -> List[Tuple[int, int]]:
    """Combinations with one span of each concept, with at most ``window`` words between them."""
    joint = [(0, 0, 0, 0, True)]  # (first start, last end, latest start, earliest end, empty)
    for spans in per_concept:
        if not spans:
            return []
        joint = [
            (s, e, s, e, False)
            if empty
            else (min(first, s), max(last, e), max(latest, s), min(earliest, e), False)
            for first, last, latest, earliest, empty in joint
            for s, e in spans
            if empty or max(latest, s) - min(earliest, e) <= window
        ]
        if not joint:
            return []
    return [(first, last) for first, last, _l, _e, _empty in joint]


def load(path: Path) -> Patterns:
    """The patterns in ``path``, re-read when the file changes."""
    return _patterns.get(path)


def _fold_pattern(phrase: str) -> List[str]:
    """The words of a pattern phrase, folded like a message, with its glob parts kept."""
    words = []
    for word in phrase.split():
        folded = "".join(p if _GLOB.fullmatch(p) else fold_for_match(p) for p in _GLOB.split(word))
        words.extend(folded.split())  # "i'm" folds to two words, as in a message
    return words


def _load_patterns(path: Path) -> Patterns:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    data = data or {}
    concepts: Dict[str, Concept] = {}
    for concept, per_language in (data.get("concepts") or {}).items():
        terms = []
        for phrases in (per_language or {}).values():
            for phrase in phrases or []:
                words = _fold_pattern(str(phrase))
                if all(words):
                    terms.append(tuple(words))
        concepts[concept] = Concept(terms)
    rules = [
        Rule(
            name,
            tuple(spec["all"]),
            int(spec.get("window", 6)),
            tuple(spec.get("unless") or ()),
            tuple(spec.get("unless_before") or ()),
            bool(spec.get("alone", False)),
        )
        for name, spec in (data.get("rules") or {}).items()
    ]
    unless_anywhere = data.get("unless_anywhere") or ()
    # A misspelt concept must be refused here (the previous file stays live), never fail while
    # a resident's message is being read.
    for rule in rules:
        for name in rule.concepts + rule.unless + rule.unless_before:
            if name not in concepts:
                raise ValueError(f"rule {rule.name} names the unknown concept {name!r}")
    for name in unless_anywhere:
        if name not in concepts:
            raise ValueError(f"unless_anywhere names the unknown concept {name!r}")
    return Patterns(concepts, rules, unless_anywhere)


_patterns: FileCache[Patterns] = FileCache(_load_patterns)

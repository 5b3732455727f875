"""Where does the resident live? From a message to the RVC that serves them.

Long because the matcher's steps below (folding, exact names, typos, postcodes) share one
index built from places.yml; split apart, each would need the others' internals.

``find_place`` reads a message in any of the six languages ("bor på söder", "I live in Kista",
"أسكن في تنستا", "asun Kistassa") and returns a ``PlaceMatch``. The names live in
``bot/content/places.yml``, which editors extend; it is re-read when it changes. Steps:

1. Message and names are folded (case, diacritics, Arabic/Persian letter forms, punctuation);
   Swedish å/ä/ö may also be typed aa/ae/oe.
2. Exact names: at each word the longest name wins ("Örby slott" before "Örby"; also with a
   typo in a later word, "Örby slot"). A word may carry a Swedish genitive -s, a Finnish case
   ending (-ssa, -sta, -lla, -n, ...) or an Arabic prefix (و ب ل ف ال).
3. If no place was named: a postcode in a range of places.yml (only 100 00-119 99, Innerstan,
   is sourced) gives that centre; any other five-digit postcode gives ``postcode_unknown``.
4. Still nothing: typos. Edit distance 1 for names of 5-8 letters, 2 for longer ones (Arabic
   script: one letter more, as short vowels are not written); never for shorter names, never
   for ``common_words``; the first letter must be right. A typo that fits two places is dropped.

Several places named: if they all give the same answer, the most specific one wins (a place in
a district before a region such as "Innerstan"). If they give different centres, or mix
Stockholm and another municipality, the answer is ``unknown`` and the bot asks again: a guess
could send someone to the wrong centre.
"""

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

import yaml

from bot.reloading import FileCache
from bot.text_norm import fold

PLACES_FILE = Path(__file__).resolve().parent / "content" / "places.yml"
MAX_WORDS = 4  # the longest name, in words
_LETTERS = str.maketrans(
    {
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        "گ": "ك",
        "ڤ": "ف",
        "ø": "o",
        "æ": "ae",
        **{d: str(i % 10) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")},
    }
)
_SWEDISH_TYPED = str.maketrans({"å": "aa", "ä": "ae", "ö": "oe"})
# Case endings, longest first: Swedish genitive; Finnish inessive, elative, adessive, ablative,
# allative, illative and genitive (after folding ä = a, so -ssä is -ssa).
_SUFFIXES = (
    "issa",
    "ista",
    "illa",
    "ilta",
    "ille",
    "iin",
    "ssa",
    "sta",
    "lla",
    "lta",
    "lle",
    "aan",
    "een",
    "yyn",
    "oon",
    "an",
    "en",
    "in",
    "yn",
    "n",
    "s",
)
_ARABIC_PREFIXES = ("وال", "بال", "وب", "ال", "و", "ب", "ل", "ف")
_POSTCODE = re.compile(r"(?<!\d)(?<!\d )(\d{3}) ?(\d{2})(?! ?\d)")


@dataclass(frozen=True)
class PlaceMatch:
    """What a message says about where the writer lives.

    Attributes:
        kind: "district" (a Stockholm place: ``centre`` is set), "outside" (another municipality),
            "postcode_unknown" (a postcode we cannot place) or "unknown" (ask again).
        centre: RVC id such as "rvc_vasterort", for kind "district".
        place: display name of the place matched ("Tensta", "Solna", "Innerstan").
        district: stadsdelsområde ("Järva"); None for outside places and whole regions.
        status: "confirmed" or "inferred": is the link from place to centre sourced?
    """

    kind: str
    centre: Optional[str] = None
    place: Optional[str] = None
    district: Optional[str] = None
    status: Optional[str] = None


UNKNOWN = PlaceMatch("unknown")
POSTCODE_UNKNOWN = PlaceMatch("postcode_unknown")


def find_place(text: str) -> PlaceMatch:
    """The place a message names, and the centre that serves it.

    Args:
        text: what the resident wrote, in any language and script.

    Returns:
        A ``PlaceMatch``; kind "unknown" when no place, or conflicting places, were named.
    """
    gazetteer = _gazetteer()
    words = normalise(text).split()
    found, covered = _exact_matches(words, gazetteer)
    if any(found):
        return _decide(found)
    postcode = _POSTCODE.search(" ".join(words))
    if postcode:
        number = int(postcode.group(1) + postcode.group(2))
        return next(
            (m for low, high, m in gazetteer.postcodes if low <= number <= high), POSTCODE_UNKNOWN
        )
    return _decide(_typo_matches(words, covered, gazetteer)) or UNKNOWN


def place_word_indices(text: str) -> Set[int]:
    """Which words of ``text`` (split on spaces) are names in the gazetteer, exactly spelled.

    Language detection leaves them out: "I live in Skärholmen" is English."""
    _found, covered = _exact_matches(normalise(text).split(), _gazetteer())
    return covered


def centres() -> Dict[str, str]:
    """Centre id -> display name, e.g. {"rvc_vasterort": "RVC Västerort", ...}."""
    return dict(_gazetteer().centres)


def gazetteer_problems() -> List[str]:
    """Spellings in places.yml that point to two different answers (should be empty)."""
    return list(_gazetteer().problems)


def normalise(text: str) -> str:
    """Folded text: lowercase, no diacritics or punctuation, one form per Arabic letter."""
    return fold((text or "").replace("'", "").replace("’", "")).translate(_LETTERS)


# --- matching ---------------------------------------------------------------------------------


def _exact_matches(
    words: List[str], g: "_Gazetteer"
) -> Tuple[List[Optional[PlaceMatch]], Set[int]]:
    found, covered, i = [], set(), 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            hit = next((k for k in _forms(words[i : i + n]) if k in g.exact), None)
            if hit is None and n > 1:  # "Örby slot" is Örby slott, not Örby
                hit = _closest_longer_name(words[i : i + n], g)
            if hit is not None:
                found.append(g.exact[hit])  # None for a vague name or a not-a-place phrase
                covered.update(range(i, i + n))
                i += n
                break
        else:
            i += 1
    return found, covered


def _closest_longer_name(words: List[str], g: "_Gazetteer") -> Optional[str]:
    """A name of several words that starts with ``words[0]`` and is a typo away in the rest."""
    first, rest, distances = words[0], " ".join(words[1:]), {}
    for key in g.longer_names.get(first, ()):
        key_rest = key[len(first) + 1 :]
        if key_rest.count(" ") == rest.count(" ") and key_rest[0] == rest[0]:
            distance = _distance(rest, key_rest)
            if distance <= _allowed(key_rest):
                distances[key] = distance
    return _unambiguous(distances, g)


def _typo_matches(words: List[str], covered: Set[int], g: "_Gazetteer") -> List[PlaceMatch]:
    found = []
    for i, word in enumerate(words):
        if i in covered or word in g.common_words or len(word) < (5 if word.isascii() else 6):
            continue
        distances = {}
        for key in {k for variant in _deletes(word, 2) for k in g.deletes.get(variant, ())}:
            distance = _distance(word, key) if key[0] == word[0] else 9
            if distance <= _allowed(key):
                distances[key] = distance
        key = _unambiguous(distances, g)
        if key and g.exact[key]:
            found.append(g.exact[key])
    return found


def _unambiguous(distances: Dict[str, int], g: "_Gazetteer") -> Optional[str]:
    """The nearest spelling, unless spellings with different answers are equally near."""
    nearest = [k for k, d in distances.items() if d == min(distances.values())]
    return nearest[0] if nearest and len({g.exact[k] for k in nearest}) == 1 else None


def _decide(found: List[Optional[PlaceMatch]]) -> Optional[PlaceMatch]:
    places = [m for m in found if m is not None]
    if len({(m.kind, m.centre) for m in places}) > 1:
        return UNKNOWN
    return next((m for m in places if m.district), places[0] if places else None)


def _forms(words: List[str]) -> Iterator[str]:
    """The phrase as written, then with a case ending or an Arabic prefix taken off."""
    yield " ".join(words)
    head, last, first = " ".join(words[:-1]), words[-1], words[0]
    for suffix in _SUFFIXES if last.isascii() else ():
        if last.endswith(suffix) and len(last) - len(suffix) >= 3:
            yield f"{head} {last[: -len(suffix)]}".strip()
    for prefix in () if first.isascii() else _ARABIC_PREFIXES:
        if first.startswith(prefix) and len(first) - len(prefix) >= 3:
            yield " ".join([first[len(prefix) :]] + words[1:])


def _allowed(key: str) -> int:
    """Typos forgiven in a name: 0 below 5 letters, 1 up to 8, 2 beyond (Arabic script: +1)."""
    letters = len(key.replace(" ", "")) - (0 if key.isascii() else 1)
    return 0 if letters < 5 else 1 if letters <= 8 else 2


def _deletes(word: str, depth: int) -> Set[str]:
    result, edge = {word}, {word}
    for _ in range(depth):
        edge = {w[:i] + w[i + 1 :] for w in edge for i in range(len(w))}
        result |= edge
    return result


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insert, delete, substitute, swap two neighbours."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[-1]


# --- the gazetteer ----------------------------------------------------------------------------


@dataclass
class _Gazetteer:
    centres: Dict[str, str]
    exact: Dict[str, Optional[PlaceMatch]]  # folded spelling -> answer (None: vague, not a place)
    deletes: Dict[str, Set[str]]  # spelling with letters deleted -> spellings (typo index)
    longer_names: Dict[str, List[str]]  # first word -> names of several words starting with it
    common_words: FrozenSet[str]
    postcodes: List[Tuple[int, int, PlaceMatch]]
    problems: List[str]


def _load(path: Path) -> _Gazetteer:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    centre_names = dict(data.get("centres") or {})
    g = _Gazetteer(centre_names, {}, {}, {}, frozenset(), [], [])

    def add(names: List[str], match: Optional[PlaceMatch]) -> None:
        for spelling in {s for name in names for s in _spellings(name)}:
            old = g.exact.setdefault(spelling, match)
            if old != match and _answer(old) != _answer(match):
                g.problems.append(f"'{spelling}' means both {_answer(old)} and {_answer(match)}")

    for section in ("districts", "regions", "outside"):
        for area in data.get(section) or []:
            kind, centre = (
                ("outside", None) if section == "outside" else ("district", area.get("centre"))
            )
            if kind == "district" and centre not in centre_names:
                g.problems.append(f"{area['name']}: unknown centre {centre!r}")
            district, status = (
                area["name"] if section == "districts" else None,
                area.get("status", "inferred"),
            )
            add(_names(area), PlaceMatch(kind, centre, area["name"], district, status))
            for place in (
                p if isinstance(p, dict) else {"name": p} for p in area.get("places") or []
            ):
                # A place is as sure as its district, or less; outside places are general knowledge.
                own = place.get("status") or (status if section == "districts" else "inferred")
                add(
                    _names(place),
                    PlaceMatch(
                        kind,
                        centre,
                        place["name"],
                        district,
                        "inferred" if "inferred" in (status, own) else status,
                    ),
                )
    add(list(data.get("too_vague") or []) + list(data.get("not_places") or []), None)

    g.common_words = frozenset(
        normalise(w) for words in (data.get("common_words") or {}).values() for w in words or []
    )
    for key in g.exact:
        if " " in key:
            g.longer_names.setdefault(key.split()[0], []).append(key)
        for variant in _deletes(key, _allowed(key)) if _allowed(key) else ():
            g.deletes.setdefault(variant, set()).add(key)
    for code in data.get("postcodes") or []:
        region = g.exact[normalise(code["region"])]
        low, high = (int(str(code[end]).replace(" ", "")) for end in ("from", "to"))
        g.postcodes.append((low, high, replace(region, status=code["status"])))
    return g


def _names(entry: dict) -> List[str]:
    return [entry["name"]] + list(entry.get("aliases") or [])


def _spellings(name: str) -> Set[str]:
    """Folded forms of a name: as written, with å/ä/ö typed aa/ae/oe, and without spaces."""
    forms = {normalise(name), normalise(name.lower().translate(_SWEDISH_TYPED))}
    return {f for form in forms for f in (form, form.replace(" ", "")) if f}


def _answer(match: Optional[PlaceMatch]) -> Tuple:
    return (match.kind, match.centre, match.district) if match else ("not a place",)


_cache: FileCache[_Gazetteer] = FileCache(_load)


def _gazetteer() -> _Gazetteer:
    return _cache.get(PLACES_FILE)

"""The content residents read: the last good version of every answer, translation and fact.

Long because reading each file and keeping its last good entries are one step per file: the
reader must know which entries it may keep (the rules themselves are in content_problems.py).

Editors change domain.yml's Swedish texts, the catalogs (locales/) and the facts file while the
assistant runs, and answers follow within a second. An edit goes live only if it passes the
rules in bot/content_problems.py, entry by entry:
- a file that cannot be read keeps its previous version as a whole;
- a translation with a wrong placeholder falls back to its last good text, else to Swedish;
- a Swedish answer naming an unknown fact keeps its previous version;
- a fact that answers use but that was renamed or deleted keeps its previous value.
What was refused is logged (file, line, rule; never the text) and listed on the console's
answers page, until the editor fixes it.

Checking for changes is one stat() per file per answer, cheaper than a file watcher.
"""

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from babel.messages.pofile import PoFileError, read_po

from bot import content_problems as rules
from bot.content_problems import Problem
from bot.vocabulary import LANGUAGES

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Translation:
    text: str  # what the catalog says (the editors' page shows it)
    state: str  # ok | fuzzy | missing | refused
    live: str  # what residents get: the text, its last good version, or "" for the Swedish
    line: int = 0  # where the entry starts in its catalog


@dataclass(frozen=True)
class Snapshot:
    responses: Dict[str, List[Dict[str, Any]]]
    facts: Dict[str, Dict[str, Any]]
    catalogs: Dict[str, Dict[str, Translation]]  # language -> Swedish source -> translation
    refused: Tuple[Problem, ...] = ()


EMPTY = Snapshot(responses={}, facts={}, catalogs={language: {} for language in LANGUAGES})


@dataclass(frozen=True)
class ContentFiles:
    domain_file: Path
    locales_dir: Path
    facts_file: Path
    root: Path = ROOT  # problems name files relative to it
    # Other files that name facts as {key} (the widget's offline numbers): a fact they use is
    # kept like one the answers use.
    also_using_facts: Tuple[Path, ...] = ()

    def catalog(self, language: str) -> Path:
        return self.locales_dir / language / "LC_MESSAGES" / "messages.po"

    def paths(self) -> List[Path]:
        return (
            [self.domain_file, self.facts_file]
            + [self.catalog(language) for language in LANGUAGES]
            + list(self.also_using_facts)
        )

    def name(self, path: Path) -> str:
        if path.parent.parent.parent == self.locales_dir:
            return f"locales/{path.parent.parent.name}/LC_MESSAGES/{path.name}"
        return rules.relative(path, self.root)


def build(files: ContentFiles, previous: Optional[Snapshot] = None) -> Snapshot:
    """Read every content file and keep, entry by entry, what passes the rules."""
    previous = previous or EMPTY
    problems: List[Problem] = []
    facts = _read_facts(files, previous, problems)
    responses = _read_responses(files, previous, problems)
    _keep_facts_in_use(files, responses, facts, previous, problems)
    # With no facts at all (an unreadable file and nothing earlier), every answer would be
    # "unknown fact": the one problem to fix is the file's, already reported.
    responses = _checked_responses(files, responses, facts if facts else None, previous, problems)
    catalogs = {
        language: _read_catalog(files, language, previous, problems) for language in LANGUAGES
    }
    return Snapshot(responses=responses, facts=facts, catalogs=catalogs, refused=tuple(problems))


class ContentStore:
    """The current snapshot of one set of content files, rebuilt when any of them changes."""

    def __init__(self, files: ContentFiles) -> None:
        self.files = files
        self._version: Optional[Tuple[int, ...]] = None
        self._snapshot = EMPTY
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        version = self._current_version()
        if version == self._version:
            return self._snapshot
        with self._lock:
            if version != self._version:
                fresh = build(self.files, self._snapshot if self._version is not None else None)
                _log_new_problems(self._snapshot.refused, fresh.refused)
                self._snapshot, self._version = fresh, version
        return self._snapshot

    def _current_version(self) -> Tuple[int, ...]:
        stamps = []
        for path in self.files.paths():
            try:
                stamps.append(path.stat().st_mtime_ns)
            except FileNotFoundError:
                stamps.append(-1)
        return tuple(stamps)


_stores: Dict[ContentFiles, ContentStore] = {}
_stores_lock = threading.Lock()


def store_for(files: ContentFiles) -> ContentStore:
    with _stores_lock:
        return _stores.setdefault(files, ContentStore(files))


# --- facts ------------------------------------------------------------------------------------


def _read_facts(
    files: ContentFiles, previous: Snapshot, problems: List[Problem]
) -> Dict[str, Dict[str, Any]]:
    where = files.name(files.facts_file)
    data = _read_yaml(files.facts_file, where, problems)
    if data is None:
        return dict(previous.facts)
    facts: Dict[str, Dict[str, Any]] = {}
    lines = _key_lines(files.facts_file)
    for key, fact in data.items():
        problem = rules.fact_problem(str(key), fact, rules.at(where, lines.get(str(key))))
        if problem is None:
            facts[str(key)] = fact
        else:
            problems.append(problem)
            if key in previous.facts:
                facts[str(key)] = previous.facts[key]
    return facts


def _keep_facts_in_use(
    files: ContentFiles,
    responses: Dict[str, List[Dict[str, Any]]],
    facts: Dict[str, Dict[str, Any]],
    previous: Snapshot,
    problems: List[Problem],
) -> None:
    """A renamed or deleted fact that answers still use keeps its previous value."""
    used = {
        name
        for _response, source in rules.response_sources(responses)
        for name in rules.PLACEHOLDER.findall(source)
    }
    for path in files.also_using_facts:
        try:
            used |= set(rules.PLACEHOLDER.findall(path.read_text(encoding="utf-8")))
        except OSError:
            pass
    for key in sorted(used - set(facts) - rules.ACTION_VALUES):
        if key in previous.facts:
            facts[key] = previous.facts[key]
            problems.append(rules.fact_missing(key, files.name(files.facts_file), kept=True))


# --- the domain's Swedish answers -------------------------------------------------------------


def _read_responses(
    files: ContentFiles, previous: Snapshot, problems: List[Problem]
) -> Dict[str, List[Dict[str, Any]]]:
    data = _read_yaml(files.domain_file, files.name(files.domain_file), problems)
    if data is None or not isinstance(data.get("responses"), dict):
        return dict(previous.responses)
    return {
        str(name): variations
        for name, variations in data["responses"].items()
        if isinstance(variations, list)
    }


def _checked_responses(
    files: ContentFiles,
    responses: Dict[str, List[Dict[str, Any]]],
    facts: Optional[Dict[str, Any]],
    previous: Snapshot,
    problems: List[Problem],
) -> Dict[str, List[Dict[str, Any]]]:
    where = files.name(files.domain_file)
    lines = _key_lines(files.domain_file, indent=2)
    checked = {}
    for name, variations in responses.items():
        found = (
            [
                p
                for _n, source in rules.response_sources({name: variations})
                for p in [rules.source_problem(source, facts, rules.at(where, lines.get(name)))]
                if p
            ]
            if facts
            else []
        )
        problems.extend(found)
        checked[name] = (
            previous.responses[name] if found and name in previous.responses else variations
        )
    return checked


# --- catalogs -----------------------------------------------------------------------------------


def _read_catalog(
    files: ContentFiles, language: str, previous: Snapshot, problems: List[Problem]
) -> Dict[str, Translation]:
    path = files.catalog(language)
    where = files.name(path)
    before = previous.catalogs.get(language, {})
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        problems.append(rules.po_unreadable(type(error).__name__, None, where))
        return dict(before)
    syntax = rules.po_syntax(text, where)
    problems.extend(syntax)
    try:
        catalog = read_po(text.splitlines(keepends=True), abort_invalid=True)
    except PoFileError as error:
        if not syntax:
            problems.append(rules.po_unreadable(str(error), getattr(error, "lineno", None), where))
        return dict(before)
    bad_lines = {int(p.where.rsplit(":", 1)[1]) for p in syntax}
    messages = sorted(
        (m for m in catalog if m.id and isinstance(m.id, str)), key=lambda m: m.lineno
    )
    translations = {}
    for index, message in enumerate(messages):
        end = messages[index + 1].lineno if index + 1 < len(messages) else 10**9
        string = message.string if isinstance(message.string, str) else ""
        broken = any(message.lineno <= line < end for line in bad_lines)
        problem = (
            None
            if broken or not string
            else rules.translation_problem(message.id, string, rules.at(where, message.lineno))
        )
        if problem is not None:
            problems.append(problem)
        if broken or problem is not None:
            last_good = before.get(message.id)
            translations[message.id] = Translation(
                string, "refused", last_good.live if last_good else "", message.lineno
            )
        elif not string:
            translations[message.id] = Translation("", "missing", "", message.lineno)
        elif message.fuzzy:
            translations[message.id] = Translation(string, "fuzzy", "", message.lineno)
        else:
            translations[message.id] = Translation(string, "ok", string, message.lineno)
    return translations


# --- helpers ------------------------------------------------------------------------------------


def _read_yaml(path: Path, where: str, problems: List[Problem]) -> Optional[Dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.append(
            rules.Problem(
                where,
                "unreadable",
                f"filen går inte att läsa ({type(error).__name__}) — spara den som UTF-8",
                f"the file cannot be read ({type(error).__name__}) — save it as UTF-8",
            )
        )
        return None
    data, problem = rules.load_yaml(text, where)
    if problem is not None:
        problems.append(problem)
        return None
    return data if isinstance(data, dict) else {}


def _key_lines(path: Path, indent: int = 0) -> Dict[str, int]:
    """The line where each key at ``indent`` spaces starts, so a problem can name it."""
    lines: Dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return lines
    prefix = " " * indent
    for number, line in enumerate(text.splitlines(), start=1):
        if (
            line.startswith(prefix)
            and not line[indent : indent + 1].isspace()
            and line.rstrip().endswith(":")
        ):
            lines.setdefault(line.strip()[:-1], number)
    return lines


def _log_new_problems(before: Tuple[Problem, ...], after: Tuple[Problem, ...]) -> None:
    known = {(p.where, p.code) for p in before}
    for problem in after:
        if (problem.where, problem.code) not in known:
            logger.warning(
                "content edit refused, the last good version stays live: %s [%s]",
                problem.where,
                problem.code,
            )

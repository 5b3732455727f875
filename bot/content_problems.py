"""What can be wrong with an editor's content file, said so that an editor can act on it.

One home for every rule an answer must pass, used twice:
- ``make content-check`` prints each problem (scripts/content_check.py);
- live reload refuses an entry that breaks a rule and keeps its last good version
  (bot/content_store.py), so a typo never reaches a resident.

Each problem reads ``fil:rad: vad som är fel — vad du ska göra`` in Swedish, with the same in
English beside it. ``code`` is a short fixed name, safe to log: a log line names the file,
the line and the code, never the text (it may be a draft nobody has reviewed yet).
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import yaml

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# Filled in by the bot's actions, not from the facts file.
ACTION_VALUES = frozenset(
    {
        "place",
        "centre_name",
        "district",
        "address",
        "year",
        "slot_time",
        "reference",
        "safe_times_text",
        "may_identify_text",
        "may_leave_message_text",
        "withheld_ok_text",
        "call_language_text",
        "interpreter_text",
    }
)
_PO_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+(.*)$")
_PO_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')


@dataclass(frozen=True)
class Problem:
    where: str  # "locales/en/LC_MESSAGES/messages.po:120" (path relative to the content root)
    code: str  # fixed name, safe to log
    sv: str  # "vad som är fel — vad du ska göra"
    en: str

    def __str__(self) -> str:
        return f"{self.where}: {self.sv}\n      (en) {self.en}"


def at(path: str, line: Optional[int]) -> str:
    return f"{path}:{line}" if line else path


def short(text: str, length: int = 50) -> str:
    return text if len(text) <= length else text[:length] + "…"


def _names(names: Iterable[str]) -> str:
    return ", ".join("{%s}" % n for n in names) or "inga / none"


# --- files that cannot be read -------------------------------------------------------------


def load_yaml(text: str, where: str) -> Tuple[Any, Optional[Problem]]:
    """The parsed file, or None and a problem naming the line the parser stopped at."""
    try:
        return yaml.safe_load(text), None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(error, "problem", None) or type(error).__name__
        return None, Problem(
            at(where, line),
            "yaml_syntax",
            f"filen går inte att läsa (YAML: {detail}) — kontrollera indrag, kolon och citattecken på raden "
            "och raden ovanför; den tidigare versionen används tills felet är rättat",
            f"the file cannot be read (YAML: {detail}) — check indentation, colons and quotes on this line and "
            "the one above; the previous version stays in use until it is fixed",
        )


def po_syntax(text: str, where: str) -> List[Problem]:
    """Line by line, what Babel would silently misread: a string without its closing quote loses
    its last character, and Babel's own errors are in English without advice."""
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword = _PO_KEYWORD.match(line)
        string = keyword.group(3) if keyword else line
        if not string.startswith('"'):
            problems.append(
                Problem(
                    at(where, number),
                    "po_line",
                    'raden är ingen giltig PO-rad (väntade msgid "…", msgstr "…", en rad "…" eller en #-kommentar) '
                    "— rätta raden, eller öppna filen i en PO-redigerare (Poedit)",
                    'this is not a valid PO line (expected msgid "…", msgstr "…", a "…" line or a # comment) — '
                    "fix the line or open the file in a PO editor (Poedit)",
                )
            )
        elif not _PO_STRING.match(string):
            problems.append(
                Problem(
                    at(where, number),
                    "po_quote",
                    'texten saknar sitt avslutande citattecken " (eller har ett " mitt i texten som inte är skrivet \\") '
                    '— avsluta raden med "',
                    'the text lacks its closing quote " (or has a " inside that is not written \\") — end the line '
                    'with "',
                )
            )
    return problems


def po_unreadable(detail: str, line: Optional[int], where: str) -> Problem:
    return Problem(
        at(where, line),
        "po_unreadable",
        f"filen går inte att läsa ({detail}) — rätta raden, eller öppna filen i en PO-redigerare (Poedit)",
        f"the file cannot be read ({detail}) — fix the line or open the file in a PO editor (Poedit)",
    )


# --- one answer or one fact ------------------------------------------------------------------


def translation_problem(source: str, translation: str, where: str) -> Optional[Problem]:
    """A translation must keep exactly the Swedish text's placeholders, each with both braces."""
    want, got = sorted(PLACEHOLDER.findall(source)), sorted(PLACEHOLDER.findall(translation))
    if want != got:
        return Problem(
            where,
            "placeholder_mismatch",
            f'platshållarna skiljer sig från svenskan i "{short(source)}": väntade {_names(want)}, fann '
            f"{_names(got)} — kopiera dem exakt, översätt aldrig det som står inom {{ }}",
            f"placeholders differ from the Swedish: expected {_names(want)}, found {_names(got)} — copy them "
            "exactly, never translate what is inside { }",
        )
    if _has_stray_brace(translation):
        return _stray_brace(where)
    return None


def source_problem(source: str, known: Iterable[str], where: str) -> Optional[Problem]:
    """A Swedish text may use only facts that exist and values the actions fill in."""
    names = set(known) | ACTION_VALUES
    unknown = [name for name in PLACEHOLDER.findall(source) if name not in names]
    if unknown:
        name = unknown[0]
        return Problem(
            where,
            "unknown_placeholder",
            f'svaret "{short(source)}" använder {{{name}}}, som inte finns i bot/content/facts.yml — lägg till '
            "faktan där eller rätta namnet",
            f'the answer "{short(source)}" uses {{{name}}}, which is not in bot/content/facts.yml — add the fact '
            "there or fix the name",
        )
    if _has_stray_brace(source):
        return _stray_brace(where)
    return None


def _has_stray_brace(text: str) -> bool:
    return bool(re.search(r"[{}]", PLACEHOLDER.sub("", text)))


def _stray_brace(where: str) -> Problem:
    return Problem(
        where,
        "stray_brace",
        "en { eller } saknar sin partner — skriv platshållaren som {namn}",
        "a { or } without its partner — write the placeholder as {name}",
    )


def fact_problem(key: str, fact: Any, where: str) -> Optional[Problem]:
    if isinstance(fact, dict) and isinstance(fact.get("value"), (str, int, float)):
        return None
    return Problem(
        where,
        "fact_value",
        f'faktan {key} saknar value: — skriv den som "{key}:" och på nästa rad "  value: "…""',
        f'the fact {key} has no value: — write it as "{key}:" with "  value: "…"" on the next line',
    )


def fact_missing(key: str, where: str, kept: bool) -> Problem:
    kept_sv = "; det tidigare värdet används tills vidare" if kept else ""
    kept_en = "; the previous value stays in use meanwhile" if kept else ""
    return Problem(
        where,
        "fact_missing",
        f"faktan {key} används i svaren men finns inte i filen (bytt namn eller borttagen?){kept_sv} — "
        f"lägg tillbaka {key}, eller byt namnet i svaren (domain.yml och alla kataloger) samtidigt",
        f"the fact {key} is used by the answers but is not in the file (renamed or deleted?){kept_en} — "
        f"put {key} back, or rename it in the answers (domain.yml and every catalog) too",
    )


def placeholders_of(responses: Dict[str, Any]) -> Dict[str, str]:
    """Each placeholder the answers use -> the response that first uses it."""
    used: Dict[str, str] = {}
    for name, source in response_sources(responses):
        for placeholder in PLACEHOLDER.findall(source):
            used.setdefault(placeholder, name)
    return used


def response_sources(responses: Dict[str, Any]) -> Iterable[Tuple[str, str]]:
    """(response name, Swedish text) for the text and each button title of each response."""
    for name, variations in responses.items():
        for variation in variations or []:
            if not isinstance(variation, dict):
                continue
            if isinstance(variation.get("text"), str):
                yield name, variation["text"]
            for button in variation.get("buttons") or []:
                if isinstance(button, dict) and isinstance(button.get("title"), str):
                    yield name, button["title"]


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return path.name

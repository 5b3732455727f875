"""`make content-check`: is the content complete and safe? Written for editors.

Every problem reads ``fil:rad: vad som är fel — vad du ska göra`` in Swedish, with English
beside it; the exit code is 1 if there is any. Checks:
1. the rules live reload applies (bot/content_problems.py): files that cannot be read,
   placeholders, facts that answers use;
2. every answer exists, non-empty and not fuzzy, in all six catalogs (coverage table), and the
   other live files (danger phrases and patterns, places, schedule …) load;
3. training data: no example twice, none under two intents, enough examples per intent and
   language, and no example that reads as acute danger under another intent;
4. data/rules/forms.yml is up to date with domain.yml's form interruptions (scripts/form_rules.py);
5. `rasa data validate`, showing only what is not explained (skip with --fast).

Old findings that were reviewed and kept are listed in scripts/content_baseline.yml.
"""

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Set, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
# Where the content is: this repository, or a copy given as --root DIR (the tests break a copy
# on purpose).
CONTENT = Path(sys.argv[sys.argv.index("--root") + 1]) if "--root" in sys.argv else ROOT
from bot.content_problems import Problem, at, load_yaml, response_sources, short  # noqa: E402
from bot.content_store import ContentFiles, Snapshot, build  # noqa: E402
from bot.danger import danger_reason  # noqa: E402
from bot.vocabulary import LANGUAGES  # noqa: E402

BASELINE = ROOT / "scripts" / "content_baseline.yml"
MIN_EXAMPLES = 10
NOT_TRAINED = {"stop", "choose"}  # buttons and the form's own intents; few examples on purpose
DANGER_INTENT = "acute_danger"
_ENTITY = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
problems: List[Problem] = []


def problem(where: str, code: str, sv: str, en: str) -> None:
    problems.append(Problem(where, code, sv, en))


def check_answers() -> Snapshot:
    snapshot = build(
        ContentFiles(
            CONTENT / "domain.yml",
            CONTENT / "locales",
            CONTENT / "bot/content/facts.yml",
            root=CONTENT,
        )
    )
    problems.extend(snapshot.refused)
    sources = sorted({text for _name, text in response_sources(snapshot.responses)})
    print("Svar per språk / answers per language (of %d texts):" % len(sources))
    print("| language | translated | missing | fuzzy |\n|---|---:|---:|---:|")
    for language in LANGUAGES:
        where = f"locales/{language}/LC_MESSAGES/messages.po"
        missing = fuzzy = 0
        for source in sources:
            entry = snapshot.catalogs[language].get(source)
            if entry is None or entry.state == "missing":
                missing += 1
                problem(
                    at(where, entry.line if entry else None),
                    "missing",
                    f'översättning saknas för "{short(source, 60)}" — översätt den',
                    f'no translation for "{short(source, 60)}" — translate it',
                )
            elif entry.state == "fuzzy":
                fuzzy += 1
                problem(
                    at(where, entry.line),
                    "fuzzy",
                    f'översättningen är markerad fuzzy (svenskan har ändrats): "{short(source)}" — kontrollera '
                    "den och ta bort fuzzy-markeringen",
                    f"translation marked fuzzy (the Swedish changed) — check it and remove the fuzzy mark: "
                    f'"{short(source)}"',
                )
        print(f"| {language} | {len(sources) - missing - fuzzy} | {missing} | {fuzzy} |")
    return snapshot


def check_widget_facts(snapshot: Snapshot) -> None:
    """The widget's offline notice (widget/labels.json) names facts by key; the web app fills
    them in when it serves the chat's script (bot/routes/demo.py). A key missing here would
    show as {key} to a resident."""
    from bot.routes.demo import FACT_PLACEHOLDER

    script = (
        (CONTENT / "widget" / "labels.json")
        if (CONTENT / "widget").exists()
        else ROOT / "widget" / "labels.json"
    )
    named = set(FACT_PLACEHOLDER.findall(script.read_text(encoding="utf-8"))) - {
        "s"
    }  # {s}: seconds
    for key in sorted(named - set(snapshot.facts)):
        problem(
            "bot/content/facts.yml",
            "widget_fact",
            f"widgeten visar {{{key}}} när servern inte svarar, men faktan {key} finns inte — lägg tillbaka "
            f"{key} i bot/content/facts.yml",
            f"the widget shows {{{key}}} when the server does not answer, but the fact {key} is missing — put "
            f"{key} back in bot/content/facts.yml",
        )


def training_examples() -> Iterator[Tuple[str, str, str, str]]:
    """(file:line, language, intent, example text) for every example in data/nlu/."""
    for path in sorted((CONTENT / "data" / "nlu").rglob("*.yml")):
        language = path.parent.name if path.parent.name in LANGUAGES else "all"
        relative = str(path.relative_to(CONTENT))
        text = path.read_text(encoding="utf-8")
        _data, error = load_yaml(text, relative)
        if error is not None:
            problems.append(error)
            continue
        intent = None
        for number, line in enumerate(text.splitlines(), start=1):
            found = re.match(r"\s*- intent:\s*(\S+)", line)
            if found:
                intent = found.group(1)
                continue
            example = re.match(r"\s+- (.+)$", line)
            if example and intent is not None:
                yield (
                    f"{relative}:{number}",
                    language,
                    intent,
                    _ENTITY.sub(r"\1", example.group(1)).strip(),
                )


def check_training_data(baseline: Dict[str, Set[str]]) -> None:
    seen: Dict[str, Tuple[str, str]] = {}
    counts: Dict[Tuple[str, str], int] = defaultdict(int)
    reviewed = baseline.get("danger_in_other_intents", set())
    for where, language, intent, text in training_examples():
        key = text.lower()
        if key in seen:
            other_where, other_intent = seen[key]
            if other_intent != intent:
                problem(
                    where,
                    "two_intents",
                    f'"{short(text)}" står under {intent} här och under {other_intent} på {other_where} — '
                    "behåll det under en avsikt",
                    f'"{short(text)}" is under {intent} here and under {other_intent} at {other_where} — keep '
                    "it under one intent",
                )
            else:
                problem(
                    where,
                    "twice",
                    f'"{short(text)}" finns två gånger (även {other_where}) — ta bort det ena',
                    f'"{short(text)}" is listed twice (also {other_where}) — remove one',
                )
        else:
            seen[key] = (where, intent)
        counts[(language, intent)] += 1
        if intent != DANGER_INTENT and text not in reviewed:
            reason = danger_reason(text)
            if reason:
                problem(
                    where,
                    "danger_elsewhere",
                    f'"{short(text)}" låter som akut fara ({reason}) men står under {intent} — assistenten '
                    f"svarar ändå med 112; flytta exemplet till {DANGER_INTENT} eller skriv om det",
                    f'"{short(text)}" reads as acute danger ({reason}) but is under {intent} — the assistant '
                    f"answers it with 112 anyway; move it to {DANGER_INTENT} or rephrase it",
                )
    intents = {i for (_l, i) in counts}
    for language in LANGUAGES:
        for intent in sorted(intents - NOT_TRAINED):
            n = counts.get((language, intent), 0)
            if n < MIN_EXAMPLES:
                problem(
                    f"data/nlu/{language}/",
                    "few_examples",
                    f"avsikten {intent} har {n} exempel på {language} — lägg till minst {MIN_EXAMPLES - n} till",
                    f"intent {intent} has {n} examples in {language} — add at least {MIN_EXAMPLES - n} more",
                )


def live_files() -> Dict[str, Callable[[Path], Any]]:
    """The other files the running chat re-reads when they change, with the loader it uses.
    A file its loader refuses keeps its previous version live (bot/reloading.py)."""
    from bot import danger, language, patterns, places, schedule

    return {
        "bot/content/danger_terms.yml": danger._load_lexicon,
        "bot/content/danger_terms_extra.yml": danger._load_lexicon,
        "bot/content/danger_patterns.yml": patterns._load_patterns,
        "bot/content/needs_patterns.yml": patterns._load_patterns,
        "bot/content/places.yml": places._load,
        "bot/content/schedule.yml": schedule._parse,
        "bot/content/language_names.yml": language._load_language_names,
        "bot/content/swedish_terms.yml": language._load_swedish_terms,
    }


def check_live_files() -> None:
    for name, loader in live_files().items():
        path = CONTENT / name
        if not path.exists():
            continue
        _data, error = load_yaml(path.read_text(encoding="utf-8"), name)
        if error is not None:
            problems.append(error)
            continue
        try:
            loader(path)
        except Exception as failure:  # noqa: BLE001 - any refusal of the live loader is the editor's to fix
            detail = f"{type(failure).__name__}: {short(str(failure), 120)}"
            problem(
                name,
                "unusable",
                f"filen kan inte användas ({detail}) — chatten fortsätter med den förra versionen; rätta enligt "
                "förklaringen överst i filen",
                f"the file cannot be used ({detail}) — the chat keeps its previous version; fix it as the "
                "comment at the top of the file explains",
            )


def check_form_rules() -> None:
    from form_rules import render

    rules = CONTENT / "data" / "rules" / "forms.yml"
    domain = yaml.safe_load((CONTENT / "domain.yml").read_text(encoding="utf-8"))
    if not rules.exists() or rules.read_text(encoding="utf-8") != render(domain):
        problem(
            "data/rules/forms.yml",
            "form_rules",
            "stämmer inte med formulärens avbrott i domain.yml — kör `make form-rules`",
            "does not match the form interruptions in domain.yml — run `make form-rules`",
        )


def check_rules() -> Set[str]:
    """Every intent and action a rule names exists in domain.yml; returns the names that do not."""
    from rasa.shared.core.constants import DEFAULT_ACTION_NAMES, DEFAULT_INTENTS

    domain = yaml.safe_load((CONTENT / "domain.yml").read_text(encoding="utf-8")) or {}
    intents = {
        next(iter(i)) if isinstance(i, dict) else i for i in domain.get("intents") or []
    } | set(DEFAULT_INTENTS)
    actions = {next(iter(a)) if isinstance(a, dict) else a for a in domain.get("actions") or []}
    actions |= set(domain.get("responses") or {}) | set(domain.get("forms") or {})
    actions |= set(DEFAULT_ACTION_NAMES)
    unknown: Set[str] = set()
    for path in sorted((CONTENT / "data").rglob("*.yml")):
        if (CONTENT / "data" / "nlu") in path.parents:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            step = re.match(r"\s*- (intent|action):\s*(\S+)", line)
            if not step:
                continue
            kind, name = step.groups()
            where = f"{path.relative_to(CONTENT)}:{number}"
            if kind == "intent" and name not in intents:
                unknown.add(name)
                problem(
                    where,
                    "unknown_intent",
                    f"avsikten {name} finns inte i domain.yml — lägg till den under intents: (och exempel i "
                    "data/nlu/), eller rätta stavningen",
                    f"the intent {name} is not in domain.yml — add it under intents: (with examples in data/nlu/), "
                    "or fix the spelling",
                )
            elif kind == "action" and name not in actions:
                unknown.add(name)
                close = [a for a in actions if a.startswith("utter_") and _near(a, name)]
                hint_sv = f" (menade du {close[0]}?)" if close else ""
                hint_en = f" (did you mean {close[0]}?)" if close else ""
                problem(
                    where,
                    "unknown_action",
                    f"{name} finns inte i domain.yml{hint_sv} — rätta namnet, eller lägg till svaret under "
                    "responses: i domain.yml (namnet börjar med utter_)",
                    f"{name} is not in domain.yml{hint_en} — fix the name, or add the response under responses: "
                    "in domain.yml (its name starts with utter_)",
                )
    return unknown


def _near(a: str, b: str) -> bool:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio() > 0.85


def check_rasa_validate(snapshot: Snapshot, reported: Set[str]) -> None:
    """Rasa's own check, with what the project explains left out: answers that actions send
    (and forms ask), and intents that buttons or NLU components set, have no rule or example."""
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate"],
        cwd=CONTENT,
        capture_output=True,
        text=True,
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONWARNINGS": "ignore::DeprecationWarning",
        },
    )
    used_by_code = _names_in_code()
    asked_by_forms = {f"utter_ask_{slot}" for slot in _form_slots()}
    # "@utter_safe_" + slot value: the code names a family of answers by its prefix.
    families = tuple(
        name for name in used_by_code if name.startswith("utter_") and name.endswith("_")
    )
    for line in (result.stdout + result.stderr).splitlines():
        message = _validate_message(line)
        if message is None or message.startswith("Issue found in"):
            continue
        named = re.match(r"The (?:intent|action) '(\w+)' is used in (?:your|the) stories", message)
        if named and named.group(1) in reported:
            continue  # check_rules said it with the file and line
        unused = re.match(r"The utterance '(\w+)' is not used in any story or rule", message)
        untrained = re.match(
            r"The intent '(\w+)' (?:is listed in the domain file, but is not found in the NLU "
            r"training data|is not used in any story or rule)",
            message,
        )
        if unused and (
            unused.group(1) in used_by_code | asked_by_forms or unused.group(1).startswith(families)
        ):
            continue
        elif untrained and untrained.group(1) in used_by_code:
            continue
        elif unused:
            problem(
                "domain.yml",
                "unused_response",
                f"svaret {unused.group(1)} används inte i någon regel (data/rules/) och ingen action skickar det — "
                "lägg till en regel eller ta bort svaret",
                f"the response {unused.group(1)} is used by no rule (data/rules/) and no action — add a rule or "
                "remove the response",
            )
        else:
            problem(
                "rasa data validate",
                "rasa_validate",
                f"Rasa hittade ett fel: {message} — rätta namnet eller lägg till det som saknas (se docs/editing.md)",
                f"Rasa found a problem: {message} — fix the name or add what is missing (see docs/editing.md)",
            )
    if result.returncode != 0 and not any(p.code == "rasa_validate" for p in problems):
        problem(
            "rasa data validate",
            "rasa_validate",
            "misslyckades — kör `.venv/bin/rasa data validate` för detaljer",
            "failed — run `.venv/bin/rasa data validate` for details",
        )


def _validate_message(line: str) -> str:
    """The text of a warning or error line of `rasa data validate`, or None."""
    found = re.search(r"UserWarning: (.+)$", line) or re.search(r"\bERROR\b.*? - (.+)$", line)
    return found.group(1).strip() if found else None  # type: ignore[return-value]


def _names_in_code() -> Set[str]:
    """Quoted names in the Python code, and button payloads in domain.yml: what actions send and
    buttons or NLU components set."""
    names: Set[str] = set()
    for folder in ("actions", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(
                re.findall(r"[\"']@?([a-z_][a-z0-9_]*)[\"'{]", path.read_text(encoding="utf-8"))
            )
    names |= set(
        re.findall(r"payload: *['\"]/(\w+)", (CONTENT / "domain.yml").read_text(encoding="utf-8"))
    )
    return names


def _form_slots() -> Set[str]:
    domain = yaml.safe_load((CONTENT / "domain.yml").read_text(encoding="utf-8")) or {}
    return {
        slot
        for form in (domain.get("forms") or {}).values()
        for slot in (form.get("required_slots") or [])
    }


def read_baseline() -> Dict[str, Set[str]]:
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    return {key: set(values or []) for key, values in (data or {}).items()}


def main() -> int:
    snapshot = check_answers()
    check_widget_facts(snapshot)
    check_live_files()
    check_training_data(read_baseline())
    check_form_rules()
    unknown = check_rules()
    if "--fast" not in sys.argv:
        check_rasa_validate(snapshot, unknown)
    if problems:
        print(f"\n{len(problems)} problem / problems:")
        for found in problems:
            print("  " + str(found))
        return 1
    print("\nInnehållskontrollen gick igenom. / Content check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make content-check`: is the content complete and safe? Written for editors.

Every problem is printed as ``file:line: what is wrong — what to do``; the exit code is 1 if
there is any. Checks:
1. every answer exists, non-empty and not fuzzy, in all six catalogs (coverage table);
2. translations keep exactly the {placeholders} of the Swedish text;
3. every placeholder names a fact in bot/content/facts.yml or a value the bot fills in itself;
4. the catalogs can be read (a broken file is reported with its line);
5. training data: no example twice, none under two intents, enough examples per intent and language;
6. data/rules/forms.yml is up to date with domain.yml's form interruptions (scripts/form_rules.py);
7. `rasa data validate` (skip with --fast).
"""
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml
from babel.messages.pofile import PoFileError, read_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
# Where the content is: this repository, or a copy (the tests break a copy on purpose).
CONTENT = Path(os.environ.get("TRYGG_CONTENT_ROOT") or ROOT)
from bot.answers import PLACEHOLDER  # noqa: E402
from bot.i18n_extract import domain_strings  # noqa: E402
from bot.settings import LANGUAGES  # noqa: E402

# Filled in by the bot's actions, not from the facts file.
ACTION_VALUES = {"place", "centre_name", "district", "address", "year", "slot_time", "reference",
                 "safe_times_text", "may_identify_text", "may_leave_message_text", "withheld_ok_text",
                 "call_language_text", "interpreter_text"}
MIN_EXAMPLES = 10
problems = []


def problem(where: str, text: str) -> None:
    problems.append(f"{where}: {text}")


def check_catalogs() -> None:
    sources = {text for _name, text, _line in domain_strings((CONTENT / "domain.yml").read_text(encoding="utf-8"))}
    facts = set((yaml.safe_load((CONTENT / "bot/content/facts.yml").read_text(encoding="utf-8")) or {}).keys())
    for source in sources:
        for name in PLACEHOLDER.findall(source):
            if name not in facts and name not in ACTION_VALUES:
                problem("domain.yml", f"the answer \"{source[:50]}…\" uses {{{name}}}, which is not in "
                                      f"bot/content/facts.yml — add the fact there or fix the name")
    print("Answers per language (of %d texts):" % len(sources))
    print("| language | translated | missing | fuzzy |\n|---|---:|---:|---:|")
    for language in LANGUAGES:
        path = CONTENT / "locales" / language / "LC_MESSAGES" / "messages.po"
        relative = path.relative_to(CONTENT)
        try:
            with path.open("rb") as f:
                catalog = read_po(f, abort_invalid=True)
        except (PoFileError, OSError, ValueError) as error:
            problem(str(relative), f"the file cannot be read ({error}) — fix it in a PO editor")
            continue
        missing = fuzzy = 0
        for source in sorted(sources):
            entry = catalog.get(source)
            line = entry.lineno if entry is not None else 0
            if entry is None or not entry.string:
                missing += 1
                problem(f"{relative}:{line}", f"no translation for \"{source[:60]}…\" — translate it")
            elif entry.fuzzy:
                fuzzy += 1
                problem(f"{relative}:{line}", f"translation marked fuzzy (the Swedish changed) — check it and "
                                              f"remove the fuzzy mark: \"{source[:50]}…\"")
            if entry is not None and entry.string:
                want, got = sorted(PLACEHOLDER.findall(source)), sorted(PLACEHOLDER.findall(entry.string))
                if want != got:
                    problem(f"{relative}:{line}", f"placeholders differ from the Swedish: expected "
                                                  f"{', '.join('{%s}' % w for w in want) or 'none'}, found "
                                                  f"{', '.join('{%s}' % g for g in got) or 'none'} — copy them "
                                                  f"exactly, never translate what is inside {{ }}")
                if re.search(r"\{[^}]*$|^[^{]*\}", entry.string):
                    problem(f"{relative}:{line}", "a { or } without its partner — fix the placeholder")
        print(f"| {language} | {len(sources) - missing - fuzzy} | {missing} | {fuzzy} |")


def check_training_data() -> None:
    seen = {}
    counts = defaultdict(int)
    for path in sorted((CONTENT / "data" / "nlu").rglob("*.yml")):
        language = path.parent.name if path.parent.name in LANGUAGES else "all"
        lines = path.read_text(encoding="utf-8").splitlines()
        intent = None
        for number, line in enumerate(lines, start=1):
            found = re.match(r"\s*- intent:\s*(\S+)", line)
            if found:
                intent = found.group(1)
                continue
            example = re.match(r"\s+- (.+)$", line)
            if not example or intent is None:
                continue
            text = re.sub(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})", r"\1", example.group(1)).strip().lower()
            where = f"{path.relative_to(CONTENT)}:{number}"
            if text in seen:
                other_where, other_intent = seen[text]
                if other_intent != intent:
                    problem(where, f"\"{text}\" is under {intent} here and under {other_intent} at {other_where}"
                                   f" — keep it under one intent")
                else:
                    problem(where, f"\"{text}\" is listed twice (also {other_where}) — remove one")
            else:
                seen[text] = (where, intent)
            counts[(language, intent)] += 1
    intents = {i for (_l, i) in counts}
    for language in LANGUAGES:
        for intent in sorted(intents - {"stop", "choose"}):
            n = counts.get((language, intent), 0)
            if n < MIN_EXAMPLES:
                problem(f"data/nlu/{language}/", f"intent {intent} has {n} examples in {language}; "
                                                 f"add at least {MIN_EXAMPLES - n} more")


def check_form_rules() -> None:
    from form_rules import render

    rules = CONTENT / "data" / "rules" / "forms.yml"
    domain = yaml.safe_load((CONTENT / "domain.yml").read_text(encoding="utf-8"))
    if not rules.exists() or rules.read_text(encoding="utf-8") != render(domain):
        problem("data/rules/forms.yml", "does not match the form interruptions in domain.yml — run `make form-rules`")


def check_rasa_validate() -> None:
    result = subprocess.run([sys.executable, "-m", "rasa", "data", "validate", "--quiet"], cwd=CONTENT,
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                                                 "RASA_TELEMETRY_ENABLED": "false"})
    if result.returncode != 0:
        problem("rasa data validate", "failed — run `make validate` to see why:\n" + result.stdout[-1500:])


def main() -> int:
    check_catalogs()
    check_training_data()
    check_form_rules()
    if "--fast" not in sys.argv:
        check_rasa_validate()
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for line in problems:
            print("  " + line)
        return 1
    print("\nContent check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

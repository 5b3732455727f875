"""Render an answer: the domain's Swedish source text, translated, with facts filled in.

This is the one place that turns a response name into what the resident reads. The NLG
endpoint calls it for every ``utter_*`` Rasa sends; the demo page and tests call it too.

- Source texts: ``domain.yml`` responses (Swedish; the msgids).
- Translations: ``locales/<lang>/LC_MESSAGES/messages.po``, read directly (no .mo needed),
  reloaded when the file changes; fuzzy or empty entries fall back to Swedish.
- Facts: ``bot/content/facts.yml``, filled into ``{placeholders}`` by name; action
  arguments (e.g. ``{place}``) are filled the same way and win over facts. An argument
  ``"@utter_x"`` is replaced by response ``utter_x`` rendered in the same language.
"""
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml
from babel.messages.pofile import read_po

from bot.reloading import FileCache
from bot.settings import LANGUAGES, RTL_LANGUAGES, SOURCE_LANGUAGE, Settings

logger = logging.getLogger(__name__)
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
WORD_REFERENCE = "@"


class UnknownResponse(KeyError):
    """The NLG endpoint was asked for a response the domain does not define."""


@dataclass(frozen=True)
class Content:
    """Where the content lives; one instance per app, shared by all requests."""

    domain_file: Path
    locales_dir: Path
    facts_file: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> "Content":
        return cls(settings.domain_file, settings.locales_dir, settings.facts_file)

    def render(self, response: str, language: str, arguments: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """The message for ``response`` in ``language``, as Rasa's NLG endpoint contract wants it."""
        variations = _domain_responses.get(self.domain_file).get(response)
        if not variations:
            raise UnknownResponse(response)
        variation = variations[0]
        values = {key: fact["value"] for key, fact in facts(self.facts_file).items()}
        for key, value in (arguments or {}).items():
            if isinstance(value, str) and value.startswith(WORD_REFERENCE):
                # A word that must be translated too ("ja", a language name): the action names
                # the response that holds it, e.g. interpreter_text="@utter_word_yes".
                values[key] = self.render(value[len(WORD_REFERENCE):], language)["text"]
            elif isinstance(value, (str, int, float)):
                values[key] = str(value)

        def say(source: str) -> str:
            return fill(translate(self.locales_dir, language, source), values)

        message: Dict[str, Any] = {"text": say(variation["text"])}
        if variation.get("buttons"):
            message["buttons"] = [
                {"title": say(b["title"]), "payload": b["payload"]} for b in variation["buttons"]
            ]
        message["custom"] = {
            **(variation.get("custom") or {}),
            "language": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        }
        return message

    def source_text(self, response: str) -> str:
        variations = _domain_responses.get(self.domain_file).get(response) or [{}]
        return variations[0].get("text", "")

    def button_titles(self) -> Dict[str, str]:
        """Each button payload of the domain -> the Swedish title of its first button."""
        titles: Dict[str, str] = {}
        for variations in _domain_responses.get(self.domain_file).values():
            for button in variations[0].get("buttons") or []:
                titles.setdefault(button["payload"], button["title"])
        return titles

    def response_names(self) -> List[str]:
        return list(_domain_responses.get(self.domain_file))

    def translation_table(self) -> List[Dict[str, Any]]:
        """For the editors' page: each source text with its state in every language."""
        rows = []
        catalogs = {lang: _catalogs.get(self.locales_dir / lang / "LC_MESSAGES" / "messages.po") for lang in LANGUAGES}
        for name, variations in _domain_responses.get(self.domain_file).items():
            variation = variations[0]
            for source in [variation["text"]] + [b["title"] for b in variation.get("buttons", [])]:
                cells = []
                for lang in LANGUAGES:
                    entry = catalogs[lang].get(source) if catalogs[lang] is not None else None
                    state = "missing" if entry is None or not entry.string else ("fuzzy" if entry.fuzzy else "ok")
                    cells.append({"language": lang, "text": entry.string if entry is not None else "", "state": state})
                rows.append({"response": name, "source": source, "cells": cells})
        return rows


def translate(locales_dir: Path, language: str, source: str) -> str:
    """The translation of a Swedish source text; the source itself when none is usable."""
    if language not in LANGUAGES:
        language = SOURCE_LANGUAGE
    catalog = _catalogs.get(locales_dir / language / "LC_MESSAGES" / "messages.po")
    entry = catalog.get(source) if catalog is not None else None
    if entry is None or not entry.string or entry.fuzzy:
        return source
    return entry.string


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` by its value; an unknown name is left visible, never a crash."""

    def value(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name not in values:
            logger.warning("answer placeholder without value: %s", name)
            return match.group(0)
        return values[name]

    return PLACEHOLDER.sub(value, text)


def facts(path: Path) -> Dict[str, Dict[str, Any]]:
    return _facts.get(path)


def _load_domain_responses(path: Path) -> Dict[str, List[Dict[str, Any]]]:
    with path.open(encoding="utf-8") as f:
        return (yaml.safe_load(f) or {}).get("responses", {})


def _load_catalog(path: Path):
    if not path.exists():
        return None
    with path.open("rb") as f:
        # abort_invalid: a half-saved or broken file raises, so FileCache keeps the last good one.
        return read_po(f, abort_invalid=True)


def _load_facts(path: Path) -> Dict[str, Dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return {key: fact for key, fact in data.items() if isinstance(fact, dict) and "value" in fact}


_domain_responses = FileCache(_load_domain_responses)
_catalogs = FileCache(_load_catalog)
_facts = FileCache(_load_facts)

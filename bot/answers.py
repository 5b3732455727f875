"""Render an answer: the domain's Swedish source text, translated, with facts filled in.

This is the one place that turns a response name into what the resident reads. The NLG
endpoint calls it for every ``utter_*`` Rasa sends; the demo page and tests call it too.

- Source texts: ``domain.yml`` responses (Swedish; the msgids).
- Translations: ``locales/<lang>/LC_MESSAGES/messages.po``, read directly (no .mo needed);
  fuzzy or empty entries fall back to Swedish.
- Facts: ``bot/content/facts.yml``, filled into ``{placeholders}`` by name; action
  arguments (e.g. ``{place}``) are filled the same way and win over facts. An argument
  ``"@utter_x"`` is replaced by response ``utter_x`` rendered in the same language.

All three follow edits live, but only what passes the content rules (bot/content_store.py).
"""

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from bot.content_problems import PLACEHOLDER, Problem
from bot.content_store import ContentFiles, ContentStore, Snapshot, store_for
from bot.settings import Settings
from bot.vocabulary import LANGUAGES, RTL_LANGUAGES, SOURCE_LANGUAGE

logger = logging.getLogger(__name__)
WORD_REFERENCE = "@"


class UnknownResponse(KeyError):
    """The NLG endpoint was asked for a response the domain does not define."""


@dataclass(frozen=True)
class Content:
    """Where the content lives; one instance per app, shared by all requests."""

    domain_file: Path
    locales_dir: Path
    facts_file: Path
    widget_labels: Optional[Path] = None  # names facts too (the widget's offline numbers)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Content":
        return cls(
            settings.domain_file,
            settings.locales_dir,
            settings.facts_file,
            settings.widget_dir / "labels.json",
        )

    def render(
        self, response: str, language: str, arguments: Optional[Mapping[str, Any]] = None
    ) -> Dict[str, Any]:
        """The message for ``response`` in ``language``, as Rasa's NLG endpoint contract wants it."""
        snapshot = self.snapshot()
        variations = snapshot.responses.get(response)
        if not variations:
            raise UnknownResponse(response)
        variation = variations[0]
        values = {key: str(fact["value"]) for key, fact in snapshot.facts.items()}
        for key, value in (arguments or {}).items():
            if isinstance(value, str) and value.startswith(WORD_REFERENCE):
                # A word that must be translated too ("ja", a language name): the action names
                # the response that holds it, e.g. interpreter_text="@utter_word_yes".
                values[key] = self.render(value[len(WORD_REFERENCE) :], language)["text"]
            elif isinstance(value, (str, int, float)):
                values[key] = str(value)

        def say(source: str) -> str:
            return fill(_translate(snapshot, language, source), values)

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

    def snapshot(self) -> Snapshot:
        return self.store.snapshot()

    @property
    def store(self) -> ContentStore:
        also = (self.widget_labels,) if self.widget_labels else ()
        return store_for(
            ContentFiles(self.domain_file, self.locales_dir, self.facts_file, also_using_facts=also)
        )

    def translate(self, language: str, source: str) -> str:
        """The live translation of a Swedish source text; the source itself when none is usable."""
        return _translate(self.snapshot(), language, source)

    def fact(self, key: str) -> Optional[Dict[str, Any]]:
        return self.snapshot().facts.get(key)

    def refused(self) -> Tuple[Problem, ...]:
        """Edits kept out of the answers, for the editors' page."""
        return self.snapshot().refused

    def source_text(self, response: str) -> str:
        variations = self.snapshot().responses.get(response) or [{}]
        return variations[0].get("text", "")

    def button_titles(self) -> Dict[str, str]:
        """Each button payload of the domain -> the Swedish title of its first button."""
        titles: Dict[str, str] = {}
        for variations in self.snapshot().responses.values():
            for button in variations[0].get("buttons") or []:
                titles.setdefault(button["payload"], button["title"])
        return titles

    def response_names(self) -> List[str]:
        return list(self.snapshot().responses)

    def translation_table(self) -> List[Dict[str, Any]]:
        """For the editors' page: each source text with its state in every language."""
        rows = []
        snapshot = self.snapshot()
        for name, variations in snapshot.responses.items():
            variation = variations[0]
            for source in [variation["text"]] + [b["title"] for b in variation.get("buttons", [])]:
                cells = []
                for lang in LANGUAGES:
                    entry = snapshot.catalogs[lang].get(source)
                    cells.append(
                        {
                            "language": lang,
                            "text": entry.text if entry else "",
                            "state": entry.state if entry else "missing",
                        }
                    )
                rows.append({"response": name, "source": source, "cells": cells})
        return rows


def _translate(snapshot: Snapshot, language: str, source: str) -> str:
    if language not in LANGUAGES:
        language = SOURCE_LANGUAGE
    entry = snapshot.catalogs[language].get(source)
    return entry.live if entry is not None and entry.live else source


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` by its value; an unknown name is left visible, never a crash."""

    def value(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name not in values:
            logger.warning("answer placeholder without value: %s", name)
            return match.group(0)
        return values[name]

    return PLACEHOLDER.sub(value, text)

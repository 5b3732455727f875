"""Babel extractor for domain.yml: every response text and button title becomes a msgid.

Registered in locales/babel.cfg as ``[extractors] rasa_domain = bot.i18n_extract:extract``.
The comment names the response, so translators see where a string is used.
"""

from typing import Any, Iterator, List, Tuple

import yaml


def extract(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[Tuple[int, None, str, List[str]]]:
    """Yields (lineno, funcname, message, comments) as Babel expects."""
    text = fileobj.read().decode("utf-8")
    for name, message, lineno in domain_strings(text):
        yield lineno, None, message, [f"response: {name}"]


def domain_strings(text: str) -> Iterator[Tuple[str, str, int]]:
    """(response name, string, line number) for each text and button title in a domain file."""
    lines = text.splitlines()
    responses = (yaml.safe_load(text) or {}).get("responses", {})
    for name, variations in responses.items():
        for variation in variations:
            for string in [variation.get("text")] + [
                b["title"] for b in variation.get("buttons", [])
            ]:
                if string:
                    yield name, string, _line_of(lines, name)


def _line_of(lines: List[str], name: str) -> int:
    for number, line in enumerate(lines, start=1):
        if line.strip() == f"{name}:":
            return number
    return 0

"""Reading the tracker: the resident's language and what the latest message answered.

Buttons send ``/choose{"choice": <value>}`` (``choose_payload``); the value arrives as the
``choice`` entity. No Action subclasses here (rasa_sdk registers every Action it finds in the
package).
"""

import json
from typing import Optional

from rasa_sdk import Tracker

from bot.language import resolve_language


def language_of(tracker: Tracker) -> str:
    return resolve_language(tracker.current_state())


def choice(tracker: Tracker) -> Optional[str]:
    """The value of a button the resident pressed (``/choose{"choice": ...}``), if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "choice":
            return str(entity.get("value"))
    return None


def yes_or_no(tracker: Tracker) -> Optional[bool]:
    """A yes/no button, or a typed yes or no (the affirm and deny intents); None for anything else."""
    picked = choice(tracker)
    if picked in ("yes", "no"):
        return picked == "yes"
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in ("affirm", "deny"):
        return intent == "affirm"
    return None


def choose_payload(value: str) -> str:
    """The payload of a button whose value ``choice`` reads back."""
    return "/choose" + json.dumps({"choice": value})

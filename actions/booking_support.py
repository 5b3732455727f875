"""What the booking actions share: where the data lives, the resident's language, slot labels.

No Action subclasses here (rasa_sdk registers every Action it finds in the package).
"""
import json
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List, Optional

from babel.dates import format_datetime
from rasa_sdk import Tracker

from bot.language import resolve_language
from bot.schedule import load_schedule
from bot.secrets import load_secrets
from bot.settings import database_url
from bot.storage import bookings as repo
from bot.storage.db import session_scope

SLOTS_PER_PAGE = 4
SAFE_TIMES = ("chosen_slot_only", "weekday_mornings", "weekday_afternoons", "any_daytime")
CALL_LANGUAGES = ("sv", "en", "ar", "fa", "so", "fi", "other")
FORM_SLOTS = ("centre", "callback_slot", "safe_times", "may_identify", "may_leave_message", "withheld_ok",
              "call_language", "interpreter", "phone_token", "consent", "slot_page", "reference_code")


@lru_cache(maxsize=1)
def pepper() -> str:
    return load_secrets()["reference_pepper"]


def db_url() -> str:
    return database_url()


def language_of(tracker: Tracker) -> str:
    return resolve_language(tracker.current_state())


def choice(tracker: Tracker) -> Optional[str]:
    """The value of a button the resident pressed (``/choose{"choice": ...}``), if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "choice":
            return str(entity.get("value"))
    return None


def yes_or_no(tracker: Tracker) -> Optional[bool]:
    picked = choice(tracker)
    if picked in ("yes", "no"):
        return picked == "yes"
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in ("affirm", "deny"):
        return intent == "affirm"
    return None


def slot_label(slot: datetime, language: str) -> str:
    schedule = load_schedule()
    return format_datetime(slot, "EEEE d MMMM HH:mm", tzinfo=schedule.zone, locale=language)


def free_slots(centre: str, now: datetime) -> List[datetime]:
    """Offered slots at ``centre`` that still have a free seat, soonest first."""
    schedule = load_schedule()
    offered = list(schedule.slots(centre, now))
    with session_scope(db_url()) as session:
        counts = repo.booked_counts(session, centre, offered)
    capacity = schedule.capacity(centre)
    return [s for s in offered if counts.get(s, (0, capacity))[0] < counts.get(s, (0, capacity))[1]]


def choose_payload(value: str) -> str:
    return "/choose" + json.dumps({"choice": value})


def yes_no_word(value: Any) -> str:
    return "@utter_word_yes" if value else "@utter_word_no"


def slot_choice(slot: datetime) -> str:
    """A button value for a slot without digit runs: the web app would take a string like
    "2026-11-25" for a phone number attempt and never forward it (bot/phone.py)."""
    return "slot_" + _base36(int(slot.timestamp()) // 60)


def parse_slot(value: Any) -> Optional[datetime]:
    """The slot of a button value, or of a stored ISO timestamp."""
    text = str(value or "")
    try:
        if text.startswith("slot_"):
            return datetime.fromtimestamp(int(text[5:], 36) * 60, tz=timezone.utc)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def reset_events() -> List[Dict[str, Any]]:
    from rasa_sdk.events import SlotSet
    return [SlotSet(name, None) for name in FORM_SLOTS]

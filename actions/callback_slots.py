"""Callback slots in the chat: which are free, how a slot is labelled and carried in a button.

The schedule (bot/schedule.py) says which slots a centre offers; the database says which still
have a seat. No Action subclasses here (rasa_sdk registers every Action it finds in the package).
"""

from datetime import datetime, timezone
from typing import Any, List, Optional

from babel.dates import format_datetime

from bot.schedule import load_schedule
from bot.settings import current
from bot.storage import bookings as repo
from bot.storage.db import session_scope

SLOTS_PER_PAGE = 4


def free_slots(centre: str, now: datetime) -> List[datetime]:
    """Offered slots at ``centre`` that still have a free seat, soonest first."""
    schedule = load_schedule()
    offered = list(schedule.slots(centre, now))
    with session_scope(current().database_url) as session:
        counts = repo.booked_counts(session, centre, offered)
    capacity = schedule.capacity(centre)
    return [s for s in offered if counts.get(s, (0, capacity))[0] < counts.get(s, (0, capacity))[1]]


def slot_label(slot: datetime, language: str) -> str:
    schedule = load_schedule()
    return format_datetime(slot, "EEEE d MMMM HH:mm", tzinfo=schedule.zone, locale=language)


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

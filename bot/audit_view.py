"""The audit log as staff read it: Swedish labels, centre names and short booking references.

New rows keep their detail as key=value facts (bot/storage/audit.py); rows written before that
hold English free text, which is read back into facts where its shape is known and otherwise
shown as it is.
"""

import re
from typing import Dict, List, Optional

from bot.console_labels import DETAIL_WORDING, EVENT_LABELS, OUTCOME_LABELS, ROLE_LABELS
from bot.storage import audit

SHORT_REFERENCE = 8  # enough to tell a centre's open bookings apart; the full id helps no reader
Facts = Dict[str, str]
Names = Dict[str, str]


def rows(entries: List, centre_names: Names) -> List[Dict]:
    """The template's rows for audit_log entries (newest first, as given)."""
    return [
        {
            "at": entry.at,
            "actor": entry.actor,
            "centre": centre_names.get(entry.centre, entry.centre),
            "event": EVENT_LABELS.get(entry.event, entry.event),
            "booking": (entry.booking_id or "")[:SHORT_REFERENCE],
            "detail": detail_text(entry.event, entry.detail, centre_names),
        }
        for entry in entries
    ]


def detail_text(event: str, detail: Optional[str], centre_names: Names) -> str:
    """The detail in Swedish; one this module cannot read is shown as it was stored."""
    facts = audit.facts_of(detail)
    if facts is None:
        facts = _old_facts(event, detail or "")
    wording = DETAIL_WORDING.get(
        f"{event}_closed" if facts and facts.get("closed") == "1" else event
    )
    if facts is None or wording is None:
        return detail or ""
    labels = {"outcome": OUTCOME_LABELS, "role": ROLE_LABELS, "centre": centre_names}
    try:
        return wording.format(
            **{key: labels.get(key, {}).get(value, value) for key, value in facts.items()}
        )
    except KeyError:
        return detail or ""


# The free-text details written before facts, e.g. "reached (closed, number erased)".
_ACCOUNT = re.compile(r"(?P<username>\S+)")
_OLD_SHAPES = {
    "outcome": re.compile(r"(?P<outcome>[a-z_]+)(?P<closed> \(closed.*\))?"),
    "schedule_change": re.compile(r"slot (?P<slot_minutes>\S+) min, capacity (?P<capacity>\S+)"),
    "staff_created": re.compile(r"(?P<username>\S+) \((?P<role>\w+), (?P<centre>\w+)\)"),
    "staff_deactivated": _ACCOUNT,
    "staff_activated": _ACCOUNT,
    "staff_password_reset": _ACCOUNT,
}


def _old_facts(event: str, detail: str) -> Optional[Facts]:
    shape = _OLD_SHAPES.get(event)
    found = shape.fullmatch(detail) if shape else None
    if found is None:
        return None
    facts = found.groupdict()
    if event == "outcome":
        facts["closed"] = "1" if facts["closed"] else "0"
    return facts

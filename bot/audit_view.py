"""The audit log as staff read it: Swedish labels, centre names and short booking references.

New rows keep their detail as key=value facts (bot/storage/staff.py); rows written before that
hold English free text, which is read back into facts where its shape is known and otherwise
shown as it is.
"""
import re
from typing import Callable, Dict, List, Optional

from bot.console_labels import EVENT_LABELS, NUMBER_ERASED, OUTCOME_LABELS, ROLE_LABELS
from bot.storage import staff as staff_repo

SHORT_REFERENCE = 8  # enough to tell a centre's open bookings apart; the full id helps no reader
Facts = Dict[str, str]
Names = Dict[str, str]


def rows(entries: List, centre_names: Names) -> List[Dict]:
    """The template's rows for audit_log entries (newest first, as given)."""
    return [{"at": entry.at, "actor": entry.actor, "centre": centre_names.get(entry.centre, entry.centre),
             "event": EVENT_LABELS.get(entry.event, entry.event),
             "booking": (entry.booking_id or "")[:SHORT_REFERENCE],
             "detail": detail_text(entry.event, entry.detail, centre_names)} for entry in entries]


def detail_text(event: str, detail: Optional[str], centre_names: Names) -> str:
    facts = staff_repo.audit_facts(detail)
    if facts is None:
        facts = _old_facts(event, detail or "")
    if facts is None or event not in _WORDING:
        return detail or ""
    return _WORDING[event](facts, centre_names)


def _outcome(facts: Facts, _names: Names) -> str:
    label = OUTCOME_LABELS.get(facts.get("outcome", ""), facts.get("outcome", ""))
    return f"{label} – {NUMBER_ERASED}" if facts.get("closed") == "1" else label


def _schedule(facts: Facts, _names: Names) -> str:
    return f"tidlängd {facts.get('slot_minutes', '?')} min, {facts.get('capacity', '?')} samtal per tid"


def _account_created(facts: Facts, names: Names) -> str:
    role, centre = facts.get("role", ""), facts.get("centre", "")
    return f"{facts.get('username', '')} ({ROLE_LABELS.get(role, role)}, {names.get(centre, centre)})"


def _account(facts: Facts, _names: Names) -> str:
    return facts.get("username", "")


_WORDING: Dict[str, Callable[[Facts, Names], str]] = {
    "outcome": _outcome, "schedule_change": _schedule, "staff_created": _account_created,
    "staff_deactivated": _account, "staff_activated": _account, "staff_password_reset": _account,
}
# The free-text details written before facts, e.g. "reached (closed, number erased)".
_ACCOUNT = re.compile(r"(?P<username>\S+)")
_OLD_SHAPES = {
    "outcome": re.compile(r"(?P<outcome>[a-z_]+)(?P<closed> \(closed.*\))?"),
    "schedule_change": re.compile(r"slot (?P<slot_minutes>\S+) min, capacity (?P<capacity>\S+)"),
    "staff_created": re.compile(r"(?P<username>\S+) \((?P<role>\w+), (?P<centre>\w+)\)"),
    "staff_deactivated": _ACCOUNT, "staff_activated": _ACCOUNT, "staff_password_reset": _ACCOUNT,
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

"""The audit log as staff read it: Swedish labels, centre names and short booking references;
the page's filters and paging links; the alert on unusual days for leads and admins.

New rows keep their detail as key=value facts (bot/storage/audit.py); rows written before that
hold English free text, which is read back into facts where its shape is known and otherwise
shown as it is.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Dict, List, Mapping, Optional
from urllib.parse import urlencode

from bot.console_labels import (
    ACTION_LABELS,
    DETAIL_WORDING,
    EVENT_LABELS,
    OUTCOME_LABELS,
    ROLE_LABELS,
)
from bot.storage import audit

SHORT_REFERENCE = 8  # enough to tell a centre's open bookings apart; the full id helps no reader
Facts = Dict[str, str]
Names = Dict[str, str]


def rows(entries: List, centre_names: Names) -> List[Dict]:
    """The template's rows for audit_log entries (newest first, as given)."""
    return [
        {
            "at": entry.at,
            "code": entry.event,
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
    wording = DETAIL_WORDING.get(_wording_key(event, facts))
    if facts is None or wording is None:
        return detail or ""
    labels = {
        "outcome": OUTCOME_LABELS,
        "role": ROLE_LABELS,
        "centre": centre_names,
        "booking_centre": centre_names,
        "action": ACTION_LABELS,
    }
    try:
        return wording.format(
            **{key: labels.get(key, {}).get(value, value) for key, value in facts.items()}
        )
    except KeyError:
        return detail or ""


def _wording_key(event: str, facts: Optional[Facts]) -> str:
    if facts and facts.get("closed") == "1":
        return f"{event}_closed"
    if facts and "reason" in facts:
        return f"{event}_{facts['reason']}"
    return event


# --- the page's filters and paging -------------------------------------------------------------
FILTERS = ("event", "actor", "from", "to", "booking")
_ACTOR = re.compile(r"[a-z0-9._-]{1,64}")
_BOOKING_PREFIX = re.compile(r"[0-9a-f]{1,32}")


@dataclass
class AuditFilter:
    """What the filter form asked for: the query, the values as typed, and a Swedish problem
    per field the page cannot use (then no rows are shown, rather than unfiltered ones)."""

    query: audit.AuditQuery
    values: Dict[str, str]
    problems: Dict[str, str] = field(default_factory=dict)


def audit_filter(args: Mapping[str, str], zone: tzinfo) -> AuditFilter:
    """The filter from the page's query string; days are whole days in ``zone``, both included."""
    values = {name: (args.get(name) or "").strip() for name in FILTERS}
    values["booking"] = values["booking"].lower()
    problems: Dict[str, str] = {}
    if values["event"] and values["event"] not in EVENT_LABELS:
        problems["event"] = "Välj en händelse i listan."
    if values["actor"] and not _ACTOR.fullmatch(values["actor"]):
        problems["actor"] = "Skriv ett användarnamn (små bokstäver, siffror, . _ -)."
    if values["booking"] and not _BOOKING_PREFIX.fullmatch(values["booking"]):
        problems["booking"] = "Skriv början av bokningskoden (siffror 0–9 och bokstäver a–f)."
    days: Dict[str, Optional[date]] = {}
    for name in ("from", "to"):
        try:
            days[name] = date.fromisoformat(values[name]) if values[name] else None
        except ValueError:
            days[name] = None
            problems[name] = "Skriv dagen som ÅÅÅÅ-MM-DD."
    first, last = days["from"], days["to"]
    if first and last and last < first:
        problems["to"] = "Till-dagen kommer före från-dagen."
    before = args.get("before") or ""
    query = audit.AuditQuery(
        event=values["event"],
        actor=values["actor"],
        since=_start_of(first, zone) if first else None,
        until=_start_of(last + timedelta(days=1), zone) if last else None,
        booking_prefix=values["booking"],
        before=int(before) if before.isdigit() else None,
    )
    return AuditFilter(query, values, problems)


def page_links(values: Dict[str, str], older: Optional[int], paged: bool) -> Dict[str, str]:
    """Links to the next older page and, on a later page, back to the newest entries; both keep
    the filter."""
    kept = {name: value for name, value in values.items() if value}
    links = {}
    if older is not None:
        links["older"] = "/console/audit?" + urlencode({**kept, "before": older})
    if paged:
        links["newest"] = "/console/audit" + ("?" + urlencode(kept) if kept else "")
    return links


def _start_of(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


# --- the alert on unusual days ----------------------------------------------------------------
ALERT_DAYS = 7  # today and the six days before: a lead who was away for a week still sees it


def unusual_days(
    session, member, reveals_per_day: int, zone: tzinfo, centre_names: Names
) -> List[Dict]:
    """The banner's lines for a lead (their centre) or an admin (every centre) over the last
    ``ALERT_DAYS`` days, each with a link to the audit log filtered to that member and day."""
    today = datetime.now(zone).date()
    since = _start_of(today - timedelta(days=ALERT_DAYS - 1), zone)
    return alert_rows(audit.alerts(session, member, since, zone, reveals_per_day), centre_names)


def alert_rows(alerts: List[audit.Alert], centre_names: Names) -> List[Dict]:
    """Alerts as the banner shows them."""
    return [
        {
            "kind": alert.kind,
            "actor": alert.actor,
            "centre": centre_names.get(alert.centre, alert.centre),
            "day": alert.day.isoformat(),
            "count": alert.count,
            "href": "/console/audit?"
            + urlencode(
                {
                    "event": alert.kind,
                    "actor": alert.actor,
                    "from": alert.day.isoformat(),
                    "to": alert.day.isoformat(),
                }
            ),
        }
        for alert in alerts
    ]


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

"""The audit log: who claimed, saw a number, saved an outcome, was refused, or changed an
account or schedule; read page by page with filters, and watched for unusual reveal counts.

Details are key=value codes, not prose: the console words them in Swedish (bot/audit_view.py),
and no free text, where a number could slip in, reaches the log.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.storage.bookings import as_utc, now_utc
from bot.storage.models import audit_log

if TYPE_CHECKING:  # the member type lives with the accounts, which import this module's users
    from bot.storage.staff import StaffMember

_FACT = re.compile(r"[a-z_]+=[\w.:-]+")
PAGE_SIZE = 50


def record(
    session: Session,
    member: "StaffMember",
    event: str,
    booking_id: Optional[str] = None,
    **facts: object,
) -> None:
    """One entry, e.g. ``record(s, member, "staff_activated", username="kim")``."""
    detail = " ".join(f"{key}={value}" for key, value in facts.items())
    if facts_of(detail) is None:
        raise ValueError("audit facts must be single words")
    session.execute(
        insert(audit_log).values(
            at=now_utc(),
            actor=member.username,
            centre=member.centre,
            event=event,
            booking_id=booking_id,
            detail=detail[:200],
        )
    )


@dataclass(frozen=True)
class AuditQuery:
    """Which entries to read: every field left empty matches all. ``since`` and ``until`` are
    moments (``until`` excluded); ``before`` is the id the next older page starts below."""

    event: str = ""
    actor: str = ""
    since: Optional[datetime] = None
    until: Optional[datetime] = None
    booking_prefix: str = ""
    before: Optional[int] = None


def entries(
    session: Session, member: "StaffMember", query: AuditQuery = AuditQuery(), size: int = PAGE_SIZE
) -> Tuple[List, Optional[int]]:
    """One page of entries, newest first (the member's centre, or every centre for an admin),
    and the ``before`` of the next older page (None on the last page). Keyset paging by id: a
    page stays the same while new entries arrive."""
    statement = select(audit_log).order_by(audit_log.c.id.desc()).limit(size + 1)
    if member.role != "admin":
        statement = statement.where(audit_log.c.centre == member.centre)
    if query.event:
        statement = statement.where(audit_log.c.event == query.event)
    if query.actor:
        statement = statement.where(audit_log.c.actor == query.actor)
    if query.since is not None:
        statement = statement.where(audit_log.c.at >= _utc(query.since))
    if query.until is not None:
        statement = statement.where(audit_log.c.at < _utc(query.until))
    if query.before is not None:
        statement = statement.where(audit_log.c.id < query.before)
    if query.booking_prefix:  # callers pass hex digits only: no LIKE wildcard in it
        statement = statement.where(audit_log.c.booking_id.startswith(query.booking_prefix))
    rows = session.execute(statement).all()
    older = rows[size - 1].id if len(rows) > size else None
    return rows[:size], older


@dataclass(frozen=True)
class Alert:
    """A member's unusual day: ``kind`` "reveal" (more distinct numbers shown than the
    threshold) or "refused" (attempts on another centre's bookings, never part of the work)."""

    kind: str
    actor: str
    centre: str
    day: date
    count: int


def alerts(
    session: Session, member: "StaffMember", since: datetime, zone: tzinfo, reveals_per_day: int
) -> List[Alert]:
    """Unusual days since ``since`` (days in ``zone``), for the member's centre or, for an
    admin, every centre; the latest day first."""
    statement = select(
        audit_log.c.event,
        audit_log.c.actor,
        audit_log.c.centre,
        audit_log.c.at,
        audit_log.c.booking_id,
        audit_log.c.detail,
    ).where(audit_log.c.at >= _utc(since), audit_log.c.event.in_(("reveal", "refused")))
    if member.role != "admin":
        statement = statement.where(audit_log.c.centre == member.centre)
    numbers: Dict[Tuple[str, str, date], Set[Optional[str]]] = defaultdict(set)
    attempts: Dict[Tuple[str, str, date], int] = defaultdict(int)
    for row in session.execute(statement):
        key = (row.actor, row.centre, as_utc(row.at).astimezone(zone).date())
        if row.event == "reveal":
            numbers[key].add(row.booking_id)  # showing one number again is one number
        elif (facts_of(row.detail) or {}).get("reason") == "other_centre":
            attempts[key] += 1
    found = [
        Alert("reveal", *key, len(shown))
        for key, shown in numbers.items()
        if len(shown) > reveals_per_day
    ]
    found += [Alert("refused", *key, count) for key, count in attempts.items()]
    return sorted(found, key=lambda alert: (alert.day, alert.count), reverse=True)


def _utc(moment: datetime) -> datetime:
    # SQLite compares the stored UTC text: a moment in another zone must be bound as UTC.
    return as_utc(moment).astimezone(timezone.utc)


def facts_of(detail: Optional[str]) -> Optional[Dict[str, str]]:
    """The facts of an entry's detail; None for a detail written as free text before facts."""
    words = (detail or "").split()
    if not all(_FACT.fullmatch(word) for word in words):
        return None
    return dict(word.split("=", 1) for word in words)

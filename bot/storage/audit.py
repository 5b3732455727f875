"""The audit log: who claimed, saw a number, saved an outcome, or changed an account or schedule.

Details are key=value codes, not prose: the console words them in Swedish (bot/audit_view.py),
and no free text, where a number could slip in, reaches the log.
"""

import re
from typing import TYPE_CHECKING, Dict, List, Optional

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.storage.bookings import now_utc
from bot.storage.models import audit_log

if TYPE_CHECKING:  # the member type lives with the accounts, which import this module's users
    from bot.storage.staff import StaffMember

_FACT = re.compile(r"[a-z_]+=[\w.:-]+")


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


def entries(session: Session, member: "StaffMember", limit: int = 200) -> List:
    """The latest entries: the member's centre, or every centre for an admin."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if member.role != "admin":
        query = query.where(audit_log.c.centre == member.centre)
    return session.execute(query).all()


def facts_of(detail: Optional[str]) -> Optional[Dict[str, str]]:
    """The facts of an entry's detail; None for a detail written as free text before facts."""
    words = (detail or "").split()
    if not all(_FACT.fullmatch(word) for word in words):
        return None
    return dict(word.split("=", 1) for word in words)

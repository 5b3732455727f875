"""The work on a centre's callback list: claim, call (the number is shown), record the outcome.

Every function takes the acting staff member and checks that the booking belongs to their
centre: isolation between centres is enforced here, not in templates. The residents' side of
the bookings table (book, cancel, erase) is bot/storage/bookings.py.
"""

import logging
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, List, Optional, Tuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage import audit, statistics
from bot.storage.bookings import day_of, erase_phone, now_utc
from bot.storage.crypto import UndecryptableNumber, booking_aad
from bot.storage.models import bookings
from bot.vocabulary import CLOSING_OUTCOMES, OUTCOMES

logger = logging.getLogger(__name__)

if TYPE_CHECKING:  # staff.py imports this module (an account stopped releases its claims)
    from bot.storage.staff import StaffMember


class NotAllowed(Exception):
    """The booking does not exist for this staff member (other centre, unknown id)."""


class ClaimedByOther(Exception):
    """The booking is the centre's, but another member holds it (or nobody claimed it)."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


_USERNAME = re.compile(r"[a-z0-9._-]{1,64}")


def record_refusal(
    session: Session, member: "StaffMember", action: str, booking_id: str, refusal: Exception
) -> None:
    """Audit a refused claim, reveal or outcome (``action``), in a unit of work of its own: the
    refused one is rolled back. A booking of another centre keeps its id and centre (random
    codes the member already had, nothing about the resident, and what an investigation
    needs); an id that names no booking is not kept, since any text could be typed there."""
    if isinstance(refusal, ClaimedByOther):
        holder = refusal.holder if _USERNAME.fullmatch(refusal.holder) else ""
        reason = (
            {"reason": "held_by_other", "holder": holder} if holder else {"reason": "not_claimed"}
        )
        audit.record(session, member, "refused", booking_id, action=action, **reason)
        return
    centre = session.execute(select(bookings.c.centre).where(bookings.c.id == booking_id)).scalar()
    if centre is None:
        audit.record(session, member, "refused", None, action=action, reason="unknown")
    else:
        audit.record(
            session,
            member,
            "refused",
            booking_id,
            action=action,
            reason="other_centre",
            booking_centre=centre,
        )


def callback_list(session: Session, member: "StaffMember", since: datetime) -> List:
    """Open bookings of the member's centre from ``since`` on, by slot (numbers not included)."""
    columns = [c for c in bookings.c if c.name not in ("phone_cipher", "reference_hash")]
    return session.execute(
        select(*columns, bookings.c.phone_cipher.isnot(None).label("has_number"))
        .where(
            bookings.c.centre == member.centre,
            bookings.c.status.in_(("booked", "claimed")),
            bookings.c.slot_start >= since,
        )
        .order_by(bookings.c.slot_start)
    ).all()


def claim(session: Session, member: "StaffMember", booking_id: str) -> None:
    """Claim a callback; two staff cannot hold the same one (conditional UPDATE decides)."""
    _own_booking(session, member, booking_id)
    result = session.execute(
        update(bookings)
        .where(
            bookings.c.id == booking_id,
            bookings.c.centre == member.centre,
            bookings.c.status == "booked",
        )
        .values(status="claimed", claimed_by=member.username, updated_on=day_of(now_utc()))
    )
    if result.rowcount != 1:
        holder = session.execute(
            select(bookings.c.claimed_by).where(bookings.c.id == booking_id)
        ).scalar()
        if holder != member.username:
            raise ClaimedByOther(holder or "?")
        return
    audit.record(session, member, "claim", booking_id)


def handled_since(session: Session, member: "StaffMember", since: date) -> List:
    """The centre's calls with an outcome saved on or after the day ``since`` (no numbers),
    latest slot first: a booking keeps the day of its last change, not the moment."""
    return session.execute(
        select(
            bookings.c.id,
            bookings.c.slot_start,
            bookings.c.outcome,
            bookings.c.attempts,
            bookings.c.status,
            bookings.c.claimed_by,
            bookings.c.phone_cipher.isnot(None).label("has_number"),
        )
        .where(
            bookings.c.centre == member.centre,
            bookings.c.outcome.isnot(None),
            bookings.c.updated_on >= since,
        )
        .order_by(bookings.c.slot_start.desc())
    ).all()


def reveal_for_call(
    session: Session, member: "StaffMember", booking_id: str, cipher
) -> Tuple[Any, Optional[str]]:
    """The booking as the caller needs it (the resident's safety answers) and its phone number
    (None once erased), for the staff member who claimed it; showing the number is audited."""
    row = _own_booking(session, member, booking_id)
    if row.status != "claimed" or row.claimed_by != member.username:
        raise ClaimedByOther(row.claimed_by or "")
    if row.phone_cipher is None:
        return row, None
    try:
        number = cipher.decrypt(row.phone_cipher, aad=booking_aad(booking_id))
    except UndecryptableNumber:
        # Its key was retired or the ciphertext came from another row: no other booking's
        # number is shown in its place. Not erased here: a wrongly mounted secrets file must
        # not cost every number that staff open.
        logger.warning("a booking's number could not be decrypted with the configured keys")
        return row, None
    audit.record(session, member, "reveal", booking_id)
    return row, number


def record_outcome(
    session: Session, member: "StaffMember", booking_id: str, outcome: str, close: bool
) -> None:
    """Record a call attempt; closing (or a closing outcome) erases the number at once."""
    if outcome not in OUTCOMES:
        raise ValueError("unknown outcome")
    row = _own_booking(session, member, booking_id)
    if row.status != "claimed" or row.claimed_by != member.username:
        raise ClaimedByOther(row.claimed_by or "")
    done = close or outcome in CLOSING_OUTCOMES
    session.execute(
        update(bookings)
        .where(bookings.c.id == booking_id)
        .values(
            outcome=outcome,
            attempts=bookings.c.attempts + 1,
            updated_on=day_of(now_utc()),
            status="done" if done else "claimed",
        )
    )
    if done:
        erase_phone(session, booking_id)
    if outcome == "reached":
        statistics.count(session, "booking_called", row.language, row.centre)
    audit.record(session, member, "outcome", booking_id, outcome=outcome, closed=int(done))


def _own_booking(session: Session, member: "StaffMember", booking_id: str):
    row = session.execute(
        select(bookings).where(bookings.c.id == booking_id, bookings.c.centre == member.centre)
    ).first()
    if row is None:
        raise NotAllowed()
    return row


def release_claims(session: Session, username: str) -> None:
    """The callbacks ``username`` had claimed go back to the centre's list (account stopped)."""
    session.execute(
        update(bookings)
        .where(bookings.c.claimed_by == username, bookings.c.status == "claimed")
        .values(status="booked", claimed_by=None, updated_on=day_of(now_utc()))
    )

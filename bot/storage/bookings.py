"""Bookings, the residents' side: store a phone token, book, cancel, erase. Used by actions and
the web app; the staff's side (claim, call, outcome) is bot/storage/callbacks.py.

Every function takes a SQLAlchemy session (one short transaction per call site, see db.py)
and works the same on SQLite and PostgreSQL.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import List, NamedTuple, Optional

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.phone import looks_like_phone_number
from bot.storage import statistics
from bot.storage.crypto import (
    NumberCipher,
    UndecryptableNumber,
    booking_aad,
    reference_hash,
    token_aad,
)
from bot.storage.models import bookings, phone_tokens, slot_usage

TOKEN_LIFETIME = timedelta(minutes=30)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class SlotTaken(Exception):
    """The slot filled up between offering it and confirming it."""


class TokenUnknown(Exception):
    """The phone token expired, never existed, or was already used for a booking."""


@dataclass(frozen=True)
class BookingRequest:
    centre: str
    slot_start: datetime
    language: str
    call_language: str
    interpreter: bool
    may_identify: bool
    may_leave_message: bool
    withheld_ok: bool
    safe_times: str


class Retained(NamedTuple):
    """What one retention run removed."""

    numbers_erased: int
    bookings_deleted: int


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def day_of(moment: datetime) -> date:
    """The Stockholm day of ``moment``: the finest time a booking keeps besides its slot."""
    return as_utc(moment).astimezone(statistics.ZONE).date()


def store_phone_token(
    session: Session, cipher: NumberCipher, phone: str, now: Optional[datetime] = None
) -> str:
    """Keep the number, encrypted and bound to its row, under a fresh random token (returned)."""
    token = "".join(
        secrets.choice(REFERENCE_ALPHABET + "abcdefghijkmnpqrstuvwxyz") for _ in range(22)
    )
    token_hash = _token_hash(token)
    session.execute(
        insert(phone_tokens).values(
            token_hash=token_hash,
            phone_cipher=cipher.encrypt(phone, aad=token_aad(token_hash)),
            expires_at=(now or now_utc()) + TOKEN_LIFETIME,
        )
    )
    return token


def phone_token_is_valid(session: Session, token: str, now: Optional[datetime] = None) -> bool:
    row = session.execute(
        select(phone_tokens.c.expires_at).where(phone_tokens.c.token_hash == _token_hash(token))
    ).first()
    return row is not None and as_utc(row.expires_at) > (now or now_utc())


def booked_counts(session: Session, centre: str, slots: List[datetime]) -> dict:
    if not slots:
        return {}
    rows = session.execute(
        select(slot_usage.c.slot_start, slot_usage.c.booked, slot_usage.c.capacity).where(
            slot_usage.c.centre == centre, slot_usage.c.slot_start.in_(slots)
        )
    ).all()
    return {as_utc(r.slot_start): (r.booked, r.capacity) for r in rows}


def book_callback(
    session: Session,
    request: BookingRequest,
    token: str,
    capacity: int,
    pepper: str,
    cipher: NumberCipher,
    now: Optional[datetime] = None,
) -> str:
    """Book a seat in the slot and move the number onto the booking; returns the reference code.

    The number is decrypted as the token's and encrypted again as the booking's (the
    associated data names the row, bot/storage/crypto.py). Raises SlotTaken when the slot is
    full (nothing is written) and TokenUnknown when the token is gone or its number cannot be
    decrypted — the first is also what a second, duplicate confirmation meets, so a double
    submit books once.
    """
    now = now or now_utc()
    token_row = phone_tokens.c.token_hash == _token_hash(token)
    consumed = session.execute(
        select(phone_tokens.c.phone_cipher)
        .where(token_row, phone_tokens.c.expires_at > now)
        .with_for_update()
    ).first()
    # The DELETE's row count, not the SELECT, decides who wins two simultaneous confirmations.
    if consumed is None or session.execute(delete(phone_tokens).where(token_row)).rowcount != 1:
        raise TokenUnknown()
    try:
        phone = cipher.decrypt(consumed.phone_cipher, aad=token_aad(_token_hash(token)))
    except UndecryptableNumber:
        raise TokenUnknown() from None
    _ensure_slot_row(session, request.centre, request.slot_start, capacity)
    seat = session.execute(
        update(slot_usage)
        .where(
            slot_usage.c.centre == request.centre,
            slot_usage.c.slot_start == request.slot_start,
            slot_usage.c.booked < slot_usage.c.capacity,
        )
        .values(booked=slot_usage.c.booked + 1)
    )
    if seat.rowcount != 1:
        session.rollback()  # the token comes back too: the resident can pick another slot
        raise SlotTaken()
    code = _new_reference_code()
    booking_id = secrets.token_hex(16)
    session.execute(
        insert(bookings).values(
            id=booking_id,
            centre=request.centre,
            slot_start=request.slot_start,
            language=request.language,
            call_language=request.call_language,
            interpreter=request.interpreter,
            may_identify=request.may_identify,
            may_leave_message=request.may_leave_message,
            withheld_ok=request.withheld_ok,
            safe_times=request.safe_times,
            status="booked",
            reference_hash=reference_hash(pepper, code),
            phone_cipher=cipher.encrypt(phone, aad=booking_aad(booking_id)),
            attempts=0,
            created_on=day_of(now),
            updated_on=day_of(now),
        )
    )
    statistics.count(session, "booking_made", request.language, request.centre)
    return code


def cancel_booking(
    session: Session, code: str, pepper: str, now: Optional[datetime] = None
) -> bool:
    """Cancel by reference code: the seat is freed and the number erased. False if no such open booking."""
    now = now or now_utc()
    row = session.execute(
        select(bookings.c.id, bookings.c.centre, bookings.c.slot_start, bookings.c.language)
        .where(
            bookings.c.reference_hash == reference_hash(pepper, code),
            bookings.c.status.in_(("booked", "claimed")),
        )
        .with_for_update()
    ).first()
    if row is None:
        return False
    session.execute(
        update(bookings)
        .where(bookings.c.id == row.id)
        .values(status="cancelled", phone_cipher=None, updated_on=day_of(now))
    )
    session.execute(
        update(slot_usage)
        .where(
            slot_usage.c.centre == row.centre,
            slot_usage.c.slot_start == row.slot_start,
            slot_usage.c.booked > 0,
        )
        .values(booked=slot_usage.c.booked - 1)
    )
    statistics.count(session, "booking_cancelled", row.language, row.centre)
    return True


def erase_phone(session: Session, booking_id: str, now: Optional[datetime] = None) -> None:
    now = now or now_utc()
    row = session.execute(
        select(bookings.c.centre, bookings.c.language).where(
            bookings.c.id == booking_id, bookings.c.phone_cipher.isnot(None)
        )
    ).first()
    session.execute(
        update(bookings)
        .where(bookings.c.id == booking_id)
        .values(phone_cipher=None, updated_on=day_of(now))
    )
    if row is not None:
        statistics.count(session, "booking_erased", row.language, row.centre)


def apply_retention(
    session: Session, max_age: timedelta, unclaimed_grace: timedelta, now: Optional[datetime] = None
) -> Retained:
    """Delete bookings, not only their numbers, once nobody needs them: every booking created
    ``max_age`` ago (counted in days, so up to a day early), and every booking not held by a
    caller whose slot passed more than ``unclaimed_grace`` ago (done, cancelled or never
    claimed). Past slots' seat counts and expired phone tokens go too."""
    now = now or now_utc()
    session.execute(delete(phone_tokens).where(phone_tokens.c.expires_at <= now))
    slot_passed = bookings.c.slot_start <= now - unclaimed_grace
    expiring = or_(
        bookings.c.created_on <= day_of(now - max_age),
        and_(bookings.c.status != "claimed", slot_passed),
    )
    numbers = session.execute(
        select(bookings.c.centre, bookings.c.language).where(
            bookings.c.phone_cipher.isnot(None), expiring
        )
    ).all()
    for row in numbers:
        statistics.count(session, "booking_erased", row.language, row.centre)
    deleted = session.execute(delete(bookings).where(expiring)).rowcount
    session.execute(delete(slot_usage).where(slot_usage.c.slot_start <= now - unclaimed_grace))
    return Retained(numbers_erased=len(numbers), bookings_deleted=deleted)


def _ensure_slot_row(session: Session, centre: str, slot_start: datetime, capacity: int) -> None:
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert_fn(slot_usage)
        .values(centre=centre, slot_start=slot_start, capacity=capacity, booked=0)
        .on_conflict_do_nothing(index_elements=["centre", "slot_start"])
    )


def _new_reference_code() -> str:
    # A code the web app would redact as a phone number ("AF48-9477": about 1 in 2,000) could
    # never be typed back to cancel; draw again.
    while True:
        raw = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if not looks_like_phone_number(code) and not looks_like_phone_number(code.lower()):
            return code


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; we store UTC everywhere."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

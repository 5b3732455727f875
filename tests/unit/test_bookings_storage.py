"""Booking storage on SQLite and PostgreSQL: capacity, double submit, cancel, erasure, no identity."""

import base64
import os
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import DateTime, Time, inspect, select

from bot.storage import bookings as repo
from bot.storage import statistics
from bot.storage.crypto import PhoneCipher, booking_aad, reference_hash
from bot.storage.db import engine_for, session_scope
from bot.storage.models import bookings, monthly_counters, phone_tokens, slot_usage
from tests.databases import database_params, fresh_database_url

PEPPER = base64.b64encode(os.urandom(32)).decode()
CIPHER = PhoneCipher([base64.b64encode(os.urandom(32)).decode()])
SLOT = datetime(2030, 3, 4, 8, 0, tzinfo=timezone.utc)
PHONE = "+46701234567"


def request(slot=SLOT):
    return repo.BookingRequest(
        centre="rvc_innerstan",
        slot_start=slot,
        language="sv",
        call_language="ar",
        interpreter=True,
        may_identify=False,
        may_leave_message=False,
        withheld_ok=True,
        safe_times="weekday_mornings",
    )


@pytest.fixture(params=database_params())
def db(request, tmp_path):
    return fresh_database_url(request.param, tmp_path)


def new_token(db, phone=PHONE):
    with session_scope(db) as s:
        return repo.store_phone_token(s, CIPHER, phone)


def test_booking_keeps_the_number_only_encrypted_and_returns_a_reference(db):
    token = new_token(db)
    with session_scope(db) as s:
        code = repo.book_callback(s, request(), token, capacity=2, pepper=PEPPER, cipher=CIPHER)
    with session_scope(db) as s:
        row = s.execute(select(bookings)).one()
    assert PHONE.encode() not in bytes(row.phone_cipher) and b"701234567" not in bytes(
        row.phone_cipher
    )
    assert CIPHER.decrypt(row.phone_cipher, aad=booking_aad(row.id)) == PHONE
    assert row.reference_hash == reference_hash(PEPPER, code) and code not in row.reference_hash
    assert len(code) == 9 and code[4] == "-"


def test_a_full_slot_refuses_and_keeps_the_token_for_another_slot(db):
    with session_scope(db) as s:
        repo.book_callback(s, request(), new_token(db), capacity=1, pepper=PEPPER, cipher=CIPHER)
    token = new_token(db)
    with pytest.raises(repo.SlotTaken):
        with session_scope(db) as s:
            repo.book_callback(s, request(), token, capacity=1, pepper=PEPPER, cipher=CIPHER)
    with session_scope(db) as s:
        assert repo.phone_token_is_valid(s, token)
        repo.book_callback(
            s,
            request(SLOT + timedelta(minutes=30)),
            token,
            capacity=1,
            pepper=PEPPER,
            cipher=CIPHER,
        )
    with session_scope(db) as s:
        assert len(s.execute(select(bookings)).all()) == 2


def test_the_same_confirmation_twice_books_once(db):
    token = new_token(db)
    with session_scope(db) as s:
        repo.book_callback(s, request(), token, capacity=5, pepper=PEPPER, cipher=CIPHER)
    with pytest.raises(repo.TokenUnknown):
        with session_scope(db) as s:
            repo.book_callback(s, request(), token, capacity=5, pepper=PEPPER, cipher=CIPHER)
    with session_scope(db) as s:
        assert len(s.execute(select(bookings)).all()) == 1


def test_concurrent_bookings_of_the_last_seat_book_exactly_one(db):
    tokens = [new_token(db) for _ in range(8)]
    results, barrier = [], threading.Barrier(len(tokens))

    def attempt(token):
        barrier.wait()
        try:
            with session_scope(db) as s:
                repo.book_callback(s, request(), token, capacity=1, pepper=PEPPER, cipher=CIPHER)
            results.append("booked")
        except repo.SlotTaken:
            results.append("taken")

    threads = [threading.Thread(target=attempt, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["booked"] + ["taken"] * 7
    with session_scope(db) as s:
        assert s.execute(select(slot_usage.c.booked)).scalar_one() == 1
        assert len(s.execute(select(bookings)).all()) == 1


def test_concurrent_double_submit_of_one_token_books_once(db):
    token = new_token(db)
    outcomes, barrier = [], threading.Barrier(4)

    def attempt():
        barrier.wait()
        try:
            with session_scope(db) as s:
                repo.book_callback(s, request(), token, capacity=10, pepper=PEPPER, cipher=CIPHER)
            outcomes.append("booked")
        except repo.TokenUnknown:
            outcomes.append("duplicate")

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["booked", "duplicate", "duplicate", "duplicate"]


def test_cancel_by_reference_frees_the_seat_and_erases_the_number(db):
    with session_scope(db) as s:
        code = repo.book_callback(
            s, request(), new_token(db), capacity=1, pepper=PEPPER, cipher=CIPHER
        )
    with session_scope(db) as s:
        assert not repo.cancel_booking(s, "ZZZZ-ZZZZ", PEPPER)
        assert repo.cancel_booking(s, code.lower().replace("-", " "), PEPPER)
    with session_scope(db) as s:
        row = s.execute(select(bookings)).one()
        assert row.status == "cancelled" and row.phone_cipher is None
        assert s.execute(select(slot_usage.c.booked)).scalar_one() == 0
        assert not repo.cancel_booking(s, code, PEPPER)  # only once


def test_retention_deletes_old_bookings_with_their_numbers_and_expired_tokens(db):
    long_ago = datetime.now(timezone.utc) - timedelta(days=20)
    with session_scope(db) as s:
        token = repo.store_phone_token(s, CIPHER, PHONE, now=long_ago)
    with session_scope(db) as s:
        repo.book_callback(
            s, request(), token, capacity=1, pepper=PEPPER, cipher=CIPHER, now=long_ago
        )
        repo.store_phone_token(s, CIPHER, PHONE, now=long_ago)
        fresh = repo.store_phone_token(s, CIPHER, PHONE)
    with session_scope(db) as s:
        done = repo.apply_retention(
            s, max_age=timedelta(days=14), unclaimed_grace=timedelta(days=2)
        )
    assert done == repo.Retained(numbers_erased=1, bookings_deleted=1)
    with session_scope(db) as s:
        assert s.execute(select(bookings)).all() == []
        assert len(s.execute(select(phone_tokens)).all()) == 1
        assert repo.phone_token_is_valid(s, fresh)


def test_retention_deletes_bookings_past_their_slot_unless_a_caller_holds_them(db):
    now = datetime.now(timezone.utc)
    past, future = now - timedelta(days=3), now + timedelta(days=3)
    booked = {}
    for name, slot in (
        ("past_booked", past),
        ("past_cancelled", past - timedelta(hours=1)),
        ("past_done", past - timedelta(hours=2)),
        ("past_claimed", past - timedelta(hours=3)),
        ("future_booked", future),
    ):
        with session_scope(db) as s:
            booked[name] = repo.book_callback(
                s, request(slot), new_token(db), capacity=1, pepper=PEPPER, cipher=CIPHER, now=now
            )
    with session_scope(db) as s:
        repo.cancel_booking(s, booked["past_cancelled"], PEPPER)
        for name, status in (("past_done", "done"), ("past_claimed", "claimed")):
            s.execute(
                bookings.update()
                .where(bookings.c.reference_hash == reference_hash(PEPPER, booked[name]))
                .values(status=status)
            )
    with session_scope(db) as s:
        done = repo.apply_retention(
            s, max_age=timedelta(days=14), unclaimed_grace=timedelta(days=2), now=now
        )
    assert done == repo.Retained(numbers_erased=2, bookings_deleted=3)
    with session_scope(db) as s:
        kept = s.execute(select(bookings.c.status, bookings.c.slot_start)).all()
        seats = s.execute(select(slot_usage.c.slot_start)).scalars().all()
    assert sorted(status for status, _slot in kept) == ["booked", "claimed"]
    assert [repo.as_utc(slot) for slot in seats] == [future]  # past slots' seat counts go


def test_a_booking_keeps_its_day_and_no_finer_time_than_its_slot(db):
    moment = datetime(2030, 3, 1, 23, 30, 12, 345678, tzinfo=timezone.utc)  # 00:30 in Stockholm
    with session_scope(db) as s:
        token = repo.store_phone_token(s, CIPHER, PHONE, now=moment)
    with session_scope(db) as s:
        repo.book_callback(
            s, request(), token, capacity=1, pepper=PEPPER, cipher=CIPHER, now=moment
        )
    with session_scope(db) as s:
        row = s.execute(select(bookings)).one()
    assert (row.created_on, row.updated_on) == (date(2030, 3, 2), date(2030, 3, 2))
    timed = [
        column["name"]
        for column in inspect(engine_for(db)).get_columns("bookings")
        if isinstance(column["type"], (DateTime, Time))
    ]
    assert timed == ["slot_start"]


def test_expired_tokens_cannot_book(db):
    with session_scope(db) as s:
        token = repo.store_phone_token(
            s, CIPHER, PHONE, now=datetime.now(timezone.utc) - timedelta(hours=1)
        )
    with pytest.raises(repo.TokenUnknown):
        with session_scope(db) as s:
            repo.book_callback(s, request(), token, capacity=1, pepper=PEPPER, cipher=CIPHER)


# Every column that may exist. A new column must be added here on purpose, after checking that
# it cannot identify a resident (name, personal number, IP, e-mail) or link a booking to a chat
# (sender id, message text, a time finer than the day; the slot is the only time of day).
ALLOWED_COLUMNS = {
    "bookings": {
        "id",
        "centre",
        "slot_start",
        "language",
        "call_language",
        "interpreter",
        "may_identify",
        "may_leave_message",
        "withheld_ok",
        "safe_times",
        "status",
        "reference_hash",
        "phone_cipher",
        "claimed_by",
        "outcome",
        "attempts",
        "created_on",
        "updated_on",
    },
    "slot_usage": {"centre", "slot_start", "capacity", "booked"},
    "phone_tokens": {"token_hash", "phone_cipher", "expires_at"},
    # staff side: staff identities are fine; nothing about residents
    "staff": {
        "id",
        "username",
        "centre",
        "role",
        "password_hash",
        "active",
        "created_at",
        "must_change_password",
        "totp_secret",
        "totp_last_step",
    },
    "staff_sessions": {"token_hash", "staff_id", "csrf_token", "expires_at"},
    "audit_log": {"id", "at", "actor", "centre", "event", "booking_id", "detail"},
    # statistics: counts per month, never per conversation or message
    "monthly_counters": {"month", "language", "centre", "metric", "count"},
}


def test_no_table_has_a_column_that_could_identify_a_resident_or_link_a_chat(db):
    inspector = inspect(engine_for(db))
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    assert tables == set(ALLOWED_COLUMNS), tables
    for table, allowed in ALLOWED_COLUMNS.items():
        assert {c["name"] for c in inspector.get_columns(table)} == allowed, table


def test_sqlite_erases_deleted_data_from_the_file(tmp_path):
    url = fresh_database_url("sqlite", tmp_path)
    token = new_token(url, phone="+46709876543")
    with session_scope(url) as s:
        cipher = s.execute(select(phone_tokens.c.phone_cipher)).scalar_one()
        code = repo.book_callback(s, request(), token, capacity=1, pepper=PEPPER, cipher=CIPHER)
    with session_scope(url) as s:
        booked = s.execute(select(bookings.c.phone_cipher)).scalar_one()
        repo.cancel_booking(s, code, PEPPER)
    engine_for(url).dispose()
    content = (tmp_path / "bookings.db").read_bytes()
    assert bytes(cipher) not in content and bytes(booked) not in content


def test_the_retention_job_uses_the_configured_limit(tmp_path, monkeypatch):
    url = fresh_database_url("sqlite", tmp_path)
    monkeypatch.setenv("TRYGG_DATABASE_URL", url)
    monkeypatch.setenv("TRYGG_PHONE_RETENTION_DAYS", "3")
    four_days_ago = datetime.now(timezone.utc) - timedelta(days=4)
    with session_scope(url) as s:
        token = repo.store_phone_token(s, CIPHER, PHONE, now=four_days_ago)
    with session_scope(url) as s:
        repo.book_callback(
            s, request(SLOT), token, capacity=1, pepper=PEPPER, cipher=CIPHER, now=four_days_ago
        )
    monkeypatch.setenv("TRYGG_COUNTER_RETENTION_MONTHS", "2")
    with session_scope(url) as s:
        statistics.count(s, "conversation_started", "sv", day=date.today() - timedelta(days=100))
    from bot.retention import run_once

    assert run_once().numbers_erased == 1
    assert run_once().bookings_deleted == 0
    with session_scope(url) as s:
        kept = s.execute(select(monthly_counters.c.metric)).scalars().all()
    assert "conversation_started" not in kept  # the old month's counter is gone


def test_no_reference_code_is_taken_for_a_phone_number():
    """Codes the web app would redact as a number could not be typed back to cancel."""
    from bot.phone import looks_like_phone_number
    from bot.storage.bookings import _new_reference_code

    assert looks_like_phone_number("af48-9477")  # such codes exist among random draws
    codes = [_new_reference_code() for _ in range(20000)]
    assert not [
        c for c in codes if looks_like_phone_number(c) or looks_like_phone_number(c.lower())
    ]

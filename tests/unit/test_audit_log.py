"""The audit log read page by page with filters, refusals written, unusual days found: on
SQLite and PostgreSQL, each centre's lead seeing only their centre, admins every centre."""

import base64
import os
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from bot.storage import audit, callbacks
from bot.storage import bookings as repo
from bot.storage.crypto import PhoneCipher
from bot.storage.db import session_scope
from bot.storage.models import audit_log
from bot.storage.staff import StaffMember
from tests.databases import database_params, fresh_database_url

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ANNA = StaffMember("1", "anna", "rvc_innerstan", "staff")
LENA = StaffMember("2", "lena", "rvc_innerstan", "lead")
VERA = StaffMember("3", "vera", "rvc_vasterort", "staff")
OLLE = StaffMember("4", "olle", "rvc_vasterort", "lead")
ADA = StaffMember("5", "ada", "rvc_innerstan", "admin")
# 2030-03-04 in Stockholm is UTC+1: its day runs from 03-03 23:00 to 03-04 23:00 UTC.
DAY = date(2030, 3, 4)
MORNING = datetime(2030, 3, 4, 8, 0, tzinfo=timezone.utc)
PHONE = "+46701234567"


@pytest.fixture(params=database_params())
def db(request, tmp_path):
    return fresh_database_url(request.param, tmp_path)


def write(db, actor, event, at, booking_id=None, detail=""):
    with session_scope(db) as s:
        s.execute(
            insert(audit_log).values(
                at=at,
                actor=actor.username,
                centre=actor.centre,
                event=event,
                booking_id=booking_id,
                detail=detail,
            )
        )


def reveals(db, actor, count, at=MORNING, first=0):
    for number in range(first, first + count):
        write(db, actor, "reveal", at + timedelta(minutes=number), f"{number:032x}")


def events_of(db, member, query=None):
    with session_scope(db) as s:
        rows, older = audit.entries(s, member, query or audit.AuditQuery())
    return [(row.actor, row.event) for row in rows], older


def test_pages_follow_each_other_by_id_without_gaps_or_repeats(db):
    reveals(db, ANNA, 7)
    with session_scope(db) as s:
        first, older = audit.entries(s, LENA, size=3)
        second, older_still = audit.entries(s, LENA, audit.AuditQuery(before=older), size=3)
        last, end = audit.entries(s, LENA, audit.AuditQuery(before=older_still), size=3)
    ids = [row.id for row in first + second + last]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 7
    assert (len(first), len(second), len(last), end) == (3, 3, 1, None)


def test_a_page_stays_the_same_while_new_entries_arrive(db):
    reveals(db, ANNA, 4)
    with session_scope(db) as s:
        _, older = audit.entries(s, LENA, size=2)
    reveals(db, ANNA, 3, first=10)
    with session_scope(db) as s:
        page, _ = audit.entries(s, LENA, audit.AuditQuery(before=older), size=2)
    assert [row.booking_id for row in page] == [f"{1:032x}", f"{0:032x}"]


def test_a_lead_reads_only_their_centre_and_an_admin_every_centre(db):
    write(db, ANNA, "claim", MORNING)
    write(db, VERA, "claim", MORNING)
    assert events_of(db, LENA)[0] == [("anna", "claim")]
    assert events_of(db, OLLE)[0] == [("vera", "claim")]
    assert sorted(events_of(db, ADA)[0]) == [("anna", "claim"), ("vera", "claim")]


def test_filters_by_event_member_days_and_booking_prefix(db):
    write(db, ANNA, "claim", MORNING, "ab" * 16)
    write(db, ANNA, "reveal", MORNING, "ab" * 16)
    write(db, LENA, "reveal", MORNING, "cd" * 16)
    # 23:30 UTC on the 4th is already the 5th in Stockholm.
    write(db, ANNA, "reveal", datetime(2030, 3, 4, 23, 30, tzinfo=timezone.utc), "ef" * 16)
    stockholm_day = audit.AuditQuery(
        since=datetime(2030, 3, 4, tzinfo=STOCKHOLM), until=datetime(2030, 3, 5, tzinfo=STOCKHOLM)
    )
    assert len(events_of(db, LENA, stockholm_day)[0]) == 3
    assert events_of(db, LENA, audit.AuditQuery(event="reveal", actor="anna"))[0] == [
        ("anna", "reveal"),
        ("anna", "reveal"),
    ]
    by_booking = events_of(db, LENA, audit.AuditQuery(booking_prefix="abab"))[0]
    assert by_booking == [("anna", "reveal"), ("anna", "claim")]


def test_more_distinct_numbers_than_the_threshold_in_a_day_is_an_alert(db):
    reveals(db, ANNA, 4)
    write(db, ANNA, "reveal", MORNING, f"{0:032x}")  # the same number again is no new number
    reveals(db, LENA, 3)
    reveals(db, VERA, 5)
    with session_scope(db) as s:
        for_lena = audit.alerts(s, LENA, MORNING - timedelta(days=1), STOCKHOLM, 3)
        for_admin = audit.alerts(s, ADA, MORNING - timedelta(days=1), STOCKHOLM, 3)
    assert for_lena == [audit.Alert("reveal", "anna", "rvc_innerstan", DAY, 4)]
    assert {(alert.actor, alert.count) for alert in for_admin} == {("anna", 4), ("vera", 5)}


def test_reveals_are_counted_per_stockholm_day(db):
    reveals(db, ANNA, 2, at=datetime(2030, 3, 4, 22, 50, tzinfo=timezone.utc))  # the 4th, late
    reveals(db, ANNA, 2, at=datetime(2030, 3, 4, 23, 10, tzinfo=timezone.utc), first=5)  # the 5th
    with session_scope(db) as s:
        assert audit.alerts(s, LENA, MORNING - timedelta(days=1), STOCKHOLM, 2) == []
        assert len(audit.alerts(s, LENA, MORNING - timedelta(days=1), STOCKHOLM, 1)) == 2


def book(db, centre):
    cipher = PhoneCipher([base64.b64encode(os.urandom(32)).decode()])
    request = repo.BookingRequest(
        centre=centre,
        slot_start=MORNING,
        language="sv",
        call_language="sv",
        interpreter=False,
        may_identify=False,
        may_leave_message=False,
        withheld_ok=True,
        safe_times="weekday_mornings",
    )
    with session_scope(db) as s:
        token = repo.store_phone_token(s, cipher, PHONE)
    with session_scope(db) as s:
        repo.book_callback(s, request, token, capacity=5, pepper="p" * 44, cipher=cipher)
    with session_scope(db) as s:
        return s.execute(
            select(repo.bookings.c.id).where(repo.bookings.c.centre == centre)
        ).scalar()


def refuse(db, member, action, booking_id):
    """What the console does: the refused work is rolled back, the refusal written apart."""
    with pytest.raises((callbacks.NotAllowed, callbacks.ClaimedByOther)) as refused:
        with session_scope(db) as s:
            callbacks.claim(s, member, booking_id)
    with session_scope(db) as s:
        callbacks.record_refusal(s, member, action, booking_id, refused.value)
    with session_scope(db) as s:
        return s.execute(select(audit_log).order_by(audit_log.c.id.desc())).first()


def test_an_attempt_on_another_centres_booking_is_audited_with_the_id_tried(db):
    theirs = book(db, "rvc_vasterort")
    row = refuse(db, ANNA, "claim", theirs)
    assert (row.actor, row.centre, row.event, row.booking_id) == (
        "anna",
        "rvc_innerstan",
        "refused",
        theirs,
    )
    assert audit.facts_of(row.detail) == {
        "action": "claim",
        "reason": "other_centre",
        "booking_centre": "rvc_vasterort",
    }
    with session_scope(db) as s:
        assert audit.alerts(s, OLLE, since(), STOCKHOLM, 99) == []  # not the other lead
        assert [alert.kind for alert in audit.alerts(s, ADA, since(), STOCKHOLM, 99)] == ["refused"]


def since():
    return datetime.now(timezone.utc) - timedelta(days=1)


def test_an_unknown_id_is_audited_without_keeping_what_was_typed(db):
    typed = "ring0701234567"
    row = refuse(db, ANNA, "claim", typed)
    assert row.booking_id is None and typed not in row.detail
    assert audit.facts_of(row.detail) == {"action": "claim", "reason": "unknown"}


def test_a_claim_held_by_another_member_is_audited_with_the_holder(db):
    ours = book(db, "rvc_innerstan")
    with session_scope(db) as s:
        callbacks.claim(s, LENA, ours)
    row = refuse(db, ANNA, "claim", ours)
    assert row.booking_id == ours
    assert audit.facts_of(row.detail) == {
        "action": "claim",
        "reason": "held_by_other",
        "holder": "lena",
    }

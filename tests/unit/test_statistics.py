"""Counters, not records: increments per month, never a language with a centre; reports by
month and tertial; a stated retention; small cells hidden."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from bot.followup_report import build, to_csv
from bot.storage import statistics
from bot.storage.db import session_scope
from bot.storage.models import monthly_counters
from tests.databases import database_params, fresh_database_url


@pytest.fixture(params=database_params())
def db(request, tmp_path):
    return fresh_database_url(request.param, tmp_path)


def test_counts_in_one_month_increment_one_row_for_the_month(db):
    with session_scope(db) as s:
        statistics.count(s, "acute_danger", "so", day=date(2026, 3, 2))
        statistics.count(s, "acute_danger", "so", day=date(2026, 3, 31))
        statistics.count(s, "acute_danger", "so", day=date(2026, 4, 1))
    with session_scope(db) as s:
        rows = s.execute(select(monthly_counters).order_by(monthly_counters.c.month)).all()
    assert [(r.month, r.count) for r in rows] == [(date(2026, 3, 1), 2), (date(2026, 4, 1), 1)]


def test_what_a_resident_asked_is_counted_for_the_whole_city_and_no_counter_keeps_language_and_centre(
    db,
):
    """A booking row holds its language, centre and day: joined with counters of the same
    language or centre, it must not tell what that resident asked."""
    with session_scope(db) as s:
        for metric in ("topic:protected_housing", "acute_danger", "referral:bris_phone", "feedback:no"):
            statistics.count(s, metric, "so", "rvc_vasterort", day=date(2026, 3, 2))
        statistics.count(s, "booking_made", "so", "rvc_vasterort", day=date(2026, 3, 2))
        statistics.count(s, "centre_lookup:district", "so", "rvc_vasterort", day=date(2026, 3, 2))
        statistics.count(s, "conversation_started", "so", "rvc_vasterort", day=date(2026, 3, 2))
    with session_scope(db) as s:
        rows = {(r.metric, r.language, r.centre) for r in s.execute(select(monthly_counters))}
    assert rows == {
        ("topic:protected_housing", "", ""),
        ("acute_danger", "", ""),
        ("referral:bris_phone", "", ""),
        ("feedback:no", "", ""),
        ("booking_made", "", "rvc_vasterort"),
        ("centre_lookup:district", "", "rvc_vasterort"),
        ("conversation_started", "so", ""),
    }


def test_counters_older_than_the_retention_are_deleted(db):
    with session_scope(db) as s:
        for day in (date(2023, 2, 28), date(2023, 3, 1), date(2026, 3, 2)):
            statistics.count(s, "conversation_started", "sv", day=day)
    with session_scope(db) as s:
        assert statistics.apply_retention(s, months=36, day=date(2026, 3, 15)) == 1
    with session_scope(db) as s:
        months = sorted(s.execute(select(monthly_counters.c.month)).scalars())
    assert months == [date(2023, 3, 1), date(2026, 3, 1)]


def test_the_counter_buffer_keeps_no_day_and_no_language_with_a_centre():
    from bot.followup import CounterBuffer

    buffer = CounterBuffer()
    buffer.add("topic:children", "fa")
    buffer.add("booking_made", "fa", "rvc_innerstan")
    assert {(k.language, k.centre, k.month.day) for k in buffer._pending} == {
        ("", "", 1),
        ("", "rvc_innerstan", 1),
    }


def test_tertials_group_january_to_april_may_to_august_september_to_december(db):
    with session_scope(db) as s:
        for day, n in (
            (date(2026, 1, 5), 4),
            (date(2026, 4, 30), 3),
            (date(2026, 5, 1), 7),
            (date(2026, 12, 31), 9),
        ):
            statistics.count(s, "conversation_started", "sv", day=day, by=n)
    with session_scope(db) as s:
        tertials = statistics.report(s, "tertial")
        months = statistics.report(s, "month")
    assert tertials == {
        ("2026 T1", "conversation_started"): 7,
        ("2026 T2", "conversation_started"): 7,
        ("2026 T3", "conversation_started"): 9,
    }
    assert months[("2026-04", "conversation_started")] == 3


@pytest.mark.parametrize("value, shown", [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (120, "120")])
def test_cells_under_five_are_shown_as_less_than_five(value, shown):
    assert statistics.shown(value) == shown


def test_csv_suppresses_small_cells_and_keeps_the_columns(db):
    with session_scope(db) as s:
        statistics.count(s, "conversation_started", "fa", day=date(2026, 6, 1), by=40)
        statistics.count(s, "booking_made", "fa", "rvc_sodra_soderort", day=date(2026, 6, 1), by=2)
        statistics.count(s, "referral:bris_phone", "fa", day=date(2026, 6, 1), by=6)
    with session_scope(db) as s:
        csv_text = to_csv(build(s, "tertial"))
    # Swedish Excel reads ";"-separated UTF-8 only with a byte-order mark.
    assert csv_text.startswith("\ufeff")
    header, row = csv.reader(io.StringIO(csv_text[1:]), delimiter=";")
    cells = dict(zip(header, row))
    assert header[0] == "Period" and len(row) == len(header)
    assert cells["Period"] == "2026 T2" and cells["Kontakter (samtal)"] == "40"
    assert cells["Bokade uppringningar"] == "<5" and cells["Bokningar RVC Södra söderort"] == "<5"
    assert cells["Hänvisningar till stödlinjer"] == "6"

"""Counters, not records: increments per day; reports by month and tertial; small cells hidden."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from bot.followup_report import build, to_csv
from bot.storage import statistics
from bot.storage.db import session_scope
from bot.storage.models import daily_counters
from tests.databases import database_params, fresh_database_url


@pytest.fixture(params=database_params())
def db(request, tmp_path):
    return fresh_database_url(request.param, tmp_path)


def test_counting_twice_increments_one_row(db):
    with session_scope(db) as s:
        statistics.count(s, "acute_danger", "so", day=date(2026, 3, 2))
        statistics.count(s, "acute_danger", "so", day=date(2026, 3, 2))
        statistics.count(s, "acute_danger", "so", day=date(2026, 3, 3))
    with session_scope(db) as s:
        rows = s.execute(select(daily_counters).order_by(daily_counters.c.day)).all()
    assert [(r.day, r.count) for r in rows] == [(date(2026, 3, 2), 2), (date(2026, 3, 3), 1)]


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

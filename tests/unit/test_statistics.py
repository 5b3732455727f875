"""Counters, not records: increments per month, never a language with a centre; reports by
month and tertial; a stated retention; small cells hidden."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from bot.followup_report import HIDDEN, build, to_csv
from bot.places import centres
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


def test_what_residents_asked_is_counted_city_wide_and_never_with_a_language_and_a_centre(
    db,
):
    """A booking row holds its language, centre and day: joined with counters of the same
    language or centre, it must not tell what that resident asked."""
    with session_scope(db) as s:
        for metric in (
            "topic:protected_housing",
            "acute_danger",
            "referral:bris_phone",
            "feedback:no",
        ):
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


def published(db, kind):
    """The CSV as a reader gets it: {period: {column: cell}}."""
    with session_scope(db) as s:
        text = to_csv(build(s, kind))
    header, *rows = csv.reader(io.StringIO(text[1:]), delimiter=";")
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


CENTRE_COLUMNS = [f"Bokningar {name}" for name in centres().values()]


@pytest.mark.parametrize(
    "value, cell", [(0, "0"), (1, HIDDEN), (4, HIDDEN), (5, "5"), (120, "120")]
)
def test_counts_under_five_are_hidden(db, value, cell):
    with session_scope(db) as s:
        statistics.count(s, "conversation_started", "sv", day=date(2026, 6, 1), by=value)
        statistics.count(s, "acute_danger", "sv", day=date(2026, 6, 1), by=50)
    assert published(db, "month")["2026-06"]["Kontakter (samtal)"] == cell


def test_a_hidden_centre_cannot_be_worked_out_from_the_bookings_total(db):
    """Total 30, three centres 12 + 9 + 7: the fourth would be 30 - 28 = 2."""
    with session_scope(db) as s:
        for centre, n in zip(centres(), (12, 9, 7, 2), strict=True):
            statistics.count(s, "booking_made", "sv", centre, day=date(2026, 6, 1), by=n)
    for kind, period in (("month", "2026-06"), ("tertial", "2026 T2")):
        cells = published(db, kind)[period]
        parts = [cells["Bokade uppringningar"]] + [cells[c] for c in CENTRE_COLUMNS]
        assert parts.count(HIDDEN) == 2, parts  # the 2 and the smallest other, the 7
        assert sorted(parts) == sorted(["30", "12", "9", HIDDEN, HIDDEN])


def test_a_hidden_month_cannot_be_worked_out_from_its_tertial(db):
    """January to April 8, 2, 7, 6: the tertial's 23 minus the others would give February's 2."""
    with session_scope(db) as s:
        for month, n in zip((1, 2, 3, 4), (8, 2, 7, 6), strict=True):
            statistics.count(s, "acute_danger", "sv", day=date(2026, month, 3), by=n)
    months = published(db, "month")
    tertial = published(db, "tertial")["2026 T1"]["Hänvisade till 112"]
    shown = [months[f"2026-0{m}"]["Hänvisade till 112"] for m in (1, 2, 3, 4)]
    assert tertial == "23" and shown == ["8", HIDDEN, "7", HIDDEN]


def test_no_published_sum_has_exactly_one_hidden_part(db):
    """Hiding a cell for one sum can leave another with a single hidden cell; it is followed up."""
    with session_scope(db) as s:
        for month, counts in ((1, (3, 20, 30, 40)), (2, (6, 1, 30, 40)), (3, (9, 20, 30, 40))):
            for centre, n in zip(centres(), counts, strict=True):
                statistics.count(s, "booking_made", "sv", centre, day=date(2026, month, 3), by=n)
    months, tertials = published(db, "month"), published(db, "tertial")
    columns = ["Bokade uppringningar"] + CENTRE_COLUMNS
    for cells in list(months.values()) + list(tertials.values()):
        assert [cells[c] for c in columns].count(HIDDEN) != 1, cells
    for column in columns:
        parts = [tertials["2026 T1"][column]] + [cells[column] for cells in months.values()]
        assert parts.count(HIDDEN) != 1, (column, parts)


def test_csv_hides_small_cells_and_keeps_the_columns(db):
    with session_scope(db) as s:
        statistics.count(s, "conversation_started", "fa", day=date(2026, 6, 1), by=40)
        statistics.count(s, "booking_made", "fa", "rvc_sodra_soderort", day=date(2026, 6, 1), by=2)
        statistics.count(s, "referral:bris_phone", "fa", day=date(2026, 6, 1), by=6)
    with session_scope(db) as s:
        csv_text = to_csv(build(s, "tertial"))
    # Swedish Excel reads ";"-separated UTF-8 only with a byte-order mark.
    assert csv_text.startswith("\ufeff")
    header, row = csv.reader(io.StringIO(csv_text[1:]), delimiter=";")
    cells = dict(zip(header, row, strict=True))
    assert header[0] == "Period" and len(row) == len(header)
    assert cells["Period"] == "2026 T2" and cells["Kontakter (samtal)"] == "40"
    assert cells["Bokade uppringningar"] == HIDDEN
    assert cells["Bokningar RVC Södra söderort"] == HIDDEN
    assert cells["Hänvisningar till stödlinjer"] == "6"

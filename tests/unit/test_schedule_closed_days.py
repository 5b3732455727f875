"""Which days the callback schedule treats as closed: Swedish public holidays and the three eves
workplaces close, never an ordinary Sunday or a half-day eve. The reference below is the
calendar bot/schedule.py computed by hand before it used the ``holidays`` package; the two must
agree day by day, so swapping or upgrading the library cannot move a closed day."""

from datetime import date, datetime, timedelta, timezone
from typing import Set

import pytest

from bot.schedule import is_swedish_public_holiday, load_schedule


def reference_closed_days(year: int) -> Set[date]:
    """The hand-written calendar (allmänna helgdagar plus midsommar-, jul- and nyårsafton)."""
    a, b, c = year % 19, year // 100, year % 100  # anonymous Gregorian Easter algorithm
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    easter = date(year, month, day + 1)
    midsummer_eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    all_saints = next(
        date(year, 10, 31) + timedelta(days=i)
        for i in range(7)
        if (date(year, 10, 31) + timedelta(days=i)).weekday() == 5
    )
    return {
        date(year, 1, 1),
        date(year, 1, 6),
        easter - timedelta(days=2),
        easter,
        easter + timedelta(days=1),
        date(year, 5, 1),
        easter + timedelta(days=39),
        easter + timedelta(days=49),
        date(year, 6, 6),
        midsummer_eve,
        midsummer_eve + timedelta(days=1),
        all_saints,
        date(year, 12, 24),
        date(year, 12, 25),
        date(year, 12, 26),
        date(year, 12, 31),
    }


@pytest.mark.parametrize("year", range(2020, 2041))
def test_closed_days_are_the_hand_written_calendar_day_by_day(year):
    day, closed = date(year, 1, 1), set()
    while day.year == year:
        if is_swedish_public_holiday(day):
            closed.add(day)
        day += timedelta(days=1)
    assert closed == reference_closed_days(year)


def test_ordinary_sundays_and_half_day_eves_stay_open():
    # 2026-03-08 a Sunday; valborg, skärtorsdagen (from 14:00), påskafton, klämdag, pingstafton.
    for day in (
        "2026-03-08",
        "2026-04-30",
        "2026-04-02",
        "2026-04-04",
        "2026-05-15",
        "2026-05-23",
        "2026-01-05",
        "2026-10-30",
        "2026-12-23",
    ):
        assert not is_swedish_public_holiday(date.fromisoformat(day)), day


def test_the_eves_workplaces_close_are_closed():
    for day in ("2026-06-19", "2026-12-24", "2026-12-31", "2027-06-25"):
        assert is_swedish_public_holiday(date.fromisoformat(day)), day


def test_no_slot_is_offered_on_christmas_eve(tmp_path):
    plan = tmp_path / "schedule.yml"
    plan.write_text(
        "timezone: Europe/Stockholm\nlead_minutes: 0\ndays_ahead: 6\n"
        "defaults: {slot_minutes: 60, capacity: 1, hours: {mon: ['09:00-11:00'], thu: ['09:00-11:00']}}\n"
        "centres: {rvc_test: {}}\n",
        encoding="utf-8",
    )
    wednesday_night = datetime(
        2026, 12, 23, 22, tzinfo=timezone.utc
    )  # Christmas Eve 2026 is a Thursday
    days = {slot.date() for slot in load_schedule(plan).slots("rvc_test", wednesday_night)}
    assert days == {date(2026, 12, 28)}

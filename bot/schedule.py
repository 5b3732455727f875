"""Callback slots offered at each centre, from bot/content/schedule.yml.

Slots are computed in Europe/Stockholm local time and returned as aware UTC datetimes, so a
09:00 slot stays 09:00 across daylight-saving changes. Swedish public holidays (from the
``holidays`` package) and midsommar-, jul- and nyårsafton are closed, and so are the extra closed
days: a centre's own (its lead sets them in the console) and any city-wide ones at the top level
of the file.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterator, List, Optional, Set
from zoneinfo import ZoneInfo

import holidays
import yaml
from holidays.constants import OPTIONAL

from bot.reloading import FileCache
from bot.settings import current


def schedule_file() -> Path:
    """bot/content/schedule.yml, or TRYGG_SCHEDULE_FILE (tests and deployments keep their own)."""
    return current().schedule_file


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class CentreSchedule:
    slot_minutes: int
    capacity: int
    hours: Dict[str, List[str]]
    closed_dates: FrozenSet[date] = frozenset()


@dataclass(frozen=True)
class Schedule:
    zone: ZoneInfo
    lead: timedelta
    days_ahead: int
    centres: Dict[str, CentreSchedule]
    closed_dates: Set[date]  # city-wide: every centre is closed

    def closed(self, centre: str) -> Set[date]:
        """The extra closed days at ``centre``: its own and the city-wide ones."""
        return self.closed_dates | self.centres[centre].closed_dates

    def slots(self, centre: str, now: datetime) -> Iterator[datetime]:
        """Every slot start (UTC) at ``centre`` from now + lead, for ``days_ahead`` days."""
        plan = self.centres[centre]
        closed = self.closed(centre)
        earliest = now + self.lead
        today = now.astimezone(self.zone).date()
        for offset in range(self.days_ahead + 1):
            day = today + timedelta(days=offset)
            if day in closed or is_swedish_public_holiday(day):
                continue
            for period in plan.hours.get(WEEKDAYS[day.weekday()], []):
                start_text, end_text = period.split("-")
                start = datetime.combine(day, time.fromisoformat(start_text.strip()), self.zone)
                end = datetime.combine(day, time.fromisoformat(end_text.strip()), self.zone)
                step = timedelta(minutes=plan.slot_minutes)
                while start + step <= end:
                    utc = start.astimezone(timezone.utc)
                    if utc >= earliest:
                        yield utc
                    start = (start.astimezone(timezone.utc) + step).astimezone(self.zone)

    def is_offered(self, centre: str, slot: datetime, now: datetime) -> bool:
        return centre in self.centres and slot in set(self.slots(centre, now))

    def capacity(self, centre: str) -> int:
        return self.centres[centre].capacity


def load_schedule(path: Optional[Path] = None) -> Schedule:
    return _schedules.get(path or schedule_file())


def _parse(path: Path) -> Schedule:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults = data.get("defaults", {})
    centres = {}
    for centre, own in (data.get("centres") or {}).items():
        merged = {**defaults, **(own or {})}
        centres[centre] = CentreSchedule(
            int(merged["slot_minutes"]),
            int(merged["capacity"]),
            merged.get("hours", {}),
            _dates(merged.get("closed_dates")),
        )
    return Schedule(
        zone=ZoneInfo(data.get("timezone", "Europe/Stockholm")),
        lead=timedelta(minutes=int(data.get("lead_minutes", 60))),
        days_ahead=int(data.get("days_ahead", 14)),
        centres=centres,
        closed_dates=set(_dates(data.get("closed_dates"))),
    )


def _dates(values) -> FrozenSet[date]:
    return frozenset(date.fromisoformat(str(d)) for d in values or [])


_schedules: FileCache[Schedule] = FileCache(_parse)


def is_swedish_public_holiday(day: date) -> bool:
    """Public holidays (allmänna helgdagar) plus the eves that workplaces close (midsommar-, jul-, nyårsafton)."""
    return day in _closed_days(day.year)


# The package lists these eves as optional days, beside half days (valborg, skärtorsdagen from
# 14:00) and days many still work (påskafton, klämdag), so only these three are taken, by their
# Swedish names; tests/unit/test_schedule_closed_days.py checks every day of 2020-2040.
_CLOSED_EVES = frozenset({"Midsommarafton", "Julafton", "Nyårsafton"})


@cache
def _closed_days(year: int) -> FrozenSet[date]:
    # include_sundays=False: the package counts every Sunday as a holiday; the hours decide Sundays.
    public = holidays.Sweden(years=year, include_sundays=False, language="sv")
    optional = holidays.Sweden(
        years=year, include_sundays=False, language="sv", categories=OPTIONAL
    )
    return frozenset(public) | frozenset(
        day for day, name in optional.items() if name in _CLOSED_EVES
    )


class ScheduleError(ValueError):
    """A schedule change that would not make sense. ``problems`` maps each form field
    (``slot_minutes``, ``capacity``, ``hours_<day>``, ``closed_dates``) to what to fix, in Swedish,
    so the console can show every problem beside its field at once."""

    def __init__(self, problems: Dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {problem}" for field, problem in problems.items()))
        self.problems = problems


_PERIOD = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")


def schedule_problems(
    slot_minutes: Optional[int],
    capacity: Optional[int],
    hours: Dict[str, List[str]],
    closed_dates: Optional[List[str]] = None,
) -> Dict[str, str]:
    """Every problem with one centre's schedule, by form field (empty when it can be saved).
    ``None`` for a number means the field did not hold a whole number."""
    problems = {}
    if slot_minutes is None or not 5 <= slot_minutes <= 240:
        problems["slot_minutes"] = "Skriv ett antal minuter mellan 5 och 240."
    if capacity is None or not 1 <= capacity <= 50:
        problems["capacity"] = "Skriv ett antal samtal mellan 1 och 50."
    for day, periods in hours.items():
        if day not in WEEKDAYS:
            problems[f"hours_{day}"] = "Okänd veckodag."
            continue
        wrong = [
            period for period in periods if not _PERIOD.match(period) or period[:5] >= period[6:]
        ]
        if wrong:
            problems[f"hours_{day}"] = (
                f"”{wrong[0]}” är ingen tid som 09:00-12:00 (början före slutet, "
                "perioder åtskilda med komma)."
            )
    for day in closed_dates or []:
        try:
            date.fromisoformat(day)
        except ValueError:
            problems["closed_dates"] = (
                f"”{day}” är inget datum som 2026-12-28 (datum åtskilda med komma)."
            )
            break
    return problems


def save_centre_schedule(
    centre: str,
    slot_minutes: Optional[int],
    capacity: Optional[int],
    hours: Dict[str, List[str]],
    path: Optional[Path] = None,
    closed_dates: Optional[List[str]] = None,
) -> None:
    """Write one centre's callback hours and closed days into schedule.yml (the header comment
    is kept; other centres and the city-wide closed days are left as they are). Raises
    ScheduleError with every problem (a number that is None was not a whole number)."""
    path = path or schedule_file()
    problems = schedule_problems(slot_minutes, capacity, hours, closed_dates)
    if problems:
        raise ScheduleError(problems)
    text = path.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    data = yaml.safe_load(text)
    centres = data.setdefault("centres", {})
    own = centres.get(centre) or {}
    entry = {
        "slot_minutes": slot_minutes,
        "capacity": capacity,
        "hours": {day: periods for day, periods in hours.items() if periods},
    }
    closed = sorted(set(closed_dates)) if closed_dates is not None else own.get("closed_dates")
    if closed:
        entry["closed_dates"] = [str(day) for day in closed]
    centres[centre] = entry
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        header + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    tmp.replace(path)

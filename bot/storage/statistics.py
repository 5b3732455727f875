"""Follow-up figures as aggregate monthly counters: increments, never records.

``count(session, metric, language, centre)`` adds one to this month's counter (Stockholm
date). What a counter keeps besides its month is decided here, in ``key``, and nowhere else:
a booking row holds its centre, language and day, so a counter with the same centre or
language must tell no more about that resident than the row does. What residents asked or
were told (topics, 112, helplines, feedback) is counted for the whole city; only bookings and
centre lookups keep their centre, only conversations started keep their language, and no
counter keeps both. Reports group months by month or tertial (Jan–Apr, May–Aug, Sep–Dec);
``bot/followup_report.py`` hides small cells. Counters older than
``TRYGG_COUNTER_RETENTION_MONTHS`` are deleted by the retention job (``apply_retention``).
"""

from collections import defaultdict
from datetime import date, datetime
from typing import Dict, NamedTuple, Optional, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.models import monthly_counters

ZONE = ZoneInfo("Europe/Stockholm")
SMALL_CELL = 5  # counts below this are never published (bot/followup_report.py)
# Metrics that keep a dimension (prefixes); every other metric keeps neither.
BY_CENTRE = ("booking_", "centre_lookup:")
BY_LANGUAGE = ("conversation_started",)


class CounterKey(NamedTuple):
    month: date  # the first day of the month
    language: str  # "" unless the metric keeps its language
    centre: str  # "" unless the metric keeps its centre
    metric: str


def today() -> date:
    return datetime.now(ZONE).date()


def month_of(day: date) -> date:
    return day.replace(day=1)


def key(
    metric: str, language: str = "", centre: Optional[str] = None, day: Optional[date] = None
) -> CounterKey:
    """The counter a count goes to: its month, and its language or centre only where allowed."""
    metric = metric[:60]
    return CounterKey(
        month=month_of(day or today()),
        language=(language or "") if metric.startswith(BY_LANGUAGE) else "",
        centre=(centre or "") if metric.startswith(BY_CENTRE) else "",
        metric=metric,
    )


def count(
    session: Session,
    metric: str,
    language: str = "",
    centre: Optional[str] = None,
    day: Optional[date] = None,
    by: int = 1,
) -> None:
    """Add ``by`` to the counter; one atomic upsert, safe from several processes."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(monthly_counters).values(
        **key(metric, language, centre, day)._asdict(), count=by
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["month", "language", "centre", "metric"],
            set_={"count": monthly_counters.c.count + by},
        )
    )


def apply_retention(session: Session, months: int, day: Optional[date] = None) -> int:
    """Delete counters of months that ended more than ``months`` months ago; returns how many."""
    current = month_of(day or today())
    index = current.year * 12 + current.month - 1 - months
    oldest_kept = date(index // 12, index % 12 + 1, 1)
    result = session.execute(delete(monthly_counters).where(monthly_counters.c.month < oldest_kept))
    return result.rowcount


def period_of(day: date, kind: str) -> str:
    if kind == "tertial":
        return f"{day.year} T{(day.month - 1) // 4 + 1}"
    return f"{day.year}-{day.month:02d}"


def report(
    session: Session, kind: str = "month", centre: Optional[str] = None
) -> Dict[Tuple[str, str], int]:
    """{(period, metric): count} summed over languages (and centres unless one is given)."""
    query = select(monthly_counters)
    if centre:
        query = query.where(monthly_counters.c.centre.in_((centre, "")))
    totals: Dict[Tuple[str, str], int] = defaultdict(int)
    for row in session.execute(query):
        totals[(period_of(row.month, kind), row.metric)] += row.count
    return dict(totals)


def by_centre(
    session: Session, metric_prefix: str, kind: str = "month"
) -> Dict[Tuple[str, str], int]:
    totals: Dict[Tuple[str, str], int] = defaultdict(int)
    for row in session.execute(
        select(monthly_counters).where(monthly_counters.c.metric.like(metric_prefix + "%"))
    ):
        totals[(period_of(row.month, kind), row.centre)] += row.count
    return dict(totals)

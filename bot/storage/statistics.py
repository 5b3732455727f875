"""Follow-up figures as aggregate daily counters: increments, never records.

``count(session, metric, language, centre)`` adds one to today's counter (Stockholm date).
Reports group counters by month or tertial (Jan–Apr, May–Aug, Sep–Dec) and hide small cells.
"""

from collections import defaultdict
from datetime import date, datetime
from typing import Dict, Optional, Tuple
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.models import daily_counters

ZONE = ZoneInfo("Europe/Stockholm")
SMALL_CELL = 5  # counts below this are shown as "<5" (page and CSV)


def today() -> date:
    return datetime.now(ZONE).date()


def count(
    session: Session,
    metric: str,
    language: str = "",
    centre: Optional[str] = None,
    day: Optional[date] = None,
    by: int = 1,
) -> None:
    """Add ``by`` to the counter; one atomic upsert, safe from several processes."""
    key = {
        "day": day or today(),
        "language": language or "",
        "centre": centre or "",
        "metric": metric[:60],
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(daily_counters).values(**key, count=by)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["day", "language", "centre", "metric"],
            set_={"count": daily_counters.c.count + by},
        )
    )


def period_of(day: date, kind: str) -> str:
    if kind == "tertial":
        return f"{day.year} T{(day.month - 1) // 4 + 1}"
    return f"{day.year}-{day.month:02d}"


def report(
    session: Session, kind: str = "month", centre: Optional[str] = None
) -> Dict[Tuple[str, str], int]:
    """{(period, metric): count} summed over languages (and centres unless one is given)."""
    query = select(daily_counters)
    if centre:
        query = query.where(daily_counters.c.centre.in_((centre, "")))
    totals: Dict[Tuple[str, str], int] = defaultdict(int)
    for row in session.execute(query):
        totals[(period_of(row.day, kind), row.metric)] += row.count
    return dict(totals)


def by_centre(
    session: Session, metric_prefix: str, kind: str = "month"
) -> Dict[Tuple[str, str], int]:
    totals: Dict[Tuple[str, str], int] = defaultdict(int)
    for row in session.execute(
        select(daily_counters).where(daily_counters.c.metric.like(metric_prefix + "%"))
    ):
        totals[(period_of(row.day, kind), row.centre)] += row.count
    return dict(totals)


def shown(value: int) -> str:
    """A cell as published: small counts could point to a person, so they are not shown exactly."""
    return "<5" if 0 < value < SMALL_CELL else str(value)

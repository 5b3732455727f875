"""Follow-up counters per month, not per day, and never a language with a centre:
daily_counters are rolled up into monthly_counters (the rule of bot/storage/statistics.py at
the time of writing, copied here so the migration stays as written) and dropped.

Revision ID: 0007
Revises: 0006
"""

from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BY_CENTRE = ("booking_", "centre_lookup:")
BY_LANGUAGE = ("conversation_started",)


def _counters(name: str, period: str) -> sa.sql.TableClause:
    return sa.table(
        name,
        sa.column(period, sa.Date),
        sa.column("language", sa.String),
        sa.column("centre", sa.String),
        sa.column("metric", sa.String),
        sa.column("count", sa.Integer),
    )


def _create(name: str, period: str) -> None:
    op.create_table(
        name,
        sa.Column(period, sa.Date, primary_key=True),
        sa.Column("language", sa.String(8), primary_key=True),
        sa.Column("centre", sa.String(40), primary_key=True),
        sa.Column("metric", sa.String(60), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def upgrade() -> None:
    _create("monthly_counters", "month")
    daily = _counters("daily_counters", "day")
    totals: Counter = Counter()
    for row in op.get_bind().execute(sa.select(daily)).all():
        totals[
            (
                row.day.replace(day=1),
                row.language if row.metric.startswith(BY_LANGUAGE) else "",
                row.centre if row.metric.startswith(BY_CENTRE) else "",
                row.metric,
            )
        ] += row.count
    rows = [
        {"month": month, "language": language, "centre": centre, "metric": metric, "count": n}
        for (month, language, centre, metric), n in totals.items()
    ]
    if rows:
        op.bulk_insert(_counters("monthly_counters", "month"), rows)
    op.drop_table("daily_counters")


def downgrade() -> None:
    _create("daily_counters", "day")
    monthly = _counters("monthly_counters", "month")
    rows = [
        {
            "day": r.month,
            "language": r.language,
            "centre": r.centre,
            "metric": r.metric,
            "count": r.count,
        }
        for r in op.get_bind().execute(sa.select(monthly)).all()
    ]
    if rows:
        op.bulk_insert(_counters("daily_counters", "day"), rows)
    op.drop_table("monthly_counters")

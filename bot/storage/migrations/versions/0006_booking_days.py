"""Bookings keep days, not instants: created_on and updated_on (Stockholm dates) replace the
microsecond created_at, updated_at and phone_erased_at, which could match a booking to the chat's
moment in a proxy log.

Revision ID: 0006
Revises: 0005
"""

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ZONE = ZoneInfo("Europe/Stockholm")
OLD = sa.table(
    "bookings",
    sa.column("id", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("created_on", sa.Date),
    sa.column("updated_on", sa.Date),
)


def _day(moment: datetime):
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZONE).date()


def _midnight(day) -> datetime:
    return datetime.combine(day, time(0), ZONE).astimezone(timezone.utc)


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("created_on", sa.Date, nullable=True))
        batch.add_column(sa.Column("updated_on", sa.Date, nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(OLD.c.id, OLD.c.created_at, OLD.c.updated_at)).all():
        connection.execute(
            OLD.update()
            .where(OLD.c.id == row.id)
            .values(created_on=_day(row.created_at), updated_on=_day(row.updated_at))
        )
    with op.batch_alter_table("bookings") as batch:
        batch.alter_column("created_on", existing_type=sa.Date, nullable=False)
        batch.alter_column("updated_on", existing_type=sa.Date, nullable=False)
        batch.drop_column("phone_erased_at")
        batch.drop_column("updated_at")
        batch.drop_column("created_at")


def downgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("phone_erased_at", sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(OLD.c.id, OLD.c.created_on, OLD.c.updated_on)).all():
        connection.execute(
            OLD.update()
            .where(OLD.c.id == row.id)
            .values(created_at=_midnight(row.created_on), updated_at=_midnight(row.updated_on))
        )
    with op.batch_alter_table("bookings") as batch:
        batch.alter_column("created_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_column("updated_on")
        batch.drop_column("created_on")

"""Aggregate daily counters for follow-up statistics.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_counters",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("language", sa.String(8), primary_key=True),
        sa.Column("centre", sa.String(40), primary_key=True),
        sa.Column("metric", sa.String(60), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("daily_counters")

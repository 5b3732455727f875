"""Bookings, slot usage and short-lived phone tokens.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("centre", sa.String(40), nullable=False, index=True),
        sa.Column("slot_start", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("call_language", sa.String(8), nullable=False),
        sa.Column("interpreter", sa.Boolean, nullable=False),
        sa.Column("may_identify", sa.Boolean, nullable=False),
        sa.Column("may_leave_message", sa.Boolean, nullable=False),
        sa.Column("withheld_ok", sa.Boolean, nullable=False),
        sa.Column("safe_times", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("reference_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("phone_cipher", sa.LargeBinary, nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("phone_erased_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "slot_usage",
        sa.Column("centre", sa.String(40), primary_key=True),
        sa.Column("slot_start", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("booked", sa.Integer, nullable=False),
        sa.CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"),
    )
    op.create_table(
        "phone_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("phone_cipher", sa.LargeBinary, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("phone_tokens")
    op.drop_table("slot_usage")
    op.drop_table("bookings")

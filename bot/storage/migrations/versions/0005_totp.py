"""Optional second login step for staff: a time-based code (bot/totp.py).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("totp_secret", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")

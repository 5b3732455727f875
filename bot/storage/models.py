"""Tables. A booking holds what the call needs and nothing that identifies the resident.

No name, personal number, IP address, sender id or message text exists in any table
(tests/unit/test_storage_privacy.py checks the schema). The phone number exists only as
AES-GCM ciphertext (bot/storage/crypto.py) and is set to NULL when erased. A booking keeps no
time finer than its creation day, and its row is deleted after the retention (bot/retention.py).
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

bookings = Table(
    "bookings",
    metadata,
    Column("id", String(32), primary_key=True),  # random, not a counter
    Column("centre", String(40), nullable=False, index=True),
    Column("slot_start", DateTime(timezone=True), nullable=False, index=True),  # UTC
    Column("language", String(8), nullable=False),  # language of the chat
    Column("call_language", String(8), nullable=False),  # language wanted on the call
    Column("interpreter", Boolean, nullable=False),
    Column("may_identify", Boolean, nullable=False),  # may we say we call from RVC
    Column("may_leave_message", Boolean, nullable=False),  # voicemail / SMS
    Column("withheld_ok", Boolean, nullable=False),  # withheld number OK
    Column("safe_times", String(40), nullable=False),  # a fixed choice, never free text
    Column("status", String(16), nullable=False, default="booked", index=True),
    Column("reference_hash", String(64), nullable=False, unique=True),
    Column("phone_cipher", LargeBinary, nullable=True),
    Column("claimed_by", String(64), nullable=True),
    Column("outcome", String(20), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    # Days, not instants (Stockholm dates): a finer time would match the chat's moment in a proxy
    # log. The slot is the only time of day a booking holds; retention and "handled today" need
    # no more than the day.
    Column("created_on", Date, nullable=False),
    Column("updated_on", Date, nullable=False),
)

# One row per offered slot that has bookings: capacity is enforced by a conditional UPDATE
# (booked < capacity) that the database executes atomically, on SQLite and PostgreSQL alike.
slot_usage = Table(
    "slot_usage",
    metadata,
    Column("centre", String(40), primary_key=True),
    Column("slot_start", DateTime(timezone=True), primary_key=True),
    Column("capacity", Integer, nullable=False),
    Column("booked", Integer, nullable=False, default=0),
    CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"),
)

# A phone number typed in the chat, taken out by the web app before Rasa sees the message.
# Rasa gets only the token; the row lives minutes and is consumed by the booking.
phone_tokens = Table(
    "phone_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("phone_cipher", LargeBinary, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# --- staff console ---------------------------------------------------------------------------
# Staff accounts: argon2id password hashes only. role: staff | lead | admin.
staff = Table(
    "staff",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("centre", String(40), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Set while the password is a one-time one (made by an admin): the console asks for a new
    # one before anything else.
    Column("must_change_password", Boolean, nullable=False, default=False),
    # Second login step (bot/totp.py): the code secret, AES-GCM encrypted with a key derived from
    # the secrets file (bot/storage/crypto.py), and the last code step used (no replays).
    Column("totp_secret", LargeBinary, nullable=True),
    Column("totp_last_step", BigInteger, nullable=True),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column(
        "staff_id",
        String(32),
        ForeignKey("staff.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("csrf_token", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# Who revealed which booking's number and when, outcomes, schedule and account changes.
# Never the number itself (tests/integration/test_console.py checks).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(64), nullable=False),
    Column("centre", String(40), nullable=False),
    Column("event", String(32), nullable=False),
    Column("booking_id", String(32), nullable=True),
    Column("detail", String(200), nullable=True),
)

# --- follow-up statistics ----------------------------------------------------------------------
# Counters, not records: one row per (month, language, centre, metric) holding a count, the month
# as its first day. No conversation id, no per-message row, no time finer than a month, never a
# language and a centre together (bot/storage/statistics.py decides; tests/unit/test_statistics.py).
monthly_counters = Table(
    "monthly_counters",
    metadata,
    Column("month", Date, primary_key=True),
    Column("language", String(8), primary_key=True),  # "" unless the metric keeps it
    Column("centre", String(40), primary_key=True),  # "" unless the metric keeps it
    Column("metric", String(60), primary_key=True),
    Column("count", Integer, nullable=False),
)

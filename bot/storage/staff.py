"""Staff accounts and console sessions: passwords (Argon2id), the code step, session tokens.

The work on a centre's callback list is in bot/storage/callbacks.py, the audit log in
bot/storage/audit.py.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import List, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from bot import totp
from bot.storage import callbacks
from bot.storage.bookings import as_utc, now_utc
from bot.storage.models import staff, staff_sessions

# Least to most: each role may do what the ones before it may (bot/console/guard.py).
ROLES = ("staff", "lead", "admin")
SESSION_LIFETIME = timedelta(hours=8)
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class StaffMember:
    id: str
    username: str
    centre: str
    role: str
    csrf_token: str = ""
    must_change_password: bool = False
    has_second_step: bool = False

    @property
    def is_lead(self) -> bool:
        return self.role in ("lead", "admin")


def create_account(
    session: Session, username: str, centre: str, role: str, password: Optional[str] = None
) -> str:
    """Create a staff account; returns the password. A generated one is a one-time password:
    shown once, and the person chooses their own at first login."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    one_time = password is None
    password = password or secrets.token_urlsafe(12)
    session.execute(
        insert(staff).values(
            id=secrets.token_hex(16),
            username=username,
            centre=centre,
            role=role,
            password_hash=_hasher.hash(password),
            active=True,
            created_at=now_utc(),
            must_change_password=one_time,
        )
    )
    return password


def accounts(session: Session) -> List:
    return session.execute(
        select(
            staff.c.username, staff.c.centre, staff.c.role, staff.c.active, staff.c.created_at
        ).order_by(staff.c.centre, staff.c.username)
    ).all()


def set_password(session: Session, username: str, password: str, one_time: bool = False) -> bool:
    result = session.execute(
        update(staff)
        .where(staff.c.username == username)
        .values(password_hash=_hasher.hash(password), must_change_password=one_time)
    )
    return result.rowcount == 1


MIN_PASSWORD_CHARS = 12


class PasswordRefused(ValueError):
    """The new password was not taken; the message (Swedish, for the console) says why."""


def change_own_password(
    session: Session, member: StaffMember, current: str, new: str, repeated: str, keep_session: str
) -> None:
    """The member's own new password, after the current one. Their other sessions end."""
    if not _password_is_right(session, member, current):
        raise PasswordRefused("Det nuvarande lösenordet stämmer inte.")
    if new != repeated:
        raise PasswordRefused("De två nya lösenorden är inte lika.")
    if len(new) < MIN_PASSWORD_CHARS:
        raise PasswordRefused(f"Det nya lösenordet måste ha minst {MIN_PASSWORD_CHARS} tecken.")
    if new == current or new.lower() == member.username.lower():
        raise PasswordRefused("Välj ett annat lösenord än det nuvarande och än användarnamnet.")
    set_password(session, member.username, new)
    _end_other_sessions(session, member, keep_session)


def deactivate(session: Session, username: str) -> bool:
    """Stops an account at once: its console sessions end, and the callbacks it had claimed go
    back to the centre's list so none waits on someone who has left. False if no such account."""
    account = session.execute(select(staff.c.id).where(staff.c.username == username)).first()
    if account is None:
        return False
    session.execute(update(staff).where(staff.c.id == account.id).values(active=False))
    session.execute(delete(staff_sessions).where(staff_sessions.c.staff_id == account.id))
    callbacks.release_claims(session, username)
    return True


def activate(session: Session, username: str) -> bool:
    return (
        session.execute(
            update(staff).where(staff.c.username == username).values(active=True)
        ).rowcount
        == 1
    )


def reset_password(session: Session, username: str) -> Optional[str]:
    """A new one-time password (returned, to be shown once); the account's sessions end."""
    account = session.execute(select(staff.c.id).where(staff.c.username == username)).first()
    if account is None:
        return None
    password = secrets.token_urlsafe(12)
    set_password(session, username, password, one_time=True)
    # Also the way back in after a lost phone: the second step is set up again after login.
    session.execute(
        update(staff).where(staff.c.id == account.id).values(totp_secret=None, totp_last_step=None)
    )
    session.execute(delete(staff_sessions).where(staff_sessions.c.staff_id == account.id))
    return password


def enable_second_step(
    session: Session, member: StaffMember, password: str, secret: str, code: str, cipher, keep: str
) -> bool:
    """Turns on the code step with the member's password and a valid code for ``secret`` (so a
    session left open cannot tie the account to another phone). Other sessions than ``keep`` end."""
    step = totp.verify(secret, code) if _password_is_right(session, member, password) else None
    unset = staff.c.totp_secret.is_(None)
    values = {"totp_secret": cipher.encrypt(secret), "totp_last_step": step}
    return step is not None and _change_second_step(session, member, unset, values, keep)


def disable_second_step(
    session: Session, member: StaffMember, password: str, code: str, cipher, keep: str
) -> bool:
    """Turns the code step off with the member's password and a current, unused code. Other
    sessions than ``keep`` end."""
    row = session.execute(select(staff).where(staff.c.id == member.id)).first()
    step = None
    if _password_is_right(session, member, password) and row and row.totp_secret is not None:
        step = totp.verify(cipher.decrypt(row.totp_secret), code, row.totp_last_step)
    # Conditional, as at login: a code works once, even for two requests racing.
    unused = staff.c.totp_last_step < (step or 0)
    values = {"totp_secret": None, "totp_last_step": None}
    return step is not None and _change_second_step(session, member, unused, values, keep)


def _change_second_step(session: Session, member: StaffMember, condition, values, keep) -> bool:
    changed = session.execute(
        update(staff).where(staff.c.id == member.id, condition).values(**values)
    ).rowcount
    if changed == 1:
        _end_other_sessions(session, member, keep)
    return changed == 1


def verify_login(
    session: Session, username: str, password: str, code: str = "", cipher=None
) -> Optional[StaffMember]:
    """The member if the password (and, when the account has one, the code) is right."""
    row = session.execute(
        select(staff).where(staff.c.username == username, staff.c.active.is_(True))
    ).first()
    try:
        # Hash even for unknown users, so timing does not tell which usernames exist.
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if row.totp_secret is not None:
        step = (
            totp.verify(cipher.decrypt(row.totp_secret), code, row.totp_last_step)
            if cipher
            else None
        )
        # Conditional update: of two logins racing with the same code, one wins.
        if (
            step is None
            or session.execute(
                update(staff)
                .where(staff.c.id == row.id, staff.c.totp_last_step < step)
                .values(totp_last_step=step)
            ).rowcount
            != 1
        ):
            return None
    return StaffMember(
        row.id,
        row.username,
        row.centre,
        row.role,
        must_change_password=row.must_change_password,
        has_second_step=row.totp_secret is not None,
    )


def start_session(session: Session, member: StaffMember) -> str:
    token = secrets.token_urlsafe(32)
    session.execute(delete(staff_sessions).where(staff_sessions.c.expires_at <= now_utc()))
    session.execute(
        insert(staff_sessions).values(
            token_hash=_hash(token),
            staff_id=member.id,
            csrf_token=secrets.token_urlsafe(32),
            expires_at=now_utc() + SESSION_LIFETIME,
        )
    )
    return token


def member_for_session(session: Session, token: Optional[str]) -> Optional[StaffMember]:
    if not token:
        return None
    row = session.execute(
        select(
            staff.c.id,
            staff.c.username,
            staff.c.centre,
            staff.c.role,
            staff.c.must_change_password,
            staff.c.totp_secret.isnot(None).label("has_second_step"),
            staff_sessions.c.csrf_token,
            staff_sessions.c.expires_at,
        )
        .join(staff, staff.c.id == staff_sessions.c.staff_id)
        .where(staff_sessions.c.token_hash == _hash(token), staff.c.active.is_(True))
    ).first()
    if row is None or as_utc(row.expires_at) <= now_utc():
        return None
    return StaffMember(
        row.id,
        row.username,
        row.centre,
        row.role,
        row.csrf_token,
        row.must_change_password,
        row.has_second_step,
    )


def end_session(session: Session, token: Optional[str]) -> None:
    if token:
        session.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == _hash(token)))


def _password_is_right(session: Session, member: StaffMember, password: str) -> bool:
    row = session.execute(select(staff.c.password_hash).where(staff.c.id == member.id)).first()
    try:
        return _hasher.verify(row.password_hash if row else _DUMMY_HASH, password) and bool(row)
    except (VerificationError, InvalidHashError):
        return False


def _end_other_sessions(session: Session, member: StaffMember, keep_session: str) -> None:
    session.execute(
        delete(staff_sessions).where(
            staff_sessions.c.staff_id == member.id,
            staff_sessions.c.token_hash != _hash(keep_session),
        )
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

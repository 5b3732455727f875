"""Numbers are bound to their rows; a key rotation re-encrypts them all and retires the old keys.

Runs on SQLite and, under scripts/test.sh, PostgreSQL too.
"""

import json
import stat
from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import insert, select, update

from bot.secrets import CurrentPhoneKeys, load_secrets, rotate_phone_key
from bot.storage import bookings as repo
from bot.storage import callbacks
from bot.storage.crypto import (
    LEGACY_AAD,
    PhoneCipher,
    UndecryptableNumber,
    booking_aad,
    reference_hash,
    token_aad,
)
from bot.storage.migrate import alembic_config, upgrade
from bot.storage.models import bookings, phone_tokens
from bot.storage.rekeying import UnreadableNumbers
from bot.storage.staff import StaffMember
from tests.databases import database_params, fresh_database_url

SLOT = datetime(2030, 3, 4, 8, 0, tzinfo=timezone.utc)
CENTRE = "rvc_innerstan"
PHONES = ["+46701234567", "+46709876543"]
CALLER = StaffMember(id="s1", username="kim", centre=CENTRE, role="staff")


@pytest.fixture(params=database_params())
def db(request, tmp_path):
    return fresh_database_url(request.param, tmp_path)


@pytest.fixture
def secrets_file(tmp_path):
    path = tmp_path / "state" / "secrets.json"
    load_secrets(path)
    return path


def book(db, cipher, phone, pepper):
    from bot.storage.db import session_scope

    with session_scope(db) as s:
        token = repo.store_phone_token(s, cipher, phone)
    request = repo.BookingRequest(CENTRE, SLOT, "sv", "sv", False, True, True, True, "any_daytime")
    with session_scope(db) as s:
        code = repo.book_callback(s, request, token, capacity=10, pepper=pepper, cipher=cipher)
        return s.execute(
            select(bookings.c.id).where(bookings.c.reference_hash == reference_hash(pepper, code))
        ).scalar()


def reveal(db, booking_id, cipher):
    from bot.storage.db import session_scope

    with session_scope(db) as s:
        s.execute(
            update(bookings)
            .where(bookings.c.id == booking_id)
            .values(status="claimed", claimed_by=CALLER.username)
        )
        return callbacks.reveal_for_call(s, CALLER, booking_id, cipher)[1]


def stored_ciphers(db):
    from bot.storage.db import session_scope

    with session_scope(db) as s:
        return {
            **{r.token_hash: bytes(r.phone_cipher) for r in s.execute(select(phone_tokens))},
            **{
                r.id: bytes(r.phone_cipher)
                for r in s.execute(select(bookings).where(bookings.c.phone_cipher.isnot(None)))
            },
        }


def test_a_number_copied_to_another_booking_does_not_decrypt_there(db, secrets_file):
    from bot.storage.db import session_scope

    cipher = CurrentPhoneKeys(secrets_file)
    pepper = load_secrets(secrets_file)["reference_pepper"]
    first, second = (book(db, cipher, phone, pepper) for phone in PHONES)
    with session_scope(db) as s:
        copied = s.execute(select(bookings.c.phone_cipher).where(bookings.c.id == first)).scalar()
        s.execute(update(bookings).where(bookings.c.id == second).values(phone_cipher=copied))
    assert reveal(db, first, cipher) == PHONES[0]
    assert reveal(db, second, cipher) is None  # never the first booking's number
    with pytest.raises(UndecryptableNumber):
        cipher.decrypt(copied, aad=booking_aad(second))


def test_a_number_copied_to_another_token_cannot_be_booked(db, secrets_file):
    from bot.storage.db import session_scope

    cipher = CurrentPhoneKeys(secrets_file)
    with session_scope(db) as s:
        mine = repo.store_phone_token(s, cipher, PHONES[0])
        theirs = repo.store_phone_token(s, cipher, PHONES[1])
        rows = {r.token_hash: r.phone_cipher for r in s.execute(select(phone_tokens))}
        target = repo._token_hash(mine)
        other = next(h for h in rows if h != target)
        s.execute(
            update(phone_tokens)
            .where(phone_tokens.c.token_hash == target)
            .values(phone_cipher=rows[other])
        )
    request = repo.BookingRequest(CENTRE, SLOT, "sv", "sv", False, True, True, True, "any_daytime")
    with pytest.raises(repo.TokenUnknown):
        with session_scope(db) as s:
            repo.book_callback(s, request, mine, 1, "cGVwcGVy", cipher)
    with session_scope(db) as s:
        repo.book_callback(s, request, theirs, 1, "cGVwcGVy", cipher)
        assert s.execute(select(bookings)).one()


def test_rotation_re_encrypts_every_number_and_removes_the_old_key(db, secrets_file):
    running = CurrentPhoneKeys(secrets_file)  # a web app or action server that keeps running
    pepper = load_secrets(secrets_file)["reference_pepper"]
    booked = book(db, running, PHONES[0], pepper)
    from bot.storage.db import session_scope

    with session_scope(db) as s:
        repo.store_phone_token(s, running, PHONES[1])
    before = stored_ciphers(db)  # as a backup, a WAL or a journal keeps them
    old_keys = load_secrets(secrets_file)["phone_keys"]

    assert rotate_phone_key(secrets_file, db, settle_s=0) == (2, 0)

    keys = json.loads(secrets_file.read_text())["phone_keys"]
    assert len(keys) == 1 and not set(keys) & set(old_keys)
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    after = stored_ciphers(db)
    assert after.keys() == before.keys() and not set(after.values()) & set(before.values())
    new_only = PhoneCipher(keys)
    assert reveal(db, booked, new_only) == PHONES[0]
    token_hash = next(k for k in after if k != booked)
    assert new_only.decrypt(after[token_hash], aad=token_aad(token_hash)) == PHONES[1]
    # A ciphertext made with the retired key no longer decrypts, not even in a running process.
    for cipher in (new_only, running):
        with pytest.raises(UndecryptableNumber):
            cipher.decrypt(before[booked], aad=booking_aad(booked))
    # The running process encrypts with the new key from its next number on.
    fresh = running.encrypt(PHONES[1], aad=booking_aad("x"))
    assert new_only.decrypt(fresh, aad=booking_aad("x")) == PHONES[1]


def test_rotation_with_the_wrong_secrets_file_changes_no_number(db, secrets_file, tmp_path):
    cipher = CurrentPhoneKeys(secrets_file)
    book(db, cipher, PHONES[0], load_secrets(secrets_file)["reference_pepper"])
    before = stored_ciphers(db)
    wrong = tmp_path / "elsewhere" / "secrets.json"
    load_secrets(wrong)
    with pytest.raises(UnreadableNumbers):
        rotate_phone_key(wrong, db, settle_s=0)
    assert stored_ciphers(db) == before
    assert len(json.loads(wrong.read_text())["phone_keys"]) == 2  # nothing retired either
    # Told that the file is right, the numbers nobody can read are erased.
    assert rotate_phone_key(wrong, db, settle_s=0, erase_unreadable=True) == (0, 1)
    assert stored_ciphers(db) == {}


def test_numbers_stored_before_binding_are_bound_by_the_migration(db, secrets_file, monkeypatch):
    from bot.settings import current
    from bot.storage.db import session_scope

    monkeypatch.setenv("TRYGG_SECRETS_FILE", str(secrets_file))
    current.cache_clear()
    command.downgrade(alembic_config(db), "0007")  # before 0008 bound the numbers
    legacy = PhoneCipher(load_secrets(secrets_file)["phone_keys"])
    now = datetime.now(timezone.utc)
    with session_scope(db) as s:
        s.execute(
            insert(phone_tokens).values(
                token_hash="t" * 64,
                phone_cipher=legacy.encrypt(PHONES[0], aad=LEGACY_AAD),
                expires_at=now,
            )
        )
        s.execute(
            insert(bookings).values(
                id="b" * 32,
                centre=CENTRE,
                slot_start=SLOT,
                language="sv",
                call_language="sv",
                interpreter=False,
                may_identify=True,
                may_leave_message=True,
                withheld_ok=True,
                safe_times="any_daytime",
                status="booked",
                reference_hash="r" * 64,
                phone_cipher=legacy.encrypt(PHONES[1], aad=LEGACY_AAD),
                attempts=0,
                created_on=now.date(),
                updated_on=now.date(),
            )
        )
    upgrade(db)
    stored = stored_ciphers(db)
    assert legacy.decrypt(stored["t" * 64], aad=token_aad("t" * 64)) == PHONES[0]
    assert legacy.decrypt(stored["b" * 32], aad=booking_aad("b" * 32)) == PHONES[1]
    with pytest.raises(UndecryptableNumber):
        legacy.decrypt(stored["b" * 32], aad=LEGACY_AAD)


def test_the_web_app_stores_numbers_with_the_key_of_the_moment(db, secrets_file):
    from bot.routes.chat import phone_store
    from bot.storage.db import session_scope

    store = phone_store(CurrentPhoneKeys(secrets_file), db)  # as app.ctx.store_phone
    store(PHONES[0])
    rotate_phone_key(secrets_file, db, settle_s=0)
    later = repo._token_hash(store(PHONES[1]))  # same running web app, no restart
    new_only = PhoneCipher(load_secrets(secrets_file)["phone_keys"])
    with session_scope(db) as s:
        rows = {r.token_hash: r.phone_cipher for r in s.execute(select(phone_tokens))}
    assert {new_only.decrypt(blob, aad=token_aad(h)) for h, blob in rows.items()} == set(PHONES)
    assert new_only.decrypt(rows[later], aad=token_aad(later)) == PHONES[1]

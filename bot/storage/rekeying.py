"""The key rotation's side of storage: every stored number re-encrypted with the new key.

bot/secrets.py (``make rotate-key``) writes the new key, calls ``reencrypt_numbers`` in one
transaction, then removes the old keys from the secrets file.
"""

from typing import Tuple

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.storage.bookings import erase_phone
from bot.storage.crypto import PhoneCipher, UndecryptableNumber, booking_aad, token_aad
from bot.storage.models import bookings, phone_tokens


class UnreadableNumbers(Exception):
    """Stored numbers that no configured key decrypts (the count is the argument)."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def reencrypt_numbers(
    session: Session, reading: PhoneCipher, writing: PhoneCipher, erase_unreadable: bool = False
) -> Tuple[int, int]:
    """Every stored number (phone tokens and bookings) decrypted with ``reading``'s keys and
    encrypted again with ``writing``'s current key, bound to the same row: the key rotation
    (bot/secrets.py), in the caller's transaction. Returns (re-encrypted, erased).

    A number no configured key can decrypt (its key was lost, or its ciphertext was copied
    from another row) raises UnreadableNumbers, so the caller's transaction changes nothing
    (a wrong secrets file must not erase every number); with ``erase_unreadable`` it is
    erased instead: nobody could read it again.
    """
    done = unreadable = 0
    for row in session.execute(
        select(phone_tokens.c.token_hash, phone_tokens.c.phone_cipher).with_for_update()
    ).all():
        aad = token_aad(row.token_hash)
        where = phone_tokens.c.token_hash == row.token_hash
        try:
            phone = reading.decrypt(row.phone_cipher, aad=aad)
        except UndecryptableNumber:
            session.execute(delete(phone_tokens).where(where))
            unreadable += 1
            continue
        new = writing.encrypt(phone, aad=aad)
        session.execute(update(phone_tokens).where(where).values(phone_cipher=new))
        done += 1
    for row in session.execute(
        select(bookings.c.id, bookings.c.phone_cipher)
        .where(bookings.c.phone_cipher.isnot(None))
        .with_for_update()
    ).all():
        aad = booking_aad(row.id)
        try:
            phone = reading.decrypt(row.phone_cipher, aad=aad)
        except UndecryptableNumber:
            erase_phone(session, row.id)
            unreadable += 1
            continue
        new = writing.encrypt(phone, aad=aad)
        session.execute(update(bookings).where(bookings.c.id == row.id).values(phone_cipher=new))
        done += 1
    if unreadable and not erase_unreadable:
        raise UnreadableNumbers(unreadable)
    return done, unreadable

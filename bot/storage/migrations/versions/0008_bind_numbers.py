"""Bind every stored number to its row: re-encrypt it with the row in its associated data.

Before this revision every number had one constant associated data, so a ciphertext copied
from one row into another decrypted there. Keys come from the secrets file (only read when
there are numbers to bind); a number no configured key decrypts stays as it was (it could not
be read before either). Self-contained on purpose: a migration must not change when
bot/storage/crypto.py does.

Revision ID: 0006
Revises: 0005
"""

import base64
import hashlib
import os
from typing import Callable, Dict

import sqlalchemy as sa
from alembic import op
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LEGACY_AAD = b"trygg-chatt/phone/v1"
tokens = sa.table("phone_tokens", sa.column("token_hash"), sa.column("phone_cipher"))
bookings = sa.table("bookings", sa.column("id"), sa.column("phone_cipher"))


def upgrade() -> None:
    _rewrap(lambda _row_aad: LEGACY_AAD, lambda row_aad: row_aad)


def downgrade() -> None:
    _rewrap(lambda row_aad: row_aad, lambda _row_aad: LEGACY_AAD)


def _rewrap(old_aad: Callable[[bytes], bytes], new_aad: Callable[[bytes], bytes]) -> None:
    connection = op.get_bind()
    rows = [
        (tokens, tokens.c.token_hash, b"phone_token:", r.token_hash, r.phone_cipher)
        for r in connection.execute(sa.select(tokens.c.token_hash, tokens.c.phone_cipher))
    ] + [
        (bookings, bookings.c.id, b"booking:", r.id, r.phone_cipher)
        for r in connection.execute(
            sa.select(bookings.c.id, bookings.c.phone_cipher).where(
                bookings.c.phone_cipher.isnot(None)
            )
        )
    ]
    if not rows:
        return
    keys = _configured_keys()
    for table, key_column, prefix, row_id, blob in rows:
        blob = bytes(blob)
        key = keys.get(blob[:4])
        row_aad = prefix + row_id.encode()
        if key is None:
            continue
        try:
            phone = AESGCM(key).decrypt(blob[4:16], blob[16:], old_aad(row_aad))
        except InvalidTag:
            continue
        nonce = os.urandom(12)
        rewrapped = blob[:4] + nonce + AESGCM(key).encrypt(nonce, phone, new_aad(row_aad))
        connection.execute(
            sa.update(table).where(key_column == row_id).values(phone_cipher=rewrapped)
        )


def _configured_keys() -> Dict[bytes, bytes]:
    from bot.secrets import load_secrets

    keys = [base64.b64decode(k) for k in load_secrets()["phone_keys"]]
    return {hashlib.sha256(k).digest()[:4]: k for k in keys}

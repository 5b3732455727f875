"""Phone numbers (and staff login secrets) are stored only encrypted (AES-256-GCM), with keys outside the database.

Ciphertext layout: key id (4 bytes: the start of the key's SHA-256, so any configured key can
be found after a rotation) | nonce (12 bytes, random) | AES-256-GCM ciphertext and tag.

The associated data binds a ciphertext to its row (``token_aad``, ``booking_aad``): a
ciphertext copied into another row, by anyone who can write the database, does not decrypt
there, so nobody can make the call screen of one booking show the number of another.
"""

import base64
import hashlib
import hmac
import os
from typing import Dict, List, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# The one associated data of every number before they were bound to their rows; only
# migration 0006 reads it (to bind those numbers), nothing decrypts with it any more.
LEGACY_AAD = b"trygg-chatt/phone/v1"


class UndecryptableNumber(ValueError):
    """The key was retired (or never configured), or the ciphertext belongs to another row."""


def token_aad(token_hash: str) -> bytes:
    """Associated data of a number kept under a phone token (its row: the token's hash)."""
    return b"phone_token:" + token_hash.encode()


def booking_aad(booking_id: str) -> bytes:
    """Associated data of a number moved onto a booking (its row: the booking's id)."""
    return b"booking:" + booking_id.encode()


class NumberCipher(Protocol):
    """What storage needs to encrypt a number for a row: a PhoneCipher, or the secrets file's
    current keys (bot/secrets.py ``CurrentPhoneKeys``)."""

    def encrypt(self, phone: str, *, aad: bytes) -> bytes: ...

    def decrypt(self, blob: bytes, *, aad: bytes) -> str: ...


class PhoneCipher:
    def __init__(self, keys_b64: List[str]) -> None:
        keys = [base64.b64decode(k) for k in keys_b64]
        if not keys:
            raise ValueError("no phone encryption key")
        self._current = keys[0]
        self._by_id: Dict[bytes, bytes] = {_key_id(k): k for k in keys}

    def encrypt(self, phone: str, *, aad: bytes) -> bytes:
        nonce = os.urandom(12)
        return (
            _key_id(self._current)
            + nonce
            + AESGCM(self._current).encrypt(nonce, phone.encode(), aad)
        )

    def decrypt(self, blob: bytes, *, aad: bytes) -> str:
        key = self._by_id.get(bytes(blob[:4]))
        if key is None:
            raise UndecryptableNumber("encrypted with a key that is no longer configured")
        try:
            return AESGCM(key).decrypt(bytes(blob[4:16]), bytes(blob[16:]), aad).decode()
        except InvalidTag:
            raise UndecryptableNumber("ciphertext does not belong to this row") from None

    def uses_current_key(self, blob: bytes) -> bool:
        return bytes(blob[:4]) == _key_id(self._current)


def reference_hash(pepper_b64: str, code: str) -> str:
    """HMAC of a normalised reference code: the database never holds the code itself."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hmac.new(base64.b64decode(pepper_b64), normalised.encode(), hashlib.sha256).hexdigest()


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:4]


class StaffSecretCipher:
    """AES-GCM for staff login secrets (the second step's code secret). The key is derived from
    the reference pepper, which is never rotated, so these secrets do not depend on the phone
    keys (rotated by ``make rotate-key``, which retires the old ones)."""

    _AAD = b"trygg-chatt staff totp secret v1"

    def __init__(self, pepper_b64: str) -> None:
        self._key = hmac.new(
            base64.b64decode(pepper_b64), b"trygg-chatt staff secrets", hashlib.sha256
        ).digest()

    def encrypt(self, secret: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(self._key).encrypt(nonce, secret.encode(), self._AAD)

    def decrypt(self, blob: bytes) -> str:
        return AESGCM(self._key).decrypt(bytes(blob[:12]), bytes(blob[12:]), self._AAD).decode()

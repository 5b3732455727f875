"""Phone numbers (and staff login secrets) are stored only encrypted (AES-256-GCM), with keys outside the database.

Ciphertext layout: key id (4 bytes: the start of the key's SHA-256, so any configured key can
be found after a rotation) | nonce (12 bytes, random) | AES-256-GCM ciphertext and tag.
"""

import base64
import hashlib
import hmac
import os
from typing import Dict, List

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

AAD = b"trygg-chatt/phone/v1"


class PhoneCipher:
    def __init__(self, keys_b64: List[str]) -> None:
        keys = [base64.b64decode(k) for k in keys_b64]
        if not keys:
            raise ValueError("no phone encryption key")
        self._current = keys[0]
        self._by_id: Dict[bytes, bytes] = {_key_id(k): k for k in keys}

    def encrypt(self, phone: str) -> bytes:
        nonce = os.urandom(12)
        return (
            _key_id(self._current)
            + nonce
            + AESGCM(self._current).encrypt(nonce, phone.encode(), AAD)
        )

    def decrypt(self, blob: bytes) -> str:
        key = self._by_id.get(bytes(blob[:4]))
        if key is None:
            raise ValueError("phone number encrypted with a key that is no longer configured")
        return AESGCM(key).decrypt(bytes(blob[4:16]), bytes(blob[16:]), AAD).decode()


def reference_hash(pepper_b64: str, code: str) -> str:
    """HMAC of a normalised reference code: the database never holds the code itself."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hmac.new(base64.b64decode(pepper_b64), normalised.encode(), hashlib.sha256).hexdigest()


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:4]


class StaffSecretCipher:
    """AES-GCM for staff login secrets (the second step's code secret). The key is derived from
    the reference pepper, which is never rotated, so these secrets do not depend on the phone
    keys (rotated, and dropped after the retention period)."""

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

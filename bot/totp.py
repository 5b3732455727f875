"""Time-based one-time codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the second step
of a staff login. Works with any authenticator app; nothing leaves the machine.

A code is accepted for the current step and one step either side (clock drift), and never
twice: the caller keeps the last step used and passes it back (``verify`` refuses any step at
or before it), so a code read over someone's shoulder is worthless once used.
"""
import base64
import hashlib
import hmac
import secrets
import struct
import time
from typing import Optional
from urllib.parse import quote

STEP_S = 30
DIGITS = 6
ISSUER = "Trygg chatt"


def new_secret() -> str:
    """160 random bits, base32 (what authenticator apps take when typed in)."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def code_at(secret: str, step: int) -> str:
    counter = struct.pack(">Q", step)
    digest = hmac.new(base64.b32decode(secret), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** DIGITS).zfill(DIGITS)


def verify(secret: str, code: str, last_step: Optional[int] = None, now: Optional[float] = None) -> Optional[int]:
    """The step the code belongs to if it is valid and unused, else None."""
    code = "".join(ch for ch in code if not ch.isspace())
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    current = int((time.time() if now is None else now) // STEP_S)
    for step in (current - 1, current, current + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, username: str) -> str:
    """otpauth:// link an authenticator app understands (also shown as text to type in)."""
    label = quote(f"{ISSUER}:{username}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(ISSUER)}&digits={DIGITS}&period={STEP_S}"

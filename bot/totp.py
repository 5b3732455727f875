"""Time-based one-time codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the second step
of a staff login. Works with any authenticator app; nothing leaves the machine. The codes
themselves come from pyotp; which step a code may belong to is decided here.

A code is accepted for the current step and one step either side (clock drift), and never
twice: the caller keeps the last step used and passes it back (``verify`` refuses any step at
or before it), so a code read over someone's shoulder is worthless once used.
"""

import hmac
import time
from typing import Optional

import pyotp

STEP_S = 30
DIGITS = 6
ISSUER = "Trygg chatt"


def new_secret() -> str:
    """160 random bits, base32 (what authenticator apps take when typed in)."""
    return pyotp.random_base32(length=32)


def code_at(secret: str, step: int, digits: int = DIGITS) -> str:
    """The code for one 30-second step (``digits`` is for RFC 6238's 8-digit test vectors)."""
    return pyotp.TOTP(secret, digits=digits, interval=STEP_S).generate_otp(step)


def verify(
    secret: str, code: str, last_step: Optional[int] = None, now: Optional[float] = None
) -> Optional[int]:
    """The step the code belongs to if it is valid and unused, else None."""
    code = "".join(ch for ch in code if not ch.isspace())
    # ASCII digits only: pyotp's own comparison NFKC-normalises, which would let "２８７…" through.
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    current = int((time.time() if now is None else now) // STEP_S)
    # Our loop, not pyotp's verify_and_get_timecode: that stops at the first step whose code
    # matches, used or not, and knows nothing of last_step.
    for step in (current - 1, current, current + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(
            code_at(secret, step), code
        ):
            return step
    return None


def provisioning_uri(secret: str, username: str) -> str:
    """otpauth:// link an authenticator app understands (also shown as text to type in)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S).provisioning_uri(
        name=username, issuer_name=ISSUER
    )

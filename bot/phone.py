"""Take phone numbers out of a chat message before it reaches Rasa.

A valid number (Swedish or international) is encrypted, stored under a random short-lived
token, and replaced in the message by ``tel_<token>``; an invalid one by ``tel_invalid``, so
no tracker, log or model ever holds the digits. The booking form (actions/booking.py) accepts
the token and the web app never hands the number back to the chat.
"""

import re
from typing import Callable, Tuple

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

TOKEN_PREFIX = "tel_"
INVALID_MARKER = "tel_invalid"
TOKEN_PATTERN = re.compile(r"\btel_[A-Za-z0-9]{22}\b")
# Digit runs that look like an attempt at a phone number but that phonenumbers rejects.
_DIGITS_LIKE_PHONE = re.compile(r"(?<![\w])(?:\+|00)?\d[\d \-()/.]{5,}\d(?![\w])")


def redact_phone_numbers(text: str, store: Callable[[str], str]) -> Tuple[str, int]:
    """The text with every number replaced, and how many valid numbers were stored.

    ``store(e164) -> token`` keeps the number (encrypted) and returns its token.
    """
    stored = 0
    pieces = []
    position = 0
    for match in PhoneNumberMatcher(text, "SE", leniency=Leniency.POSSIBLE):
        pieces.append(text[position : match.start])
        if phonenumbers.is_valid_number(match.number):
            pieces.append(
                TOKEN_PREFIX
                + store(phonenumbers.format_number(match.number, PhoneNumberFormat.E164))
            )
            stored += 1
        else:
            pieces.append(INVALID_MARKER)
        position = match.end
    pieces.append(text[position:])
    redacted = "".join(pieces)
    redacted = _DIGITS_LIKE_PHONE.sub(
        lambda m: INVALID_MARKER if _digit_count(m.group(0)) >= 7 else m.group(0), redacted
    )
    return redacted, stored


def may_hold_phone_number(text: str) -> bool:
    """False only for text that redact_phone_numbers would leave as it is: a number needs digits
    (in any script). Lets the web app skip the search for most messages."""
    return any(ch.isdigit() for ch in text)


def looks_like_phone_number(text: str) -> bool:
    """Would the web app take (part of) this text for a phone number and redact it?"""
    return redact_phone_numbers(text, lambda _e164: "x")[0] != text


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def readable_phone_number(e164: str) -> str:
    """A stored number as staff read it aloud and dial it: Swedish numbers in the national
    form (070-174 06 55), others in the international form (+358 40 123 4567)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    kind = (
        PhoneNumberFormat.NATIONAL if number.country_code == 46 else PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, kind)


def tel_uri(e164: str) -> str:
    """A ``tel:`` link target (RFC 3966) for a stored E.164 number: digits and the leading + only."""
    return "tel:" + "".join(ch for ch in e164 if ch.isdigit() or ch == "+")

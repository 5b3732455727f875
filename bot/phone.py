"""Take phone numbers out of a chat message before it reaches Rasa.

A valid number (Swedish or international) is encrypted, stored under a random short-lived
token, and replaced in the message by ``tel_<token>``; an invalid one by ``tel_invalid``, so
no tracker, log or model ever holds the digits. The booking form (actions/booking.py) accepts
the token and the web app never hands the number back to the chat.

Numbers are searched in a *view* of the message with one character for each of the text's
(so a match in the view is the same span in the text): every decimal digit of any script
(Arabic-Indic ٠-٩, Persian ۰-۹, full-width ０-９, …) is an ASCII digit, and every character
that is neither a letter nor a digit (Unicode spaces, dashes, ``_ , *``, zero-width and other
format characters, ``ー``) separates digits as a space or a hyphen does. Whatever still holds
seven digits joined by separators is taken out even when it is no valid number.
"""

import re
import unicodedata
from typing import Callable, List, Tuple

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

# The answers that ask the resident for the number (domain.yml): after one, the phone step.
PHONE_QUESTIONS = frozenset({"utter_ask_phone_token", "utter_phone_invalid", "utter_phone_expired"})
TOKEN_PREFIX = "tel_"
INVALID_MARKER = "tel_invalid"
TOKEN_PATTERN = re.compile(r"\btel_[A-Za-z0-9]{22}\b")
# Fewer digits than this joined by separators are no number (a postcode "123 45", a time, a
# date "12/3"); as many or more are never forwarded, valid or not.
MIN_DIGITS_OF_A_NUMBER = 7
# While the booking form asks for the number, a part of one ("070-123", then "45 67") is enough.
MIN_DIGITS_IN_PHONE_STEP = 3
# Separators phonenumbers itself reads inside a number; the view keeps them as they are.
_KEPT_SEPARATORS = frozenset("+()-./")
# Digits joined by separators, however many: only a letter ends a run ("070 -- 123 ... 45 67").
_DIGIT_RUN = re.compile(r"[0-9](?:[ +()\-./]*[0-9])*")


def redact_phone_numbers(
    text: str, store: Callable[[str], str], phone_step: bool = False
) -> Tuple[str, int]:
    """The text with every number replaced, and how many valid numbers were stored.

    ``store(e164) -> token`` keeps the number (encrypted) and returns its token. In the phone
    step (the booking form asked for the number) every run of three or more digits is taken out.
    """
    view = digit_view(text)
    spans: List[Tuple[int, int, str]] = []
    stored = 0
    for match in PhoneNumberMatcher(view, "SE", leniency=Leniency.POSSIBLE):
        if phonenumbers.is_valid_number(match.number):
            e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            spans.append((match.start, match.end, TOKEN_PREFIX + store(e164)))
            stored += 1
        else:
            spans.append((match.start, match.end, INVALID_MARKER))
    least = MIN_DIGITS_IN_PHONE_STEP if phone_step else MIN_DIGITS_OF_A_NUMBER
    numbers = list(spans)
    for run in _DIGIT_RUN.finditer(view):
        if _digit_count(run.group(0)) < least:
            continue
        # The run's digits that no number found covers ("700" before "(000000") go too.
        position = run.start()
        for start, end, _ in sorted(n for n in numbers if n[0] < run.end() and run.start() < n[1]):
            spans += _leftover(view, position, start)
            position = max(position, end)
        spans += _leftover(view, position, run.end())
    pieces, position = [], 0
    for start, end, replacement in sorted(spans):
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces), stored


def may_hold_phone_number(text: str) -> bool:
    """False only for text that redact_phone_numbers would leave as it is: a number needs digits
    (in any script). Lets the web app skip the search for most messages."""
    return any(ch.isdigit() or ch.isnumeric() for ch in text)


def looks_like_phone_number(text: str) -> bool:
    """Would the web app take (part of) this text for a phone number and redact it?"""
    return redact_phone_numbers(text, lambda _e164: "x")[0] != text


def digit_view(text: str) -> str:
    """``text`` with one character for each of its own: digits of any script as ASCII digits,
    every other character that is no letter as a space or a hyphen (see the module docstring)."""
    return "".join(_view_char(ch) for ch in text)


def _view_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        folded = ch
    digit = unicodedata.decimal(folded, None)
    if digit is not None:
        return str(digit)
    if folded in _KEPT_SEPARATORS:
        return folded
    category = unicodedata.category(folded)
    if category[0] == "L" and category != "Lm":
        return ch
    return "-" if category == "Pd" or folded == "\u2212" else " "


def _leftover(view: str, start: int, end: int) -> List[Tuple[int, int, str]]:
    """``view[start:end]`` from its first to its last digit as a marker span, if it has digits."""
    found = _DIGIT_RUN.search(view, start, end)
    if found is None:
        return []
    last = max(i for i in range(start, end) if view[i].isdigit())
    return [(found.start(), last + 1, INVALID_MARKER)]


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

"""bot/phone.py: numbers are taken out of messages; the web app skips the search only for text
that cannot hold one."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.phone import (
    INVALID_MARKER,
    TOKEN_PATTERN,
    TOKEN_PREFIX,
    may_hold_phone_number,
    redact_phone_numbers,
)

SAMPLES = [
    "070-123 45 67",
    "+46 70 123 45 67",
    "0046701234567",
    "٠٧٠١٢٣٤٥٦٧",
    "０７０１２３４５６７",
    "ring 08-508 00 000",
    "12345678901234",
    "min man slår mig",
    "",
    "tel_invalid",
    "112",
]


def redact(text):
    return redact_phone_numbers(text, lambda _e164: "T" * 22)[0]


@pytest.mark.parametrize(
    "text",
    [
        "mitt nummer är 070-123 45 67",
        "رقمي ٠٧٠١٢٣٤٥٦٧",
        "numero +46 70 123 45 67",
        "０７０１２３４５６７",
    ],
)
def test_numbers_in_any_script_are_replaced_by_a_token_for_that_number(text):
    stored = []

    def store(e164):
        stored.append(e164)
        return "A" * 22

    redacted, count = redact_phone_numbers(text, store)
    assert stored == ["+46701234567"] and count == 1
    assert (
        TOKEN_PATTERN.fullmatch(redacted.split()[-1])
        and redacted.split()[-1] == TOKEN_PREFIX + "A" * 22
    )
    assert INVALID_MARKER not in redacted
    assert not any(ch.isdigit() for ch in redacted)


def test_a_number_that_cannot_be_dialled_is_marked_invalid_and_not_stored():
    redacted, count = redact_phone_numbers("ring 12345678901234", lambda _e164: "A" * 22)
    assert (redacted, count) == ("ring " + INVALID_MARKER, 0)


def test_text_without_digits_is_never_searched_and_never_changed():
    for text in SAMPLES:
        assert may_hold_phone_number(text) or redact(text) == text


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩０１２３+-() ./abcåäöابپ")), max_size=40
    )
    | st.sampled_from(SAMPLES)
)
def test_whatever_the_search_would_change_is_searched(text):
    if redact(text) != text:
        assert may_hold_phone_number(text)

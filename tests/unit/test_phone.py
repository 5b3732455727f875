"""bot/phone.py: numbers are taken out of messages; the web app skips the search only for text
that cannot hold one."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.phone import (
    INVALID_MARKER,
    TOKEN_PATTERN,
    TOKEN_PREFIX,
    digit_view,
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


# ---- separators, scripts and the phone step ------------------------------------------------

SEPARATORS = [
    " ", "-", ".", "/", "_", ",", "*", "(", ")", "\n", "\t",
    "\u00a0", "\u2009", "\u202f", "\u3000", "\u2002", "\u205f",  # Unicode spaces (Zs)
    "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d",
    "\u30fc", "\uff70", "\u00ad", "\u200b", "\u200c", "\u2060", "\u00b7", "\u2022", "~", "|",
]  # fmt: skip
SCRIPTS = {
    "latin": "0123456789",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "full-width": "０１２３４５６７８９",
}


def digits_left(redacted):
    """The digit runs a reader could still dial: separators removed, digits of any script."""
    import unicodedata

    kept = "".join(
        str(unicodedata.decimal(unicodedata.normalize("NFKC", ch)[:1] or ch, ""))
        if unicodedata.decimal(unicodedata.normalize("NFKC", ch)[:1] or ch, None) is not None
        else ch
        for ch in redacted
        if unicodedata.category(ch)[0] in "LN" and unicodedata.category(ch) != "Lm"
    )
    return re.findall(r"[0-9]{7,}", kept)


@pytest.mark.parametrize(
    "text",
    [
        "070_123_45_67",
        "070,123,45,67",
        "070*123*45*67",
        "070\u2009123\u200945\u200967",
        "070\u00a0123\u202f45\u300067",
        "070\u2010123\u201545\u221267",
        "070\u30fc123\u30fc45\u30fc67",
        "０７０－１２３　４５　６７",
        "۰۷۰-۱۲۳ ۴۵ ۶۷",
        "٠٧٠_١٢٣_٤٥_٦٧",
        "+46\u200b70\u00ad123\u206045\u200c67",
    ],
)
def test_a_number_with_any_separator_becomes_a_token_for_that_number(text):
    stored = []
    redacted, count = redact_phone_numbers(
        f"ring {text} tack", lambda e164: stored.append(e164) or "A" * 22
    )
    assert stored == ["+46701234567"] and count == 1
    assert redacted == f"ring {TOKEN_PREFIX}{'A' * 22} tack"


@st.composite
def swedish_mobile_numbers(draw):
    """A Swedish mobile number as residents write it: any prefix, grouping, separator, script."""
    subscriber = (
        "7" + draw(st.sampled_from("02369")) + draw(st.text("0123456789", min_size=7, max_size=7))
    )
    prefix = draw(st.sampled_from(["0", "+46", "0046", "+46 (0)", "46"]))
    digits = prefix + subscriber
    groups, rest = [], digits
    while rest:
        size = draw(st.integers(1, 4))
        groups.append(rest[:size])
        rest = rest[size:]
    separators = [
        draw(st.text(st.sampled_from(SEPARATORS), min_size=0, max_size=3)) for _ in groups
    ]
    written = "".join(g + s for g, s in zip(groups, separators, strict=True)).rstrip()
    script = SCRIPTS[draw(st.sampled_from(sorted(SCRIPTS)))]
    return "".join(script[int(ch)] if ch.isdigit() else ch for ch in written)


@settings(max_examples=600, deadline=None)
@given(
    swedish_mobile_numbers(),
    st.sampled_from(["", "mitt nummer är ", "رقمي ", "shumaraygu waa ", "numeroni on "]),
    st.sampled_from(["", " tack", ".", " ok?", "\n"]),
)
def test_no_swedish_mobile_number_in_any_form_reaches_rasa(number, before, after):
    redacted = redact(before + number + after)
    assert not digits_left(redacted), redacted


@settings(max_examples=300, deadline=None)
@given(swedish_mobile_numbers(), st.integers(1, 12))
def test_no_number_split_over_two_messages_in_the_phone_step_reaches_rasa(number, cut):
    first, second = number[:cut], number[cut:]
    sent = [
        redact_phone_numbers(part, lambda _e164: "T" * 22, phone_step=True)[0]
        for part in (first, second)
    ]
    assert not digits_left(sent[0] + sent[1])
    for part in sent:
        assert sum(ch.isdigit() for ch in digit_view(part)) < 3, part


@pytest.mark.parametrize(
    "text",
    [
        "123 45",
        "postnummer 118 26",
        "Mitt postnummer är 124 54",
        "kl 10:30",
        "den 12/3",
        "112",
        "1177",
        "ring 114 14",
        "jag är 34 år och har 2 barn",
        '/choose{"choice": "slot_k2j3l"}',
        "3ayez 7ad ysa3edni",
    ],
)
def test_what_is_no_phone_number_reaches_rasa_unchanged(text):
    assert redact(text) == text


@pytest.mark.parametrize("text", ["070-123", "45 67", "123", "070 12"])
def test_in_the_phone_step_a_part_of_a_number_is_not_forwarded(text):
    redacted = redact_phone_numbers(text, lambda _e164: "T" * 22, phone_step=True)[0]
    assert redacted == INVALID_MARKER


@pytest.mark.parametrize("text", ["avbryt", "vad händer med numret?", "45", "ja 12"])
def test_in_the_phone_step_words_and_short_numbers_still_reach_rasa(text):
    assert redact_phone_numbers(text, lambda _e164: "T" * 22, phone_step=True)[0] == text

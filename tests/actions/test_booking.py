"""The booking form (actions/booking.py) run with a tracker built in the test: what each answer
fills, what it refuses, and what the consent writes to the database."""

import logging
from datetime import timedelta

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from sqlalchemy import select

from actions.booking import (
    CALL_LANGUAGES,
    FORM_SLOTS,
    SAFE_TIMES,
    ActionAskCallbackSlot,
    ActionAskCentre,
    ActionAskConsent,
    ActionResetBooking,
    ValidateBookingForm,
    ValidateCancelForm,
    pepper,
    phone_keys,
)
from actions.callback_slots import slot_choice
from actions.tracker_reading import choose_payload
from bot.phone import INVALID_MARKER, TOKEN_PREFIX
from bot.places import centres
from bot.secrets import load_secrets
from bot.settings import current
from bot.storage import bookings as repo
from bot.storage.crypto import PhoneCipher, booking_aad, reference_hash
from bot.storage.db import session_scope
from bot.storage.models import bookings, phone_tokens, slot_usage
from tests.actions.conftest import NOW, PHONE

FORM = ValidateBookingForm()
CENTRE = "rvc_innerstan"
# The test schedule's slots at NOW: Monday and Tuesday 09:00-11:30 in Stockholm (08:00-10:30 UTC).
MONDAY = [NOW.replace(hour=8) + timedelta(minutes=30 * i) for i in range(6)]
TUESDAY = [slot + timedelta(days=1) for slot in MONDAY]
SLOT = MONDAY[0]
YES_NO_SLOTS = ("may_identify", "may_leave_message", "withheld_ok", "interpreter")


def responses(dispatcher):
    return [message["response"] for message in dispatcher.messages]


def answers(token, slot=SLOT, **changes):
    """The slots of a booking form answered up to the consent question."""
    return {
        "centre": CENTRE,
        "callback_slot": slot.isoformat(),
        "safe_times": "weekday_mornings",
        "may_identify": False,
        "may_leave_message": True,
        "withheld_ok": False,
        "call_language": "ar",
        "interpreter": True,
        "phone_token": token,
        "requested_slot": "consent",
        **changes,
    }


def booking_rows(url):
    with session_scope(url) as session:
        return session.execute(select(bookings)).all()


def fill_slot(url, new_phone_token, slot=SLOT):
    """Someone else takes the slot's only seat."""
    with session_scope(url) as session:
        repo.book_callback(
            session,
            repo.BookingRequest(CENTRE, slot, "sv", "sv", False, True, True, True, "any_daytime"),
            new_phone_token(),
            capacity=1,
            pepper=pepper(),
            cipher=phone_keys(),
        )


# --- centre ---


def test_a_centre_button_fills_the_centre(dispatcher, tracker_for, domain):
    tracker = tracker_for(choice="rvc_vasterort")
    assert FORM.validate_centre(choose_payload("rvc_vasterort"), dispatcher, tracker, domain) == {
        "centre": "rvc_vasterort"
    }
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "typed, centre", [("Bromma", "rvc_vasterort"), ("jag bor i Skärholmen", "rvc_vastra_soderort")]
)
def test_a_typed_district_fills_the_centre_that_serves_it(
    typed, centre, dispatcher, tracker_for, domain
):
    tracker = tracker_for(intent="inform", text=typed)
    assert FORM.validate_centre(typed, dispatcher, tracker, domain) == {"centre": centre}
    assert dispatcher.messages == []


def test_the_centre_found_by_the_nearest_rvc_answer_is_kept(dispatcher, tracker_for, domain):
    tracker = tracker_for(intent="book_callback", text="boka")
    assert FORM.validate_centre("rvc_sodra_soderort", dispatcher, tracker, domain) == {
        "centre": "rvc_sodra_soderort"
    }


@pytest.mark.parametrize("typed", ["Solna", "hej", "", "12345"])
def test_a_place_outside_the_city_or_no_place_asks_for_a_button(
    typed, dispatcher, tracker_for, domain
):
    tracker = tracker_for(intent="inform", text=typed)
    assert FORM.validate_centre(typed, dispatcher, tracker, domain) == {"centre": None}
    assert responses(dispatcher) == ["utter_choose_button"]


async def test_the_centre_question_has_one_button_per_centre(dispatcher, tracker_for, domain):
    assert (
        await ActionAskCentre().run(dispatcher, tracker_for(intent="book_callback"), domain) == []
    )
    assert responses(dispatcher) == ["utter_booking_intro", "utter_ask_centre"]
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]] == [
        choose_payload(c) for c in centres()
    ]


# --- callback slot ---


@pytest.mark.parametrize("page, next_page", [(None, 1), (0, 1), (2, 3)])
def test_later_asks_for_the_next_page_of_slots(
    page, next_page, dispatcher, tracker_for, domain, schedule
):
    tracker = tracker_for({"centre": CENTRE, "slot_page": page}, choice="later")
    assert FORM.validate_callback_slot("/choose", dispatcher, tracker, domain) == {
        "callback_slot": None,
        "slot_page": next_page,
    }
    assert dispatcher.messages == []


@pytest.mark.parametrize("slot", [MONDAY[0], MONDAY[5], TUESDAY[3]])
def test_an_offered_slot_is_accepted(slot, dispatcher, tracker_for, domain, schedule):
    tracker = tracker_for({"centre": CENTRE}, choice=slot_choice(slot))
    assert FORM.validate_callback_slot("/choose", dispatcher, tracker, domain) == {
        "callback_slot": slot.isoformat()
    }
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "picked",
    [
        slot_choice(MONDAY[0] - timedelta(minutes=30)),  # before the hours (and within the lead)
        slot_choice(MONDAY[0] + timedelta(minutes=10)),  # not a slot start
        slot_choice(MONDAY[0] - timedelta(days=7)),  # in the past
        slot_choice(MONDAY[0] + timedelta(days=2)),  # Wednesday: no hours
        slot_choice(MONDAY[0] + timedelta(days=7)),  # beyond the days ahead
        "slot_!!",
        None,
    ],
)
def test_a_slot_that_was_not_offered_is_refused(picked, dispatcher, tracker_for, domain, schedule):
    tracker = (
        tracker_for({"centre": CENTRE}, choice=picked)
        if picked
        else tracker_for({"centre": CENTRE}, intent="inform", text="i morgon")
    )
    assert FORM.validate_callback_slot("x", dispatcher, tracker, domain) == {"callback_slot": None}
    assert responses(dispatcher) == ["utter_choose_button"]


def test_a_slot_is_refused_at_a_centre_without_a_schedule(
    dispatcher, tracker_for, domain, schedule
):
    tracker = tracker_for({"centre": "rvc_nowhere"}, choice=slot_choice(SLOT))
    assert FORM.validate_callback_slot("x", dispatcher, tracker, domain) == {"callback_slot": None}
    assert responses(dispatcher) == ["utter_choose_button"]


def slot_buttons(dispatcher):
    return [b["payload"] for b in dispatcher.messages[0]["buttons"]]


@pytest.mark.parametrize(
    "page, shown", [(None, MONDAY[:4]), (1, MONDAY[4:] + TUESDAY[:2]), (2, TUESDAY[2:])]
)
async def test_the_slot_question_shows_a_page_of_free_slots_soonest_first(
    page, shown, dispatcher, tracker_for, domain, database
):
    events = await ActionAskCallbackSlot().run(
        dispatcher, tracker_for({"centre": CENTRE, "slot_page": page}), domain
    )
    assert responses(dispatcher) == ["utter_ask_callback_slot", "utter_later_slots"]
    assert slot_buttons(dispatcher) == [choose_payload(slot_choice(s)) for s in shown]
    assert events == [SlotSet("slot_page", page or 0)]


async def test_paging_past_the_last_slots_starts_again_at_the_first(
    dispatcher, tracker_for, domain, database
):
    events = await ActionAskCallbackSlot().run(
        dispatcher, tracker_for({"centre": CENTRE, "slot_page": 3}), domain
    )
    assert slot_buttons(dispatcher) == [choose_payload(slot_choice(s)) for s in MONDAY[:4]]
    assert events == [SlotSet("slot_page", 0)]


async def test_a_full_slot_is_not_offered(
    dispatcher, tracker_for, domain, database, new_phone_token
):
    fill_slot(database, new_phone_token, MONDAY[1])
    await ActionAskCallbackSlot().run(dispatcher, tracker_for({"centre": CENTRE}), domain)
    assert slot_buttons(dispatcher) == [
        choose_payload(slot_choice(s)) for s in [MONDAY[0]] + MONDAY[2:5]
    ]


async def test_no_free_slot_ends_the_form_and_forgets_the_answers(
    dispatcher, tracker_for, domain, database, monkeypatch
):
    monkeypatch.setattr(
        repo, "now_utc", lambda: NOW + timedelta(days=2)
    )  # Wednesday: no hours until Monday
    events = await ActionAskCallbackSlot().run(dispatcher, tracker_for({"centre": CENTRE}), domain)
    assert responses(dispatcher) == ["utter_no_free_slots"]
    assert events[:2] == [ActiveLoop(None), SlotSet("requested_slot", None)]
    assert events[2:] == [SlotSet(name, None) for name in FORM_SLOTS]


async def test_a_database_fault_while_listing_slots_ends_the_form(
    dispatcher, tracker_for, domain, broken_database
):
    events = await ActionAskCallbackSlot().run(dispatcher, tracker_for({"centre": CENTRE}), domain)
    assert responses(dispatcher) == ["utter_booking_failed"]
    assert events[:2] == [ActiveLoop(None), SlotSet("requested_slot", None)]


# --- safe times, yes/no questions, call language ---


@pytest.mark.parametrize("value", SAFE_TIMES)
def test_each_safe_time_button_fills_safe_times(value, dispatcher, tracker_for, domain):
    assert FORM.validate_safe_times("/choose", dispatcher, tracker_for(choice=value), domain) == {
        "safe_times": value
    }
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "tracker_args",
    [{"choice": "yes"}, {"choice": "evenings"}, {"intent": "inform", "text": "på morgonen"}],
)
def test_safe_times_refuses_anything_but_its_buttons(tracker_args, dispatcher, tracker_for, domain):
    assert FORM.validate_safe_times("x", dispatcher, tracker_for(**tracker_args), domain) == {
        "safe_times": None
    }
    assert responses(dispatcher) == ["utter_choose_button"]


@pytest.mark.parametrize("value", CALL_LANGUAGES)
def test_each_call_language_button_fills_call_language(value, dispatcher, tracker_for, domain):
    assert FORM.validate_call_language(
        "/choose", dispatcher, tracker_for(choice=value), domain
    ) == {"call_language": value}


def test_a_call_language_without_a_button_is_refused(dispatcher, tracker_for, domain):
    assert FORM.validate_call_language("de", dispatcher, tracker_for(choice="de"), domain) == {
        "call_language": None
    }
    assert responses(dispatcher) == ["utter_choose_button"]


@pytest.mark.parametrize(
    "response, values",
    [("utter_ask_safe_times", SAFE_TIMES), ("utter_ask_call_language", CALL_LANGUAGES)],
)
def test_the_questions_buttons_are_the_values_the_form_accepts(response, values, domain):
    payloads = {
        b["payload"]
        for variation in domain["responses"][response]
        for b in variation.get("buttons", [])
    }
    assert payloads == {choose_payload(v) for v in values}


@pytest.mark.parametrize("slot", YES_NO_SLOTS)
@pytest.mark.parametrize(
    "tracker_args, answer",
    [
        ({"choice": "yes"}, True),
        ({"choice": "no"}, False),
        ({"intent": "affirm", "text": "ja"}, True),
        ({"intent": "deny", "text": "nej"}, False),
    ],
)
def test_a_yes_or_no_question_takes_its_buttons_and_a_typed_yes_or_no(
    slot, tracker_args, answer, dispatcher, tracker_for, domain
):
    validate = getattr(FORM, f"validate_{slot}")
    assert validate("x", dispatcher, tracker_for(**tracker_args), domain) == {slot: answer}
    assert dispatcher.messages == []


@pytest.mark.parametrize("slot", YES_NO_SLOTS)
@pytest.mark.parametrize(
    "tracker_args", [{"choice": "weekday_mornings"}, {"intent": "inform", "text": "kanske"}]
)
def test_a_yes_or_no_question_asks_for_a_button_otherwise(
    slot, tracker_args, dispatcher, tracker_for, domain
):
    validate = getattr(FORM, f"validate_{slot}")
    assert validate("x", dispatcher, tracker_for(**tracker_args), domain) == {slot: None}
    assert responses(dispatcher) == ["utter_choose_button"]


# --- phone number ---


def test_a_phone_token_from_the_web_app_is_accepted(
    dispatcher, tracker_for, domain, new_phone_token
):
    token = new_phone_token()
    text = f"mitt nummer är {TOKEN_PREFIX}{token}"
    assert FORM.validate_phone_token(
        text, dispatcher, tracker_for(intent="inform", text=text), domain
    ) == {"phone_token": token}
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "text", [INVALID_MARKER, f"mitt nummer är {INVALID_MARKER}", "inget nummer", None]
)
def test_an_invalid_or_missing_number_is_asked_again(
    text, dispatcher, tracker_for, domain, database
):
    assert FORM.validate_phone_token(
        text, dispatcher, tracker_for(intent="inform", text=text), domain
    ) == {"phone_token": None}
    assert responses(dispatcher) == ["utter_phone_invalid"]


def test_an_expired_or_unknown_token_is_asked_again(
    dispatcher, tracker_for, domain, new_phone_token
):
    expired = new_phone_token(now=NOW - repo.TOKEN_LIFETIME - timedelta(minutes=1))
    for token in (expired, "A" * 22):
        text = TOKEN_PREFIX + token
        assert FORM.validate_phone_token(
            text, dispatcher, tracker_for(intent="inform", text=text), domain
        ) == {"phone_token": None}
    assert responses(dispatcher) == ["utter_phone_expired", "utter_phone_expired"]


# --- consent and the booking ---


def test_consent_books_the_callback_with_the_answers_given(
    dispatcher, tracker_for, domain, database, new_phone_token
):
    token = new_phone_token()
    tracker = tracker_for(answers(token), choice="yes", language="ar")
    assert FORM.validate_consent("/choose", dispatcher, tracker, domain) == {"consent": True}
    assert responses(dispatcher) == ["utter_booking_confirmed"]
    confirmed = dispatcher.messages[0]
    assert confirmed["centre_name"] == centres()[CENTRE]
    [row] = booking_rows(database)
    assert (
        row.centre,
        repo.as_utc(row.slot_start),
        row.language,
        row.call_language,
        row.safe_times,
    ) == (CENTRE, SLOT, "ar", "ar", "weekday_mornings")
    assert (row.interpreter, row.may_identify, row.may_leave_message, row.withheld_ok) == (
        True,
        False,
        True,
        False,
    )
    assert row.status == "booked"
    assert row.reference_hash == reference_hash(
        load_secrets()["reference_pepper"], confirmed["reference"]
    )
    cipher = PhoneCipher(load_secrets()["phone_keys"])
    assert cipher.decrypt(row.phone_cipher, aad=booking_aad(row.id)) == PHONE
    with session_scope(database) as session:
        assert session.execute(select(phone_tokens)).all() == []
        assert session.execute(select(slot_usage.c.booked)).scalars().all() == [1]


@pytest.mark.parametrize("tracker_args", [{"choice": "no"}, {"intent": "deny", "text": "nej"}])
def test_no_to_consent_books_nothing(
    tracker_args, dispatcher, tracker_for, domain, database, new_phone_token
):
    tracker = tracker_for(answers(new_phone_token()), **tracker_args)
    assert FORM.validate_consent("x", dispatcher, tracker, domain) == {"consent": False}
    assert responses(dispatcher) == ["utter_booking_not_confirmed"]
    assert booking_rows(database) == []


def test_an_unclear_answer_to_consent_asks_for_a_button(
    dispatcher, tracker_for, domain, database, new_phone_token
):
    tracker = tracker_for(answers(new_phone_token()), intent="inform", text="vad betyder det")
    assert FORM.validate_consent("x", dispatcher, tracker, domain) == {"consent": None}
    assert responses(dispatcher) == ["utter_choose_button"]
    assert booking_rows(database) == []


def test_a_slot_filled_meanwhile_sends_the_form_back_to_the_slots(
    dispatcher, tracker_for, domain, database, new_phone_token
):
    token = new_phone_token()
    fill_slot(database, new_phone_token)
    tracker = tracker_for(answers(token), choice="yes")
    assert FORM.validate_consent("/choose", dispatcher, tracker, domain) == {
        "consent": None,
        "callback_slot": None,
        "slot_page": 0,
    }
    assert responses(dispatcher) == ["utter_slot_taken"]
    assert len(booking_rows(database)) == 1
    with session_scope(database) as session:
        assert repo.phone_token_is_valid(
            session, token
        )  # kept for the slot the resident picks next


def test_a_double_submit_books_once(dispatcher, tracker_for, domain, database, new_phone_token):
    tracker = tracker_for(answers(new_phone_token()), choice="yes")
    assert FORM.validate_consent("/choose", dispatcher, tracker, domain) == {"consent": True}
    assert FORM.validate_consent("/choose", dispatcher, tracker, domain) == {
        "consent": None,
        "phone_token": None,
    }
    assert responses(dispatcher) == ["utter_booking_confirmed", "utter_phone_expired"]
    assert len(booking_rows(database)) == 1


def test_a_database_fault_at_consent_is_told_and_nothing_booked(
    dispatcher, tracker_for, domain, database, new_phone_token, monkeypatch, tmp_path
):
    tracker = tracker_for(answers(new_phone_token()), choice="yes")
    monkeypatch.setenv("TRYGG_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    current.cache_clear()
    assert FORM.validate_consent("/choose", dispatcher, tracker, domain) == {"consent": None}
    assert responses(dispatcher) == ["utter_booking_failed"]
    assert booking_rows(database) == []


async def test_the_form_validator_books_on_consent_through_the_domain(
    dispatcher, tracker_for, domain, database, new_phone_token
):
    """As Rasa calls it: the consent arrives as a slot candidate and the form's slots come from domain.yml."""
    tracker = tracker_for(
        answers(new_phone_token()),
        choice="yes",
        active_loop="booking_form",
        candidates={"consent": choose_payload("yes")},
    )
    events = await FORM.run(dispatcher, tracker, domain)
    assert SlotSet("consent", True) in events
    assert responses(dispatcher) == ["utter_booking_confirmed"]
    assert len(booking_rows(database)) == 1


async def test_the_summary_names_the_answers_by_response(dispatcher, tracker_for, domain, database):
    await ActionAskConsent().run(dispatcher, tracker_for(answers("t")), domain)
    assert responses(dispatcher) == ["utter_booking_summary"]
    summary = dispatcher.messages[0]
    assert summary["centre_name"] == centres()[CENTRE]
    assert (summary["safe_times_text"], summary["call_language_text"]) == (
        "@utter_safe_weekday_mornings",
        "@utter_language_name_ar",
    )
    assert (
        summary["may_identify_text"],
        summary["may_leave_message_text"],
        summary["withheld_ok_text"],
        summary["interpreter_text"],
    ) == ("@utter_word_no", "@utter_word_yes", "@utter_word_no", "@utter_word_yes")


@pytest.mark.parametrize("safe_times", SAFE_TIMES)
@pytest.mark.parametrize("call_language", CALL_LANGUAGES)
async def test_every_summary_names_only_responses_the_domain_has(
    safe_times, call_language, dispatcher, tracker_for, domain, schedule
):
    await ActionAskConsent().run(
        dispatcher,
        tracker_for(answers("t", safe_times=safe_times, call_language=call_language)),
        domain,
    )
    named = {
        value[1:]
        for value in dispatcher.messages[0].values()
        if isinstance(value, str) and value.startswith("@")
    }
    assert named and named <= set(domain["responses"])


async def test_the_reset_forgets_every_answer_of_the_form(dispatcher, tracker_for, domain):
    events = await ActionResetBooking().run(dispatcher, tracker_for(answers("t")), domain)
    forgotten = {
        event["name"] for event in events if event["event"] == "slot" and event["value"] is None
    }
    assert set(domain["forms"]["booking_form"]["required_slots"]) <= forgotten
    assert {"slot_page", "reference_code"} <= forgotten


# --- cancelling ---


def book(dispatcher, tracker_for, domain, new_phone_token) -> str:
    FORM.validate_consent(
        "/choose", dispatcher, tracker_for(answers(new_phone_token()), choice="yes"), domain
    )
    return dispatcher.messages[-1]["reference"]


def test_the_reference_code_cancels_the_booking_and_erases_the_number(
    dispatcher, tracker_for, domain, database, new_phone_token
):
    typed = book(dispatcher, tracker_for, domain, new_phone_token).lower().replace("-", " ")
    result = ValidateCancelForm().validate_reference_code(
        typed, dispatcher, tracker_for(intent="inform", text=typed), domain
    )
    assert result == {"reference_code": "done"}
    assert responses(dispatcher)[-1] == "utter_booking_cancelled"
    [row] = booking_rows(database)
    assert (row.status, row.phone_cipher) == ("cancelled", None)
    with session_scope(database) as session:
        assert session.execute(select(slot_usage.c.booked)).scalars().all() == [0]


def test_booking_and_cancelling_write_no_log_line(
    dispatcher, tracker_for, domain, database, new_phone_token, caplog
):
    """A log line carries its moment; one per booking would tie it, through a proxy's access
    log, to the resident's address."""
    with caplog.at_level(logging.DEBUG):
        typed = book(dispatcher, tracker_for, domain, new_phone_token)
        result = ValidateCancelForm().validate_reference_code(
            typed, dispatcher, tracker_for(intent="inform", text=typed), domain
        )
    assert result == {"reference_code": "done"}
    assert [r.getMessage() for r in caplog.records if r.name.startswith("actions")] == []


@pytest.mark.parametrize("typed", ["ABCD", "ABCD-EFGH-J", "ABCD-EFGH", ""])
def test_a_wrong_or_unknown_reference_code_is_refused(
    typed, dispatcher, tracker_for, domain, database
):
    result = ValidateCancelForm().validate_reference_code(
        typed, dispatcher, tracker_for(intent="inform", text=typed), domain
    )
    assert result == {"reference_code": None}
    assert responses(dispatcher) == ["utter_reference_unknown"]


def test_a_cancelled_booking_cannot_be_cancelled_again(
    dispatcher, tracker_for, domain, database, new_phone_token
):
    code = book(dispatcher, tracker_for, domain, new_phone_token)
    cancel = ValidateCancelForm()
    cancel.validate_reference_code(
        code, dispatcher, tracker_for(intent="inform", text=code), domain
    )
    assert cancel.validate_reference_code(
        code, dispatcher, tracker_for(intent="inform", text=code), domain
    ) == {"reference_code": None}
    assert responses(dispatcher)[-1] == "utter_reference_unknown"


def test_a_code_of_the_wrong_length_is_refused_without_asking_the_database(
    dispatcher, tracker_for, domain, broken_database
):
    result = ValidateCancelForm().validate_reference_code(
        "ABCD-EFG", dispatcher, tracker_for(intent="inform"), domain
    )
    assert result == {"reference_code": None}
    assert responses(dispatcher) == ["utter_reference_unknown"]


def test_a_database_fault_while_cancelling_is_told(
    dispatcher, tracker_for, domain, broken_database
):
    result = ValidateCancelForm().validate_reference_code(
        "ABCD-EFGH", dispatcher, tracker_for(intent="inform"), domain
    )
    assert result == {"reference_code": None}
    assert responses(dispatcher) == ["utter_booking_failed"]

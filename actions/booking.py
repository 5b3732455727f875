"""Callback booking: the booking form's questions, validation, and the booking itself.

Long because rasa_sdk wants every ``validate_<slot>`` of a form on one class, and the form's
questions beside it; slot and tracker helpers are in callback_slots.py and tracker_reading.py.

Slots are filled from button payloads (``/choose{"choice": ...}``) or typed text and checked
here. The phone number never reaches this code: the web app replaced it by a token
(bot/phone.py). The booking is made when the resident consents (``validate_consent``), so a
full slot or an expired token sends the form back to the right question.
"""

import logging
from functools import lru_cache
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.callback_slots import SLOTS_PER_PAGE, free_slots, parse_slot, slot_choice, slot_label
from actions.tracker_reading import choice, choose_payload, language_of, yes_or_no
from bot import vocabulary
from bot.phone import TOKEN_PATTERN, TOKEN_PREFIX
from bot.places import centres, find_place
from bot.schedule import load_schedule
from bot.secrets import CurrentPhoneKeys, load_secrets
from bot.settings import current
from bot.storage import bookings as repo
from bot.storage.db import session_scope

SAFE_TIMES = tuple(vocabulary.SAFE_TIMES)
CALL_LANGUAGES = vocabulary.CALL_LANGUAGES
FORM_SLOTS = (
    "centre",
    "callback_slot",
    "safe_times",
    "may_identify",
    "may_leave_message",
    "withheld_ok",
    "call_language",
    "interpreter",
    "phone_token",
    "consent",
    "slot_page",
    "reference_code",
)

logger = logging.getLogger(__name__)


class ValidateBookingForm(FormValidationAction):
    def name(self) -> str:
        return "validate_booking_form"

    def validate_centre(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        picked = choice(tracker)
        if picked in centres():
            return {"centre": picked}
        if value in centres():  # already known from the nearest-RVC answer
            return {"centre": value}
        match = find_place(str(value or ""))
        if match.kind == "district":
            return {"centre": match.centre}
        dispatcher.utter_message(response="utter_choose_button")
        return {"centre": None}

    def validate_callback_slot(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        picked = choice(tracker)
        if picked == "later":
            return {"callback_slot": None, "slot_page": int(tracker.get_slot("slot_page") or 0) + 1}
        slot = parse_slot(picked)
        if slot is None or not load_schedule().is_offered(
            tracker.get_slot("centre"), slot, repo.now_utc()
        ):
            dispatcher.utter_message(response="utter_choose_button")
            return {"callback_slot": None}
        return {"callback_slot": slot.isoformat()}

    def validate_safe_times(self, value, dispatcher, tracker, domain) -> Dict[str, Any]:
        return _choice_slot("safe_times", SAFE_TIMES, dispatcher, tracker)

    def validate_may_identify(self, value, dispatcher, tracker, domain) -> Dict[str, Any]:
        return _yes_no_slot("may_identify", dispatcher, tracker)

    def validate_may_leave_message(self, value, dispatcher, tracker, domain) -> Dict[str, Any]:
        return _yes_no_slot("may_leave_message", dispatcher, tracker)

    def validate_withheld_ok(self, value, dispatcher, tracker, domain) -> Dict[str, Any]:
        return _yes_no_slot("withheld_ok", dispatcher, tracker)

    def validate_interpreter(self, value, dispatcher, tracker, domain) -> Dict[str, Any]:
        return _yes_no_slot("interpreter", dispatcher, tracker)

    def validate_call_language(self, value, dispatcher, tracker, domain) -> Dict[str, Any]:
        return _choice_slot("call_language", CALL_LANGUAGES, dispatcher, tracker)

    def validate_phone_token(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        found = TOKEN_PATTERN.search(str(value or ""))
        if found is None:
            dispatcher.utter_message(response="utter_phone_invalid")
            return {"phone_token": None}
        token = found.group(0)[len(TOKEN_PREFIX) :]
        with session_scope(current().database_url) as session:
            valid = repo.phone_token_is_valid(session, token)
        if not valid:
            dispatcher.utter_message(response="utter_phone_expired")
            return {"phone_token": None}
        return {"phone_token": token}

    def validate_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        answer = yes_or_no(tracker)
        if answer is None:
            dispatcher.utter_message(response="utter_choose_button")
            return {"consent": None}
        if not answer:
            dispatcher.utter_message(response="utter_booking_not_confirmed")
            return {"consent": False}
        return _book(dispatcher, tracker)


def _choice_slot(
    name: str, allowed, dispatcher: CollectingDispatcher, tracker: Tracker
) -> Dict[str, Any]:
    """A slot filled only by one of its buttons; anything else gets "choose a button"."""
    picked = choice(tracker)
    if picked in allowed:
        return {name: picked}
    dispatcher.utter_message(response="utter_choose_button")
    return {name: None}


def _yes_no_slot(name: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[str, Any]:
    answer = yes_or_no(tracker)
    if answer is None:
        dispatcher.utter_message(response="utter_choose_button")
    return {name: answer}


def _book(dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[str, Any]:
    slot = parse_slot(tracker.get_slot("callback_slot"))
    centre = tracker.get_slot("centre")
    language = language_of(tracker)
    request = repo.BookingRequest(
        centre=centre,
        slot_start=slot,
        language=language,
        call_language=tracker.get_slot("call_language"),
        interpreter=bool(tracker.get_slot("interpreter")),
        may_identify=bool(tracker.get_slot("may_identify")),
        may_leave_message=bool(tracker.get_slot("may_leave_message")),
        withheld_ok=bool(tracker.get_slot("withheld_ok")),
        safe_times=tracker.get_slot("safe_times"),
    )
    try:
        with session_scope(current().database_url) as session:
            code = repo.book_callback(
                session,
                request,
                tracker.get_slot("phone_token"),
                capacity=load_schedule().capacity(centre),
                pepper=pepper(),
                cipher=phone_keys(),
            )
    except repo.SlotTaken:
        dispatcher.utter_message(response="utter_slot_taken")
        return {"consent": None, "callback_slot": None, "slot_page": 0}
    except repo.TokenUnknown:
        dispatcher.utter_message(response="utter_phone_expired")
        return {"consent": None, "phone_token": None}
    except SQLAlchemyError as error:
        logger.error("booking failed: %s", type(error).__name__)
        dispatcher.utter_message(response="utter_booking_failed")
        return {"consent": None}
    # No log line for a booking made (nor a cancel): every line carries its moment, which a proxy's
    # access log would tie to the resident's address. Errors are logged, without ids.
    dispatcher.utter_message(
        response="utter_booking_confirmed",
        centre_name=centres()[centre],
        slot_time=slot_label(slot, language),
        reference=code,
    )
    return {"consent": True}  # the form ends; action_reset_booking then forgets every answer


@lru_cache(maxsize=1)
def pepper() -> str:
    return load_secrets()["reference_pepper"]


@lru_cache(maxsize=1)
def phone_keys() -> CurrentPhoneKeys:
    """The booking moves the number from its token's row to the booking's (decrypt, encrypt
    again: the associated data names the row); the keys follow a rotation without a restart."""
    return CurrentPhoneKeys()


def reset_events() -> List[Dict[str, Any]]:
    return [SlotSet(name, None) for name in FORM_SLOTS]


def yes_no_word(value: Any) -> str:
    return "@utter_word_yes" if value else "@utter_word_no"


class ActionAskCentre(Action):
    def name(self) -> str:
        return "action_ask_centre"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(response="utter_booking_intro")
        buttons = [
            {"title": name, "payload": choose_payload(centre)} for centre, name in centres().items()
        ]
        dispatcher.utter_message(response="utter_ask_centre", buttons=buttons)
        return []


class ActionAskCallbackSlot(Action):
    def name(self) -> str:
        return "action_ask_callback_slot"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        try:
            slots = free_slots(tracker.get_slot("centre"), repo.now_utc())
        except SQLAlchemyError as error:
            logger.error("listing slots failed: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_booking_failed")
            return [ActiveLoop(None), SlotSet("requested_slot", None)] + reset_events()
        page = int(tracker.get_slot("slot_page") or 0)
        shown = slots[page * SLOTS_PER_PAGE : (page + 1) * SLOTS_PER_PAGE]
        if not shown and page:
            page, shown = 0, slots[:SLOTS_PER_PAGE]
        if not shown:
            dispatcher.utter_message(response="utter_no_free_slots")
            return [ActiveLoop(None), SlotSet("requested_slot", None)] + reset_events()
        language = language_of(tracker)
        buttons = [
            {"title": slot_label(s, language), "payload": choose_payload(slot_choice(s))}
            for s in shown
        ]
        dispatcher.utter_message(response="utter_ask_callback_slot", buttons=buttons)
        dispatcher.utter_message(response="utter_later_slots")
        return [SlotSet("slot_page", page)]


class ActionAskConsent(Action):
    def name(self) -> str:
        return "action_ask_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        slot = parse_slot(tracker.get_slot("callback_slot"))
        dispatcher.utter_message(
            response="utter_booking_summary",
            centre_name=centres()[tracker.get_slot("centre")],
            slot_time=slot_label(slot, language_of(tracker)),
            safe_times_text="@utter_safe_" + tracker.get_slot("safe_times"),
            may_identify_text=yes_no_word(tracker.get_slot("may_identify")),
            may_leave_message_text=yes_no_word(tracker.get_slot("may_leave_message")),
            withheld_ok_text=yes_no_word(tracker.get_slot("withheld_ok")),
            call_language_text="@utter_language_name_" + tracker.get_slot("call_language"),
            interpreter_text=yes_no_word(tracker.get_slot("interpreter")),
        )
        return []


class ActionResetBooking(Action):
    """Clears every booking slot: after a booking, a refusal, a stop, or danger mid-form."""

    def name(self) -> str:
        return "action_reset_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        return reset_events()


class ValidateCancelForm(FormValidationAction):
    def name(self) -> str:
        return "validate_cancel_form"

    def validate_reference_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        code = "".join(ch for ch in str(value or "").upper() if ch.isalnum())
        if len(code) != 8:
            dispatcher.utter_message(response="utter_reference_unknown")
            return {"reference_code": None}
        try:
            with session_scope(current().database_url) as session:
                cancelled = repo.cancel_booking(session, code, pepper())
        except SQLAlchemyError as error:
            logger.error("cancel failed: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_booking_failed")
            return {"reference_code": None}
        if not cancelled:
            dispatcher.utter_message(response="utter_reference_unknown")
            return {"reference_code": None}
        dispatcher.utter_message(response="utter_booking_cancelled")
        return {"reference_code": "done"}

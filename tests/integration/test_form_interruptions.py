"""Danger and questions interrupt the booking at every step, in all six languages (issue 16).

At each of the booking form's ten steps, button-only steps included, a message saying the
resident is in danger gets the 112 answer first; the booking waits (its question is asked again,
with a way to cancel) and can then go on or be cancelled. A question asked inside the form is
answered, and the booking goes on where it was.
"""

import uuid

import pytest
from booking_steps import STEPS, answer_for, choose, is_emergency_first, payloads, texts, walk_to

from bot.answers import Content
from bot.settings import Settings
from bot.vocabulary import LANGUAGES

pytestmark = pytest.mark.stack
CONTENT = Content.from_settings(Settings())

# Messages that say "danger now" in each language (not copied from the training data).
DANGER = {
    "sv": "han kom precis hem och han har en kniv",
    "en": "he just came home drunk and he is hitting me right now",
    "ar": "زوجي رجع سكران وعم يضربني هلق",
    "fa": "همین الان منو زد و هنوز خونه‌ست",
    "so": "qoriga ayuu haystaa wuuna i hanjabayaa hadda",
    "fi": "se tuli kotiin ja sillä on veitsi kädessä",
}
# "By the way, what is a målsägandebiträde?" inside the booking.
QUESTION = {
    "sv": "nej förresten, vad är ett målsägandebiträde?",
    "en": "wait what is a målsägandebiträde",
    "ar": "لحظة، ما هو målsägandebiträde؟",
    "fa": "راستی målsägandebiträde چیه؟",
    "so": "waa maxay målsägandebiträde",
    "fi": "hetkinen, mikä on målsägandebiträde?",
}
STOP = {
    "sv": "avbryt",
    "en": "cancel",
    "ar": "توقف",
    "fa": "لغو کن",
    "so": "jooji",
    "fi": "peruuta",
}
CASES = [(language, step) for language in LANGUAGES for step in STEPS]


def conversation(client, language):
    sender = str(uuid.uuid4())
    return lambda message: client.say(message, sender=sender, language=language)


def asks_again(question, answers):
    """The answers ask the step's question again: its texts and buttons are all there."""
    return set(texts(question)) <= set(texts(answers)) and set(payloads(question)) <= set(
        payloads(answers)
    )


@pytest.mark.parametrize("language, step", CASES, ids=[f"{l}-{s}" for l, s in CASES])
def test_danger_at_every_step_gets_112_first_and_the_booking_waits(client, language, step):
    say = conversation(client, language)
    question = walk_to(say, language, step)
    answers = say(DANGER[language])
    assert is_emergency_first(answers), answers
    assert (
        texts(answers)[0] == CONTENT.render("utter_acute_danger", language)["text"].split("\n\n")[0]
    )
    paused = CONTENT.render("utter_booking_paused", language)
    assert paused["text"] in texts(answers) and "/stop" in payloads(answers)
    assert asks_again(question, answers), answers


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_danger_the_booking_goes_on_where_it_was(client, language):
    say = conversation(client, language)
    question = walk_to(say, language, "safe_times")
    say(DANGER[language])
    answers = say(answer_for("safe_times", question))
    assert texts(answers) == [CONTENT.render("utter_ask_may_identify", language)["text"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_danger_the_booking_can_be_cancelled(client, language):
    say = conversation(client, language)
    walk_to(say, language, "may_leave_message")
    say(DANGER[language])
    answers = say("/stop")
    assert texts(answers)[0] == CONTENT.render("utter_booking_stopped", language)["text"]
    # the form is over: a yes now is no answer to a booking question
    assert CONTENT.render("utter_ask_withheld_ok", language)["text"] not in texts(
        say(choose("yes"))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_question_inside_the_booking_is_answered_then_the_booking_goes_on(client, language):
    say = conversation(client, language)
    question = walk_to(say, language, "centre")
    answers = say(QUESTION[language])
    answer = CONTENT.render("utter_legal_counsel", language)["text"].split("\n\n")[0]
    assert texts(answers)[0] == answer, answers
    assert asks_again(question, answers)
    answers = say(answer_for("centre", question))
    assert any('"choice": "slot_' in p for p in payloads(answers))  # the next step: a time


@pytest.mark.parametrize("language", LANGUAGES)
def test_stop_typed_inside_the_booking_cancels_it(client, language):
    say = conversation(client, language)
    walk_to(say, language, "call_language")
    answers = say(STOP[language])
    assert texts(answers)[0] == CONTENT.render("utter_booking_stopped", language)["text"]


def test_danger_inside_the_cancellation_form_gets_112_first(client):
    say = conversation(client, "sv")
    assert texts(say("jag vill avboka min uppringning")) == [
        CONTENT.render("utter_ask_reference_code", "sv")["text"]
    ]
    answers = say(DANGER["sv"])
    assert is_emergency_first(answers)
    assert CONTENT.render("utter_ask_reference_code", "sv")["text"] in texts(answers)

"""A first Swedish conversation end to end, over /api/chat and over Rasa's own REST webhook."""

import uuid

import pytest

from bot.answers import Content
from bot.settings import Settings
from tests.helpers import texts

pytestmark = pytest.mark.stack
CONTENT = Content.from_settings(Settings())


def first_paragraph(response: str, language: str = "sv", **arguments) -> str:
    return CONTENT.render(response, language, arguments)["text"].split("\n\n")[0]


def fact(key: str) -> str:
    return str(CONTENT.fact(key)["value"])


def test_greeting_is_the_greeting_with_topic_buttons(client):
    answers = client.say("hej")
    assert texts(answers)[0] == first_paragraph("utter_greet")
    assert any(b["payload"] == "/where_to_turn" for b in answers[0]["buttons"])


def test_where_can_i_turn_names_rvc_and_kvinnofridslinjen(client):
    answers = client.say("vart kan jag vända mig om min sambo slår mig?")
    # With buttons, Rasa's REST channel sends the whole text as one message.
    assert texts(answers)[0] == CONTENT.render("utter_where_to_turn", "sv")["text"]
    assert fact("kvinnofridslinjen_phone") in " ".join(texts(answers))


@pytest.mark.parametrize(
    "message", ["han slår mig just nu hjälp", "han står utanför dörren och hotar att döda mig"]
)
def test_acute_danger_gets_112_first(client, message):
    answers = client.say(message)
    assert texts(answers)[0] == first_paragraph("utter_acute_danger")
    assert fact("emergency_phone") in texts(answers)[0]


def test_danger_after_other_turns_still_gets_112_first(client):
    sender = str(uuid.uuid4())
    client.say("hej", sender=sender)
    client.say("vad är ett kontaktförbud?", sender=sender)
    assert texts(client.say("hjälp han har en kniv", sender=sender))[0] == first_paragraph(
        "utter_acute_danger"
    )


def test_out_of_scope_gets_an_honest_answer_and_where_to_turn(client):
    text = " ".join(texts(client.say("vad blir det för väder i morgon?")))
    # Which of the three honest answers depends on how sure the model is; each names where to turn.
    honest = ("utter_out_of_scope", "utter_default", "utter_offer_choices")
    assert any(text.startswith(first_paragraph(response)) for response in honest), text
    assert fact("kvinnofridslinjen_phone") in text and fact("emergency_phone") in text


def test_rasa_rest_webhook_directly_honours_language_metadata(rasa_client):
    answers = rasa_client.say("hej", language="en", path="/webhooks/rest/webhook")
    assert texts(answers)[0] == first_paragraph("utter_greet", "en")


def test_api_chat_honours_language_metadata(client):
    answers = client.say("hej", language="fi")
    assert texts(answers)[0] == first_paragraph("utter_greet", "fi")


def test_health_is_ok_when_every_part_answers(client):
    status, body, _ = client.request("GET", "/healthz")
    assert status == 200, body
    assert body["parts"] == {"rasa": "up", "actions": "up", "nlg": "up"}

"""The chat request contract: what reaches Rasa, and the clear 4xx for everything else."""

import uuid

import pytest

from bot.chat_input import clean_text, parse_chat_request
from bot.errors import ApiError

SENDER = str(uuid.uuid4())


def test_valid_message_keeps_sender_text_and_language():
    message = parse_chat_request(
        {"sender": SENDER, "message": " hej ", "metadata": {"language": "ar"}}, 2000
    )
    assert message.rasa_payload() == {
        "sender": SENDER,
        "message": "hej",
        "metadata": {"language": "ar"},
    }


def test_metadata_is_optional_and_other_keys_are_dropped():
    message = parse_chat_request(
        {"sender": SENDER, "message": "hej", "metadata": {"ip": "1.2.3.4"}}, 2000
    )
    assert message.rasa_payload()["metadata"] == {}


@pytest.mark.parametrize(
    "body, reason",
    [
        (None, "InvalidJson"),
        ([], "InvalidJson"),
        ("hej", "InvalidJson"),
        ({"message": "hej"}, "InvalidSender"),
        ({"sender": "user-1", "message": "hej"}, "InvalidSender"),
        ({"sender": str(uuid.uuid1()), "message": "hej"}, "InvalidSender"),  # not random
        ({"sender": SENDER.replace("-", ""), "message": "hej"}, "InvalidSender"),  # not canonical
        ({"sender": 42, "message": "hej"}, "InvalidSender"),
        ({"sender": SENDER}, "InvalidMessage"),
        ({"sender": SENDER, "message": 5}, "InvalidMessage"),
        ({"sender": SENDER, "message": ""}, "EmptyMessage"),
        ({"sender": SENDER, "message": " \n\t "}, "EmptyMessage"),
        ({"sender": SENDER, "message": "\u0000\u202e\u0007"}, "EmptyMessage"),
        ({"sender": SENDER, "message": "x" * 2001}, "MessageTooLong"),
        ({"sender": SENDER, "message": "hej", "metadata": "sv"}, "InvalidMetadata"),
        (
            {"sender": SENDER, "message": "hej", "metadata": {"language": "de"}},
            "UnsupportedLanguage",
        ),
        (
            {"sender": SENDER, "message": "hej", "metadata": {"language": ["sv"]}},
            "UnsupportedLanguage",
        ),
    ],
)
def test_bad_requests_get_a_clear_4xx(body, reason):
    with pytest.raises(ApiError) as raised:
        parse_chat_request(body, 2000)
    assert raised.value.reason == reason
    assert 400 <= raised.value.status < 500
    assert raised.value.message


def test_control_and_bidi_override_characters_are_removed_but_text_kept():
    assert clean_text("hej\u202e då\u0000\n") == "hej då"
    assert clean_text("أحتاج\u200c مساعدة") == "أحتاج\u200c مساعدة"  # ZWNJ is meaningful in Persian


def test_text_is_nfc_normalised():
    assert clean_text("va\u0308rld") == "värld"


def test_the_widgets_phone_step_makes_redaction_stricter_and_never_reaches_rasa():
    body = {"sender": str(uuid.uuid4()), "message": "45 67", "metadata": {"step": "phone"}}
    message = parse_chat_request(body, 2000)
    assert message.phone_step
    assert message.rasa_payload()["metadata"] == {}
    assert not parse_chat_request({**body, "metadata": {"step": ["phone"]}}, 2000).phone_step

"""A resident books a callback, sees a reference, and cancels with it — in all six languages —
over /api/chat; the phone number's digits are then nowhere: not in the database, the logs, the
tracker (dumped from Redis), or any file of the working tree."""

import json
import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest
from booking_steps import START

from bot.answers import Content
from bot.settings import Settings
from tests.helpers import texts

CONTENT = Content.from_settings(Settings())

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")

CANCEL = {
    "sv": "jag vill avboka min uppringning",
    "en": "I want to cancel my callback",
    "ar": "أريد إلغاء موعد الاتصال",
    "fa": "می‌خواهم تماس رزرو شده را لغو کنم",
    "so": "waxaan rabaa inaan joojiyo ballanta wacitaanka",
    "fi": "haluan perua soittopyynnön",
}
PHONE_FORMS = {
    "sv": "070-123 45 {n}",
    "en": "+46 70 123 45 {n}",
    "ar": "0046 70 123 45 {n}",
    "fa": "070 123 45 {n}",
    "so": "+46701234 5{n2}",
    "fi": "0701234 5{n2}",
}


def choose(value):
    return "/choose" + json.dumps({"choice": value})


def payloads(answers):
    return [b["payload"] for a in answers for b in a.get("buttons", [])]


class Conversation:
    def __init__(self, client, language):
        self.client, self.language, self.sender = client, language, str(uuid.uuid4())

    def say(self, message):
        return self.client.say(message, sender=self.sender, language=self.language)


@pytest.mark.parametrize("language", list(START))
def test_resident_books_sees_reference_and_cancels(client, language, stack, state_dir):
    chat = Conversation(client, language)
    answers = chat.say(START[language])
    assert choose("rvc_innerstan") in payloads(answers), answers

    answers = chat.say(choose("rvc_innerstan"))
    slots = [p for p in payloads(answers) if '"choice": "slot_' in p]
    assert len(slots) == 4, answers
    answers = chat.say(slots[0])
    assert choose("weekday_mornings") in payloads(answers)

    for value in ("weekday_mornings", "no", "no", "yes", "ar"):
        answers = chat.say(choose(value))
    assert choose("yes") in payloads(answers)  # interpreter question
    answers = chat.say(choose("yes"))
    assert not payloads(answers)  # phone question: typed

    answers = chat.say("12345")  # not a phone number
    assert texts(answers)[0] == CONTENT.render("utter_phone_invalid", language)["text"], answers
    n = 10 + list(START).index(language)
    phone = PHONE_FORMS[language].format(n=n, n2=n)
    answers = chat.say(phone)
    summary = " ".join(texts(answers))
    assert "RVC Innerstan" in summary and choose("yes") in payloads(answers)

    answers = chat.say(choose("yes"))
    # the confirmation, then only the optional feedback question (no booking question after it)
    assert (
        len(texts(answers)) == 2
        and texts(answers)[1] == CONTENT.render("utter_ask_feedback", language)["text"]
    )
    confirmation = " ".join(texts(answers))
    assert confirmation.startswith(
        CONTENT.render(
            "utter_booking_confirmed",
            language,
            {"centre_name": "RVC Innerstan", "slot_time": "X", "reference": "X"},
        )["text"].split("RVC Innerstan")[0]
    )
    found = REFERENCE.search(confirmation)
    assert found, confirmation
    code = found.group(0)

    digits = "701234" + "5" + str(n)
    assert_nowhere(digits, stack, state_dir)

    cancelled_before = booking_status(state_dir).count("cancelled")
    cancel = Conversation(client, language)
    answers = cancel.say(CANCEL[language])
    assert texts(answers) == [CONTENT.render("utter_ask_reference_code", language)["text"]], answers
    answers = cancel.say(code.lower())
    assert texts(answers) == [CONTENT.render("utter_booking_cancelled", language)["text"]]
    assert booking_status(state_dir).count("cancelled") == cancelled_before + 1
    assert cancel.say(code) and booking_status(state_dir).count("cancelled") == cancelled_before + 1


def booking_status(state_dir):
    import sqlite3

    with sqlite3.connect(state_dir / "trygg.db") as db:
        return [row[0] for row in db.execute("select status from bookings")]


def assert_nowhere(digits, stack, state_dir):
    """The digits appear in no file we own: database, secrets, logs, working tree, tracker."""
    places = [state_dir, stack.log_dir, ROOT]
    for place in places:
        hits = subprocess.run(
            [
                "grep",
                "-rIl",
                "--exclude-dir=.venv",
                "--exclude-dir=.git",
                "--exclude-dir=node_modules",
                digits,
                str(place),
            ],
            capture_output=True,
            text=True,
        ).stdout
        assert not hits.strip(), f"{digits} found in {hits}"
    raw_db = (state_dir / "trygg.db").read_bytes()
    assert digits.encode() not in raw_db
    redis_url = os.environ.get("TRYGG_TEST_REDIS_URL")
    if redis_url or os.environ.get("TRYGG_TEST_REQUIRE_ALL"):
        import redis

        r = redis.Redis.from_url(redis_url)
        keys = r.keys("*")
        assert keys, "no tracker in Redis: the test stack should keep trackers there"
        dump = b"".join(r.get(k) or b"" for k in keys if r.type(k) == b"string")
        assert digits.encode() not in dump

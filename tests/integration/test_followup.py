"""Follow-up without tracking (issue 11): a scripted set of conversations in several languages
produces exactly the expected counts; nothing stored identifies a conversation; the 112 path
never asks for feedback."""

import json
import sqlite3
import time
import uuid
from collections import Counter

import pytest

from tests.helpers import texts

pytestmark = pytest.mark.stack


def counters(state_dir) -> Counter:
    with sqlite3.connect(state_dir / "trygg.db") as db:
        rows = db.execute("select language, centre, metric, count from monthly_counters").fetchall()
    return Counter({(language, centre, metric): n for language, centre, metric, n in rows})


def feedback_buttons(answers):
    return [
        b["payload"]
        for a in answers
        for b in a.get("buttons", [])
        if b["payload"].startswith("/feedback")
    ]


def button(intent, value):
    return f"/{intent}" + json.dumps({"choice": value})


def test_a_scripted_day_gives_exactly_the_expected_counts(client, state_dir):
    before = counters(state_dir)
    senders = []

    swedish = str(uuid.uuid4())
    senders.append(swedish)
    client.say("hej", sender=swedish, language="sv")
    client.say("vart kan jag vända mig?", sender=swedish, language="sv")
    goodbye = client.say("hej då", sender=swedish, language="sv")
    assert feedback_buttons(goodbye)
    asked = client.say(button("feedback", "partly"), sender=swedish, language="sv")
    assert any(b["payload"].startswith("/improvement") for a in asked for b in a.get("buttons", []))
    client.say(button("improvement", "easier_language"), sender=swedish, language="sv")

    arabic = str(uuid.uuid4())
    senders.append(arabic)
    client.say("مرحبا", sender=arabic, language="ar")
    danger = client.say("زوجي يضربني الآن ساعدوني", sender=arabic, language="ar")
    assert texts(danger)[0].startswith(("اتصل", "إذا")) or "112" in texts(danger)[0]
    assert not feedback_buttons(danger)  # never asked on the acute-danger path

    english = str(uuid.uuid4())
    senders.append(english)
    client.say("I live in Tensta", sender=english, language="en")
    thanks = client.say("thank you", sender=english, language="en")
    client.say(button("feedback", "yes"), sender=english, language="en")
    assert feedback_buttons(thanks)

    expected = Counter(
        {
            ("sv", "", "conversation_started"): 1,
            ("", "", "topic:where_to_turn"): 1,
            ("", "", "referral:kvinnofridslinjen_phone"): 2,
            ("", "", "feedback:partly"): 1,
            ("", "", "improvement:easier_language"): 1,
            ("ar", "", "conversation_started"): 1,
            ("", "", "acute_danger"): 1,
            ("en", "", "conversation_started"): 1,
            ("", "rvc_vasterort", "centre_lookup:district"): 1,
            ("", "", "referral:city_contact_centre_phone"): 1,
            ("", "", "feedback:yes"): 1,
        }
    )
    # The web app writes its counts in batches (every TRYGG_COUNTER_FLUSH_S seconds).
    deadline = time.monotonic() + 20
    while counters(state_dir) - before != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    assert counters(state_dir) - before == expected

    with sqlite3.connect(state_dir / "trygg.db") as db:
        stored = " ".join(
            str(v) for row in db.execute("select * from monthly_counters") for v in row
        )
        columns = [c[1] for c in db.execute("pragma table_info(monthly_counters)")]
    assert columns == ["month", "language", "centre", "metric", "count"]
    for sender in senders:
        assert sender not in stored
    assert "Tensta" not in stored and "tack" not in stored


def test_a_replayed_feedback_answer_is_counted_once(client, state_dir):
    """A second click or a resent request with the same answer, in the same conversation, is
    thanked but not counted again; so is a second improvement answer."""
    before = counters(state_dir)
    sender = str(uuid.uuid4())
    assert feedback_buttons(client.say("kiitos", sender=sender, language="fi"))
    first = client.say(button("feedback", "no"), sender=sender, language="fi")
    assert any(b["payload"].startswith("/improvement") for a in first for b in a.get("buttons", []))
    again = client.say(button("feedback", "no"), sender=sender, language="fi")
    assert texts(again) and not any(a.get("buttons") for a in again)  # thanked, not asked again
    client.say(button("feedback", "yes"), sender=sender, language="fi")
    client.say(button("improvement", "other"), sender=sender, language="fi")
    client.say(button("improvement", "other"), sender=sender, language="fi")

    expected = Counter(
        {
            ("fi", "", "conversation_started"): 1,
            ("", "", "feedback:no"): 1,
            ("", "", "improvement:other"): 1,
        }
    )
    deadline = time.monotonic() + 20
    while counters(state_dir) - before != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2)  # a second count would arrive with the next flush (TRYGG_COUNTER_FLUSH_S=1)
    assert counters(state_dir) - before == expected

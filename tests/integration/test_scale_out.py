"""Rasa's own mechanisms for more than one process, and the default single-process store.

- Two Rasa processes share conversations through Rasa's Redis tracker store and lock store: a
  conversation alternating between them stays consistent; trackers carry an expiry.
- The default in-memory store (endpoints.yml) forgets a conversation after its session.
"""

import json
import os
import time
import uuid

import pytest
from stack import Ports, Stack

from tests.helpers import Client, free_port, texts, wait_for_port

pytestmark = pytest.mark.stack


def second_rasa(stack, tmp_path, **kwargs) -> Stack:
    """Another Rasa process using the running stack's action server and NLG endpoint."""
    extra = Stack(
        ports=Ports(rasa=free_port(), actions=stack.ports.actions, web=stack.ports.web),
        log_dir=tmp_path,
        extra_env=dict(stack.extra_env),
        **kwargs,
    )
    extra.start_one("rasa")
    wait_for_port(extra.ports.rasa, timeout_s=240)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # the port opens before the model is loaded
        status, body, _ = Client(f"http://127.0.0.1:{extra.ports.rasa}").request("GET", "/")
        if status == 200:
            return extra
        time.sleep(1)
    raise TimeoutError("second Rasa did not come up")


def choose(value):
    return "/choose" + json.dumps({"choice": value})


def test_a_conversation_alternating_between_two_rasa_processes_stays_consistent(stack, tmp_path):
    redis_url = os.environ.get("TRYGG_TEST_REDIS_URL")
    if not redis_url:
        pytest.fail("TRYGG_TEST_REDIS_URL is not set: run the tests with `make test`")
    other = second_rasa(stack, tmp_path, redis_url=redis_url)
    try:
        first = Client(f"http://127.0.0.1:{stack.ports.rasa}")
        second = Client(f"http://127.0.0.1:{other.ports.rasa}")
        sender = str(uuid.uuid4())
        hook = "/webhooks/rest/webhook"
        answers = first.say("jag vill bli uppringd", sender=sender, language="sv", path=hook)
        assert any(
            choose("rvc_innerstan") == b["payload"] for a in answers for b in a.get("buttons", [])
        )
        answers = second.say(choose("rvc_innerstan"), sender=sender, language="sv", path=hook)
        slots = [
            b["payload"] for a in answers for b in a.get("buttons", []) if "slot_" in b["payload"]
        ]
        assert slots, answers  # the second process knew the form was waiting for a centre
        answers = first.say(slots[0], sender=sender, language="sv", path=hook)
        assert any(
            choose("weekday_mornings") == b["payload"]
            for a in answers
            for b in a.get("buttons", [])
        )
        answers = second.say("avbryt", sender=sender, language="sv", path=hook)
        assert texts(answers)

        import redis

        r = redis.Redis.from_url(redis_url)
        keys = [k for k in r.keys("trygg*") if sender.encode() in k]
        assert keys and all(0 < r.ttl(k) <= 1800 for k in keys)
    finally:
        other.stop()


def test_the_default_in_memory_store_forgets_a_conversation_after_its_session(stack, tmp_path):
    os.environ["TRYGG_TRACKER_EXPIRY_S"] = "3"
    try:
        single = second_rasa(stack, tmp_path)  # endpoints.yml: in memory, expiring
    finally:
        os.environ.pop("TRYGG_TRACKER_EXPIRY_S")
    try:
        client = Client(f"http://127.0.0.1:{single.ports.rasa}")
        sender, hook = str(uuid.uuid4()), "/webhooks/rest/webhook"
        client.say("jag vill bli uppringd", sender=sender, language="sv", path=hook)
        kept = client.say(choose("rvc_innerstan"), sender=sender, language="sv", path=hook)
        assert any("slot_" in b["payload"] for a in kept for b in a.get("buttons", []))
        time.sleep(4)
        client.say("hej", sender=str(uuid.uuid4()), language="sv", path=hook)  # any save evicts
        forgotten = client.say(choose("rvc_innerstan"), sender=sender, language="sv", path=hook)
        assert not any("slot_" in b["payload"] for a in forgotten for b in a.get("buttons", []))
    finally:
        single.stop()

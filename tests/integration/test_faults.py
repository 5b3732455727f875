"""A part fails: the resident still gets an answer with the helplines, never silence, and the
system recovers by itself when the part returns."""

import uuid

import pytest
from stack import Ports, Stack

from tests.helpers import Client, free_port, texts, wait_for_port

pytestmark = pytest.mark.stack


def answer_text(client, message, language="sv"):
    status, answers, _ = client.request(
        "POST",
        "/api/chat",
        {"sender": str(uuid.uuid4()), "message": message, "metadata": {"language": language}},
    )
    return status, " ".join(texts(answers))


def test_action_server_down_gives_helplines_then_recovers(stack, client):
    stack.stop(["actions"])
    try:
        status, text = answer_text(client, "jag bor i Tensta")
        assert status == 200 and "112" in text and "020-50 50 50" in text
        health = client.request("GET", "/healthz")
        assert health[0] == 503 and health[1]["parts"]["actions"].startswith("down")
    finally:
        stack.start_one("actions")
        wait_for_port(stack.ports.actions)
    status, text = answer_text(client, "jag bor i Tensta")
    assert status == 200 and "RVC Västerort" in text


def test_rasa_restarting_gives_helplines_then_recovers(stack, client):
    workers = list(stack.rasa_ports())
    stack.stop(workers)
    try:
        status, text = answer_text(client, "hej", language="ar")
        assert status == 503 and "112" in text
    finally:
        for name in workers:
            stack.start_one(name)
        stack.wait_healthy(timeout_s=240)
    status, text = answer_text(client, "hej")
    assert status == 200 and "Trygg chatt" in text


def test_one_rasa_worker_down_its_conversations_carry_on_in_the_other(stack, client):
    workers = list(stack.rasa_ports())
    assert len(workers) == 2, "the test stack runs two Rasa workers (scripts/stack.py)"
    if not stack.redis_url:
        pytest.fail("the test stack shares trackers in Redis: run the tests with `make test`")
    sender = str(uuid.uuid4())

    def say(message):
        status, answers, _ = client.request(
            "POST",
            "/api/chat",
            {"sender": sender, "message": message, "metadata": {"language": "sv"}},
        )
        return status, answers

    # With worker 1 down, the conversation starts on worker 2 whichever worker it was given.
    stack.stop([workers[0]])
    try:
        status, answers = say("jag vill bli uppringd")
        assert status == 200 and any(
            "rvc_innerstan" in b["payload"] for a in answers for b in a.get("buttons", [])
        )
    finally:
        stack.start_one(workers[0])
        stack.wait_healthy(timeout_s=240)
    stack.stop([workers[1]])
    try:
        # The shared Redis tracker store (as in production) lets worker 1 continue the form.
        status, answers = say('/choose{"choice": "rvc_innerstan"}')
        assert status == 200 and any(
            "slot_" in b["payload"] for a in answers for b in a.get("buttons", [])
        )
        health = client.request("GET", "/healthz")
        assert health[0] == 503 and health[1]["parts"]["rasa"].startswith("down: worker 2")
    finally:
        stack.start_one(workers[1])
        stack.wait_healthy(timeout_s=240)
    # Worker 1 keeps the conversation now that worker 2 is back.
    status, answers = say("avbryt")
    assert status == 200 and texts(answers)


def test_database_down_while_taking_a_number_loses_nothing_and_says_so(tmp_path):
    dead = f"postgresql+psycopg2://postgres@127.0.0.1:{free_port()}/nothing"
    web = Stack(
        ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
        log_dir=tmp_path,
        extra_env={"TRYGG_STATE_DIR": str(tmp_path), "TRYGG_DATABASE_URL": dead},
    )
    web.start_one("web")
    try:
        wait_for_port(web.ports.web)
        client = Client(f"http://127.0.0.1:{web.ports.web}")
        status, answers, _ = client.request(
            "POST",
            "/api/chat",
            {"sender": str(uuid.uuid4()), "message": "mitt nummer är 070-123 45 67"},
        )
        text = " ".join(texts(answers))
        assert status == 503 and "112" in text and "ingenting har sparats" in text
    finally:
        web.stop()
    assert "1234567" not in "".join(p.read_text(errors="replace") for p in tmp_path.glob("*.log"))

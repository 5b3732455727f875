"""Only Rasa reaches `/nlg` (finding 2): without the shared secret, or from behind a proxy, a
request is refused before its body is read and counts nothing; each route takes only the body
size it needs, refused from the Content-Length before the body is read."""

import json
import socket
import sqlite3
import time
import uuid

import pytest

from bot.secrets import NLG_TOKEN_HEADER

DANGER = {
    "response": "utter_acute_danger",
    "arguments": {},
    "tracker": {"events": [{"event": "user", "text": "hjälp", "metadata": {"language": "sv"}}]},
    "channel": {"name": "rest"},
}


@pytest.fixture(scope="module")
def web(web_only):
    stack, client, state = web_only
    token = json.loads((state / "secrets.json").read_text())["nlg_token"]
    return client, stack.ports.web, state, {NLG_TOKEN_HEADER: token}


def counters(state):
    with sqlite3.connect(state / "trygg.db") as db:
        return sorted(db.execute("select language, metric, count from monthly_counters").fetchall())


def after_a_flush(state):
    time.sleep(2.5)  # the test stack writes counters every second
    return counters(state)


def raw_post(port, path, length, extra_headers=""):
    """Send only the headers of a POST whose body would be ``length`` bytes; the status line of
    the answer (a server that waited for the body would time out here)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {length}\r\n{extra_headers}\r\n"
            ).encode()
        )
        return int(s.recv(65536).split()[1])


@pytest.mark.parametrize("headers", [{}, {NLG_TOKEN_HEADER: "wrong"}, {NLG_TOKEN_HEADER: ""}])
def test_nlg_without_the_secret_is_refused_and_counts_nothing(web, headers):
    client, _, state, _ = web
    before = after_a_flush(state)
    for _ in range(3):
        status, body, _ = client.request("POST", "/nlg", DANGER, headers=headers)
        assert status == 401 and body["error"] == "Unauthorized"
    assert after_a_flush(state) == before


def test_nlg_from_behind_a_proxy_is_refused_even_with_the_secret(web):
    client, _, state, secret = web
    before = after_a_flush(state)
    for forwarded in ({"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"}):
        status, body, _ = client.request("POST", "/nlg", DANGER, headers={**secret, **forwarded})
        assert status == 403 and body["error"] == "Forbidden"
    assert after_a_flush(state) == before


def test_rasa_with_the_secret_is_answered_and_counted(web):
    client, _, state, secret = web
    before = dict(((lang, metric), n) for lang, metric, n in after_a_flush(state))
    status, message, _ = client.request("POST", "/nlg", DANGER, headers=secret)
    assert status == 200 and message["custom"]["priority"] == "emergency"
    after = dict(((lang, metric), n) for lang, metric, n in after_a_flush(state))

    # What residents were told is counted city-wide, without language (bot/storage/statistics.py).
    def told_112(counts):
        return sum(n for (_, metric), n in counts.items() if metric == "acute_danger")

    assert told_112(after) == told_112(before) + 1


def test_a_large_nlg_request_is_refused_before_its_body_is_read_without_the_secret(web):
    _, port, _, secret = web
    assert raw_post(port, "/nlg", 1_500_000) == 401
    assert raw_post(port, "/nlg", 1_500_000, "X-Forwarded-For: 203.0.113.9\r\n") == 403
    header = f"{NLG_TOKEN_HEADER}: {secret[NLG_TOKEN_HEADER]}\r\n"
    assert raw_post(port, "/nlg", 3_000_000, header) == 413


def test_rasa_may_send_a_large_tracker(web):
    client, _, _, secret = web
    events = [{"event": "user", "text": "x" * 1000} for _ in range(900)]
    big = {**DANGER, "tracker": {"events": DANGER["tracker"]["events"] + events}}
    status, message, _ = client.request("POST", "/nlg", big, headers=secret)
    assert status == 200 and message["text"]


@pytest.mark.parametrize(
    "path, length",
    [
        ("/api/chat", 16_385),
        ("/api/chat", 1_900_000),
        ("/console/login", 65_537),
        ("/console/schedule", 1_000_000),
    ],
)
def test_every_route_refuses_a_body_over_its_size_before_reading_it(web, path, length):
    _, port, _, _ = web
    assert raw_post(port, path, length) == 413


def test_a_chat_message_under_the_limit_still_goes_through(web):
    client, _, _, _ = web
    status, answers, _ = client.request(
        "POST", "/api/chat", {"sender": str(uuid.uuid4()), "message": "hej"}
    )
    assert status == 503 and answers  # Rasa is absent here: the helplines, not a size error


def test_rasas_own_nlg_plugin_is_answered(web, monkeypatch):
    """bot/rasa/nlg.py as Rasa runs it, against the running web app (no trained model needed)."""
    import asyncio

    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa.nlg import CompactCallbackNLG
    from bot.settings import current

    _, port, state, _ = web
    monkeypatch.setenv("TRYGG_SECRETS_FILE", str(state / "secrets.json"))
    current.cache_clear()
    nlg = CompactCallbackNLG(EndpointConfig(f"http://127.0.0.1:{port}/nlg"))
    tracker = DialogueStateTracker.from_events(
        "x", [UserUttered("hej", intent={"name": "greet"}, metadata={"language": "fi"})]
    )

    message = asyncio.run(nlg.generate("utter_acute_danger", tracker, "rest"))
    assert message["custom"]["language"] == "fi" and message["custom"]["priority"] == "emergency"

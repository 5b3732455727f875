"""The web app on its own: the chat contract's bad inputs, health when parts are down, headers."""

import json
import uuid

import pytest

from bot.secrets import NLG_TOKEN_HEADER
from tests.conftest import SITE_ORIGIN
from tests.helpers import texts


@pytest.fixture(scope="module")
def web(web_only):
    return web_only[1]


@pytest.fixture(scope="module")
def rasa_secret(web_only):
    """What Rasa sends to `/nlg` (bot/rasa/nlg.py): the secrets file's nlg_token."""
    token = json.loads((web_only[2] / "secrets.json").read_text())["nlg_token"]
    return {NLG_TOKEN_HEADER: token}


def test_health_names_the_parts_that_are_down(web):
    status, body, _ = web.request("GET", "/healthz")
    assert status == 503
    assert body["status"] == "degraded"
    assert body["parts"]["rasa"].startswith("down")
    assert body["parts"]["actions"].startswith("down")
    assert body["parts"]["nlg"] == "up"


@pytest.mark.parametrize(
    "raw, status, reason",
    [
        (b"{not json", 400, "InvalidJson"),
        (b"[]", 400, "InvalidJson"),
        (b"\xff\xfe\x00garbage", 400, "InvalidJson"),
        (json.dumps({"sender": "abc", "message": "hej"}).encode(), 400, "InvalidSender"),
        (json.dumps({"sender": str(uuid.uuid4()), "message": ""}).encode(), 400, "EmptyMessage"),
        (
            json.dumps({"sender": str(uuid.uuid4()), "message": "x" * 3000}).encode(),
            413,
            "MessageTooLong",
        ),
    ],
)
def test_bad_chat_requests_get_a_clear_json_4xx(web, raw, status, reason):
    got, body, headers = web.request("POST", "/api/chat", raw=raw)
    assert got == status
    assert body["error"] == reason and body["message"]
    assert headers["Cache-Control"] == "no-store"


def test_a_body_over_the_size_limit_is_refused_with_413(web):
    got, body, _ = web.request("POST", "/api/chat", raw=b"{" + b" " * 40_000 + b"}")
    assert got == 413
    assert "error" in body


def test_when_rasa_is_down_the_resident_still_gets_112_and_helplines(web):
    got, answers, _ = web.request(
        "POST",
        "/api/chat",
        {"sender": str(uuid.uuid4()), "message": "hej", "metadata": {"language": "en"}},
    )
    assert got == 503
    text = " ".join(texts(answers))
    assert "112" in text and "020-50 50 50" in text
    assert answers[0]["custom"]["language"] == "en"


def test_nlg_endpoint_answers_in_the_language_of_the_metadata(web, rasa_secret):
    tracker = {"events": [{"event": "user", "text": "hej", "metadata": {"language": "ar"}}]}
    got, message, _ = web.request(
        "POST",
        "/nlg",
        {
            "response": "utter_acute_danger",
            "arguments": {},
            "tracker": tracker,
            "channel": {"name": "rest"},
        },
        headers=rasa_secret,
    )
    assert got == 200
    assert "112" in message["text"]
    assert message["custom"] == {"priority": "emergency", "language": "ar", "direction": "rtl"}


def test_nlg_endpoint_rejects_unknown_responses(web, rasa_secret):
    got, body, _ = web.request(
        "POST", "/nlg", {"response": "utter_nope", "tracker": {}}, headers=rasa_secret
    )
    assert got == 404 and body["error"] == "UnknownResponse"


def test_pages_are_not_cached_and_have_a_strict_csp(web):
    got, _, headers = web.request("GET", "/demo")
    assert got == 200
    assert headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def frame_ancestors(headers):
    policy = headers["Content-Security-Policy"]
    return next(d for d in policy.split("; ") if d.startswith("frame-ancestors")).split()[1:]


def test_only_the_chats_frame_page_may_be_framed_by_the_city_website(web):
    got, page, headers = web.request("GET", "/widget/frame.html")
    assert got == 200 and "chat.js" in page
    assert frame_ancestors(headers) == ["'self'", SITE_ORIGIN]
    for path in ("/demo", "/widget/widget.js", "/widget/chat.js", "/console/login", "/healthz"):
        _, _, headers = web.request("GET", path)
        assert frame_ancestors(headers) == ["'none'"], path


def test_the_chat_script_knows_the_city_websites_origin(web):
    got, script, _ = web.request("GET", "/widget/chat.js")
    assert got == 200 and f'const SITE_ORIGIN = "{SITE_ORIGIN}";' in script


def test_unknown_paths_get_json_404_not_a_stack_trace(web):
    got, body, _ = web.request("GET", "/does-not-exist")
    assert got == 404 and body["error"]

"""Public-endpoint hardening: rate limits, CORS, Rasa unreachable, no logs of what residents write."""

import socket
import urllib.error
import urllib.request
import uuid

import pytest
from stack import Ports, Stack

from tests.conftest import SITE_ORIGIN
from tests.helpers import Client, free_port, texts, wait_for_port


def test_chat_is_rate_limited_per_client_with_a_clear_429(tmp_path):
    web = Stack(
        ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
        log_dir=tmp_path,
        extra_env={
            "TRYGG_STATE_DIR": str(tmp_path),
            "TRYGG_RATE_BURST": "3",
            "TRYGG_RATE_PER_SECOND": "0.01",
        },
    )
    web.start_one("web")
    try:
        wait_for_port(web.ports.web)
        client = Client(f"http://127.0.0.1:{web.ports.web}")
        statuses = [
            client.request("POST", "/api/chat", {"sender": str(uuid.uuid4()), "message": "hej"})
            for _ in range(5)
        ]
        assert [s[0] for s in statuses][:3] != [429] * 3
        assert statuses[-1][0] == 429 and statuses[-1][1]["error"] == "TooManyRequests"
        assert "112" in statuses[-1][1]["message"]
        assert client.request("GET", "/healthz")[0] in (200, 503)  # reading health is not limited
    finally:
        web.stop()
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("*.log"))
    assert "127.0.0.1" not in logs  # the client address is never logged


def limited_web(tmp_path, proxies: int) -> Stack:
    web = Stack(
        ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
        log_dir=tmp_path,
        extra_env={
            "TRYGG_STATE_DIR": str(tmp_path),
            "TRYGG_RATE_BURST": "2",
            "TRYGG_RATE_PER_SECOND": "0.01",
            "TRYGG_PROXIES_COUNT": str(proxies),
        },
    )
    web.start_one("web")
    wait_for_port(web.ports.web)
    return web


def chat_from(client, forwarded_for):
    return client.request(
        "POST",
        "/api/chat",
        {"sender": str(uuid.uuid4()), "message": "hej"},
        headers={"X-Forwarded-For": forwarded_for},
    )[0]


def test_behind_a_trusted_proxy_each_resident_has_their_own_limit(tmp_path):
    web = limited_web(tmp_path, proxies=1)
    try:
        client = Client(f"http://127.0.0.1:{web.ports.web}")
        first = [chat_from(client, "198.51.100.7") for _ in range(3)]
        assert first[-1] == 429
        # Another resident behind the same proxy is not blocked by the first one's messages...
        assert chat_from(client, "203.0.113.9") != 429
        # ...and the first cannot escape their limit by sending a forged address before the real one.
        assert chat_from(client, "203.0.113.50, 198.51.100.7") == 429
    finally:
        web.stop()
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("*.log"))
    assert "198.51.100.7" not in logs and "203.0.113.9" not in logs


def test_without_a_configured_proxy_a_forwarded_address_is_ignored(tmp_path):
    web = limited_web(tmp_path, proxies=0)
    try:
        client = Client(f"http://127.0.0.1:{web.ports.web}")
        statuses = [chat_from(client, f"198.51.100.{n}") for n in range(3)]
        assert statuses[-1] == 429  # different forged addresses, one connection address, one limit
    finally:
        web.stop()


def test_cors_allows_only_the_configured_site(web_only):
    _stack, client, _state = web_only
    _, _, evil = client.request("OPTIONS", "/api/chat", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in evil
    _, _, good = client.request("OPTIONS", "/api/chat", headers={"Origin": SITE_ORIGIN})
    assert good["Access-Control-Allow-Origin"] == SITE_ORIGIN


@pytest.mark.stack
def test_rasa_http_api_is_off_and_bound_to_loopback(stack):
    for path in ("/conversations/abc/tracker", "/model", "/status"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{stack.ports.rasa}{path}", timeout=5)
        assert refused.value.code in (403, 404, 405)
    outward = _outward_address()
    if outward:
        for port in (stack.ports.rasa, stack.ports.actions):
            with socket.socket() as s:
                s.settimeout(2)
                assert s.connect_ex((outward, port)) != 0, f"port {port} answers on {outward}"


@pytest.mark.stack
def test_canary_message_and_number_appear_in_no_log(stack, client):
    canary = f"kanariefagel-{uuid.uuid4().hex[:10]}"
    sender = str(uuid.uuid4())
    client.say(f"jag bor i {canary} och mitt nummer är 070-555 12 34", sender=sender)
    client.say(canary, sender=sender)
    client.say("hej " + canary, sender=sender, language="ar")
    for log in stack.log_dir.glob("*.log"):
        content = log.read_text(errors="replace")
        assert canary not in content, log.name
        assert "5551234" not in content and "555 12 34" not in content, log.name


def _outward_address():
    """This machine's non-loopback address, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.mark.stack
def test_canary_appears_in_no_log_after_an_action_raises(stack, client):
    """An action that raises with the resident's words in its exception message: the resident
    gets the helplines, the traceback is logged, and the words and the number are in no log."""
    stack.stop(["actions"])
    stack.extra_env["TRYGG_ACTIONS_PACKAGE"] = "tests.support.failing_actions"
    stack.start_one("actions")
    try:
        wait_for_port(stack.ports.actions)
        canary = f"kanariefagel-{uuid.uuid4().hex[:10]}"
        sender = str(uuid.uuid4())
        client.say("mitt nummer är 070-555 98 76", sender=sender)
        status, answers, _ = client.request(
            "POST",
            "/api/chat",
            {
                "sender": sender,
                "message": f"jag bor i Tensta {canary}",
                "metadata": {"language": "sv"},
            },
        )
        assert status == 200 and "112" in " ".join(texts(answers))
        logs = {log.name: log.read_text(errors="replace") for log in stack.log_dir.glob("*.log")}
        assert "ValueError (message withheld" in logs["actions.log"]  # it did raise, and was logged
        for name, content in logs.items():
            assert canary not in content, name
            assert "5559876" not in content and "555 98 76" not in content, name
    finally:
        stack.stop(["actions"])
        stack.extra_env.pop("TRYGG_ACTIONS_PACKAGE")
        stack.start_one("actions")
        stack.wait_healthy(timeout_s=60)

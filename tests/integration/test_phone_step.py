"""A number split over two messages in the booking form's phone step never reaches Rasa
(finding 8): after an answer that asks for the number, every run of three or more digits is
taken out. Rasa is a stand-in here that records what it receives."""

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from stack import Ports, Stack

from tests.conftest import GENEROUS_RATE, copy_schedule
from tests.helpers import Client, free_port, wait_for_port


class FakeRasa(BaseHTTPRequestHandler):
    """Answers like the booking form: it asks for the number after "jag vill boka" and again
    after a number it cannot use (utter_phone_invalid, marked by bot/routes/nlg.py)."""

    received = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append(body)
        asks = body["message"] == "jag vill boka" or "tel_invalid" in body["message"]
        answers = [{"recipient_id": body["sender"], "text": "…"}]
        if asks:
            answers.append({"recipient_id": body["sender"], "custom": {"asks": "phone"}})
        data = json.dumps(answers).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def web_and_rasa(tmp_path_factory):
    rasa = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    threading.Thread(target=rasa.serve_forever, daemon=True).start()
    state = tmp_path_factory.mktemp("phone-step-state")
    running = Stack(
        ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
        log_dir=tmp_path_factory.mktemp("phone-step-logs"),
        extra_env={
            "TRYGG_STATE_DIR": str(state),
            "TRYGG_SCHEDULE_FILE": str(copy_schedule(state)),
            "TRYGG_RASA_URLS": f"http://127.0.0.1:{rasa.server_address[1]}",
            **GENEROUS_RATE,
        },
    )
    running.start(["web"])
    wait_for_port(running.ports.web, timeout_s=120)
    yield Client(f"http://127.0.0.1:{running.ports.web}")
    running.stop()
    rasa.shutdown()


def forwarded(sender):
    return [m["message"] for m in FakeRasa.received if m["sender"] == sender]


def send(client, sender, text, metadata=None):
    body = {"sender": sender, "message": text, "metadata": metadata or {}}
    status, answers, _ = client.request("POST", "/api/chat", body)
    assert status == 200, answers
    return answers


def digit_runs(texts):
    return [run for t in texts for run in re.findall(r"\d[\d\s-]*\d|\d", t)]


@pytest.mark.parametrize(
    "first, second", [("070-123", "45 67"), ("0701", "234567"), ("07", "0 123 45 67")]
)
def test_a_number_split_over_two_messages_in_the_phone_step_never_reaches_rasa(
    web_and_rasa, first, second
):
    sender = str(uuid.uuid4())
    send(web_and_rasa, sender, "jag vill boka")
    send(web_and_rasa, sender, first)
    send(web_and_rasa, sender, second)
    sent = forwarded(sender)
    assert len(sent) == 3
    assert not [run for run in digit_runs(sent) if len(re.sub(r"\D", "", run)) >= 3], sent


def test_the_widget_saying_phone_step_is_enough(web_and_rasa):
    """A conversation another web-app process began: the widget's metadata tells the step."""
    sender = str(uuid.uuid4())
    send(web_and_rasa, sender, "45 67", {"step": "phone"})
    assert forwarded(sender) == ["tel_invalid"]


def test_outside_the_phone_step_short_numbers_reach_rasa(web_and_rasa):
    sender = str(uuid.uuid4())
    send(web_and_rasa, sender, "postnummer 123 45")
    send(web_and_rasa, sender, "45 67")
    assert forwarded(sender) == ["postnummer 123 45", "45 67"]

"""A newly trained model goes live worker by worker while the chat keeps answering (issue 20).

Retraining used to take the chat down for minutes. `make train` now swaps the model file in
whole, and the running `make run` restarts its Rasa workers one at a time. The test rolls the
test stack's workers (Redis trackers, two workers) while a resident keeps writing.
"""

import threading
import time
import uuid

import pytest

from tests.helpers import texts

pytestmark = pytest.mark.stack


def test_rolling_the_workers_keeps_every_conversation_answered(stack, client):
    pids_before = {name: stack.processes[name].pid for name in stack.rasa_ports()}
    sender = str(uuid.uuid4())
    assert texts(client.say("vart kan jag vända mig", sender=sender, language="sv"))
    statuses, stop = [], threading.Event()

    def resident() -> None:
        while not stop.is_set():
            status, answers, _ = client.request(
                "POST", "/api/chat", {"sender": sender, "message": "tack"}
            )
            statuses.append((status, [a.get("text", "") for a in answers or []]))
            time.sleep(0.3)

    writer = threading.Thread(target=resident)
    writer.start()
    try:
        stack.roll_rasa()
    finally:
        stop.set()
        writer.join()
    assert {
        name: stack.processes[name].pid for name in stack.rasa_ports()
    }.keys() == pids_before.keys()
    assert all(
        stack.processes[name].pid != pid for name, pid in pids_before.items()
    )  # each one restarted
    assert len(statuses) > 20  # the roll took a while, and the resident wrote all along
    assert all(status == 200 for status, _ in statuses), [s for s, _ in statuses if s != 200]
    assert all(answer for _, answer in statuses)
    stack.wait_healthy(timeout_s=60)


def test_a_replaced_model_file_is_noticed(tmp_path):
    from stack import Stack

    model = tmp_path / "trygg.tar.gz"
    model.write_bytes(b"old")
    watched = Stack(model=model, rasa_workers=1)
    before = watched.model_version()
    time.sleep(0.01)
    (tmp_path / "new.tar.gz").write_bytes(b"new")
    (tmp_path / "new.tar.gz").replace(model)
    assert watched.model_version() != before

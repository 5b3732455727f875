"""bot/rasa/workers.py: new conversations go to the least busy Rasa worker and stay there."""

import uuid

import pytest

from bot.rasa import workers as rasa_workers
from bot.rasa.workers import WorkerRouter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(rasa_workers.time, "monotonic", clock)
    return clock


def new_sender() -> str:
    return str(uuid.uuid4())


def test_a_new_conversation_goes_to_the_worker_with_fewer_requests_in_flight(clock):
    router = WorkerRouter(2, keep_s=60)
    busy = router.worker_for(new_sender())
    with router.request(busy):
        assert router.worker_for(new_sender()) != busy


def test_idle_workers_get_equal_shares_of_new_conversations(clock):
    router = WorkerRouter(3, keep_s=60)
    for _ in range(30):
        router.worker_for(new_sender())
    assert router.conversations() == [10, 10, 10]


def test_a_conversation_stays_with_its_worker_however_busy_it_is(clock):
    router = WorkerRouter(2, keep_s=60)
    sender = new_sender()
    worker = router.worker_for(sender)
    with router.request(worker), router.request(worker), router.request(worker):
        for _ in range(5):
            clock.now += 10
            assert router.worker_for(sender) == worker
    assert router.conversations()[worker] == 1


def test_a_conversation_is_forgotten_when_rasa_forgets_it(clock):
    router = WorkerRouter(2, keep_s=60)
    old, recent = new_sender(), new_sender()
    router.worker_for(old)
    clock.now += 30
    router.worker_for(recent)
    clock.now += 31
    assert sorted(router.conversations()) == [0, 1]  # old is gone, recent stays
    assert old not in router._placed and recent in router._placed


def test_a_message_keeps_the_conversation_alive(clock):
    router = WorkerRouter(2, keep_s=60)
    sender = new_sender()
    worker = router.worker_for(sender)
    for _ in range(5):
        clock.now += 50
        assert router.worker_for(sender) == worker
    assert sum(router.conversations()) == 1


def test_a_conversation_moved_after_a_failover_stays_on_its_new_worker(clock):
    router = WorkerRouter(2, keep_s=60)
    sender = new_sender()
    first = router.worker_for(sender)
    router.move(sender, 1 - first)
    assert router.worker_for(sender) == 1 - first
    assert router.conversations()[1 - first] == 1 and router.conversations()[first] == 0


def test_requests_in_flight_are_counted_down_even_when_the_request_fails(clock):
    router = WorkerRouter(2, keep_s=60)
    with pytest.raises(ConnectionError):
        with router.request(0):
            raise ConnectionError
    assert router._in_flight == [0, 0]


def test_one_worker_remembers_no_conversation(clock):
    router = WorkerRouter(1, keep_s=60)
    assert {router.worker_for(new_sender()) for _ in range(5)} == {0}
    assert not router._placed


def test_closed_loop_residents_are_split_evenly_unlike_hashing(clock):
    """20 residents, each always waiting for an answer, start new conversations in turn (the
    load benchmark's pattern): the least-busy choice keeps the split at 10/10, where hashing
    the conversation id is often 13/7."""
    router = WorkerRouter(2, keep_s=3600)
    residents = {}
    for resident in range(20):
        residents[resident] = router.worker_for(new_sender())
        router._in_flight[residents[resident]] += 1
    for round_ in range(200):
        resident = round_ % 20
        router._in_flight[residents[resident]] -= 1
        residents[resident] = router.worker_for(new_sender())
        router._in_flight[residents[resident]] += 1
        assert sorted(router._in_flight) == [10, 10]


def test_a_draining_worker_gets_no_request_and_its_conversations_move(tmp_path):
    from bot.rasa.workers import drain_file_reader, write_drain_file

    drain = tmp_path / "rasa-draining"
    router = WorkerRouter(2, keep_s=60, draining=drain_file_reader(drain))
    first = router.worker_for("a")
    write_drain_file(drain, [first + 1])
    assert router.worker_for("a") != first  # moved while its worker restarts
    assert router.worker_for("b") != first  # a new conversation goes elsewhere too
    assert sorted(router.conversations()) == [0, 2]
    write_drain_file(drain, None)
    assert not drain.exists()
    assert router.worker_for("c") == first  # the least busy again, once it answers

"""Failed console logins slow the guesser down, never the owner, in bounded memory; password
checks run off the event loop, and a full pool refuses at once."""

import asyncio
import threading

import pytest

from bot.console import throttle as throttle_module
from bot.console.throttle import HashingPool, LoginThrottle, PoolFull


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(throttle_module.time, "monotonic", lambda: now[0])
    return now


def fail(throttle, client, username, times=1):
    """Tries that turn out wrong (never ``succeeded``); the waits each was given."""
    return [throttle.attempt(client, username) for _ in range(times)]


def test_a_stranger_failing_for_an_account_never_locks_the_owner_out(clock):
    throttle = LoginThrottle(per_account=5, per_client=20)
    fail(throttle, "198.51.100.7", "anna", times=50)
    assert throttle.attempt("198.51.100.7", "anna") > 0  # the guesser waits
    assert throttle.attempt("203.0.113.9", "anna") == 0  # the owner, from their own client
    throttle.succeeded("203.0.113.9", "anna")


def test_five_failures_for_one_account_from_one_client_wait_out_the_window(clock):
    throttle = LoginThrottle(per_account=5, per_client=20, window_s=900)
    assert fail(throttle, "198.51.100.7", "bo", times=5) == [0.0] * 5
    assert throttle.attempt("198.51.100.7", "bo") > 0
    assert throttle.attempt("198.51.100.7", "other") == 0  # other accounts: not yet
    clock[0] += 901
    assert throttle.attempt("198.51.100.7", "bo") == 0


def test_a_client_guessing_across_many_accounts_is_slowed_down_more_each_time(clock):
    throttle = LoginThrottle(per_account=5, per_client=20)
    for i in range(20):
        assert throttle.attempt("198.51.100.7", f"user{i}") == 0
    first = throttle.attempt("198.51.100.7", "user20")
    assert first > 0  # every next account too, until the wait is over
    clock[0] += first + 0.01
    assert throttle.attempt("198.51.100.7", "user21") == 0
    second = throttle.attempt("198.51.100.7", "user22")
    assert second > first
    assert throttle.attempt("203.0.113.9", "user22") == 0  # another client is not slowed


def test_the_right_password_takes_the_try_back_and_clears_the_pair(clock):
    throttle = LoginThrottle(per_account=3, per_client=20)
    fail(throttle, "203.0.113.9", "anna", times=2)
    assert throttle.attempt("203.0.113.9", "anna") == 0
    throttle.succeeded("203.0.113.9", "anna")
    assert fail(throttle, "203.0.113.9", "anna", times=3) == [0.0] * 3


def test_logging_into_ones_own_account_does_not_reset_the_slow_down(clock):
    throttle = LoginThrottle(per_account=5, per_client=5)
    for i in range(4):
        throttle.attempt("198.51.100.7", f"victim{i}")
    assert throttle.attempt("198.51.100.7", "mine") == 0
    throttle.succeeded("198.51.100.7", "mine")
    assert throttle.attempt("198.51.100.7", "victim4") == 0  # the fifth failure
    assert throttle.attempt("198.51.100.7", "victim5") > 0


def test_memory_is_bounded_and_forgets_old_failures(clock):
    throttle = LoginThrottle(max_entries=100, window_s=900)
    for i in range(1000):
        throttle.attempt(f"10.0.{i // 250}.{i % 250}", f"user{i}")
    assert len(throttle) <= 100


def test_the_client_address_is_kept_only_as_a_keyed_hash(clock):
    throttle = LoginThrottle()
    throttle.attempt("198.51.100.7", "anna")
    kept = b"".join(throttle._failures)
    assert b"198.51.100.7" not in kept and b"anna" not in kept
    assert all(len(key) == 16 for key in throttle._failures)
    assert LoginThrottle()._pair("198.51.100.7", "anna") != throttle._pair("198.51.100.7", "anna")


async def test_blocking_work_runs_off_the_loop_and_a_full_pool_refuses_at_once():
    release = threading.Event()
    pool = HashingPool(workers=2, max_waiting=3)
    jobs = [asyncio.ensure_future(pool.run(release.wait)) for _ in range(3)]
    await asyncio.sleep(0)  # the jobs take their slots
    with pytest.raises(PoolFull):
        await pool.run(lambda: True)
    assert pool.full and not any(job.done() for job in jobs)
    # The loop is free while the work blocks: a cheap step completes first.
    cheap = asyncio.ensure_future(asyncio.sleep(0, result="answered"))
    done, _ = await asyncio.wait([cheap, *jobs], return_when=asyncio.FIRST_COMPLETED)
    assert done == {cheap}
    release.set()
    assert await asyncio.gather(*jobs) == [True, True, True]
    assert not pool.full

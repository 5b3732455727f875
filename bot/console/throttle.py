"""What stands between a password guesser and the accounts: failed logins counted per client and
account, and Argon2 hashing off the event loop with a bound on how much may wait.

Failures are counted per (client, account) and per client, never per account alone: a stranger
who guesses wrong for a username slows down only themselves, so the real owner, with the right
password and code from their own client, always gets in. The client is a keyed hash of its
address (a random key made at start-up, as in bot/rate_limit.py), held in memory only; the
address is never kept or logged. Memory is bounded: at most ``max_entries`` keys, the least
recently failed forgotten first, and every key forgotten ``window_s`` after its last failure.

Argon2id takes ~136 ms of CPU per login. On the event loop that would stall every resident's
chat, 112 answers included; ``HashingPool`` runs it in a small thread pool instead, and refuses
at once (``PoolFull``) when ``max_waiting`` jobs are already there, instead of queueing without
bound.
"""

import asyncio
import hashlib
import hmac
import os
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Tuple, TypeVar

T = TypeVar("T")


class LoginThrottle:
    """``attempt`` before checking a password, ``succeeded`` after a right one.

    An attempt counts as a failure until ``succeeded`` takes it back, so a burst of concurrent
    guesses is counted before any of them is checked.
    """

    def __init__(
        self,
        per_account: int = 5,
        per_client: int = 20,
        window_s: float = 15 * 60,
        max_entries: int = 10_000,
    ) -> None:
        self.per_account, self.per_client = per_account, per_client
        self.window_s, self.max_entries = window_s, max_entries
        self._key = os.urandom(32)
        # key → (failures, time of the last one), least recently failed first
        self._failures: OrderedDict[bytes, Tuple[int, float]] = OrderedDict()

    def attempt(self, client: str, username: str) -> float:
        """0 if this client may try this account now (the try is counted), else seconds to wait.

        A client that keeps failing, whatever the accounts, waits twice as long after each
        failure beyond ``per_client`` (up to the window); a (client, account) pair with
        ``per_account`` recent failures waits until the window has passed.
        """
        now = time.monotonic()
        pair, whole = self._pair(client, username), self._client(client)
        pair_failures, pair_last = self._recent(pair, now)
        client_failures, client_last = self._recent(whole, now)
        waits = [0.0]
        if pair_failures >= self.per_account:
            waits.append(pair_last + self.window_s - now)
        if client_failures >= self.per_client:
            backoff = min(self.window_s, 2.0 ** (client_failures - self.per_client))
            waits.append(client_last + backoff - now)
        wait = max(waits)
        if wait > 0:
            return wait
        self._count(pair, pair_failures + 1, now)
        self._count(whole, client_failures + 1, now)
        return 0.0

    def succeeded(self, client: str, username: str) -> None:
        """The right password (and code): the pair starts afresh, the client's try is taken back.

        The client's other failures stay, so logging into one's own account between guesses at
        others does not reset the slow-down.
        """
        now = time.monotonic()
        self._failures.pop(self._pair(client, username), None)
        whole = self._client(client)
        failures, last = self._recent(whole, now)
        if failures > 1:
            self._failures[whole] = (failures - 1, last)
        else:
            self._failures.pop(whole, None)

    def __len__(self) -> int:
        return len(self._failures)

    def _recent(self, key: bytes, now: float) -> Tuple[int, float]:
        failures, last = self._failures.get(key, (0, now))
        if now - last > self.window_s:
            del self._failures[key]
            return 0, now
        return failures, last

    def _count(self, key: bytes, failures: int, now: float) -> None:
        self._failures[key] = (failures, now)
        self._failures.move_to_end(key)
        while len(self._failures) > self.max_entries:
            self._failures.popitem(last=False)

    def _pair(self, client: str, username: str) -> bytes:
        return self._hash(b"pair\0" + client.encode() + b"\0" + username.encode())

    def _client(self, client: str) -> bytes:
        return self._hash(b"client\0" + client.encode())

    def _hash(self, value: bytes) -> bytes:
        return hmac.new(self._key, value, hashlib.sha256).digest()[:16]


class PoolFull(Exception):
    """Every hashing slot is taken: the caller answers 503 at once."""


class HashingPool:
    """Blocking work (a password check with its unit of work) in ``workers`` threads, with at
    most ``max_waiting`` jobs running or waiting; the event loop only awaits the result."""

    def __init__(self, workers: int = 2, max_waiting: int = 4) -> None:
        self.max_waiting = max_waiting
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="console-hash")
        # Only the event loop's thread touches it, so a plain counter is enough.
        self._busy = 0

    @property
    def full(self) -> bool:
        return self._busy >= self.max_waiting

    async def run(self, work: Callable[[], T]) -> T:
        if self.full:
            raise PoolFull()
        self._busy += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, work)
        finally:
            self._busy -= 1

"""Which Rasa worker answers a conversation.

With the default in-memory tracker store each worker knows only its own conversations, so a
conversation must stay with the worker that started it. Which worker starts it matters for
speed: hashing the conversation id spreads conversations evenly only on average, and at any
moment one worker often had several more residents than the other; at 20 residents that
imbalance alone took the 95th-percentile answer time from about 210 ms to 340 ms
(docs/benchmarks.md). So a new conversation goes to the worker with the fewest requests in
flight (then the fewest live conversations), and stays there.

The router keeps, in memory only, each live conversation id (a random UUID the widget made)
with its worker number, and forgets it when Rasa forgets the conversation (the tracker
expiry, TRYGG_TRACKER_EXPIRY_S). Nothing else about the conversation is kept. After a web app
restart a returning conversation may be placed on another worker and start afresh there (with
the Redis stores of endpoints-redis.yml it carries on wherever it lands).

A worker listed in the drain file (written by `make run` before it restarts that worker with a
new model) gets no requests: its conversations move to another worker, as when it is down.
"""

import time
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, FrozenSet, Iterator, List, Optional, Tuple

from bot.reloading import FileCache


class WorkerRouter:
    def __init__(
        self, workers: int, keep_s: float, draining: Callable[[], FrozenSet[int]] = frozenset
    ) -> None:
        self.workers = workers
        self.keep_s = keep_s
        self._draining = draining
        # conversation id -> (worker, last message), oldest first, so forgetting looks only
        # at the front.
        self._placed: OrderedDict[str, Tuple[int, float]] = OrderedDict()
        self._conversations: List[int] = [0] * workers
        self._in_flight: List[int] = [0] * workers

    def worker_for(self, sender: str) -> int:
        """The conversation's worker; a new conversation gets the least busy one."""
        if self.workers == 1:
            return 0  # nothing to choose, so nothing to remember
        now = time.monotonic()
        self._forget_before(now - self.keep_s)
        placed = self._placed.get(sender)
        draining = self._draining()
        if placed is None or placed[0] in draining:
            open_ = [i for i in range(self.workers) if i not in draining] or list(
                range(self.workers)
            )
            worker = min(open_, key=lambda i: (self._in_flight[i], self._conversations[i], i))
            if placed is not None:
                self._conversations[placed[0]] -= 1
            self._conversations[worker] += 1
        else:
            worker = placed[0]
        self._placed[sender] = (worker, now)
        self._placed.move_to_end(sender)
        return worker

    def move(self, sender: str, worker: int) -> None:
        """The conversation continues on another worker (its own was unreachable)."""
        placed = self._placed.get(sender)
        if placed is not None and placed[0] != worker:
            self._conversations[placed[0]] -= 1
            self._conversations[worker] += 1
            self._placed[sender] = (worker, placed[1])

    @contextmanager
    def request(self, worker: int) -> Iterator[None]:
        """Counts a request to ``worker`` as in flight while the block runs."""
        self._in_flight[worker] += 1
        try:
            yield
        finally:
            self._in_flight[worker] -= 1

    def conversations(self) -> List[int]:
        """Live conversations per worker."""
        self._forget_before(time.monotonic() - self.keep_s)
        return list(self._conversations)

    def _forget_before(self, cutoff: float) -> None:
        while self._placed:
            sender, (worker, seen) = next(iter(self._placed.items()))
            if seen >= cutoff:
                return
            del self._placed[sender]
            self._conversations[worker] -= 1


def drain_file_reader(path: Path) -> Callable[[], FrozenSet[int]]:
    """The workers (0-based) the drain file lists as "1 2 …"; re-read only when it changes."""

    def read() -> FrozenSet[int]:
        return _drain_files.get(path)

    return read


def _parse_drain_file(path: Path) -> FrozenSet[int]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(int(word) - 1 for word in text.split() if word.isdigit())


def write_drain_file(path: Path, worker_numbers: Optional[List[int]]) -> None:
    """`make run`'s side: list the workers (1-based) to drain; None or [] lets all answer."""
    if not worker_numbers:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(" ".join(str(n) for n in worker_numbers) + "\n", encoding="utf-8")
    temporary.replace(path)


_drain_files: FileCache[FrozenSet[int]] = FileCache(_parse_drain_file)

"""Per-client rate limiting for the public endpoints, without storing who the client is.

A client is identified by a keyed hash of its address (a random key made at start-up, never
written down), held in memory only and forgotten when idle; the address itself is never kept
or logged. Token bucket: ``burst`` requests at once, then ``per_second`` on average.
"""

import hashlib
import hmac
import os
import time
from typing import Dict, Tuple

from sanic.request import Request


def client_address(request: Request) -> str:
    """The client's address for rate limiting only (never stored or logged): the one the
    trusted proxies forwarded (TRYGG_PROXIES_COUNT), else the connection's."""
    return request.remote_addr or request.ip or ""


class RateLimiter:
    def __init__(self, burst: int, per_second: float, idle_forget_s: float = 600) -> None:
        self.burst, self.per_second, self.idle_forget_s = burst, per_second, idle_forget_s
        self._key = os.urandom(32)
        self._buckets: Dict[bytes, Tuple[float, float]] = {}
        self._last_sweep = time.monotonic()

    def allow(self, address: str) -> bool:
        now = time.monotonic()
        client = hmac.new(self._key, address.encode(), hashlib.sha256).digest()[:16]
        tokens, seen = self._buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - seen) * self.per_second)
        allowed = tokens >= 1.0
        self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
        if now - self._last_sweep > 60:
            self._sweep(now)
        return allowed

    def _sweep(self, now: float) -> None:
        self._last_sweep = now
        for client, (_tokens, seen) in list(self._buckets.items()):
            if now - seen > self.idle_forget_s:
                del self._buckets[client]

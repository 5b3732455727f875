"""Booking benchmark: bookings per second under concurrency on SQLite and PostgreSQL, with an
overbooking check, and the p95 time of the confirm step (repository.book_callback).

PostgreSQL comes from TRYGG_TEST_PG_DSN (scripts/services.sh starts one for `make bench`).
"""

import base64
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from sqlalchemy import func, select  # noqa: E402

from bot.storage import bookings as repo  # noqa: E402
from bot.storage.crypto import PhoneCipher  # noqa: E402
from bot.storage.db import session_scope  # noqa: E402
from bot.storage.models import bookings, slot_usage  # noqa: E402
from tests.databases import fresh_database_url  # noqa: E402  (the tests' way to make a database)

THREADS, ATTEMPTS, SLOTS, CAPACITY = 8, 400, 20, 10  # 400 attempts for 200 seats: half must lose
PEPPER = base64.b64encode(os.urandom(32)).decode()
CIPHER = PhoneCipher([base64.b64encode(os.urandom(32)).decode()])


def run(url: str) -> dict:
    start = datetime(2031, 1, 6, 8, 0, tzinfo=timezone.utc)
    slots = [start + timedelta(minutes=30 * i) for i in range(SLOTS)]
    tokens = []
    with session_scope(url) as s:
        for _ in range(ATTEMPTS):
            tokens.append(repo.store_phone_token(s, CIPHER, "+46701234567"))
    durations, outcomes, lock = [], {"booked": 0, "taken": 0}, threading.Lock()

    def worker(index: int) -> None:
        for n in range(index, ATTEMPTS, THREADS):
            request = repo.BookingRequest(
                "rvc_innerstan",
                slots[n % SLOTS],
                "sv",
                "sv",
                False,
                False,
                False,
                True,
                "chosen_slot_only",
            )
            began = time.perf_counter()
            try:
                with session_scope(url) as s:
                    repo.book_callback(
                        s, request, tokens[n], capacity=CAPACITY, pepper=PEPPER, cipher=CIPHER
                    )
                outcome = "booked"
            except repo.SlotTaken:
                outcome = "taken"
            with lock:
                durations.append(time.perf_counter() - began)
                outcomes[outcome] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    with session_scope(url) as s:
        rows = s.execute(select(func.count()).select_from(bookings)).scalar()
        over = s.execute(
            select(func.count())
            .select_from(slot_usage)
            .where(slot_usage.c.booked > slot_usage.c.capacity)
        ).scalar()
        per_slot = s.execute(
            select(bookings.c.slot_start, func.count()).group_by(bookings.c.slot_start)
        ).all()
    overbooked = over + sum(1 for _slot, n in per_slot if n > CAPACITY)
    durations.sort()
    return {
        "attempts": ATTEMPTS,
        "booked": outcomes["booked"],
        "rows": rows,
        "overbooked": overbooked,
        "per_second": ATTEMPTS / elapsed,
        "median_ms": statistics.median(durations) * 1000,
        "p95_ms": durations[int(len(durations) * 0.95) - 1] * 1000,
    }


def main() -> None:
    kinds = ["sqlite"] + (["postgresql"] if os.environ.get("TRYGG_TEST_PG_DSN") else [])
    lines = [
        f"{THREADS} threads, {ATTEMPTS} confirmations for {SLOTS} slots × {CAPACITY} seats "
        f"(half must be refused).",
        "",
        "| database | confirmations/s | booked | rows | overbooked slots | confirm median ms | confirm p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            r = run(fresh_database_url(kind, Path(tmp)))
            lines.append(
                f"| {kind} | {r['per_second']:.0f} | {r['booked']} | {r['rows']} | {r['overbooked']} | "
                f"{r['median_ms']:.1f} | {r['p95_ms']:.1f} |"
            )
    table = "\n".join(lines)
    from bench_doc import publish

    publish("booking", table, write="--write" in sys.argv)


if __name__ == "__main__":
    main()

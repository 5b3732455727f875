"""What the NLG endpoint counts for follow-up, from the answers it renders (no records kept).

- ``topic:<intent>`` when a topic's own answer is given;
- ``acute_danger`` when the 112 answer is given;
- ``referral:<helpline>`` for every helpline number an answer names (its fact key: every
  ``*_phone`` fact but the emergency number, so a helpline added to facts.yml is counted).
Counted per month for the whole city (bot/storage/statistics.py decides what a counter keeps:
never a day, never a language with a centre). The counts are
gathered in memory and written every few seconds in one transaction, so answering a resident
never waits for a database write. The action server counts through the same buffer
(actions/followup.py, flushed by actions/server.py).
"""

import asyncio
import logging
import threading
from collections import Counter
from typing import Any, Mapping

from sqlalchemy.exc import SQLAlchemyError

from bot.content_problems import PLACEHOLDER
from bot.settings import current
from bot.storage import statistics
from bot.storage.db import session_scope
from bot.vocabulary import TOPICS, is_helpline_fact

logger = logging.getLogger(__name__)
TOPIC_RESPONSES = {f"utter_{topic}": topic for topic in TOPICS}
# Answers that repeat the helplines as a safety footer are not referrals of their own.
FOOTERS = {
    "utter_default",
    "utter_out_of_scope",
    "utter_service_unavailable",
    "utter_booking_failed",
    "utter_goodbye",
    "utter_no_free_slots",
    "utter_centre_inferred_note",
}


class CounterBuffer:
    """Pending increments by counter (month, language, centre, metric), as coarse in memory as in
    the database; flushed as one transaction."""

    def __init__(self) -> None:
        self._pending: Counter = Counter()
        self._lock = threading.Lock()

    def add(self, metric: str, language: str, centre: str = "") -> None:
        with self._lock:
            self._pending[statistics.key(metric, language, centre)] += 1

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, Counter()
        if not pending:
            return
        try:
            with session_scope(current().database_url) as session:
                for counter, n in pending.items():
                    statistics.count(
                        session,
                        counter.metric,
                        counter.language,
                        counter.centre,
                        day=counter.month,
                        by=n,
                    )
        except SQLAlchemyError as error:
            # Keep them for the next try: statistics must not be lost to a short outage, and
            # must never cost a resident an answer.
            logger.error("could not write counters: %s", type(error).__name__)
            with self._lock:
                self._pending.update(pending)

    async def flush_forever(self, interval_s: float) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(interval_s)
            await loop.run_in_executor(None, self.flush)


buffer = CounterBuffer()


def count_answer(
    response: str, source_text: str, language: str, tracker: Mapping[str, Any]
) -> None:
    if not tracker.get("events"):  # health probes and tests of the endpoint itself
        return
    metrics = []
    if response in TOPIC_RESPONSES:
        metrics.append("topic:" + TOPIC_RESPONSES[response])
    if response == "utter_acute_danger":
        metrics.append("acute_danger")
    if response not in FOOTERS:
        metrics += [
            "referral:" + name
            for name in PLACEHOLDER.findall(source_text)
            if is_helpline_fact(name)
        ]
    for metric in metrics:
        buffer.add(metric, language)

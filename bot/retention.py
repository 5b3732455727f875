"""The retention job: deletes bookings (with their numbers) that must not be kept any longer.

Runs inside the web app every ``interval_s`` (and once at start-up): bookings created
``TRYGG_PHONE_RETENTION_DAYS`` (default 14) days ago, and bookings no caller holds whose slot
passed more than ``TRYGG_UNCLAIMED_GRACE_DAYS`` (default 2) ago, are deleted, number and all;
so are past slots' seat counts, expired phone tokens and follow-up counters of months older
than ``TRYGG_COUNTER_RETENTION_MONTHS`` (default 36). ``python -m bot.retention`` runs it
once (e.g. from cron on other set-ups). What is kept where, and how long: docs/architecture.md.
"""

import asyncio
import logging
from datetime import timedelta
from typing import Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings, current
from bot.storage import bookings as repo
from bot.storage import statistics
from bot.storage.db import session_scope

logger = logging.getLogger(__name__)


def run_once(settings: Optional[Settings] = None) -> repo.Retained:
    settings = settings or current()
    max_age = timedelta(days=settings.phone_retention_days)
    grace = timedelta(days=settings.unclaimed_grace_days)
    with session_scope(settings.database_url) as session:
        done = repo.apply_retention(session, max_age=max_age, unclaimed_grace=grace)
        statistics.apply_retention(session, settings.counter_retention_months)
    if done.bookings_deleted:
        logger.info(
            "retention deleted %d booking(s), %d with a number",
            done.bookings_deleted,
            done.numbers_erased,
        )
    return done


async def run_forever(settings: Settings, interval_s: float = 600) -> None:
    loop = asyncio.get_running_loop()
    while True:
        try:
            await loop.run_in_executor(None, run_once, settings)
        except SQLAlchemyError as error:
            logger.error("retention job failed: %s", type(error).__name__)
        await asyncio.sleep(interval_s)


if __name__ == "__main__":
    logging.basicConfig(level="INFO")
    done = run_once()
    print(f"deleted {done.bookings_deleted} booking(s), {done.numbers_erased} with a number")

"""The retention job: erases phone numbers that must not be kept any longer.

Runs inside the web app every ``interval_s`` (and once at start-up): numbers older than
``TRYGG_PHONE_RETENTION_DAYS`` (default 14) and numbers of unclaimed bookings whose slot passed
more than ``TRYGG_UNCLAIMED_GRACE_DAYS`` (default 2) ago are set to NULL; expired phone tokens
are deleted. ``python -m bot.retention`` runs it once (e.g. from cron on other set-ups).
"""

import asyncio
import logging
from datetime import timedelta
from typing import Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings, current
from bot.storage import bookings as repo
from bot.storage.db import session_scope

logger = logging.getLogger(__name__)


def run_once(settings: Optional[Settings] = None) -> int:
    settings = settings or current()
    max_age = timedelta(days=settings.phone_retention_days)
    grace = timedelta(days=settings.unclaimed_grace_days)
    with session_scope(settings.database_url) as session:
        erased = repo.apply_retention(session, max_age=max_age, unclaimed_grace=grace)
    if erased:
        logger.info("retention erased %d phone number(s)", erased)
    return erased


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
    print(f"erased {run_once()} phone number(s)")

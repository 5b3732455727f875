"""Conversations in memory are forgotten once their session has expired."""

import time
from pathlib import Path

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.tracker_store import ExpiringInMemoryTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


async def test_a_tracker_is_dropped_after_the_expiry_and_kept_before():
    store = ExpiringInMemoryTrackerStore(DOMAIN, expiry_s=0.3)
    old = DialogueStateTracker.from_events("old", [UserUttered("hej")])
    await store.save(old)
    assert await store.retrieve("old") is not None
    time.sleep(0.4)
    fresh = DialogueStateTracker.from_events("fresh", [UserUttered("hej")])
    await store.save(fresh)
    assert "old" not in store.store and await store.retrieve("old") is None
    assert await store.retrieve("fresh") is not None

"""Rasa tracker store for one machine: in memory, and forgotten after the session expires.

Rasa's own InMemoryTrackerStore keeps every conversation until the process stops. A
conversation must not outlive its session (docs/architecture.md), so this store drops a
tracker ``expiry_s`` seconds after its last message (default: the domain's 30-minute session).
Configured in endpoints.yml as ``type: bot.rasa.tracker_store.ExpiringInMemoryTrackerStore``.
With several Rasa processes use Rasa's Redis tracker store with ``record_exp`` instead.
"""

import time
from collections import OrderedDict
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker


class ExpiringInMemoryTrackerStore(InMemoryTrackerStore):
    def __init__(
        self,
        domain: Domain,
        event_broker: Optional[EventBroker] = None,
        expiry_s: float = 1800,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        self.expiry_s = float(expiry_s)
        # Oldest first: eviction looks only at the front, not at every conversation.
        self._last_seen: OrderedDict[str, float] = OrderedDict()

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        self._last_seen[tracker.sender_id] = time.monotonic()
        self._last_seen.move_to_end(tracker.sender_id)
        self.evict_expired()

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        self.evict_expired()
        return await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        self.evict_expired()
        return await super().retrieve_full_tracker(conversation_id)

    def evict_expired(self) -> int:
        """Drop every conversation idle for longer than the expiry; returns how many."""
        cutoff = time.monotonic() - self.expiry_s
        evicted = 0
        while self._last_seen:
            sender, seen = next(iter(self._last_seen.items()))
            if seen >= cutoff:
                break
            self.store.pop(sender, None)
            del self._last_seen[sender]
            evicted += 1
        return evicted

"""Fixtures for running actions without the stack: a dispatcher, a tracker built in the test,
the domain, and a fresh database, schedule and secrets for each test.

As in rasa-sdk's own tests (``tests/test_forms.py``), an action runs with a
``CollectingDispatcher`` and a ``Tracker`` built from a few events; tests assert response
names, slots and events, and database rows, never wording.
"""

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import booking, followup
from bot.followup import CounterBuffer
from bot.secrets import load_secrets
from bot.settings import current
from bot.storage import bookings as repo
from bot.storage.crypto import PhoneCipher
from bot.storage.db import session_scope
from bot.storage.models import monthly_counters
from tests.databases import fresh_database_url

ROOT = Path(__file__).resolve().parent.parent.parent
# Monday 4 March 2030, 08:00 in Stockholm: with the test schedule's hour of lead the first slot
# offered is 09:00 that day.
PHONE = "+46701234567"
NOW = datetime(2030, 3, 4, 7, 0, tzinfo=timezone.utc)
# Two days of six half-hour slots, one call each: 12 slots, three pages of four.
TEST_SCHEDULE = {
    "timezone": "Europe/Stockholm",
    "lead_minutes": 60,
    "days_ahead": 1,
    "defaults": {
        "slot_minutes": 30,
        "capacity": 1,
        "hours": {"mon": ["09:00-12:00"], "tue": ["09:00-12:00"]},
    },
    "centres": {
        "rvc_vasterort": {},
        "rvc_innerstan": {},
        "rvc_vastra_soderort": {},
        "rvc_sodra_soderort": {},
    },
    "closed_dates": [],
}

TrackerFactory = Callable[..., Tracker]


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """domain.yml as the dict Rasa sends with ``send_domain`` (the forms and their slots)."""
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def tracker_for() -> TrackerFactory:
    """Builds a tracker: ``tracker_for(slots={...}, choice="yes")``; see ``build_tracker``."""
    return build_tracker


def build_tracker(
    slots: Optional[Dict[str, Any]] = None,
    *,
    choice: Optional[str] = None,
    intent: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    text: Optional[str] = None,
    language: str = "sv",
    active_loop: Optional[str] = None,
    candidates: Optional[Dict[str, Any]] = None,
    ranking: Optional[List[Dict[str, Any]]] = None,
    earlier: Optional[List[Dict[str, Any]]] = None,
) -> Tracker:
    """A tracker whose latest message is a button (``choice``: ``/choose{"choice": ...}`` with
    the ``choice`` entity) or an intent with entities and text.

    ``language`` is sent as the widget's metadata, so the language is known without detection.
    ``candidates`` are the slot values Rasa appends as SlotSet events before it asks the form's
    validator (what ``FormValidationAction.run`` validates). ``ranking`` is the classifier's
    intent ranking. ``earlier`` events come first.
    """
    if choice is not None:
        intent = intent or "choose"
        entities = (entities or []) + [{"entity": "choice", "value": choice}]
        text = text or "/choose" + json.dumps({"choice": choice})
    parse_data = {
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": entities or [],
        "text": text or "",
        "intent_ranking": ranking or [],
    }
    user = {
        "event": "user",
        "text": text or "",
        "parse_data": parse_data,
        "metadata": {"language": language},
    }
    events = list(earlier or []) + [user]
    events += [SlotSet(name, value) for name, value in (candidates or {}).items()]
    loop = {"name": active_loop} if active_loop else {}
    return Tracker(
        "test-conversation",
        {**(slots or {}), **(candidates or {})},
        parse_data,
        events,
        False,
        None,
        loop,
        "action_listen",
    )


@pytest.fixture
def schedule(tmp_path, monkeypatch) -> Path:
    """The test schedule (never bot/content/schedule.yml, which leads edit) and the clock at ``NOW``."""
    path = tmp_path / "schedule.yml"
    path.write_text(yaml.safe_dump(TEST_SCHEDULE), encoding="utf-8")
    monkeypatch.setenv("TRYGG_SCHEDULE_FILE", str(path))
    monkeypatch.setattr(repo, "now_utc", lambda: NOW)
    current.cache_clear()
    return path


@pytest.fixture
def database(tmp_path, monkeypatch, schedule) -> Iterator[str]:
    """A fresh migrated SQLite database and fresh secrets in ``tmp_path``; returns the database URL."""
    url = fresh_database_url("sqlite", tmp_path)
    monkeypatch.setenv("TRYGG_DATABASE_URL", url)
    monkeypatch.setenv("TRYGG_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("TRYGG_SECRETS_FILE", str(tmp_path / "state" / "secrets.json"))
    current.cache_clear()
    # The pepper and keys of this test's secrets file, not an earlier one's.
    booking.pepper.cache_clear()
    booking.phone_keys.cache_clear()
    yield url
    booking.pepper.cache_clear()
    booking.phone_keys.cache_clear()


@pytest.fixture
def broken_database(tmp_path, monkeypatch, schedule) -> str:
    """A database without tables: every query fails as with a database that is down."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("TRYGG_DATABASE_URL", url)
    current.cache_clear()  # the settings are read once per process (bot/settings.py)
    return url


@pytest.fixture
def new_phone_token(database) -> Callable[..., str]:
    """Stores a number as the web app does (bot/routes/chat.py) and returns its token."""

    def store(phone: str = PHONE, now: Optional[datetime] = None) -> str:
        cipher = PhoneCipher(load_secrets()["phone_keys"])
        with session_scope(database) as session:
            return repo.store_phone_token(session, cipher, phone, now=now)

    return store


@pytest.fixture(autouse=True)
def counters(monkeypatch) -> CounterBuffer:
    """The follow-up counts of this test alone (actions count into a process-wide buffer)."""
    fresh = CounterBuffer()
    monkeypatch.setattr(followup, "buffer", fresh)
    return fresh


@pytest.fixture
def counted(database, counters) -> Callable[[], Dict[Tuple[str, str, str], int]]:
    """Writes this test's follow-up counts to its database, as the action server does every few
    seconds, and reads them back: {(metric, language, centre): count}."""

    def read() -> Dict[Tuple[str, str, str], int]:
        counters.flush()
        with session_scope(database) as session:
            return {
                (row.metric, row.language, row.centre): row.count
                for row in session.execute(select(monthly_counters))
            }

    return read

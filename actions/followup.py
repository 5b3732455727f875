"""Follow-up without tracking: conversations started, nearest-RVC lookups and feedback, as
aggregate monthly counters (bot/storage/statistics.py). Nothing here records a conversation.
Counts go through the same in-memory buffer as the web app's (bot/followup.py), written every
few seconds by actions/server.py, so no action waits for a database write.
"""

from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import choice, language_of
from bot.followup import buffer
from bot.vocabulary import LANGUAGES

FEEDBACK = ("yes", "partly", "no")
IMPROVEMENTS = ("easier_language", "language_missing", "area_not_found", "talk_sooner", "other")


def count(metric: str, language: str = "", centre: str = "") -> None:
    buffer.add(metric, language, centre)


class ActionSessionStart(Action):
    """Rasa's session start, plus one count of a conversation started (in the language the
    widget sent, if the resident picked one)."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        metadata = tracker.get_slot("session_started_metadata") or {}
        language = metadata.get("language") if metadata.get("language") in LANGUAGES else ""
        # "trygg_probe": `make run` warming up a restarted Rasa worker on loopback; the web app
        # passes on no metadata but the language, so a resident cannot send it.
        if not metadata.get("trygg_probe"):
            count("conversation_started", language)
        return [SessionStarted(), ActionExecuted("action_listen")]


class ActionRecordFeedback(Action):
    """Counts a feedback button (was this helpful? what could be better?) and asks the next step."""

    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[str, Any]]:
        picked = choice(tracker)
        language = language_of(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        answers = {"feedback": FEEDBACK, "improvement": IMPROVEMENTS}.get(intent or "", ())
        if picked not in answers or answered_before(tracker.events, intent, answers):
            # A replayed button (a second click, a resent request) is thanked, never counted
            # again: the figures count conversations that answered, not clicks.
            dispatcher.utter_message(response="utter_feedback_thanks")
            return []
        count(f"{intent}:{picked}", language)
        if intent == "feedback" and picked != "yes":
            dispatcher.utter_message(response="utter_ask_improvement")
        else:
            dispatcher.utter_message(response="utter_feedback_thanks")
        return []


def answered_before(events: List[Dict[str, Any]], intent: str, answers: Tuple[str, ...]) -> bool:
    """Whether a message before the latest one in this session already answered ``intent`` with
    one of ``answers`` (and so was counted). Reads the tracker only: nothing is kept beside it,
    and a new session (after 30 minutes without activity) starts afresh."""
    earlier = False
    for event in reversed(events):
        if event.get("event") == "session_started":
            return False
        if event.get("event") != "user":
            continue
        if not earlier:  # the message being answered now
            earlier = True
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") == intent and any(
            entity.get("entity") == "choice" and str(entity.get("value")) in answers
            for entity in parse.get("entities") or []
        ):
            return True
    return False

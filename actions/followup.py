"""Follow-up without tracking: conversations started, nearest-RVC lookups and feedback, as
aggregate daily counters (bot/storage/statistics.py). Nothing here records a conversation.
"""
import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.booking_support import choice, db_url, language_of
from bot.settings import LANGUAGES
from bot.storage import statistics
from bot.storage.db import session_scope

logger = logging.getLogger(__name__)
FEEDBACK = ("yes", "partly", "no")
IMPROVEMENTS = ("easier_language", "language_missing", "area_not_found", "talk_sooner", "other")


def count(metric: str, language: str = "", centre: str = "") -> None:
    try:
        with session_scope(db_url()) as session:
            statistics.count(session, metric, language, centre)
    except SQLAlchemyError as error:
        logger.error("could not count %s: %s", metric.split(":")[0], type(error).__name__)


class ActionSessionStart(Action):
    """Rasa's session start, plus one count of a conversation started (in the language the
    widget sent, if the resident picked one)."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        metadata = tracker.get_slot("session_started_metadata") or {}
        language = metadata.get("language") if metadata.get("language") in LANGUAGES else ""
        count("conversation_started", language)
        return [SessionStarted(), ActionExecuted("action_listen")]


class ActionRecordFeedback(Action):
    """Counts a feedback button (was this helpful? what could be better?) and asks the next step."""

    def name(self) -> Text:
        return "action_record_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        picked = choice(tracker)
        language = language_of(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "feedback" and picked in FEEDBACK:
            count("feedback:" + picked, language)
            if picked == "yes":
                dispatcher.utter_message(response="utter_feedback_thanks")
            else:
                dispatcher.utter_message(response="utter_ask_improvement")
        elif intent == "improvement" and picked in IMPROVEMENTS:
            count("improvement:" + picked, language)
            dispatcher.utter_message(response="utter_feedback_thanks")
        else:
            dispatcher.utter_message(response="utter_feedback_thanks")
        return []

"""What the NLG endpoint counts for follow-up, from the answers it renders (no records kept).

- ``topic:<intent>`` when a topic's own answer is given;
- ``acute_danger`` when the 112 answer is given;
- ``referral:<helpline>`` for every helpline number an answer names (its fact key).
Counted per day, language and nothing else (bot/storage/statistics.py).
"""
import logging
from typing import Any, Mapping

from sqlalchemy.exc import SQLAlchemyError

from bot.answers import PLACEHOLDER
from bot.settings import database_url
from bot.storage import statistics
from bot.storage.db import session_scope

logger = logging.getLogger(__name__)
TOPICS = ("where_to_turn", "rvc_offer", "cost_anonymity", "rvc_contact", "human_contact", "legal_process",
          "report_police", "investigation", "legal_counsel", "contact_ban", "trial", "compensation",
          "forms_of_violence", "protected_housing", "children_young", "uses_violence", "worried_relative",
          "privacy_chat")
TOPIC_RESPONSES = {f"utter_{topic}": topic for topic in TOPICS}
HELPLINES = {"kvinnofridslinjen_phone", "stodlinjen_man_phone", "stodlinjen_trans_phone", "ratt_att_valja_phone",
             "valj_att_sluta_phone", "bris_phone", "brottsofferjouren_phone", "city_contact_centre_phone",
             "police_phone", "healthcare_phone"}
# Answers that repeat the helplines as a safety footer are not referrals of their own.
FOOTERS = {"utter_default", "utter_out_of_scope", "utter_service_unavailable", "utter_booking_failed",
           "utter_goodbye", "utter_no_free_slots", "utter_centre_inferred_note"}


def count_answer(response: str, source_text: str, language: str, tracker: Mapping[str, Any]) -> None:
    if not tracker.get("events"):  # health probes and tests of the endpoint itself
        return
    metrics = []
    if response in TOPIC_RESPONSES:
        metrics.append("topic:" + TOPIC_RESPONSES[response])
    if response == "utter_acute_danger":
        metrics.append("acute_danger")
    if response not in FOOTERS:
        metrics += ["referral:" + name for name in PLACEHOLDER.findall(source_text) if name in HELPLINES]
    if not metrics:
        return
    try:
        with session_scope(database_url()) as session:
            for metric in metrics:
                statistics.count(session, metric, language)
    except SQLAlchemyError as error:
        # Statistics must never cost a resident their answer.
        logger.error("could not count an answer: %s", type(error).__name__)

"""When the classifier is unsure, offer the topics it hesitated between, as buttons.

A confident wrong answer is worse than a question back: "Do you mean one of these?" with the
two or three topics the message most likely is about. Button titles are the topic buttons the
answers already have (domain.yml, e.g. "Kontaktförbud" → /contact_ban), in the resident's
language from the catalogs, so there is nothing new to translate. With fewer than two such
topics the honest "I don't understand" (utter_default, with its fixed topic buttons) is given.
"""

import re
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker_reading import language_of
from bot.answers import Content
from bot.settings import current
from bot.vocabulary import TOPICS

MAX_CHOICES = 3
MIN_CONFIDENCE = 0.05
OFFERED = frozenset(TOPICS) | {
    "find_centre",
    "book_callback",
}  # topics, never "stop" or a form answer


def topic_titles() -> Dict[str, str]:
    """intent -> the Swedish title of a button in domain.yml that asks for that intent."""
    titles = Content.from_settings(current()).button_titles()
    intents = {payload: re.fullmatch(r"/(\w+)", payload) for payload in titles}
    return {
        found.group(1): titles[payload]
        for payload, found in intents.items()
        if found and found.group(1) in OFFERED
    }


def choices(ranking: List[Dict[str, Any]]) -> List[str]:
    """The likeliest topics with a button title, most likely first."""
    titles = topic_titles()
    return [
        r["name"]
        for r in ranking
        if r.get("name") in titles and float(r.get("confidence") or 0) >= MIN_CONFIDENCE
    ][:MAX_CHOICES]


class ActionOfferChoices(Action):
    def name(self) -> str:
        return "action_offer_choices"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        topics = choices(tracker.latest_message.get("intent_ranking") or [])
        if len(topics) < 2:
            dispatcher.utter_message(response="utter_default")
            return []
        language, content, titles = (
            language_of(tracker),
            Content.from_settings(current()),
            topic_titles(),
        )
        buttons = [
            {"title": content.translate(language, titles[t]), "payload": f"/{t}"} for t in topics
        ]
        dispatcher.utter_message(response="utter_offer_choices", buttons=buttons)
        return []

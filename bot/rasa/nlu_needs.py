"""Rasa NLU components that correct the classifier where a wrong topic would harm.

- ``NeedsOverride``: a message that states a need of bot/needs.py (under 18, honour-related
  violence or forced marriage, using violence) gets that need's intent, unless the classifier
  found a more important one or the message is an answer to a form (a button, a phone number).
- ``PhoneTokenIntent``: a message that carries a phone number (the web app put a token in its
  place, bot/phone.py) is the answer to the booking's phone question, ``inform_phone``, never a
  topic such as "RVC's phone number", which would interrupt the booking form.
Danger (bot.rasa.nlu_danger) runs after both and wins over them.
"""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.needs import need_of, outranks
from bot.phone import TOKEN_PATTERN
from bot.rasa.nlu_intent import IntentOverride, force_intent, typed_text

# Intents a need never replaces: a stop, an answer to a form, an explicit request.
KEEP = {
    "acute_danger",
    "stop",
    "choose",
    "feedback",
    "improvement",
    "inform_phone",
    "switch_language",
    "cancel_booking",
    "book_callback",
}


def _intent(message: Message) -> str:
    return (message.get("intent") or {}).get("name") or ""


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PhoneTokenIntent(IntentOverride):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if TOKEN_PATTERN.search(typed_text(message)) and _intent(message) != "stop":
                force_intent(message, "inform_phone")
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NeedsOverride(IntentOverride):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text, intent = typed_text(message), _intent(message)
            if not text or intent in KEEP:
                continue
            need = need_of(text)
            if need and outranks(need, intent):
                force_intent(message, need)
        return messages

"""Rasa NLU component: force ``acute_danger`` when the danger lexicon or patterns match.

Placed last in config.yml's pipeline, after the classifier, the FallbackClassifier and the
needs, so a low-confidence or wrong classification can never keep a resident in danger from
112. Inside a form the intent makes the form reject the message (domain.yml's
``not_intent``), and data/rules/forms.yml gives 112 first.
"""

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.danger import is_acute_danger
from bot.rasa.nlu_intent import IntentOverride, force_intent, typed_text

INTENT = "acute_danger"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerOverride(IntentOverride):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = typed_text(message)
            if text and is_acute_danger(text):
                force_intent(message, INTENT)
        return messages

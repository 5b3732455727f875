"""Rasa NLU component: force ``acute_danger`` when the danger lexicon matches.

Placed last in config.yml's pipeline, after the classifier and the FallbackClassifier, so a
low-confidence or wrong classification can never keep a resident in danger from 112.
Works inside forms too: the rules send ``acute_danger`` to 112 from any state.
"""
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.danger import is_acute_danger

INTENT = "acute_danger"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class DangerOverride(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "DangerOverride":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get("text")
            if not text or text.startswith("/") or not is_acute_danger(text):
                continue
            override = {"name": INTENT, "confidence": 1.0}
            ranking = [override] + [r for r in message.get("intent_ranking", []) or [] if r.get("name") != INTENT]
            message.set("intent", override, add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

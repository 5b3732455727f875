"""What our NLU components share: one way to replace the classifier's intent."""

from typing import Any, Dict

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message


class IntentOverride(GraphComponent):
    """A component without training or state that may replace a message's intent in ``process``."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentOverride":
        return cls()


def force_intent(message: Message, name: str) -> None:
    """Make ``name`` the message's intent, with confidence 1, first in the ranking."""
    forced = {"name": name, "confidence": 1.0}
    ranking = [forced] + [
        r for r in message.get("intent_ranking", []) or [] if r.get("name") != name
    ]
    message.set("intent", forced, add_to_output=True)
    message.set("intent_ranking", ranking, add_to_output=True)


def typed_text(message: Message) -> str:
    """The text the resident typed; "" for a button payload ("/choose{...}") or nothing."""
    text = message.get("text") or ""
    return "" if text.startswith("/") else text

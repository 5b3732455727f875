"""One way for our NLU components to replace the classifier's intent."""
from rasa.shared.nlu.training_data.message import Message


def force_intent(message: Message, name: str) -> None:
    """Make ``name`` the message's intent, with confidence 1, first in the ranking."""
    forced = {"name": name, "confidence": 1.0}
    ranking = [forced] + [r for r in message.get("intent_ranking", []) or [] if r.get("name") != name]
    message.set("intent", forced, add_to_output=True)
    message.set("intent_ranking", ranking, add_to_output=True)


def typed_text(message: Message) -> str:
    """The text the resident typed; "" for a button payload ("/choose{...}") or nothing."""
    text = message.get("text") or ""
    return "" if text.startswith("/") else text

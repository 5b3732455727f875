"""Rasa's callback NLG, sending only the part of the tracker our NLG endpoint reads.

Rasa's CallbackNaturalLanguageGenerator posts the *whole* tracker (every event of the
conversation) for every response and serialises it once more for a debug line, even when
debug logging is off. Our endpoint (bot/routes/nlg.py) only needs the recent user messages
(for the language, bot/language.py). Sending those keeps each NLG call small and constant in
size however long the conversation grows. Configured in endpoints.yml:
``nlg: {type: bot.rasa_nlg.CompactCallbackNLG, url: ...}``. The request format is unchanged
(``{"response", "id", "arguments", "tracker", "channel"}``); only ``tracker`` is shorter.
"""
from typing import Any, Dict, List, Optional, Text

from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

RECENT_USER_MESSAGES = 12
TIMEOUT_S = 5


class CompactCallbackNLG(CallbackNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig, domain: Optional[Domain] = None) -> None:
        super().__init__(endpoint_config=endpoint_config)

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text,
                       **kwargs: Any) -> Dict[Text, Any]:
        kwargs.pop("domain_responses", None)
        body = {"response": utter_action, "id": None, "arguments": kwargs,
                "tracker": compact_tracker(tracker), "channel": {"name": output_channel}}
        response = await self.nlg_endpoint.request(method="post", json=body, timeout=TIMEOUT_S)
        if isinstance(response, dict) and self.validate_response(response):
            return response
        raise RasaException("NLG web endpoint returned an invalid response.")


def compact_tracker(tracker: DialogueStateTracker) -> Dict[Text, Any]:
    """sender id, slots and the last user messages (text, intent, entities, metadata)."""
    users: List[Dict[Text, Any]] = []
    for event in reversed(tracker.events):
        if getattr(event, "type_name", None) == "user":
            users.append({"event": "user", "text": event.text, "parse_data": event.parse_data,
                          "metadata": event.metadata})
            if len(users) == RECENT_USER_MESSAGES:
                break
    return {"sender_id": tracker.sender_id, "slots": tracker.current_slot_values(), "events": users[::-1]}

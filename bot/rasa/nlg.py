"""Rasa's callback NLG, sending only the part of the tracker our NLG endpoint reads.

Rasa's CallbackNaturalLanguageGenerator posts the *whole* tracker (every event of the
conversation) for every response and serialises it once more for a debug line, even when
debug logging is off. Our endpoint (bot/routes/nlg.py) only needs the user messages that
decide the language (bot/language.py). Sending those keeps each NLG call small and constant in
size however long the conversation grows. Configured in endpoints.yml:
``nlg: {type: bot.rasa.nlg.CompactCallbackNLG, url: ...}``. The request format is unchanged
(``{"response", "id", "arguments", "tracker", "channel"}``); only ``tracker`` is shorter.

Every request carries the shared secret (``nlg_token`` from the secrets file, bot/secrets.py) in
a header: the endpoint answers no one else (bot/routes/nlg.py).
"""

from typing import Any, Dict, Optional

from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.secrets import NLG_TOKEN_HEADER, load_secrets

RECENT_USER_MESSAGES = 12
TIMEOUT_S = 5


class CompactCallbackNLG(CallbackNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig, domain: Optional[Domain] = None) -> None:
        super().__init__(endpoint_config=endpoint_config)
        self.token = load_secrets()["nlg_token"]

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> Dict[str, Any]:
        kwargs.pop("domain_responses", None)
        body = {
            "response": utter_action,
            "id": None,
            "arguments": kwargs,
            "tracker": compact_tracker(tracker),
            "channel": {"name": output_channel},
        }
        response = await self.nlg_endpoint.request(
            method="post", json=body, timeout=TIMEOUT_S, headers={NLG_TOKEN_HEADER: self.token}
        )
        if isinstance(response, dict) and self.validate_response(response):
            return response
        raise RasaException("NLG web endpoint returned an invalid response.")


def compact_tracker(tracker: DialogueStateTracker) -> Dict[str, Any]:
    """sender id, slots and the user messages that decide the language (bot/language.py): the
    last typed ones, and the latest explicit language request and language pick however long
    ago they were (a booking by buttons is a dozen messages, and must not forget "in English")."""
    kept: Dict[int, Dict[str, Any]] = {}
    typed = 0
    request_seen = pick_seen = False
    events = tracker.events
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if getattr(event, "type_name", None) != "user":
            continue
        is_typed = not (event.text or "").startswith("/")
        is_request = (event.intent or {}).get("name") == "switch_language" and not request_seen
        is_pick = bool((event.metadata or {}).get("language")) and not pick_seen
        if (is_typed and typed < RECENT_USER_MESSAGES) or is_request or is_pick:
            kept[index] = {
                "event": "user",
                "text": event.text,
                "parse_data": event.parse_data,
                "metadata": event.metadata,
            }
        typed += is_typed
        request_seen, pick_seen = request_seen or is_request, pick_seen or is_pick
        if typed >= RECENT_USER_MESSAGES and request_seen and pick_seen:
            break
    return {
        "sender_id": tracker.sender_id,
        "slots": tracker.current_slot_values(),
        "events": [kept[i] for i in sorted(kept)],
    }

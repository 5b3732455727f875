"""Validation of a chat request (the Rasa REST webhook shape), before anything reaches Rasa.

Kept apart from the route so the fuzz tests can hit it directly, and so the rules read in one
place: what a sender id must look like, how long a message may be, which metadata passes.
"""

import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Optional

from bot.errors import ApiError
from bot.vocabulary import LANGUAGES

# Control and format characters except tab and newline; they carry no meaning for the bot and
# some (bidi overrides, zero-width joiners in the wrong place) can disguise text.
_UNWANTED = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class ChatMessage:
    sender: str
    message: str
    language: Optional[str]
    # The widget says its last answer asked for the phone number (metadata ``step: "phone"``);
    # only ever makes redaction stricter (bot/phone.py), never reaches Rasa.
    phone_step: bool = False

    def rasa_payload(self) -> Dict[str, Any]:
        metadata = {"language": self.language} if self.language else {}
        return {"sender": self.sender, "message": self.message, "metadata": metadata}


def parse_chat_request(body: Any, max_chars: int) -> ChatMessage:
    """A validated message, or an ApiError (4xx) saying exactly what is wrong."""
    if not isinstance(body, dict):
        raise ApiError(400, "InvalidJson", 'Send a JSON object: {"sender": ..., "message": ...}.')
    sender = body.get("sender")
    if not isinstance(sender, str) or not _is_random_uuid(sender):
        raise ApiError(
            400,
            "InvalidSender",
            "'sender' must be a random UUID (version 4), new for each conversation.",
        )
    message = body.get("message")
    if not isinstance(message, str):
        raise ApiError(400, "InvalidMessage", "'message' must be a string.")
    message = clean_text(message)
    if not message:
        raise ApiError(400, "EmptyMessage", "The message is empty.")
    if len(message) > max_chars:
        raise ApiError(413, "MessageTooLong", f"The message is longer than {max_chars} characters.")
    metadata = body.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise ApiError(400, "InvalidMetadata", "'metadata' must be an object.")
    language = metadata.get("language")
    if language is not None and language not in LANGUAGES:
        raise ApiError(
            400,
            "UnsupportedLanguage",
            f"'metadata.language' must be one of {', '.join(LANGUAGES)}.",
        )
    return ChatMessage(
        sender=str(uuid.UUID(sender)),
        message=message,
        language=language,
        phone_step=metadata.get("step") == "phone",
    )


def clean_text(text: str) -> str:
    """NFC-normalised text without control characters, trimmed."""
    return _UNWANTED.sub("", unicodedata.normalize("NFC", text)).strip()


def _is_random_uuid(value: str) -> bool:
    try:
        parsed = uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return parsed.version == 4 and len(value) == 36

"""``POST /api/chat``: the resident's messages, validated and forwarded to Rasa's REST webhook.

Request and response JSON are exactly those of Rasa's REST channel (docs/api.md), so any Rasa
REST client works against it. Rasa is never reachable from outside; this route is the way in.
"""

import asyncio
import dataclasses
import logging
import time
from collections import OrderedDict

import aiohttp
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json
from sqlalchemy.exc import SQLAlchemyError

from bot.chat_input import ChatMessage, parse_chat_request
from bot.errors import ApiError
from bot.language import detect_language
from bot.phone import may_hold_phone_number, redact_phone_numbers
from bot.storage import bookings as repo
from bot.storage.db import session_scope
from bot.vocabulary import SOURCE_LANGUAGE

bp = Blueprint("chat", url_prefix="/api")
logger = logging.getLogger(__name__)


@bp.post("/chat")
async def chat(request: Request) -> HTTPResponse:
    """Forward one message to Rasa and return its answers."""
    settings = request.app.ctx.settings
    # Bodies over settings.max_body_bytes were refused before they were read (bot/app.py).
    try:
        body = request.json
    except Exception:
        raise ApiError(400, "InvalidJson", "The body is not valid JSON.")
    message = parse_chat_request(body, settings.max_message_chars)
    phone_steps = request.app.ctx.phone_steps
    if may_hold_phone_number(message.message):
        # In the phone step a part of a number ("070-123", then "45 67") is kept from Rasa too.
        phone_step = message.phone_step or phone_steps.asked(message.sender)
        try:
            # Rasa never receives a phone number: it gets an opaque token instead (bot/phone.py).
            # In a thread: storing the number is a database write.
            redacted, _ = await asyncio.get_running_loop().run_in_executor(
                None,
                redact_phone_numbers,
                message.message,
                request.app.ctx.store_phone,
                phone_step,
            )
        except SQLAlchemyError as error:
            logger.error("phone number could not be stored: %s", type(error).__name__)
            return json(_fallback_answer(request, message, "utter_booking_failed"), status=503)
        message = dataclasses.replace(message, message=redacted)
    try:
        answers = await _ask_rasa(request, message)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        logger.warning("rasa unavailable: %s", type(error).__name__)
        return json(_fallback_answer(request, message, "utter_service_unavailable"), status=503)
    if not isinstance(answers, list) or not answers:
        # Rasa answers nothing when an action or the NLG failed ("Bot will continue, but the
        # actions events are lost"): the resident must never meet silence.
        logger.warning("rasa returned no answer; sending the helplines")
        return json(_fallback_answer(request, message, "utter_service_unavailable"))
    phone_steps.note(message.sender, answers)
    logger.info("chat message forwarded, %d answers", len(answers))
    return json(answers)


async def _ask_rasa(request: Request, message: ChatMessage):
    """Post to the conversation's own Rasa worker (bot/rasa/workers.py); if that worker is down
    (connection refused), to the next one, which keeps the conversation from then on. With the
    default in-memory trackers the next worker starts the conversation afresh; with the Redis
    stores (endpoints-redis.yml) it carries on."""
    settings = request.app.ctx.settings
    router = request.app.ctx.rasa_router
    workers = settings.rasa_urls
    first = router.worker_for(message.sender)
    for attempt in range(len(workers)):
        worker = (first + attempt) % len(workers)
        try:
            with router.request(worker):
                async with request.app.ctx.http.post(
                    f"{workers[worker]}/webhooks/rest/webhook",
                    json=message.rasa_payload(),
                    timeout=aiohttp.ClientTimeout(total=settings.rasa_timeout_s),
                ) as response:
                    if response.status != 200:
                        raise aiohttp.ClientResponseError(
                            response.request_info, (), status=response.status
                        )
                    answers = await response.json()
            router.move(message.sender, worker)
            return answers
        except aiohttp.ClientConnectorError:
            # Nothing was sent, so nothing can be answered twice: safe to try the next worker.
            if attempt == len(workers) - 1:
                raise
            logger.warning("rasa worker %d unreachable; trying the next", worker + 1)


def _fallback_answer(request: Request, message: ChatMessage, response: str) -> list:
    """When a part is down, the resident still gets the emergency number and helplines."""
    language = message.language or detect_language(message.message) or SOURCE_LANGUAGE
    rendered = request.app.ctx.content.render(response, language)
    return [{"recipient_id": message.sender, **rendered}]


class PhoneSteps:
    """Conversations whose last answer asked for the phone number (``custom.asks``, set by
    bot/routes/nlg.py), in this process's memory for as long as a tracker lives. The widget
    says the same in its metadata, which covers a conversation another web-app process began."""

    def __init__(self, expiry_s: float, most: int = 50_000) -> None:
        self.expiry_s = expiry_s
        self.most = most
        self._until: OrderedDict[str, float] = OrderedDict()

    def asked(self, sender: str) -> bool:
        return self._until.get(sender, 0.0) > time.monotonic()

    def note(self, sender: str, answers: list) -> None:
        self._until.pop(sender, None)
        if any(
            isinstance(a, dict) and (a.get("custom") or {}).get("asks") == "phone" for a in answers
        ):
            self._until[sender] = time.monotonic() + self.expiry_s
            while len(self._until) > self.most:
                self._until.popitem(last=False)


def phone_store(cipher, database_url: str):
    """``store(e164) -> token`` for redact_phone_numbers: encrypt, keep under a fresh token."""

    def store(e164: str) -> str:
        with session_scope(database_url) as session:
            return repo.store_phone_token(session, cipher, e164)

    return store

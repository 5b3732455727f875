"""``POST /api/chat``: the resident's messages, validated and forwarded to Rasa's REST webhook.

Request and response JSON are exactly those of Rasa's REST channel (docs/api.md), so any Rasa
REST client works against it. Rasa is never reachable from outside; this route is the way in.
"""
import asyncio
import logging

import aiohttp
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.chat_input import parse_chat_request
from bot.errors import ApiError
from bot.language import detect_language
from bot.settings import SOURCE_LANGUAGE

bp = Blueprint("chat", url_prefix="/api")
logger = logging.getLogger(__name__)


@bp.post("/chat")
async def chat(request: Request) -> HTTPResponse:
    """Forward one message to Rasa and return its answers."""
    try:
        body = request.json
    except Exception:
        raise ApiError(400, "InvalidJson", "The body is not valid JSON.")
    settings = request.app.ctx.settings
    message = parse_chat_request(body, settings.max_message_chars)
    try:
        async with request.app.ctx.http.post(
            f"{settings.rasa_url}/webhooks/rest/webhook",
            json=message.rasa_payload(),
            timeout=aiohttp.ClientTimeout(total=settings.rasa_timeout_s),
        ) as response:
            if response.status != 200:
                raise aiohttp.ClientResponseError(response.request_info, (), status=response.status)
            answers = await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        logger.warning("rasa unavailable: %s", type(error).__name__)
        return json(_unavailable_answer(request, message), status=503)
    logger.info("chat message forwarded, %d answers", len(answers))
    return json(answers)


def _unavailable_answer(request: Request, message) -> list:
    """When Rasa cannot answer, the resident still gets the emergency number and helplines."""
    language = message.language or detect_language(message.message) or SOURCE_LANGUAGE
    rendered = request.app.ctx.content.render("utter_service_unavailable", language)
    return [{"recipient_id": message.sender, **rendered}]

"""Rasa's NLG endpoint: Rasa asks for every response's text here (endpoints.yml ``nlg: url``).

Request (Rasa 3.6): ``{"response", "id", "arguments", "tracker", "channel"}``.
Reply: ``{"text", "buttons", "custom"}``, which Rasa passes on to the channel.

Only Rasa may call it: every answer it renders is counted for follow-up (bot/followup.py), so a
stranger's request would change the statistics. ``refuse_unless_rasa`` wants the shared secret
(``nlg_token`` in the secrets file, sent by bot/rasa/nlg.py) and, unless
``TRYGG_NLG_ALLOW_REMOTE``, a caller on loopback with no proxy in between. bot/app.py runs it
before the body is read; the route runs it again, so the rule holds wherever the route is.
"""

import hmac
import ipaddress

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.answers import UnknownResponse
from bot.errors import ApiError
from bot.followup import count_answer
from bot.language import resolve_language
from bot.phone import PHONE_QUESTIONS
from bot.secrets import NLG_TOKEN_HEADER

bp = Blueprint("nlg")
# A request a proxy passed on came from outside, whatever the socket's peer is.
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


@bp.post("/nlg")
async def nlg(request: Request) -> HTTPResponse:
    """Render one response in the conversation's language."""
    refuse_unless_rasa(request)
    body = request.json if isinstance(request.json, dict) else None
    if not body or not isinstance(body.get("response"), str):
        raise ApiError(400, "BadNlgRequest", "Expected a JSON object with a 'response' name.")
    tracker = body.get("tracker") if isinstance(body.get("tracker"), dict) else {}
    arguments = body.get("arguments") if isinstance(body.get("arguments"), dict) else {}
    language = resolve_language(tracker)
    content = request.app.ctx.content
    try:
        message = content.render(body["response"], language, arguments)
    except UnknownResponse:
        raise ApiError(404, "UnknownResponse", "No such response in the domain.")
    if body["response"] in PHONE_QUESTIONS:
        # The web app reads this in Rasa's answer: the next message is in the phone step.
        message["custom"]["asks"] = "phone"
    count_answer(body["response"], content.source_text(body["response"]), language, tracker)
    return json(message)


def refuse_unless_rasa(request: Request) -> None:
    """ApiError 403 for a caller not on loopback (unless allowed), 401 without the secret."""
    if not request.app.ctx.settings.nlg_allow_remote and not _from_loopback(request):
        raise ApiError(403, "Forbidden", "The NLG endpoint answers Rasa only.")
    sent = request.headers.get(NLG_TOKEN_HEADER, "")
    if not hmac.compare_digest(sent.encode(), request.app.ctx.nlg_token.encode()):
        raise ApiError(401, "Unauthorized", "The NLG endpoint answers Rasa only.")


def _from_loopback(request: Request) -> bool:
    if any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    if request.conn_info is None:
        return False
    try:
        peer = ipaddress.ip_address(request.conn_info.client_ip)
    except ValueError:
        return False
    mapped = getattr(peer, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return (mapped or peer).is_loopback

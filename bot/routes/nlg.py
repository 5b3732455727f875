"""Rasa's NLG endpoint: Rasa asks for every response's text here (endpoints.yml ``nlg: url``).

Request (Rasa 3.6): ``{"response", "id", "arguments", "tracker", "channel"}``.
Reply: ``{"text", "buttons", "custom"}``, which Rasa passes on to the channel.
"""

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.answers import UnknownResponse
from bot.errors import ApiError
from bot.followup import count_answer
from bot.language import resolve_language

bp = Blueprint("nlg")


@bp.post("/nlg")
async def nlg(request: Request) -> HTTPResponse:
    """Render one response in the conversation's language."""
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
    count_answer(body["response"], content.source_text(body["response"]), language, tracker)
    return json(message)

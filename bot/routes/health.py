"""``GET /healthz``: 200 only when every Rasa worker, the action server and the NLG endpoint answer."""

import asyncio
from typing import List, Tuple

import aiohttp
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.secrets import NLG_TOKEN_HEADER

bp = Blueprint("health")
TIMEOUT = aiohttp.ClientTimeout(total=3)


@bp.get("/healthz")
async def healthz(request: Request) -> HTTPResponse:
    """Which parts answer; 503 with the failing part named when one does not."""
    settings = request.app.ctx.settings
    http = request.app.ctx.http
    nlg_probe = {
        "response": "utter_greet",
        "arguments": {},
        "tracker": {},
        "channel": {"name": "health"},
    }
    rasa, actions, nlg = await asyncio.gather(
        asyncio.gather(*(_probe(http, "get", f"{url}/") for url in settings.rasa_urls)),
        _probe(http, "get", f"{settings.action_server_url}/health"),
        _probe(
            http,
            "post",
            f"http://{settings.host}:{settings.port}/nlg",
            nlg_probe,
            {NLG_TOKEN_HEADER: request.app.ctx.nlg_token},
        ),
    )
    parts = {"rasa": _all_workers(rasa), "actions": actions, "nlg": nlg}
    healthy = all(ok for ok, _ in parts.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "parts": {name: ("up" if ok else f"down: {why}") for name, (ok, why) in parts.items()},
    }
    return json(body, status=200 if healthy else 503)


def _all_workers(probes: List[Tuple[bool, str]]) -> Tuple[bool, str]:
    """Rasa is up when every worker is; otherwise say which are down (worker 1, 2, ...)."""
    down = [f"worker {i} {why}" for i, (ok, why) in enumerate(probes, 1) if not ok]
    if not down:
        return True, ""
    return False, ", ".join(down) if len(probes) > 1 else probes[0][1]


async def _probe(
    http: aiohttp.ClientSession, method: str, url: str, payload=None, headers=None
) -> Tuple[bool, str]:
    try:
        async with http.request(
            method, url, json=payload, headers=headers, timeout=TIMEOUT
        ) as response:
            if response.status == 200:
                return True, ""
            return False, f"HTTP {response.status}"
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return False, type(error).__name__

"""``GET /healthz``: 200 only when every Rasa worker, the action server and the NLG endpoint answer.

Anyone (a load balancer, a probe) learns only ok or unavailable, from a result shared for a
couple of seconds, so the public cannot make the web app fan out to its internal parts at will.
Which part is down, and why, is for the machine itself (loopback: the operator, `make run`) and
for logged-in staff.
"""

import asyncio
import ipaddress
import time
from typing import Dict, List, Tuple

import aiohttp
from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.console.guard import logged_in
from bot.rate_limit import client_address
from bot.secrets import NLG_TOKEN_HEADER

bp = Blueprint("health")
TIMEOUT = aiohttp.ClientTimeout(total=3)
PUBLIC_RESULT_S = 2.0  # how long the public answer is reused


@bp.get("/healthz")
async def healthz(request: Request) -> HTTPResponse:
    """ok/unavailable for anyone; the parts, with the failing one named, for loopback and staff."""
    if not _may_see_parts(request):
        healthy = await _shared_result(request.app)
        return json({"status": "ok" if healthy else "unavailable"}, status=200 if healthy else 503)
    parts = await _probe_parts(request.app)
    healthy = all(ok for ok, _ in parts.values())
    body: Dict[str, object] = {
        "status": "ok" if healthy else "degraded",
        "parts": {name: ("up" if ok else f"down: {why}") for name, (ok, why) in parts.items()},
    }
    return json(body, status=200 if healthy else 503)


def _may_see_parts(request: Request) -> bool:
    try:
        if ipaddress.ip_address(client_address(request)).is_loopback:
            return True
    except ValueError:
        pass
    return logged_in(request) is not None


async def _shared_result(app: Sanic) -> bool:
    """One probe every PUBLIC_RESULT_S at most, whoever asks and however often."""
    started, probe = getattr(app.ctx, "public_health", (0.0, None))
    if probe is None or time.monotonic() - started > PUBLIC_RESULT_S:
        probe = asyncio.ensure_future(_probe_parts(app))
        app.ctx.public_health = (time.monotonic(), probe)
    # Shielded: a client that hangs up must not cancel the probe the others wait for.
    parts = await asyncio.shield(probe)
    return all(ok for ok, _ in parts.values())


async def _probe_parts(app: Sanic) -> Dict[str, Tuple[bool, str]]:
    settings, http = app.ctx.settings, app.ctx.http
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
            {NLG_TOKEN_HEADER: app.ctx.nlg_token},
        ),
    )
    return {"rasa": _all_workers(rasa), "actions": actions, "nlg": nlg}


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

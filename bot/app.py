"""The web app: the only public port. Wires blueprints, shared clients and security headers."""

import asyncio
import logging
import re

import aiohttp
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import console, followup, retention
from bot.answers import Content
from bot.console.throttle import HashingPool, LoginThrottle
from bot.errors import ApiError, install_error_handlers
from bot.language import detect_language
from bot.rasa.workers import WorkerRouter, drain_file_reader
from bot.rate_limit import RateLimiter, client_address
from bot.routes import chat, demo, health, nlg
from bot.secrets import CurrentPhoneKeys, check_private_state, load_secrets
from bot.settings import Settings
from bot.storage.crypto import StaffSecretCipher

logger = logging.getLogger(__name__)
RATE_LIMITED = frozenset({"/api/chat", "/console/login"})
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors {ancestors}; base-uri 'none'; form-action 'self'"
)


def frame_ancestors(settings: Settings, path: str) -> str:
    """Who may show a response in a frame. The chat's page: the city website (TRYGG_SITE_ORIGIN)
    and our own demo page. Every other response: nobody (console, API, demo page; no
    clickjacking, and no page of ours framed to look like the chat)."""
    if path == demo.FRAME_PATH:
        return f"'self' {settings.site_origin}" if settings.site_origin else "'self'"
    return "'none'"


def create_app(settings: Settings, name: str = "trygg_chatt") -> Sanic:
    if settings.site_origin and not ORIGIN.fullmatch(settings.site_origin):
        # It goes into the CSP and the chat's script: only a bare origin, nothing that could
        # add a directive or a second source.
        raise ValueError("TRYGG_SITE_ORIGIN must be an origin, e.g. https://start.stockholm")
    # Before anything is read or written: refuse a state other users can read (the message
    # says the chmod to run).
    check_private_state(settings)
    app = Sanic(name)
    # The largest legitimate body (Rasa's NLG requests); each route's own limit: route_body_limit.
    app.config.REQUEST_MAX_SIZE = settings.max_internal_body_bytes
    app.config.FALLBACK_ERROR_FORMAT = "json"
    # Sanic's own proxy handling: with N trusted proxies, request.remote_addr is the address the
    # outermost of them saw; a client cannot forge it by sending its own X-Forwarded-For.
    app.config.PROXIES_COUNT = settings.proxies_count
    app.ctx.settings = settings
    app.ctx.content = Content.from_settings(settings)
    app.ctx.rate_limiter = RateLimiter(settings.rate_burst, settings.rate_per_second)
    app.ctx.phone_steps = chat.PhoneSteps(settings.tracker_expiry_s)
    app.ctx.login_throttle = LoginThrottle(per_client=settings.console_client_failures)
    app.ctx.hashing = HashingPool(max_waiting=settings.console_hash_slots)
    app.ctx.rasa_router = WorkerRouter(
        len(settings.rasa_urls),
        settings.tracker_expiry_s,
        drain_file_reader(settings.rasa_drain_file),
    )
    for blueprint in (chat.bp, nlg.bp, health.bp, demo.bp, console.bp):
        app.blueprint(blueprint)
    install_error_handlers(app)

    @app.before_server_start
    async def open_clients(app: Sanic, _loop) -> None:
        app.ctx.http = aiohttp.ClientSession()
        secrets_ = load_secrets(settings.secrets_file)
        # Read again when the file changes: a rotation's new key is used, and the keys it
        # retired are forgotten, without a restart.
        app.ctx.cipher = CurrentPhoneKeys(settings.secrets_file)
        app.ctx.staff_cipher = StaffSecretCipher(secrets_["reference_pepper"])
        app.ctx.nlg_token = secrets_["nlg_token"]
        app.ctx.store_phone = chat.phone_store(app.ctx.cipher, settings.database_url)
        # Build the language detectors now (≈2 s), not in the first resident's answer.
        detect_language("Trygg chatt startar")

    @app.after_server_start
    async def start_background_jobs(app: Sanic, _loop) -> None:
        app.ctx.jobs = [
            asyncio.ensure_future(retention.run_forever(settings)),
            asyncio.ensure_future(followup.buffer.flush_forever(settings.counter_flush_s)),
        ]

    @app.before_server_stop
    async def stop_background_jobs(app: Sanic, _loop) -> None:
        for job in app.ctx.jobs:
            job.cancel()
        await asyncio.gather(*app.ctx.jobs, return_exceptions=True)
        followup.buffer.flush()

    @app.after_server_stop
    async def close_clients(app: Sanic, _loop) -> None:
        await app.ctx.http.close()

    @app.on_response
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        _add_security_headers(settings, request, response)

    @app.signal("http.routing.after")
    async def body_limit(request: Request, **_context) -> None:
        # Runs after routing and before Sanic reads the body: a body over the route's limit is
        # refused (413) from its Content-Length, or as soon as a chunked one passes it.
        limit = route_body_limit(request, settings)
        if request.stream is not None:
            request.stream.request_max_size = limit

    @app.on_request
    async def preflight(request: Request):
        if request.path in RATE_LIMITED and request.method == "POST":
            if not app.ctx.rate_limiter.allow(client_address(request)):
                raise ApiError(
                    429,
                    "TooManyRequests",
                    "Too many messages at once. Wait a moment and try again. "
                    "In acute danger call 112.",
                )
        if request.method == "OPTIONS":
            response = HTTPResponse(status=204)
            _add_security_headers(settings, request, response)
            return response

    return app


def route_body_limit(request: Request, settings: Settings) -> int:
    """The largest body this request may send. ``/nlg`` callers that are not Rasa are refused
    here, before any of their body is read."""
    if request.path == "/nlg":
        nlg.refuse_unless_rasa(request)
        return settings.max_internal_body_bytes
    if request.path == "/api/chat":
        return settings.max_body_bytes
    return settings.max_form_bytes


def _add_security_headers(settings: Settings, request: Request, response: HTTPResponse) -> None:
    headers = response.headers
    # Nothing a resident sees or sends may stay in a cache (shared devices, proxies).
    headers["Cache-Control"] = "no-store"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    if request.scheme == "https":
        # Over TLS (directly, or as the trusted proxies say: TRYGG_PROXIES_COUNT), browsers
        # must never come back over plain http, where a network could read a staff cookie.
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    headers.setdefault(
        "Content-Security-Policy", CSP.format(ancestors=frame_ancestors(settings, request.path))
    )
    origin = request.headers.get("origin")
    if settings.site_origin and origin == settings.site_origin:
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Allow-Methods"] = "POST, GET, OPTIONS"
        headers["Access-Control-Allow-Headers"] = "Content-Type"
        headers["Vary"] = "Origin"

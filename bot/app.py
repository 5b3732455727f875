"""The web app: the only public port. Wires blueprints, shared clients and security headers."""

import asyncio
import logging

import aiohttp
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import console, followup, retention
from bot.answers import Content
from bot.errors import ApiError, install_error_handlers
from bot.language import detect_language
from bot.rasa.workers import WorkerRouter, drain_file_reader
from bot.rate_limit import RateLimiter
from bot.routes import chat, demo, health, nlg
from bot.secrets import CurrentPhoneKeys, check_private_state, load_secrets
from bot.settings import Settings
from bot.storage.crypto import StaffSecretCipher

logger = logging.getLogger(__name__)
RATE_LIMITED = frozenset({"/api/chat", "/console/login"})


def client_address(request: Request) -> str:
    """The resident's address for rate limiting only (never stored or logged): the one the
    trusted proxies forwarded (TRYGG_PROXIES_COUNT), else the connection's."""
    return request.remote_addr or request.ip or ""


def create_app(settings: Settings, name: str = "trygg_chatt") -> Sanic:
    # Before anything is read or written: refuse a state other users can read (the message
    # says the chmod to run).
    check_private_state(settings)
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = settings.max_internal_body_bytes
    app.config.FALLBACK_ERROR_FORMAT = "json"
    # Sanic's own proxy handling: with N trusted proxies, request.remote_addr is the address the
    # outermost of them saw; a client cannot forge it by sending its own X-Forwarded-For.
    app.config.PROXIES_COUNT = settings.proxies_count
    app.ctx.settings = settings
    app.ctx.content = Content.from_settings(settings)
    app.ctx.rate_limiter = RateLimiter(settings.rate_burst, settings.rate_per_second)
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


def _add_security_headers(settings: Settings, request: Request, response: HTTPResponse) -> None:
    headers = response.headers
    # Nothing a resident sees or sends may stay in a cache (shared devices, proxies).
    headers["Cache-Control"] = "no-store"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'",
    )
    origin = request.headers.get("origin")
    if settings.site_origin and origin == settings.site_origin:
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Allow-Methods"] = "POST, GET, OPTIONS"
        headers["Access-Control-Allow-Headers"] = "Content-Type"
        headers["Vary"] = "Origin"

"""Logging in and out, one's own password, and the code step (bot/totp.py).

Login: a CSRF token in its own cookie, one generic error for every wrong part, and failures
counted per client and account (bot/console/throttle.py), so nobody can lock the owner out.
"""

import logging
import re
import secrets
from typing import Callable, TypeVar

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from bot import totp
from bot.console.guard import (
    BEFORE_PASSWORD,
    BEFORE_SECOND_STEP,
    COOKIE,
    requires_staff,
    tokens_match,
)
from bot.console.pages import ConsoleError, page, set_cookie, unit_of_work
from bot.console.throttle import PoolFull
from bot.rate_limit import client_address
from bot.storage import audit
from bot.storage import staff as staff_repo

bp = Blueprint("console_session")
logger = logging.getLogger(__name__)
LOGIN_CSRF_COOKIE = "trygg_login_csrf"
T = TypeVar("T")
WRONG_PART = "Lösenordet eller koden stämmer inte. Skriv in koden som appen visar just nu."
BUSY = "Många loggar in just nu. Vänta några sekunder och försök igen."


def login_page(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
    token = secrets.token_urlsafe(24)
    response = page("login.html", None, status=status, error=error, csrf=token)
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@bp.post("/login")
async def login(request: Request) -> HTTPResponse:
    form = request.form
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not tokens_match(expected, form.get("csrf", "")):
        raise ConsoleError(403, "Sidan var för gammal. Ladda om inloggningen och försök igen.")
    username, password = form.get("username", "")[:64], form.get("password", "")[:200]
    code, client = form.get("code", "")[:20], client_address(request)
    throttle, hashing = request.app.ctx.login_throttle, request.app.ctx.hashing
    if hashing.full:  # before counting the try: nothing was checked
        return _retry_after(login_page(request, BUSY, status=503), 1)
    wait = throttle.attempt(client, username)
    if wait:
        logger.warning("console login rate limited")
        refused = login_page(request, "För många försök. Vänta en stund och försök igen.", 429)
        return _retry_after(refused, wait)

    def check() -> tuple:
        with unit_of_work(request) as session:
            member = staff_repo.verify_login(
                session, username, password, code, request.app.ctx.staff_cipher
            )
            return member, staff_repo.start_session(session, member) if member else None

    try:
        member, token = await hashing.run(check)
    except PoolFull:
        return _retry_after(login_page(request, BUSY, status=503), 1)
    if member is None:
        logger.info("console login failed")
        # One message for every wrong part, so a guesser learns nothing about which was wrong.
        return login_page(request, "Fel användarnamn, lösenord eller kod.", status=401)
    throttle.succeeded(client, username)
    logger.info("console login")
    response = redirect("/console/")
    set_cookie(
        request, response, COOKIE, token, max_age=int(staff_repo.SESSION_LIFETIME.total_seconds())
    )
    return response


@bp.post("/logout")
@requires_staff(open_before=BEFORE_PASSWORD)
async def logout(request: Request, member: staff_repo.StaffMember) -> HTTPResponse:
    with unit_of_work(request) as session:
        staff_repo.end_session(session, request.cookies.get(COOKIE))
    response = redirect("/console/")
    # The same path and flags as the cookie that was set, or the browser keeps that one.
    set_cookie(request, response, COOKIE, "", max_age=0)
    logger.info("console logout %s", member.username)
    return response


@bp.get("/password")
@requires_staff(open_before=BEFORE_PASSWORD)
async def password_page(request: Request, member: staff_repo.StaffMember) -> HTTPResponse:
    return page("password.html", member)


@bp.post("/password")
@requires_staff(open_before=BEFORE_PASSWORD)
async def password_change(request: Request, member: staff_repo.StaffMember) -> HTTPResponse:
    """The member's own new password (required after a one-time password); other sessions end."""
    form = request.form

    def change() -> None:
        with unit_of_work(request) as session:
            staff_repo.change_own_password(
                session,
                member,
                form.get("current", "")[:200],
                form.get("new", "")[:200],
                form.get("repeat", "")[:200],
                keep_session=request.cookies.get(COOKIE, ""),
            )
            audit.record(session, member, "password_changed")

    try:
        await off_loop(request, change)
    except staff_repo.PasswordRefused as refused:
        return page("password.html", member, status=400, error=str(refused))
    logger.info("console password changed")
    return redirect("/console/")


@bp.get("/2fa")
@requires_staff(open_before=BEFORE_SECOND_STEP)
async def second_step_page(request: Request, member: staff_repo.StaffMember) -> HTTPResponse:
    """Set up the code step (a secret for the member's authenticator app), or turn it off."""
    return _second_step_page(request, member)


@bp.post("/2fa")
@requires_staff(open_before=BEFORE_SECOND_STEP)
async def second_step_on(request: Request, member: staff_repo.StaffMember) -> HTTPResponse:
    """Turn the code step on: the password and a code from the new secret; other sessions end."""
    form = request.form
    secret = form.get("secret", "")
    if member.has_second_step or not re.fullmatch(r"[A-Z2-7]{32}", secret):
        raise ConsoleError(400, "Formuläret var ogiltigt. Ladda om sidan och försök igen.")

    def turn_on() -> bool:
        with unit_of_work(request) as session:
            done = staff_repo.enable_second_step(
                session,
                member,
                form.get("password", "")[:200],
                secret,
                form.get("code", "")[:20],
                request.app.ctx.staff_cipher,
                keep=request.cookies.get(COOKIE, ""),
            )
            if done:
                audit.record(session, member, "second_step_on")
            return done

    if not await off_loop(request, turn_on):
        return _second_step_page(request, member, secret=secret, status=400, error=WRONG_PART)
    logger.info("console second step on")
    return redirect("/console/")


@bp.post("/2fa/off")
@requires_staff(open_before=BEFORE_SECOND_STEP)
async def second_step_off(request: Request, member: staff_repo.StaffMember) -> HTTPResponse:
    """Turn the code step off: the password and a current code; other sessions end. Refused
    when TRYGG_CONSOLE_REQUIRE_2FA makes it compulsory."""
    if request.app.ctx.settings.console_require_second_step:
        with unit_of_work(request) as session:
            audit.record(session, member, "second_step_off_refused")
        raise ConsoleError(403, "Tvåstegsinloggning krävs här och kan inte stängas av.")
    form = request.form

    def turn_off() -> bool:
        with unit_of_work(request) as session:
            done = staff_repo.disable_second_step(
                session,
                member,
                form.get("password", "")[:200],
                form.get("code", "")[:20],
                request.app.ctx.staff_cipher,
                keep=request.cookies.get(COOKIE, ""),
            )
            if done:
                audit.record(session, member, "second_step_off")
            return done

    if not await off_loop(request, turn_off):
        return _second_step_page(request, member, status=400, error=WRONG_PART)
    logger.info("console second step off")
    return redirect("/console/2fa")


def _second_step_page(
    request: Request, member, secret: str = "", status: int = 200, error: str = ""
) -> HTTPResponse:
    secret = secret or totp.new_secret()
    return page(
        "second_step.html",
        member,
        status=status,
        error=error,
        secret=secret,
        grouped=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        uri=totp.provisioning_uri(secret, member.username),
        required=request.app.ctx.settings.console_require_second_step,
    )


async def off_loop(request: Request, work: Callable[[], T]) -> T:
    """A password check (Argon2id, ~136 ms) with its unit of work, in the console's small
    thread pool (bot/console/throttle.py), never on the loop that answers residents."""
    try:
        return await request.app.ctx.hashing.run(work)
    except PoolFull:
        raise ConsoleError(503, BUSY) from None


def _retry_after(response: HTTPResponse, seconds: float) -> HTTPResponse:
    response.headers["Retry-After"] = str(int(seconds) + 1)
    return response

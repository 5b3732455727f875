"""Who may open a console page: ``requires_staff(role)`` on every route but the login page.

A route guarded by it gets the logged-in member as its second argument. The guard checks, in
order: a live session (cookie → server-side session), the CSRF token on every POST, the
member's set-up (own password chosen; the code step on when it is required), and the role.
"""

import secrets
from functools import wraps
from typing import Optional

from sanic.request import Request

from bot.console.pages import ConsoleError, SetupRequired, unit_of_work
from bot.storage import staff as staff_repo

COOKIE = "trygg_staff"
# Each role may do what the ones before it may (bot/storage/staff.py lists them in that order).
ROLE_ORDER = staff_repo.ROLES
ROLE_REFUSED = {
    "lead": "Den här sidan är för samordnare och administratörer.",
    "admin": "Den här sidan är för administratörer.",
}
MUST_CHANGE_PASSWORD = (
    "/console/password",
    "Välj ett eget lösenord innan du gör något annat (sidan Byt lösenord).",
)
MUST_SET_UP_SECOND_STEP = (
    "/console/2fa",
    "Slå på tvåstegsinloggning innan du gör något annat (sidan Tvåstegsinloggning).",
)
# What a route may be used for before the member's set-up is done.
BEFORE_PASSWORD = "before_password"  # logging out, choosing one's own password
BEFORE_SECOND_STEP = "before_second_step"  # the code step's own pages


def requires_staff(role: str = "staff", open_before: str = ""):
    """Guard a route: ``@requires_staff("lead")`` → ``async def handler(request, member, ...)``."""
    if role not in ROLE_ORDER:
        raise ValueError(f"unknown role {role}")

    def decorate(handler):
        @wraps(handler)
        async def guarded(request: Request, *args, **kwargs):
            member = logged_in(request)
            if member is None:
                raise ConsoleError(
                    401, "Du är inte inloggad, eller sessionen har gått ut. Logga in igen."
                )
            if request.method == "POST" and not tokens_match(
                member.csrf_token, request.form.get("csrf", "") or ""
            ):
                raise ConsoleError(
                    403,
                    "Formuläret var ogiltigt eller för gammalt. Ladda om sidan och försök igen.",
                )
            if open_before != BEFORE_PASSWORD:
                require_setup_done(
                    request, member, second_step_pages=open_before == BEFORE_SECOND_STEP
                )
            if ROLE_ORDER.index(member.role) < ROLE_ORDER.index(role):
                raise ConsoleError(403, ROLE_REFUSED[role])
            return await handler(request, member, *args, **kwargs)

        return guarded

    return decorate


def tokens_match(expected: str, given: str) -> bool:
    """Constant-time comparison of a CSRF token. As bytes: ``compare_digest`` raises TypeError
    on a str with non-ASCII characters, which a forged form may well send."""
    return secrets.compare_digest(expected.encode(), given.encode())


def logged_in(request: Request) -> Optional[staff_repo.StaffMember]:
    with unit_of_work(request) as session:
        return staff_repo.member_for_session(session, request.cookies.get(COOKIE))


def require_setup_done(
    request: Request, member: staff_repo.StaffMember, second_step_pages: bool = False
) -> None:
    """After a one-time password only the password page (and logging out) is open until the
    member has chosen their own; then, when the code step is required, only its pages."""
    if member.must_change_password:
        raise SetupRequired(*MUST_CHANGE_PASSWORD)
    if (
        request.app.ctx.settings.console_require_second_step
        and not member.has_second_step
        and not second_step_pages
    ):
        raise SetupRequired(*MUST_SET_UP_SECOND_STEP)

"""Admins: staff accounts (create, stop, restart, new one-time password). One-time passwords
are shown once, on the page that made them. From the command line: bot/console/cli.py."""

import re

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, redirect
from sqlalchemy.exc import IntegrityError

from bot.console.guard import requires_staff
from bot.console.pages import ConsoleError, page, unit_of_work
from bot.console.session import off_loop
from bot.console_labels import ROLE_LABELS
from bot.places import centres
from bot.storage import audit
from bot.storage import staff as staff_repo
from bot.storage.staff import StaffMember

bp = Blueprint("console_accounts")
EVENTS = {
    "deactivate": "staff_deactivated",
    "activate": "staff_activated",
    "password": "staff_password_reset",
}


def _accounts_page(member: StaffMember, accounts, **shown) -> HTTPResponse:
    return page(
        "staff.html",
        member,
        accounts=accounts,
        centres=centres(),
        roles=staff_repo.ROLES,
        role_labels=ROLE_LABELS,
        **shown,
    )


@bp.get("/staff")
@requires_staff("admin")
async def staff_page(request: Request, member: StaffMember) -> HTTPResponse:
    """The staff accounts, and a form to create one."""
    with unit_of_work(request) as session:
        accounts = staff_repo.accounts(session)
    return _accounts_page(member, accounts)


@bp.post("/staff")
@requires_staff("admin")
async def staff_create(request: Request, member: StaffMember) -> HTTPResponse:
    """Create an account; its one-time password is shown once, here."""
    form = request.form
    username, centre, role = (
        form.get("username", "").strip()[:64],
        form.get("centre", ""),
        form.get("role", ""),
    )
    if (
        not re.fullmatch(r"[a-z0-9._-]{3,64}", username)
        or centre not in centres()
        or role not in staff_repo.ROLES
    ):
        raise ConsoleError(
            400, "Användarnamn (3–64 tecken a–z, 0–9, . _ -), mottagning och roll måste anges."
        )

    def create():
        with unit_of_work(request) as session:
            password = staff_repo.create_account(session, username, centre, role)
            audit.record(
                session, member, "staff_created", username=username, role=role, centre=centre
            )
            return password, staff_repo.accounts(session)

    try:
        # Hashing the one-time password (Argon2id) runs off the loop that answers residents.
        password, accounts = await off_loop(request, create)
    except IntegrityError:
        raise ConsoleError(409, "Det användarnamnet finns redan.")
    return _accounts_page(member, accounts, created=username, password=password)


@bp.post("/staff/<username:str>/<change:(deactivate|activate|password)>")
@requires_staff("admin")
async def staff_change(
    request: Request, member: StaffMember, username: str, change: str
) -> HTTPResponse:
    """Stop or restart an account, or give it a new one-time password (shown once)."""
    if change == "deactivate" and username == member.username:
        raise ConsoleError(400, "Du kan inte stänga av ditt eget konto.")
    if change == "password" and username == member.username:
        raise ConsoleError(400, "Ditt eget lösenord byter du på sidan Byt lösenord.")

    def apply():
        password = None
        with unit_of_work(request) as session:
            if change == "deactivate":
                found = staff_repo.deactivate(session, username)
            elif change == "activate":
                found = staff_repo.activate(session, username)
            else:
                password = staff_repo.reset_password(session, username)
                found = password is not None
            if not found:
                raise ConsoleError(404, "Det kontot finns inte.")
            audit.record(session, member, EVENTS[change], username=username)
            return password, staff_repo.accounts(session)

    # A new one-time password is hashed (Argon2id) off the loop that answers residents.
    password, accounts = await off_loop(request, apply)
    if password is None:
        return redirect("/console/staff")
    return _accounts_page(member, accounts, reset=username, password=password)

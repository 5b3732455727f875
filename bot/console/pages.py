"""How console pages are rendered: templates, error pages, cookies, and a unit of work.

Every page is server-rendered from bot/templates/console with autoescaping; the app-wide
headers (bot/app.py) keep pages that show a number out of every cache.
"""

from contextlib import contextmanager
from typing import Iterator

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file, html, redirect
from sqlalchemy.orm import Session

from bot.schedule import load_schedule
from bot.settings import ROOT
from bot.storage import callbacks
from bot.storage.bookings import as_utc
from bot.storage.db import session_scope

bp = Blueprint("console_pages")
_templates = Environment(
    loader=FileSystemLoader(ROOT / "bot" / "templates" / "console"),
    autoescape=select_autoescape(["html"]),
)
_templates.filters["local"] = lambda moment: (
    as_utc(moment).astimezone(load_schedule().zone).strftime("%Y-%m-%d %H:%M")
)


class ConsoleError(Exception):
    """A refusal shown as a page in Swedish, with its status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class SetupRequired(Exception):
    """A step the member must finish before the console opens: GETs go to its page, other
    requests are refused with a message that names it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def install_error_pages(group) -> None:
    """Refusals from any console route become pages (never a 500, never JSON)."""

    @group.exception(ConsoleError)
    async def console_error(request: Request, error: ConsoleError) -> HTTPResponse:
        return page("error.html", None, status=error.status, message=error.message)

    @group.exception(SetupRequired)
    async def setup_required(request: Request, required: SetupRequired) -> HTTPResponse:
        if request.method == "GET":
            return redirect(required.path)
        return page("error.html", None, status=403, message=required.message)


def page(template: str, member, status: int = 200, **values) -> HTTPResponse:
    body = _templates.get_template(template).render(member=member, **values)
    return html(body, status=status)


@contextmanager
def unit_of_work(request: Request) -> Iterator[Session]:
    """One transaction on the app's database (bot/storage/db.py ``session_scope``)."""
    with session_scope(request.app.ctx.settings.database_url) as session:
        yield session


def set_cookie(
    request: Request, response: HTTPResponse, name: str, value: str, max_age: int
) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["httponly"] = True
    cookie["secure"] = request.app.ctx.settings.cookie_secure
    cookie["samesite"] = "Strict"
    cookie["path"] = "/console"
    cookie["max-age"] = max_age


@contextmanager
def booking_errors(request: Request, member, action: str, booking_id: str) -> Iterator[None]:
    """Turns the callback repository's refusals into clear pages (never a 500), each one in the
    audit log: a claim, reveal or outcome on another centre's booking, an unknown id, or a
    booking someone else holds (bot/storage/callbacks.py ``record_refusal``)."""
    try:
        yield
    except (callbacks.NotAllowed, callbacks.ClaimedByOther) as refusal:
        with unit_of_work(request) as session:
            callbacks.record_refusal(session, member, action, booking_id, refusal)
        if isinstance(refusal, callbacks.NotAllowed):
            raise ConsoleError(404, "Bokningen finns inte i din mottagnings lista.") from None
        raise ConsoleError(
            409, f"Bokningen hanteras av {refusal.holder or 'ingen'}. Du kan inte ändra den."
        ) from None


@bp.get("/static/console.css")
async def stylesheet(request: Request) -> HTTPResponse:
    return await file(ROOT / "bot" / "static" / "console.css", mime_type="text/css; charset=utf-8")

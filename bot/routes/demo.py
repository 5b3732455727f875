"""The widget's files and a demo page that looks like a page of the city website."""
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file, redirect

from bot.errors import ApiError

bp = Blueprint("demo")
WIDGET_FILES = {"widget.js": "application/javascript", "widget.css": "text/css", "demo.html": "text/html"}


@bp.get("/")
async def index(request: Request) -> HTTPResponse:
    return redirect("/demo")


@bp.get("/demo")
async def demo(request: Request) -> HTTPResponse:
    """The demo page embedding the widget with one script tag."""
    return await file(request.app.ctx.settings.widget_dir / "demo.html", mime_type="text/html; charset=utf-8")


@bp.get("/widget/<name:str>")
async def widget_file(request: Request, name: str) -> HTTPResponse:
    if name not in WIDGET_FILES:
        raise ApiError(404, "NotFound", "No such widget file.")
    mime = WIDGET_FILES[name] + "; charset=utf-8"
    return await file(request.app.ctx.settings.widget_dir / name, mime_type=mime)

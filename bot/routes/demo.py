"""The widget's files and a demo page that looks like a page of the city website.

``widget.js`` is served with the current facts filled in: the numbers its offline notice names
(``{emergency_phone}`` in its labels) come from the facts file at each request, so an editor's
change reaches the widget with no code change, and the widget still carries them when the
server is down later.
"""

import json
import logging
import re
from pathlib import Path
from typing import Dict

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file, raw, redirect

from bot.answers import Content
from bot.errors import ApiError
from bot.reloading import FileCache
from bot.vocabulary import widget_languages

bp = Blueprint("demo")
logger = logging.getLogger(__name__)
WIDGET_FILES = {
    "widget.js": "application/javascript",
    "widget.css": "text/css",
    "demo.html": "text/html",
}
# In widget.js: `const FACTS = {/* facts.yml */};`, replaced by the facts its labels name.
FACTS_MARK = "{/* facts.yml */}"
# ... and `const LANGUAGES = {/* vocabulary.yml */};` by each language's name and direction.
LANGUAGES_MARK = "{/* vocabulary.yml */}"
FACT_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@bp.get("/")
async def index(request: Request) -> HTTPResponse:
    return redirect("/demo")


@bp.get("/demo")
async def demo(request: Request) -> HTTPResponse:
    """The demo page embedding the widget with one script tag."""
    return await file(
        request.app.ctx.settings.widget_dir / "demo.html", mime_type="text/html; charset=utf-8"
    )


@bp.get("/widget/<name:str>")
async def widget_file(request: Request, name: str) -> HTTPResponse:
    if name not in WIDGET_FILES:
        raise ApiError(404, "NotFound", "No such widget file.")
    mime = WIDGET_FILES[name] + "; charset=utf-8"
    settings = request.app.ctx.settings
    if name == "widget.js":
        script = widget_script(settings.widget_dir / name, request.app.ctx.content)
        return raw(script.encode("utf-8"), content_type=mime)
    return await file(settings.widget_dir / name, mime_type=mime)


def widget_script(path: Path, content: Content) -> str:
    """widget.js with the facts its labels name filled into ``FACTS`` (the live facts: an
    editor's mistake in the facts file keeps the last good numbers, bot/content_store.py)."""
    script = _scripts.get(path)
    script = script.replace(LANGUAGES_MARK, json.dumps(widget_languages()), 1)
    return script.replace(FACTS_MARK, json.dumps(widget_facts(script, content), sort_keys=True), 1)


def widget_facts(script: str, content: Content) -> Dict[str, str]:
    """{fact key: value} for every ``{placeholder}`` in the script that the facts file has."""
    known = content.snapshot().facts
    named = set(FACT_PLACEHOLDER.findall(script)) - {"s"}  # {s}: the idle notice's seconds
    if named - known.keys():
        # The widget would show the key instead of the number: say which fact an editor removed.
        logger.error(
            "widget.js names facts missing from the facts file: %s",
            ", ".join(sorted(named - known.keys())),
        )
    # json.dumps (ensure_ascii): every value is a plain JS string literal, whatever an editor typed.
    return {key: str(known[key]["value"]) for key in named & known.keys()}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


_scripts = FileCache(_read)

"""The widget's files and a demo page that looks like a page of the city website.

The widget is two scripts: ``widget.js`` on the embedding page (launcher, quick exit, an iframe)
and ``chat.js`` in that iframe (``frame.html``, the only page the city website may frame). Both
are served with their labels (``labels.json``) and languages filled in; ``chat.js`` also with the
current facts its offline notice names (``{emergency_phone}``), read from the facts file at each
request, so an editor's change reaches the widget with no code change, and the chat still
carries them when the server is down later, and with the city website's origin, the one page
besides our own it talks to.
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
    "frame.html": "text/html",
    "chat.js": "application/javascript",
    "chat.css": "text/css",
    "demo.html": "text/html",
}
SCRIPTS = ("widget.js", "chat.js")
# The chat's page: the only response the city website (TRYGG_SITE_ORIGIN) may show in a frame.
FRAME_PATH = "/widget/frame.html"
# The widget's own texts, in every language: what an editor or translator changes.
LABELS_FILE = "labels.json"
# In the scripts: `const LABELS = {/* labels.json */};`, replaced by that file's labels,
LABELS_MARK = "{/* labels.json */}"
# `const FACTS = {/* facts.yml */};` by the facts the labels name,
FACTS_MARK = "{/* facts.yml */}"
# `const LANGUAGES = {/* vocabulary.yml */};` by each language's name and direction,
LANGUAGES_MARK = "{/* vocabulary.yml */}"
# and `const SITE_ORIGIN = "/* settings.site_origin */";` by TRYGG_SITE_ORIGIN.
SITE_ORIGIN_MARK = '"/* settings.site_origin */"'
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
    if name in SCRIPTS:
        script = widget_script(
            settings.widget_dir / name, request.app.ctx.content, settings.site_origin
        )
        return raw(script.encode("utf-8"), content_type=mime)
    return await file(settings.widget_dir / name, mime_type=mime)


def widget_script(path: Path, content: Content, site_origin: str = "") -> str:
    """widget.js or chat.js with its marks filled in: the labels, the languages, the city
    website's origin and the facts the labels name (the live facts: an editor's mistake in the
    facts file keeps the last good numbers, bot/content_store.py)."""
    labels = _scripts.get(path.parent / LABELS_FILE)
    # Parsed and written again (json.dumps, ensure_ascii): a plain JS literal, whatever an editor
    # typed; a broken labels file fails here, with its line, not as a script error in a browser.
    script = _scripts.get(path).replace(LABELS_MARK, json.dumps(json.loads(labels)), 1)
    script = script.replace(LANGUAGES_MARK, json.dumps(widget_languages()), 1)
    script = script.replace(SITE_ORIGIN_MARK, json.dumps(site_origin), 1)
    return script.replace(FACTS_MARK, json.dumps(widget_facts(labels, content), sort_keys=True), 1)


def widget_facts(labels: str, content: Content) -> Dict[str, str]:
    """{fact key: value} for every ``{placeholder}`` in the labels that the facts file has."""
    known = content.snapshot().facts
    named = set(FACT_PLACEHOLDER.findall(labels)) - {"s"}  # {s}: the idle notice's seconds
    if named - known.keys():
        # The widget would show the key instead of the number: say which fact an editor removed.
        logger.error(
            "widget/labels.json names facts missing from the facts file: %s",
            ", ".join(sorted(named - known.keys())),
        )
    # json.dumps (ensure_ascii): every value is a plain JS string literal, whatever an editor typed.
    return {key: str(known[key]["value"]) for key in named & known.keys()}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


_scripts = FileCache(_read)

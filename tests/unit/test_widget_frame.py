"""The widget's frame: only the chat's page may be framed, and only by the city website."""

import pytest

from bot.app import create_app, frame_ancestors
from bot.routes.demo import FRAME_PATH
from bot.settings import Settings

CITY = "https://start.stockholm"


def test_the_frame_page_may_be_framed_by_the_city_website_and_ourselves():
    assert frame_ancestors(Settings(site_origin=CITY), FRAME_PATH) == f"'self' {CITY}"
    assert frame_ancestors(Settings(), FRAME_PATH) == "'self'"


@pytest.mark.parametrize("path", ["/demo", "/widget/widget.js", "/console", "/api/chat", "/"])
def test_no_other_response_may_be_framed(path):
    assert frame_ancestors(Settings(site_origin=CITY), path) == "'none'"


@pytest.mark.parametrize(
    "origin",
    [
        "https://start.stockholm; script-src *",
        "https://start.stockholm https://evil.example",
        "https://start.stockholm/path",
        "start.stockholm",
        "*",
    ],
)
def test_a_site_origin_that_is_not_a_bare_origin_is_refused_at_start(origin):
    with pytest.raises(ValueError, match="TRYGG_SITE_ORIGIN"):
        create_app(Settings(site_origin=origin), name="frame_test")

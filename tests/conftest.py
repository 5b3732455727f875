"""Shared fixtures: the running stack (real Rasa, action server and web app) and a chat client.

The stack is started once per test session on free loopback ports with logs in a temp folder,
exactly as ``make run`` starts it (scripts/stack.py). Tests that need only the web app use
``web_only`` (Rasa and the action server deliberately absent).
"""

import os
import shutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Ports, Stack  # noqa: E402

from bot.settings import current  # noqa: E402
from tests.helpers import Client, free_port, wait_for_port  # noqa: E402

# Tests talk faster than any resident; the rate limit has its own test.
GENEROUS_RATE = {
    "TRYGG_RATE_BURST": "100000",
    "TRYGG_RATE_PER_SECOND": "100000",
    "TRYGG_COUNTER_FLUSH_S": "1",
    # Console tests log in and fail from one address far more often than a person would.
    "TRYGG_CONSOLE_CLIENT_FAILURES": "100000",
}
SITE_ORIGIN = "https://start.stockholm"
# The code step is compulsory by default; console tests that are not about it log in without.
SECOND_STEP_OPTIONAL = {"TRYGG_CONSOLE_REQUIRE_2FA": "0"}


@pytest.fixture(autouse=True)
def settings_read_afresh():
    """Each test sees the environment it set up: the process's settings are read once
    (bot/settings.py ``current``), so they are forgotten around every test."""
    current.cache_clear()
    yield
    current.cache_clear()


def copy_schedule(directory: Path) -> Path:
    """Tests that edit the schedule edit a copy, never bot/content/schedule.yml."""
    target = directory / "schedule.yml"
    shutil.copy(ROOT / "bot" / "content" / "schedule.yml", target)
    return target


def content_copies(directory: Path) -> dict:
    """The test stack answers from copies of the catalogs and facts, which editor tests change."""
    shutil.copytree(ROOT / "locales", directory / "locales")
    shutil.copy(ROOT / "bot" / "content" / "facts.yml", directory / "facts.yml")
    return {
        "TRYGG_LOCALES_DIR": str(directory / "locales"),
        "TRYGG_FACTS_FILE": str(directory / "facts.yml"),
        "TRYGG_SCHEDULE_FILE": str(copy_schedule(directory)),
    }


@pytest.fixture(scope="session")
def state_dir(tmp_path_factory) -> Path:
    """Database and secrets of the test stack (never the developer's own)."""
    return tmp_path_factory.mktemp("state")


class CitySite:
    """A stand-in for the city website on an origin of its own (another port): the demo page,
    with the widget's script tag pointing at the web app, as the city embeds it in production.
    The chat's iframe is then cross-origin to the page around it."""

    def __init__(self) -> None:
        self.web = ""  # the web app's base URL, known once the stack has its ports
        site = self

        class Page(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = (ROOT / "widget" / "demo.html").read_text(encoding="utf-8")
                body = page.replace('src="/widget/', f'src="{site.web}/widget/').encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="session")
def city_site():
    site = CitySite()
    yield site
    site.server.shutdown()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, state_dir, city_site) -> Stack:
    # With `make test`, trackers live in the throwaway Redis so tests can dump them; two Rasa
    # workers, as `make run` starts on two cores.
    running = Stack(
        ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
        log_dir=tmp_path_factory.mktemp("stack-logs"),
        extra_env={
            "TRYGG_STATE_DIR": str(state_dir),
            "TRYGG_SITE_ORIGIN": city_site.origin,
            **content_copies(state_dir),
            **GENEROUS_RATE,
            **SECOND_STEP_OPTIONAL,
        },
        redis_url=os.environ.get("TRYGG_TEST_REDIS_URL"),
        rasa_workers=2,
    )
    city_site.web = f"http://127.0.0.1:{running.ports.web}"
    running.start()
    try:
        running.wait_healthy(timeout_s=240)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def client(stack: Stack) -> Client:
    return Client(f"http://127.0.0.1:{stack.ports.web}")


@pytest.fixture(scope="session")
def rasa_client(stack: Stack) -> Client:
    """Rasa's own REST webhook, reached directly on loopback (as the web app does)."""
    return Client(f"http://127.0.0.1:{stack.ports.rasa}")


@pytest.fixture(scope="module")
def web_only(tmp_path_factory):
    """The web app alone; Rasa and the action server ports point at nothing.

    Yields (stack, client, state_dir); the state dir holds its database and secrets.
    """
    state = tmp_path_factory.mktemp("web-only-state")
    running = Stack(
        ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
        log_dir=tmp_path_factory.mktemp("web-only-logs"),
        extra_env={
            "TRYGG_STATE_DIR": str(state),
            "TRYGG_SCHEDULE_FILE": str(copy_schedule(state)),
            "TRYGG_SITE_ORIGIN": SITE_ORIGIN,
            **GENEROUS_RATE,
            **SECOND_STEP_OPTIONAL,
        },
    )
    running.start(["web"])
    # The web app warms its language and danger detectors before it listens: seconds alone, far
    # more on a machine busy with the rest of the suite.
    wait_for_port(running.ports.web, timeout_s=120)
    yield running, Client(f"http://127.0.0.1:{running.ports.web}"), state
    running.stop()

"""Shared fixtures: the running stack (real Rasa, action server and web app) and a chat client.

The stack is started once per test session on free loopback ports with logs in a temp folder,
exactly as ``make run`` starts it (scripts/stack.py). Tests that need only the web app use
``web_only`` (Rasa and the action server deliberately absent).
"""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Ports, Stack  # noqa: E402
from tests.helpers import Client, free_port, wait_for_port  # noqa: E402


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Stack:
    running = Stack(ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
                    log_dir=tmp_path_factory.mktemp("stack-logs"))
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
    """The web app alone; Rasa and the action server ports point at nothing."""
    running = Stack(ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
                    log_dir=tmp_path_factory.mktemp("web-only-logs"))
    running.start(["web"])
    wait_for_port(running.ports.web)
    yield running, Client(f"http://127.0.0.1:{running.ports.web}")
    running.stop()

"""The web app behind one trusted proxy: HSTS over TLS, and what /healthz tells the public."""

import pytest
from stack import Ports, Stack

from bot.storage import staff as staff_repo
from bot.storage.db import session_scope
from tests.conftest import SECOND_STEP_OPTIONAL
from tests.helpers import Client, free_port, wait_for_port

# What the proxy in front adds to every request: the client's address and the scheme it used.
FROM_THE_INTERNET = {"X-Forwarded-For": "203.0.113.5"}
OVER_TLS = {**FROM_THE_INTERNET, "X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    state = tmp_path_factory.mktemp("proxied")
    web = Stack(
        ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
        log_dir=state,
        extra_env={
            "TRYGG_STATE_DIR": str(state),
            "TRYGG_PROXIES_COUNT": "1",
            **SECOND_STEP_OPTIONAL,
        },
    )
    web.start(["web"])
    wait_for_port(web.ports.web, timeout_s=120)
    yield Client(f"http://127.0.0.1:{web.ports.web}"), f"sqlite:///{state / 'trygg.db'}"
    web.stop()


def test_over_tls_every_answer_asks_browsers_to_stay_on_https(proxied):
    proxied, _db = proxied
    for path in ("/console/", "/demo"):
        _, _, headers = proxied.request("GET", path, headers=OVER_TLS)
        assert "max-age=" in headers["Strict-Transport-Security"]
    _, _, plain = proxied.request("GET", "/console/", headers=FROM_THE_INTERNET)
    assert "Strict-Transport-Security" not in plain  # plain http: the header would be ignored


def test_the_public_health_answer_names_no_parts(proxied):
    proxied, db = proxied
    status, body, _ = proxied.request("GET", "/healthz", headers=OVER_TLS)
    assert status == 503 and body == {"status": "unavailable"}  # Rasa and actions are absent
    status, body, _ = proxied.request("GET", "/healthz")  # the machine itself: the details
    assert status == 503 and body["parts"]["rasa"].startswith("down")
    assert body["parts"]["nlg"] == "up"
    # Staff logged in from anywhere: the details too.
    with session_scope(db) as s:
        staff_repo.create_account(s, "jour", "rvc_innerstan", "staff", "correct horse battery")
        member = staff_repo.verify_login(s, "jour", "correct horse battery")
        token = staff_repo.start_session(s, member)
    staff = {**OVER_TLS, "Cookie": f"trygg_staff={token}"}
    status, body, _ = proxied.request("GET", "/healthz", headers=staff)
    assert status == 503 and body["parts"]["actions"].startswith("down")

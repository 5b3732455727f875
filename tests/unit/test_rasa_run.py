"""bot/rasa_run.py: Rasa with compiled response schemas and kept-alive connections.

The replacements must accept and reject exactly what Rasa's own methods do, and the shared
session must really reuse one connection for successive requests.
"""
import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_run
from tests.helpers import free_port

RASA_VALIDATE_ACTION = RemoteAction._validate_action_result
RASA_VALIDATE_NLG = CallbackNaturalLanguageGenerator.validate_response
RASA_SESSION = EndpointConfig.session

ACTION_RESULTS = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "centre", "value": "vasterort"}], "responses": [{"response": "utter_x"}]},
    {"events": [{"event": "active_loop", "name": "booking_form"}]},
    {"events": [{"event": "followup", "name": "action_listen"}]},
    {},
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "value": 1}]},
    {"events": [{"name": "x"}]},
    {"responses": "text"},
    {"responses": ["text"]},
    [],
    "string",
]
NLG_RESPONSES = [
    {"text": "Hej"},
    {"text": "Hej", "buttons": [{"title": "Ja", "payload": "/affirm"}], "id": None},
    {"text": "Hej", "custom": {"emergency": True}, "image": None},
    {"text": 5},
    {"text": "Hej", "buttons": "no"},
    {"custom": []},
    {"id": 3},
    [],
    "text",
]


def outcome(function, *args):
    try:
        return function(*args)
    except (ValidationError, RasaException) as error:
        return type(error).__name__


@pytest.mark.parametrize("result", ACTION_RESULTS)
def test_action_results_are_judged_as_rasa_judges_them(result):
    action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1"))
    assert outcome(rasa_run.validate_action_result, action, result) == outcome(RASA_VALIDATE_ACTION, action, result)


def test_the_action_table_holds_both_outcomes():
    action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1"))
    outcomes = {outcome(RASA_VALIDATE_ACTION, action, result) for result in ACTION_RESULTS}
    assert outcomes == {True, "ValidationError"}


@pytest.mark.parametrize("content", NLG_RESPONSES + [None, ""])
def test_nlg_responses_are_judged_as_rasa_judges_them(content):
    assert outcome(rasa_run.validate_nlg_response, content) == outcome(RASA_VALIDATE_NLG, content)


def test_the_nlg_table_holds_both_outcomes():
    assert {outcome(RASA_VALIDATE_NLG, content) for content in NLG_RESPONSES} == {True, "RasaException"}


def test_install_replaces_the_three_methods():
    rasa_run.install()
    try:
        assert RemoteAction._validate_action_result is rasa_run.validate_action_result
        assert CallbackNaturalLanguageGenerator.validate_response is rasa_run.validate_nlg_response
        assert isinstance(EndpointConfig("http://x").session(), rasa_run.SharedSession)
    finally:
        RemoteAction._validate_action_result = RASA_VALIDATE_ACTION
        CallbackNaturalLanguageGenerator.validate_response = RASA_VALIDATE_NLG
        EndpointConfig.session = RASA_SESSION


async def serve_counting_connections(unused_port):
    peers = []

    async def handler(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"ok": len(peers)})

    app = web.Application()
    app.router.add_post("/nlg", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_port).start()
    return runner, peers


async def requests_through(session_factory, port, count=5):
    EndpointConfig.session = session_factory
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/nlg")
    try:
        return [await endpoint.request(method="post", json={"n": i}) for i in range(count)]
    finally:
        EndpointConfig.session = RASA_SESSION
        for session in endpoint.__dict__.get("_trygg_sessions", {}).values():
            await session.close()


async def test_one_kept_alive_connection_serves_successive_requests():
    port = free_port()
    runner, peers = await serve_counting_connections(port)
    try:
        answers = await requests_through(lambda self: rasa_run.SharedSession(self), port)
        assert [a["ok"] for a in answers] == [1, 2, 3, 4, 5]
        assert len(set(peers)) == 1
        # Rasa's own session opens a connection per request: the difference this module makes.
        peers.clear()
        await requests_through(RASA_SESSION, port)
        assert len(set(peers)) == 5
    finally:
        await runner.cleanup()

"""bot/rasa/run.py: Rasa with compiled response schemas, kept-alive connections, concurrent
NLG calls for one action's bubbles, event classes looked up in a table, and DIET called
through its traced graph.

Each replacement must give exactly what Rasa's own method gives (accept/reject, bubbles and
their order, event classes, intent rankings), and must really save the work it claims to.
"""

import asyncio
from pathlib import Path

import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.core.events import Event
from rasa.shared.exceptions import RasaException
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from bot.rasa import run as rasa_run
from tests.helpers import free_port

RASA_VALIDATE_ACTION = RemoteAction._validate_action_result
RASA_VALIDATE_NLG = CallbackNaturalLanguageGenerator.validate_response
RASA_SESSION = EndpointConfig.session
RASA_UTTER_RESPONSES = RemoteAction._utter_responses
RASA_RESOLVE_BY_TYPE = Event.resolve_by_type
MODEL = Path(__file__).resolve().parents[2] / "models" / "trygg.tar.gz"

ACTION_RESULTS = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "centre", "value": "vasterort"}],
        "responses": [{"response": "utter_x"}],
    },
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
    assert outcome(rasa_run.validate_action_result, action, result) == outcome(
        RASA_VALIDATE_ACTION, action, result
    )


def test_the_action_table_holds_both_outcomes():
    action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1"))
    outcomes = {outcome(RASA_VALIDATE_ACTION, action, result) for result in ACTION_RESULTS}
    assert outcomes == {True, "ValidationError"}


@pytest.mark.parametrize("content", NLG_RESPONSES + [None, ""])
def test_nlg_responses_are_judged_as_rasa_judges_them(content):
    assert outcome(rasa_run.validate_nlg_response, content) == outcome(RASA_VALIDATE_NLG, content)


def test_the_nlg_table_holds_both_outcomes():
    assert {outcome(RASA_VALIDATE_NLG, content) for content in NLG_RESPONSES} == {
        True,
        "RasaException",
    }


def test_install_replaces_the_methods():
    from rasa.utils.tensorflow.models import RasaModel

    rasa_predict = RasaModel._rasa_predict
    rasa_run.install()
    try:
        assert RemoteAction._validate_action_result is rasa_run.validate_action_result
        assert CallbackNaturalLanguageGenerator.validate_response is rasa_run.validate_nlg_response
        assert isinstance(EndpointConfig("http://x").session(), rasa_run.SharedSession)
        assert RemoteAction._utter_responses is rasa_run.utter_responses
        assert Event.resolve_by_type is rasa_run.resolve_event_type
        assert RasaModel._rasa_predict.trygg
    finally:
        RemoteAction._validate_action_result = RASA_VALIDATE_ACTION
        CallbackNaturalLanguageGenerator.validate_response = RASA_VALIDATE_NLG
        EndpointConfig.session = RASA_SESSION
        RemoteAction._utter_responses = staticmethod(RASA_UTTER_RESPONSES)
        Event.resolve_by_type = staticmethod(RASA_RESOLVE_BY_TYPE)
        RasaModel._rasa_predict = rasa_predict


class SlowNLG:
    """Answers each response after a short wait; records how many calls overlapped."""

    def __init__(self, fail=()):
        self.fail = set(fail)
        self.running = 0
        self.most_at_once = 0

    async def generate(self, name, tracker, channel, **arguments):
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        await asyncio.sleep(0.01)
        self.running -= 1
        if name in self.fail:
            raise RasaException(f"NLG failed for {name}")
        if name == "utter_nothing":
            return None
        return {
            "text": f"{name} {sorted(arguments.items())}",
            "buttons": [{"title": "a", "payload": "/a"}],
        }


class Channel:
    @staticmethod
    def name():
        return "rest"


RESPONSE_LISTS = [
    [],
    [{"response": "utter_a", "place": "Tensta"}],
    [
        {"response": "utter_a"},
        {"response": "utter_b", "x": 1},
        {"response": "utter_c"},
        {"response": "utter_d"},
    ],
    [
        {"response": "utter_a", "buttons": [{"title": "b", "payload": "/b"}]},
        {"text": "plain", "buttons": []},
    ],
    [{"text": "only text", "image": None, "custom": {"emergency": True}}],
    [{"response": "utter_nothing"}, {"response": "utter_a"}],
    [{"response": "utter_a"}, {"response": "utter_bad"}, {"response": "utter_worse"}],
]


async def uttered(utter, responses, nlg):
    import copy

    try:
        return [
            (e.text, e.data) for e in await utter(copy.deepcopy(responses), Channel(), nlg, None)
        ]
    except RasaException as error:
        return str(error)


@pytest.mark.parametrize("responses", RESPONSE_LISTS)
async def test_an_actions_bubbles_are_the_same_as_rasas_and_in_order(responses):
    nlg = SlowNLG(fail={"utter_bad", "utter_worse"})
    ours = await uttered(rasa_run.utter_responses, responses, nlg)
    assert ours == await uttered(
        RASA_UTTER_RESPONSES, responses, SlowNLG(fail={"utter_bad", "utter_worse"})
    )


async def test_an_actions_bubbles_are_rendered_at_the_same_time():
    four = RESPONSE_LISTS[2]
    ours, rasas = SlowNLG(), SlowNLG()
    await uttered(rasa_run.utter_responses, four, ours)
    await uttered(RASA_UTTER_RESPONSES, four, rasas)
    assert (ours.most_at_once, rasas.most_at_once) == (4, 1)


def test_event_classes_are_the_ones_rasa_finds():
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "slot", "action", "session_started", "active_loop"} <= names
    for name in sorted(names):
        assert rasa_run.resolve_event_type(name) is RASA_RESOLVE_BY_TYPE(name)
    assert rasa_run.resolve_event_type("topic") is None
    assert rasa_run.resolve_event_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError):
        rasa_run.resolve_event_type("no_such_event")


@pytest.mark.skipif(not MODEL.exists(), reason="needs the trained model (make train)")
async def test_diet_through_its_traced_graph_ranks_intents_exactly_as_rasa():
    from rasa.core.agent import Agent
    from rasa.utils.tensorflow.models import RasaModel

    rasa_predict = RasaModel._rasa_predict
    agent = Agent.load(str(MODEL))
    messages = [
        "hej",
        "vart kan jag vända mig?",
        "jag bor i Tensta",
        "min man slår mig just nu",
        "I need help",
        "ساعدني",
        "کمک",
        "waan la garaacay",
        "tarvitsen apua",
        "",
        "x" * 2000,
        "🙂 \u202e ok",
    ]
    try:
        RasaModel._rasa_predict = rasa_run.predict_with_traced_graph(rasa_predict)
        ours = [await agent.parse_message(m) for m in messages]
        assert any("_trygg_traced" in vars(model) for model in _rasa_models(agent))
        RasaModel._rasa_predict = rasa_predict
        rasas = [await agent.parse_message(m) for m in messages]
    finally:
        RasaModel._rasa_predict = rasa_predict
    for mine, theirs in zip(ours, rasas):
        assert (
            mine["intent"] == theirs["intent"]
            and mine["intent_ranking"] == theirs["intent_ranking"]
        )


def _rasa_models(agent):
    from rasa.utils.tensorflow.models import RasaModel

    found = []
    for node in agent.processor.graph_runner._instantiated_nodes.values():
        component = getattr(node, "_component", None)
        model = getattr(component, "model", None)
        if isinstance(model, RasaModel):
            found.append(model)
    return found


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

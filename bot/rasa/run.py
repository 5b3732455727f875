"""``python -m bot.rasa.run run ...``: Rasa's own command line, with per-message costs removed.

Rasa checks every answer from the action server and from the NLG endpoint against a JSON
schema by calling ``jsonschema.validate(instance, schema)``. That call first validates the
*schema itself* against the Draft 2020-12 meta-schema, on every call, before it looks at the
answer. Profiling the 20-resident load (docs/benchmarks.md) put that meta-schema check at more
than half of the Rasa process's CPU time. Here the same two schemas are compiled once, and each
answer is still validated against them: a malformed answer is rejected exactly as before.

Rasa also opens a new HTTP client session, and so a new TCP connection, for every call to the
action server and to the NLG endpoint (``EndpointConfig.request``), several per message. Here
each endpoint keeps one session with a small pool of kept-alive loopback connections.

Three more costs of Rasa's own machinery, each the same result computed with less work:

- the answer bubbles one custom action returns are rendered by the NLG endpoint
  concurrently instead of one HTTP round trip after another (the centre answer has four);
- the DIET classifier's TensorFlow function is called through its one traced graph instead
  of TensorFlow's per-call dispatch (checking and converting the inputs took a quarter of
  each parse);
- an event's class is looked up by its type name in a table instead of walking every
  subclass of ``Event`` for every event of every tracker read from the tracker store.

Everything else is ``rasa`` unchanged (``python -m bot.rasa.run run --model ...`` is
``rasa run --model ...``); scripts/stack.py starts Rasa this way. Rasa is pinned (constraints.txt),
and tests/unit/test_rasa_run.py checks that the replaced methods still exist and still reject
what Rasa rejects, so an upgrade that moves them fails loudly.
"""

import asyncio
import sys
from typing import Any, Dict, List, Optional, Type

import aiohttp
from jsonschema import Draft202012Validator, ValidationError
from rasa.core.actions.action import RemoteAction, create_bot_utterance
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator, nlg_response_format_spec
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from bot import private_logging

ACTION_RESPONSE = Draft202012Validator(RemoteAction.action_response_format_spec())
NLG_RESPONSE = Draft202012Validator(nlg_response_format_spec())


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the schema compiled once (same errors)."""
    try:
        ACTION_RESPONSE.validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error


def validate_nlg_response(content: Optional[Dict[str, Any]]) -> bool:
    """CallbackNaturalLanguageGenerator.validate_response with the schema compiled once."""
    if content is None or content == "":
        return True  # the endpoint chose not to answer
    try:
        NLG_RESPONSE.validate(content)
        return True
    except ValidationError as error:
        raise RasaException(
            f"{error.message}. Failed to validate NLG response from API, make sure your "
            "response from the NLG endpoint is valid."
        )


# Below the 5 s after which Sanic (web app, action server) closes an idle connection, so the
# client never reuses a connection the server is closing.
KEEPALIVE_S = 4


class SharedSession:
    """What ``EndpointConfig.session()`` returns: ``async with`` yields the endpoint's one
    long-lived ClientSession (per event loop) instead of a new one closed after one request."""

    def __init__(self, endpoint: EndpointConfig) -> None:
        self.endpoint = endpoint

    async def __aenter__(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        sessions = self.endpoint.__dict__.setdefault("_trygg_sessions", {})
        session = sessions.get(loop)
        if session is None or session.closed:
            auth = None
            if self.endpoint.basic_auth:
                auth = aiohttp.BasicAuth(
                    self.endpoint.basic_auth["username"], self.endpoint.basic_auth["password"]
                )
            session = aiohttp.ClientSession(
                headers=self.endpoint.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(limit=32, keepalive_timeout=KEEPALIVE_S),
            )
            sessions[loop] = session
        return session

    async def __aexit__(self, *_exc: Any) -> None:
        return None


async def utter_responses(
    responses: List[Dict[str, Any]], output_channel: Any, nlg: Any, tracker: Any
) -> List[BotUttered]:
    """RemoteAction._utter_responses with the NLG calls made together; bubbles keep their order,
    and the first failure (in that order) is raised as before."""
    names = [response.pop("response", None) for response in responses]
    drafts = await asyncio.gather(
        *(
            nlg.generate(name, tracker, output_channel.name(), **response) if name else _no_draft()
            for name, response in zip(names, responses)
        ),
        return_exceptions=True,
    )
    for draft in drafts:
        if isinstance(draft, BaseException):
            raise draft
    bot_messages = []
    for name, response, draft in zip(names, responses, drafts):
        if name:
            if not draft:
                continue
            draft["utter_action"] = name
        else:
            draft = {}
        buttons = response.pop("buttons", []) or []
        if buttons:
            draft.setdefault("buttons", [])
            draft["buttons"].extend(buttons)
        draft.update({key: value for key, value in response.items() if value})
        bot_messages.append(create_bot_utterance(draft))
    return bot_messages


async def _no_draft() -> Dict[str, Any]:
    return {}


RASA_RESOLVE_BY_TYPE = Event.resolve_by_type
EVENT_CLASSES: Dict[str, Type[Event]] = {}


def resolve_event_type(
    type_name: str, default: Optional[Type[Event]] = None
) -> Optional[Type[Event]]:
    """Event.resolve_by_type, remembering each class found (Rasa walks every subclass each time)."""
    found = EVENT_CLASSES.get(type_name)
    if found is None:
        found = RASA_RESOLVE_BY_TYPE(type_name, default)
        if found is not None and found is not default:
            EVENT_CLASSES[type_name] = found
    return found


def predict_with_traced_graph(rasa_predict):
    """Wraps RasaModel._rasa_predict: once Rasa has traced the prediction graph (first call),
    later calls go straight to that graph with the inputs converted to its signature."""
    import tensorflow as tf
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA

    def predict(self, batch_in):
        traced = self.__dict__.get("_trygg_traced")
        if traced is None or len(batch_in) != len(traced[1]):
            outputs = rasa_predict(self, batch_in)  # traces the graph on the first call
            if self._tf_predict_step is not None and not self._run_eagerly:
                graph = self._tf_predict_step.get_concrete_function()
                self.__dict__["_trygg_traced"] = (
                    graph,
                    tf.nest.flatten(graph.structured_input_signature),
                )
            return outputs
        graph, specs = traced
        tensors = [
            tf.convert_to_tensor(value, dtype=spec.dtype) for value, spec in zip(batch_in, specs)
        ]
        outputs = tf_utils.sync_to_numpy_or_python_type(
            graph._call_flat(tensors, graph.captured_inputs)
        )
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs

    return predict


def install() -> None:
    from rasa.utils.tensorflow.models import RasaModel

    RemoteAction._validate_action_result = validate_action_result
    CallbackNaturalLanguageGenerator.validate_response = staticmethod(validate_nlg_response)
    EndpointConfig.session = lambda self: SharedSession(self)
    RemoteAction._utter_responses = staticmethod(utter_responses)
    Event.resolve_by_type = staticmethod(resolve_event_type)
    if not getattr(RasaModel._rasa_predict, "trygg", False):
        RasaModel._rasa_predict = predict_with_traced_graph(RasaModel._rasa_predict)
        RasaModel._rasa_predict.trygg = True


def main() -> None:
    install()
    private_logging.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()

"""``python -m bot.rasa_run run ...``: Rasa's own command line, with two costs per message removed.

Rasa checks every answer from the action server and from the NLG endpoint against a JSON
schema by calling ``jsonschema.validate(instance, schema)``. That call first validates the
*schema itself* against the Draft 2020-12 meta-schema, on every call, before it looks at the
answer. Profiling the 20-resident load (docs/benchmarks.md) put that meta-schema check at more
than half of the Rasa process's CPU time. Here the same two schemas are compiled once, and each
answer is still validated against them: a malformed answer is rejected exactly as before.

Rasa also opens a new HTTP client session, and so a new TCP connection, for every call to the
action server and to the NLG endpoint (``EndpointConfig.request``), several per message. Here
each endpoint keeps one session with a small pool of kept-alive loopback connections.

Everything else is ``rasa`` unchanged (``python -m bot.rasa_run run --model ...`` is
``rasa run --model ...``); scripts/stack.py starts Rasa this way. Rasa is pinned (constraints.txt),
and tests/unit/test_rasa_run.py checks that the replaced methods still exist and still reject
what Rasa rejects, so an upgrade that moves them fails loudly.
"""
import asyncio
import sys
from typing import Any, Dict, Optional, Text

import aiohttp
from jsonschema import Draft202012Validator, ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator, nlg_response_format_spec
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from bot import private_logging

ACTION_RESPONSE = Draft202012Validator(RemoteAction.action_response_format_spec())
NLG_RESPONSE = Draft202012Validator(nlg_response_format_spec())


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """RemoteAction._validate_action_result with the schema compiled once (same errors)."""
    try:
        ACTION_RESPONSE.validate(result)
        return True
    except ValidationError as error:
        error.message += (". Failed to validate Action server response from API, make sure your response "
                          f"from the Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")
        raise error


def validate_nlg_response(content: Optional[Dict[Text, Any]]) -> bool:
    """CallbackNaturalLanguageGenerator.validate_response with the schema compiled once."""
    if content is None or content == "":
        return True  # the endpoint chose not to answer
    try:
        NLG_RESPONSE.validate(content)
        return True
    except ValidationError as error:
        raise RasaException(f"{error.message}. Failed to validate NLG response from API, make sure your "
                            "response from the NLG endpoint is valid.")


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
                auth = aiohttp.BasicAuth(self.endpoint.basic_auth["username"], self.endpoint.basic_auth["password"])
            session = aiohttp.ClientSession(
                headers=self.endpoint.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(limit=32, keepalive_timeout=KEEPALIVE_S))
            sessions[loop] = session
        return session

    async def __aexit__(self, *_exc: Any) -> None:
        return None


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
    CallbackNaturalLanguageGenerator.validate_response = staticmethod(validate_nlg_response)
    EndpointConfig.session = lambda self: SharedSession(self)


def main() -> None:
    install()
    private_logging.install()
    from rasa.__main__ import main as rasa_main
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()

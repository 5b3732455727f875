"""Helpers shared by the tests: an HTTP client that speaks the Rasa REST contract, ports."""

import json
import socket
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, List, Optional, Tuple


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """Speaks to the web app over HTTP like any Rasa REST client would."""

    def __init__(self, base: str) -> None:
        self.base = base

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: Optional[bytes] = None,
        headers: Optional[Dict[str, str]] = None,
    ) -> Tuple[int, Any, Dict[str, str]]:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, _decode(response.read()), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, _decode(error.read()), dict(error.headers)

    def say(
        self,
        message: str,
        sender: Optional[str] = None,
        language: Optional[str] = None,
        path: str = "/api/chat",
    ) -> List[Dict[str, Any]]:
        body: Dict[str, Any] = {"sender": sender or str(uuid.uuid4()), "message": message}
        if language:
            body["metadata"] = {"language": language}
        status, answers, _ = self.request("POST", path, body)
        assert status == 200, (status, answers)
        return answers


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def texts(answers: List[Dict[str, Any]]) -> List[str]:
    return [a["text"] for a in answers if "text" in a]


def wait_for_port(port: int, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port}")

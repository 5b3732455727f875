"""Secrets created at first run, outside the repository, never committed.

One JSON file (mode 0600) in the state directory holds:
- ``phone_keys``: AES-256-GCM keys for phone numbers, newest first (rotate: ``make rotate-key``
  prepends a new key; old ones still decrypt until the retention job has erased their numbers);
- ``reference_pepper``: HMAC key for booking reference codes (stored only as HMAC);
- ``nlg_token``: what Rasa sends to the web app's ``/nlg`` (bot/rasa/nlg.py, bot/routes/nlg.py),
  so no one else can have answers rendered or counted. A file from before it existed gets it
  added at the next start (under a lock: the web app and Rasa start together).
``TRYGG_SECRETS_FILE`` points elsewhere (e.g. a mounted Kubernetes secret).

``python -m bot.secrets rotate`` (``make rotate-key``) adds a new phone key.
"""

import base64
import fcntl
import json
import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional

from bot.settings import current

# How Rasa's NLG requests carry ``nlg_token`` (a header: a query parameter would be logged).
NLG_TOKEN_HEADER = "X-Trygg-Nlg-Token"


def secrets_file() -> Path:
    return current().secrets_file


def load_secrets(path: Path = None) -> Dict[str, Any]:
    """The secrets, created with fresh random keys if the file (or one of them) is missing."""
    path = path or secrets_file()
    data = _read(path)
    if data is not None and not _missing(data):
        return data
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _locked(path):
        data = _read(path) or {}
        added = {name: make() for name, make in _missing(data).items()}
        if added:
            data.update(added)
            _write(path, data)
    return data


def rotate_phone_key(path: Path = None) -> None:
    path = path or secrets_file()
    load_secrets(path)
    with _locked(path):
        data = _read(path) or {}
        data["phone_keys"].insert(0, _new_key())
        _write(path, data)


def _missing(data: Dict[str, Any]) -> Dict[str, Callable[[], Any]]:
    made = {"phone_keys": lambda: [_new_key()], "reference_pepper": _new_key, "nlg_token": _new_key}
    return {name: make for name, make in made.items() if name not in data}


def _read(path: Path) -> Optional[Dict[str, Any]]:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    fd = os.open(path.with_suffix(".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write(path: Path, data: Dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
    tmp.replace(path)


def _new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["rotate"]:
        raise SystemExit(
            "usage: python -m bot.secrets rotate   # new phone key first; old keys still decrypt"
        )
    rotate_phone_key()
    print(
        f"==> New phone key added to {secrets_file()}; numbers are encrypted with it from the next start."
    )

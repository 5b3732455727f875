"""Secrets created at first run, outside the repository, never committed.

One JSON file (mode 0600) in the state directory holds:
- ``phone_keys``: AES-256-GCM keys for phone numbers, newest first (rotate: ``make rotate-key``
  prepends a new key; old ones still decrypt until the retention job has erased their numbers);
- ``reference_pepper``: HMAC key for booking reference codes (stored only as HMAC).
``TRYGG_SECRETS_FILE`` points elsewhere (e.g. a mounted Kubernetes secret).

``python -m bot.secrets rotate`` (``make rotate-key``) adds a new phone key.
"""

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any, Dict

from bot.settings import current


def secrets_file() -> Path:
    return current().secrets_file


def load_secrets(path: Path = None) -> Dict[str, Any]:
    """The secrets, created with fresh random keys if the file does not exist yet."""
    path = path or secrets_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = {"phone_keys": [_new_key()], "reference_pepper": _new_key()}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(data, f)
    return json.loads(path.read_text())


def rotate_phone_key(path: Path = None) -> None:
    path = path or secrets_file()
    data = load_secrets(path)
    data["phone_keys"].insert(0, _new_key())
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

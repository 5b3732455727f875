"""Secrets created at first run, outside the repository, never committed; the state directory.

One JSON file (mode 0600) in the state directory (mode 0700) holds:
- ``phone_keys``: AES-256-GCM keys for phone numbers, newest first;
- ``reference_pepper``: HMAC key for booking reference codes (stored only as HMAC);
- ``nlg_token``: what Rasa sends to the web app's ``/nlg`` (bot/rasa/nlg.py, bot/routes/nlg.py),
  so no one else can have answers rendered or counted. A file from before it existed gets it
  added at the next start (under a lock: the web app and Rasa start together).
``TRYGG_SECRETS_FILE`` points elsewhere (e.g. a mounted Kubernetes secret).

``python -m bot.secrets rotate`` (``make rotate-key``) retires the phone keys: a new key is
written first, every stored number is re-encrypted with it in one transaction, then the old
keys are removed from the file. A number erased before the rotation, still readable in a
backup, a WAL or a journal, can then no longer be decrypted. The web app and the action server
read the file again when it changes (``CurrentPhoneKeys``), so they follow without a restart.

Every entry point calls ``keep_files_private`` and ``check_private_state``: what the processes
create is the owner's alone, and nothing starts while the state is readable by other users.
"""

import base64
import fcntl
import json
import os
import secrets
import shlex
import stat
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from bot.settings import Settings, current
from bot.storage.crypto import PhoneCipher

# How Rasa's NLG requests carry ``nlg_token`` (a header: a query parameter would be logged).
NLG_TOKEN_HEADER = "X-Trygg-Nlg-Token"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
# How long a rotation waits between writing the new key and re-encrypting: a number being
# stored with the previous key at that moment is then in the database before the re-encryption
# reads it (the processes check the file before every use).
RELOAD_SETTLE_S = 2.0


class StateNotPrivate(SystemExit):
    """Start-up refused: the state directory, secrets file or database is open to other users."""


def secrets_file() -> Path:
    return current().secrets_file


def load_secrets(path: Optional[Path] = None) -> Dict[str, Any]:
    """The secrets, created with fresh random keys if the file (or one of them) is missing."""
    path = path or secrets_file()
    if not path.exists():
        make_private_dir(path.parent)
        data = {name: make() for name, make in _missing({}).items()}
        temporary = _write_private(path, data)
        try:
            os.link(temporary, path)  # atomic and never over a file another process just made
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    refuse_if_open(path)
    data = json.loads(path.read_text())
    if _missing(data):
        with _locked(path):
            data = json.loads(path.read_text())
            added = {name: make() for name, make in _missing(data).items()}
            if added:
                data.update(added)
                _replace(path, data)
    return data


def _missing(data: Dict[str, Any]) -> Dict[str, Callable[[], Any]]:
    made: Dict[str, Callable[[], Any]] = {
        "phone_keys": lambda: [_new_key()],
        "reference_pepper": _new_key,
        "nlg_token": _new_key,
    }
    return {name: make for name, make in made.items() if name not in data}


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    fd = os.open(path.with_suffix(".lock"), os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class CurrentPhoneKeys:
    """A PhoneCipher over the secrets file as it is now: after a rotation the next number is
    encrypted with the new key and the retired keys are forgotten, without a restart (one
    stat() per use, as bot/reloading.py does for content)."""

    def __init__(self, path: Optional[Path] = None) -> None:
        self._path = path or secrets_file()
        self._lock = threading.Lock()
        self._seen: Optional[Tuple[int, int, int]] = None
        self._cipher = self._current()

    def encrypt(self, phone: str, *, aad: bytes) -> bytes:
        return self._current().encrypt(phone, aad=aad)

    def decrypt(self, blob: bytes, *, aad: bytes) -> str:
        return self._current().decrypt(blob, aad=aad)

    def _current(self) -> PhoneCipher:
        try:
            status = self._path.stat()
            seen: Optional[Tuple[int, int, int]] = (
                status.st_ino,
                status.st_mtime_ns,
                status.st_size,
            )
        except FileNotFoundError:
            seen = None
        if seen is None or seen != self._seen:
            with self._lock:
                self._cipher = PhoneCipher(load_secrets(self._path)["phone_keys"])
                self._seen = seen
        return self._cipher


def rotate_phone_key(
    path: Optional[Path] = None,
    database_url: str = "",
    settle_s: float = RELOAD_SETTLE_S,
    erase_unreadable: bool = False,
) -> Tuple[int, int]:
    """New key first, every number re-encrypted with it, then the old keys removed.

    Returns (numbers re-encrypted, unreadable numbers erased). Raises UnreadableNumbers (and
    keeps the old keys) when some stored number decrypts with none of the configured keys,
    unless ``erase_unreadable``.
    """
    from bot.storage import migrate, rekeying
    from bot.storage.db import session_scope

    path = path or secrets_file()
    database_url = database_url or current().database_url
    if not path.exists():
        raise SystemExit(
            f"No secrets file at {path}: nothing to rotate (is TRYGG_SECRETS_FILE right?)"
        )
    migrate.upgrade(database_url)  # numbers of older versions are bound to their rows first
    data = load_secrets(path)
    new_key = _new_key()
    keys = [new_key, *data["phone_keys"]]
    _replace(path, {**data, "phone_keys": keys})
    time.sleep(settle_s)
    with session_scope(database_url) as session:
        counts = rekeying.reencrypt_numbers(
            session, PhoneCipher(keys), PhoneCipher([new_key]), erase_unreadable
        )
    _replace(path, {**data, "phone_keys": [new_key]})
    return counts


def keep_files_private() -> None:
    """Files and directories this process creates are its owner's alone (umask 077): the
    SQLite database with its -wal, -shm and -journal files, the secrets file, the lock files."""
    os.umask(0o077)


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) with mode 0700; an existing directory is left as
    it is (``check_private_state`` refuses it if it is open)."""
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    try:
        path.mkdir(mode=PRIVATE_DIR)
    except FileExistsError:
        return
    path.chmod(PRIVATE_DIR)  # mkdir's mode passes through the umask


def check_private_state(settings: Settings) -> None:
    """Refuse to run (StateNotPrivate, with the chmod to run) when the state directory, the
    secrets file or the SQLite database is readable or writable by group or others."""
    open_paths = [(p, mode) for p, mode in _state_paths(settings) if _is_open(p)]
    if open_paths:
        raise StateNotPrivate(_refusal(open_paths))


def refuse_if_open(path: Path) -> None:
    if _is_open(path):
        raise StateNotPrivate(_refusal([(path, PRIVATE_FILE)]))


def _state_paths(settings: Settings) -> Iterator[Tuple[Path, int]]:
    from bot.storage.db import sqlite_file

    yield settings.state_dir, PRIVATE_DIR
    yield settings.secrets_file, PRIVATE_FILE
    database = sqlite_file(settings.database_url)
    if database is not None:
        yield database.parent, PRIVATE_DIR
        for suffix in ("", "-wal", "-shm", "-journal"):
            yield database.with_name(database.name + suffix), PRIVATE_FILE


def _is_open(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except FileNotFoundError:
        return False


def _refusal(open_paths: List[Tuple[Path, int]]) -> str:
    lines = [
        "Trygg chatt will not start: other users on this machine can read what holds phone",
        "numbers and their keys:",
    ]
    lines += [f"  {p} (mode {stat.S_IMODE(p.stat().st_mode):04o})" for p, _ in open_paths]
    lines.append("Make them the owner's alone, then start again:")
    lines += [f"  chmod {mode:o} {shlex.quote(str(p))}" for p, mode in open_paths]
    return "\n".join(lines)


def _replace(path: Path, data: Dict[str, Any]) -> None:
    """Write the secrets file atomically (a reader sees the old or the new file, never half)."""
    _write_private(path, data).replace(path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _write_private(path: Path, data: Dict[str, Any]) -> Path:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    return temporary


def _new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def main(argv: List[str]) -> None:
    from bot.storage.rekeying import UnreadableNumbers

    if argv not in (["rotate"], ["rotate", "--erase-unreadable"]):
        raise SystemExit(
            "usage: python -m bot.secrets rotate [--erase-unreadable]\n"
            "  a new phone key; every stored number re-encrypted with it; the old keys removed"
        )
    keep_files_private()
    settings = current()
    check_private_state(settings)
    try:
        done, erased = rotate_phone_key(erase_unreadable="--erase-unreadable" in argv)
    except UnreadableNumbers as error:
        raise SystemExit(
            f"{error.count} stored number(s) decrypt with none of the keys in "
            f"{settings.secrets_file} (the wrong secrets file?). Nothing was re-encrypted and no "
            "key was removed. If the file is right, those numbers are lost: "
            "`python -m bot.secrets rotate --erase-unreadable` erases them and rotates."
        ) from None
    print(
        f"==> New phone key in {settings.secrets_file}; {done} number(s) re-encrypted with it"
        + (f", {erased} unreadable number(s) erased" if erased else "")
        + "; the old keys are removed. Running processes use the new key from their next number."
    )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])

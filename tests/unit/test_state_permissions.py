"""The state directory is 0700 and what it holds 0600; nothing starts while others can read it."""

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.secrets import StateNotPrivate, check_private_state, load_secrets
from bot.settings import Settings
from bot.storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    """The umask most shells start with: files 0644 and directories 0755 unless we say otherwise."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def env_for(state: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRYGG_STATE_DIR": str(state)}
    for name in ("TRYGG_SECRETS_FILE", "TRYGG_DATABASE_URL"):
        env.pop(name, None)
    return env


def test_migrate_makes_a_private_state_dir_and_database(tmp_path, usual_umask):
    state = tmp_path / "state"
    subprocess.run(
        [sys.executable, "-m", "bot.storage.migrate"], cwd=ROOT, env=env_for(state), check=True
    )
    assert mode(state) == 0o700
    assert mode(state / "trygg.db") == 0o600


def test_the_database_journals_are_as_private_as_the_database(tmp_path, usual_umask):
    database = tmp_path / "state" / "trygg.db"
    upgrade(f"sqlite:///{database}")
    assert mode(database.parent) == 0o700 and mode(database) == 0o600
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE probe (x)")
    connection.execute("INSERT INTO probe VALUES (1)")
    connection.commit()
    for suffix in ("-wal", "-shm"):
        assert mode(database.with_name(database.name + suffix)) == 0o600
    connection.close()


def test_an_open_database_file_is_made_private_by_the_migration(tmp_path, usual_umask):
    database = tmp_path / "trygg.db"
    sqlite3.connect(database).close()
    assert mode(database) == 0o644
    upgrade(f"sqlite:///{database}")
    assert mode(database) == 0o600


def test_the_secrets_file_and_its_directory_are_created_private(tmp_path, usual_umask):
    secrets_file = tmp_path / "a" / "state" / "secrets.json"
    load_secrets(secrets_file)
    assert mode(secrets_file.parent) == 0o700 and mode(secrets_file) == 0o600
    assert [p.name for p in secrets_file.parent.iterdir()] == ["secrets.json"]


@pytest.mark.parametrize(
    "what, open_mode, chmod",
    [
        ("state", 0o755, "chmod 700"),
        ("state", 0o750, "chmod 700"),
        ("secrets.json", 0o644, "chmod 600"),
        ("secrets.json", 0o640, "chmod 600"),
        ("trygg.db", 0o644, "chmod 600"),
    ],
)
def test_start_up_refuses_a_state_others_can_read_and_says_the_chmod(
    tmp_path, what, open_mode, chmod
):
    state = tmp_path / "state"
    load_secrets(state / "secrets.json")
    upgrade(f"sqlite:///{state / 'trygg.db'}")
    settings = Settings(state_dir=state)
    check_private_state(settings)  # private: starts
    path = state if what == "state" else state / what
    path.chmod(open_mode)
    with pytest.raises(StateNotPrivate) as refused:
        check_private_state(settings)
    assert f"{chmod} {path}" in str(refused.value.code)
    if what == "secrets.json":
        with pytest.raises(StateNotPrivate):
            load_secrets(path)


@pytest.mark.parametrize("entry_point", [["bot"], ["actions.server"], ["bot.storage.migrate"]])
def test_the_processes_refuse_to_start_on_an_open_state_dir(tmp_path, entry_point):
    state = tmp_path / "state"
    load_secrets(state / "secrets.json")
    state.chmod(0o755)
    result = subprocess.run(
        [sys.executable, "-m", *entry_point],
        cwd=ROOT,
        env={**env_for(state), "TRYGG_PORT": "1", "TRYGG_ACTIONS_PORT": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"chmod 700 {state}" in result.stderr


def test_make_run_creates_its_state_dir_private(tmp_path, usual_umask):
    sys.path.insert(0, str(ROOT / "scripts"))
    from stack import claim_run_lock

    lock = claim_run_lock(tmp_path / "state", "http://127.0.0.1:8123")
    assert lock is not None
    lock.close()
    assert mode(tmp_path / "state") == 0o700

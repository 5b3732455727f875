"""`make rotate-key`: a new phone key replaces the old ones in the secrets file (0600).

What happens to the stored numbers is in tests/unit/test_phone_keys.py.
"""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from bot.secrets import load_secrets

ROOT = Path(__file__).resolve().parents[2]


def rotate(state: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRYGG_STATE_DIR": str(state)}
    env.pop("TRYGG_SECRETS_FILE", None)
    env.pop("TRYGG_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.secrets", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_rotating_replaces_the_key_and_keeps_the_pepper(tmp_path):
    state = tmp_path / "state"
    secrets_file = state / "secrets.json"
    first = load_secrets(secrets_file)
    seen = set(first["phone_keys"])
    for _ in range(2):
        assert rotate(state, "rotate").returncode == 0
        now = json.loads(secrets_file.read_text())
        assert len(now["phone_keys"]) == 1 and not seen & set(now["phone_keys"])
        assert now["reference_pepper"] == first["reference_pepper"]
        seen |= set(now["phone_keys"])
        assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert [p.name for p in state.iterdir() if p.name.endswith(".tmp")] == []


def test_rotating_without_a_secrets_file_creates_none(tmp_path):
    result = rotate(tmp_path / "state", "rotate")
    assert result.returncode != 0 and "TRYGG_SECRETS_FILE" in result.stderr
    assert not (tmp_path / "state" / "secrets.json").exists()


def test_without_the_word_rotate_nothing_changes(tmp_path):
    result = rotate(tmp_path / "state")
    assert result.returncode != 0 and "rotate" in result.stderr
    assert not (tmp_path / "state").exists()


def test_a_secrets_file_from_before_the_nlg_token_gets_one_and_keeps_its_keys(tmp_path):
    from bot.secrets import load_secrets

    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({"phone_keys": ["old"], "reference_pepper": "pepper"}))
    path.chmod(0o600)
    first = load_secrets(path)
    assert first["phone_keys"] == ["old"] and first["reference_pepper"] == "pepper"
    assert len(first["nlg_token"]) >= 40
    assert load_secrets(path) == first == json.loads(path.read_text())  # the same from now on
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

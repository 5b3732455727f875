"""`make rotate-key` adds a new phone key in front and keeps the old ones (they still decrypt)."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_rotating_puts_a_new_key_first_and_keeps_the_old_one(tmp_path):
    secrets_file = tmp_path / "state" / "secrets.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRYGG_SECRETS_FILE": str(secrets_file)}
    for _ in range(2):
        subprocess.run(
            [sys.executable, "-m", "bot.secrets", "rotate"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    keys = json.loads(secrets_file.read_text())["phone_keys"]
    assert len(keys) == 3 and len(set(keys)) == 3  # created at first use, then two rotations
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600


def test_without_the_word_rotate_nothing_changes(tmp_path):
    secrets_file = tmp_path / "secrets.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRYGG_SECRETS_FILE": str(secrets_file)}
    result = subprocess.run(
        [sys.executable, "-m", "bot.secrets"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "rotate" in result.stderr
    assert not secrets_file.exists()


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

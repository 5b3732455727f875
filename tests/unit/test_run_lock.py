"""A second `make run` while one runs says where it runs and leaves it alone (issue 20)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from stack import running_at  # noqa: E402

HOLDER = """
import sys, time
from pathlib import Path
sys.path.insert(0, "scripts")
from stack import claim_run_lock
lock = claim_run_lock(Path(sys.argv[1]), "http://127.0.0.1:8123")
print("holding" if lock else "busy", flush=True)
time.sleep(120)
"""


def test_a_second_run_says_where_the_first_runs_and_touches_nothing(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        second = subprocess.run(
            [sys.executable, "scripts/stack.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "TRYGG_STATE_DIR": str(tmp_path)},
        )
        assert second.returncode == 0, second.stderr
        assert f"already running at http://127.0.0.1:8123 (process {holder.pid})" in second.stdout
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "run.lock"
        ]  # no database, no demo passwords reset
    finally:
        holder.kill()
        holder.wait()
    assert running_at(tmp_path) is None  # the kernel released the lock of the killed run


def test_the_make_check_fails_when_nothing_runs(tmp_path):
    check = subprocess.run(
        [sys.executable, "scripts/stack.py", "--already-running"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TRYGG_STATE_DIR": str(tmp_path)},
    )
    assert check.returncode == 1 and check.stdout == ""

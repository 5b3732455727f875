"""Start and stop the three processes: Rasa, the action server and the web app.

Used by ``make run`` (``python scripts/stack.py``) and by the tests (``Stack`` in conftest),
so the way the system is started is the same everywhere.
"""

import fcntl
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "trygg.tar.gz"


@dataclass
class Ports:
    rasa: int = 5005
    actions: int = 5055
    web: int = 8000
    # Ports of the further Rasa workers (filled in by Stack: rasa + 1, ... or free ports).
    more_rasa: List[int] = field(default_factory=list)


def default_rasa_workers() -> int:
    """One Rasa process per core, at most two: a Rasa process uses one core (asyncio), and the web
    app, action server and second worker share the rest (docs/benchmarks.md). ~2 GB RSS each."""
    from bot.settings import Settings

    return Settings.from_env().rasa_workers


def _port_or_free(preferred: int) -> int:
    import socket

    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return s.getsockname()[1]
            except OSError:
                continue
    raise OSError("no free port")


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports)
    log_dir: Optional[Path] = None  # where each process's output goes (None: inherit)
    extra_env: Dict[str, str] = field(default_factory=dict)
    # Set to "redis://host:port/db" to share trackers and locks in Redis (endpoints-redis.yml).
    redis_url: Optional[str] = None
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    rasa_workers: int = field(default_factory=default_rasa_workers)
    model: Path = MODEL
    drain_s: float = 10.0  # > the web app's Rasa timeout (TRYGG_RASA_TIMEOUT_S, 9 s)

    def __post_init__(self) -> None:
        while len(self.ports.more_rasa) < self.rasa_workers - 1:
            self.ports.more_rasa.append(
                _port_or_free(self.ports.rasa + len(self.ports.more_rasa) + 1)
            )

    def rasa_ports(self) -> Dict[str, int]:
        """Process name → port of each Rasa worker: rasa, rasa-2, ..."""
        ports = [self.ports.rasa] + self.ports.more_rasa[: self.rasa_workers - 1]
        return {("rasa" if i == 0 else f"rasa-{i + 1}"): port for i, port in enumerate(ports)}

    def env(self) -> Dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            # One message is a tiny DIET inference: TensorFlow's thread pools only add switching
            # (Rasa reads these; measured in docs/benchmarks.md).
            "TF_INTRA_OP_PARALLELISM_THREADS": "1",
            "TF_INTER_OP_PARALLELISM_THREADS": "1",
            "TRYGG_ACTION_ENDPOINT": f"http://127.0.0.1:{self.ports.actions}/webhook",
            "TRYGG_NLG_ENDPOINT": f"http://127.0.0.1:{self.ports.web}/nlg",
            "TRYGG_RASA_URLS": ",".join(
                f"http://127.0.0.1:{port}" for port in self.rasa_ports().values()
            ),
            "TRYGG_ACTION_SERVER_URL": f"http://127.0.0.1:{self.ports.actions}",
            "TRYGG_PORT": str(self.ports.web),
            "TRYGG_ACTIONS_PORT": str(self.ports.actions),
            # Whole seconds: Rasa's Redis tracker store passes it to Redis (endpoints-redis.yml).
            "TRYGG_TRACKER_EXPIRY_S": str(int(self.settings().tracker_expiry_s)),
            "TRYGG_RASA_DRAIN_FILE": str(self.drain_file()),
            **self._redis_env(),
            **self.extra_env,
        }

    def _redis_env(self) -> Dict[str, str]:
        if not self.redis_url:
            return {}
        from urllib.parse import urlparse

        parsed = urlparse(self.redis_url)
        return {
            "TRYGG_REDIS_HOST": parsed.hostname or "127.0.0.1",
            "TRYGG_REDIS_PORT": str(parsed.port or 6379),
            "TRYGG_REDIS_DB": (parsed.path or "/0").lstrip("/") or "0",
        }

    def commands(self) -> Dict[str, List[str]]:
        py = sys.executable
        commands = {
            "actions": [py, "-m", "actions.server"],
            "web": [py, "-m", "bot"],
        }
        for name, port in self.rasa_ports().items():
            # No --enable-api: Rasa's HTTP API (/conversations, /model, ...) stays off.
            commands[name] = [
                py,
                "-m",
                "bot.rasa.run",
                "run",
                "--model",
                str(self.model),
                "--endpoints",
                "endpoints-redis.yml" if self.redis_url else "endpoints.yml",
                "--credentials",
                "credentials.yml",
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--cors",
                "[]",
            ]
        return commands

    def start(self, names: Optional[List[str]] = None) -> None:
        # Migrations run once here, before any process uses the database.
        subprocess.run(
            [sys.executable, "-m", "bot.storage.migrate"], cwd=ROOT, env=self.env(), check=True
        )
        for name, command in self.commands().items():
            if names is None or name in names:
                self.start_one(name, command)

    def start_one(self, name: str, command: Optional[List[str]] = None) -> None:
        command = command or self.commands()[name]
        out = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(),
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=True,
        )

    def stop(self, names: Optional[List[str]] = None) -> None:
        for name in list(self.processes):
            if names is None or name in names:
                process = self.processes.pop(name)
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
                    try:
                        process.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        os.killpg(process.pid, signal.SIGKILL)
                        process.wait()

    def settings(self):
        """The settings the started processes read (this environment with ``extra_env``)."""
        from bot.settings import Settings

        return Settings.from_env({**os.environ, **self.extra_env})

    def drain_file(self) -> Path:
        return self.settings().state_dir / "rasa-draining"

    def model_version(self) -> float:
        try:
            return self.model.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    def roll_rasa(self, timeout_s: float = 240, say=lambda _text: None) -> None:
        """Restart the Rasa workers one at a time, each waiting until the one before answers, so a
        newly trained model goes live while the others keep answering (the web app sends a
        conversation to the next worker when its own is unreachable, bot/routes/chat.py). With
        one worker the chat is down only while the model loads (~30 s), never while it trains."""
        from bot.rasa.workers import write_drain_file

        ports = self.rasa_ports()
        try:
            for number, (name, port) in enumerate(ports.items(), start=1):
                say(f"==> New model: restarting Rasa worker {number} of {len(ports)}")
                if len(ports) > 1:
                    # The web app sends no new request to it; those in flight end within the
                    # web app's Rasa timeout. Stopping it mid-turn would leave that conversation's
                    # lock held and its answer lost.
                    write_drain_file(self.drain_file(), [number])
                    time.sleep(self.drain_s)
                self.stop([name])
                self.start_one(name)
                self._wait_for(f"http://127.0.0.1:{port}/", timeout_s, name)
                self._warm_up(port, timeout_s)
        finally:
            write_drain_file(self.drain_file(), None)

    def _warm_up(self, port: int, timeout_s: float) -> None:
        """One throwaway turn, so the first resident does not wait while TensorFlow traces its
        graphs (several seconds). The probe flag keeps it out of the statistics."""
        import json
        import uuid

        body = json.dumps(
            {
                "sender": f"warm-up-{uuid.uuid4()}",
                "message": "tack",
                "metadata": {"trygg_probe": True},
            }
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            response.read()

    def _wait_for(self, url: str, timeout_s: float, name: str) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited with code {self.processes[name].returncode}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        raise TimeoutError(f"{name} did not answer in {timeout_s:.0f} s")

    def wait_healthy(self, timeout_s: float = 180) -> None:
        """Block until /healthz says every part is up; raise with the last answer otherwise."""
        deadline = time.monotonic() + timeout_s
        last = "no answer"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {process.returncode}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.ports.web}/healthz", timeout=5
                ) as r:
                    if r.status == 200:
                        return
            except urllib.error.HTTPError as error:
                last = error.read().decode("utf-8", "replace")
            except OSError as error:
                last = type(error).__name__
            time.sleep(1)
        raise TimeoutError(f"the stack did not become healthy in {timeout_s:.0f} s: {last}")


RUN_LOCK = "run.lock"  # in the state dir; held by the `make run` that is running


def claim_run_lock(state: Path, url: str) -> Optional[IO[str]]:
    """The lock of the one `make run` per state dir, or None if another holds it.

    A second `make run` would crash on the busy ports, and first reset the demo passwords of
    the stack that runs. flock is released by the kernel when its holder dies, so a killed run
    never leaves a stale lock behind.
    """
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle = open(state / RUN_LOCK, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    handle.truncate(0)
    handle.write(f"{url} {os.getpid()}\n")
    handle.flush()
    return handle


def running_at(state: Path) -> Optional[str]:
    """ "<url> <pid>" of the `make run` holding the lock, or None if none runs."""
    lock = claim_run_lock(state, "")
    if lock is not None:
        lock.close()
        return None
    return (state / RUN_LOCK).read_text(encoding="utf-8").strip() or "?"


def say_already_running(state: Path) -> bool:
    running = running_at(state)
    if running is None:
        return False
    url, _, pid = running.partition(" ")
    print(
        f"==> Trygg chatt is already running at {url} (process {pid}); left alone.\n"
        f"    Open {url}/demo or {url}/console, or stop it with Ctrl-C in its terminal.\n"
        f"    Changed the training data? `make train`: the running chat switches to the new model\n"
        f"    one Rasa worker at a time, without going down."
    )
    return True


def main() -> None:
    parent = os.getppid()  # `make`
    # The state dir, its lock and everything the processes started below create (they inherit
    # the umask) are the owner's alone.
    os.umask(0o077)
    stack = Stack()
    # Only the local demo: the code step stays compulsory everywhere else (bot/settings.py).
    from bot.settings import demo_environment

    stack.extra_env.update(demo_environment())
    web = f"http://127.0.0.1:{stack.ports.web}"
    state_dir = stack.settings().state_dir
    if "--already-running" in sys.argv:
        sys.exit(0 if say_already_running(state_dir) else 1)
    lock = claim_run_lock(state_dir, web)
    if lock is None:
        say_already_running(state_dir)
        sys.exit(0)
    # Local runs get one demo staff account per centre, with fresh passwords printed below.
    subprocess.run(
        [sys.executable, "-m", "bot.storage.migrate"], cwd=ROOT, env=stack.env(), check=True
    )
    subprocess.run(
        [sys.executable, "-m", "bot.console.cli", "demo"], cwd=ROOT, env=stack.env(), check=True
    )
    print(
        f"==> Starting the action server, the web app and {stack.rasa_workers} Rasa worker(s) (Rasa takes about 30 s to load)"
    )
    stack.start()

    def shutdown(*_args) -> None:
        print("\n==> Stopping all processes")
        stack.stop()
        sys.exit(0)

    signal.signal(signal.SIGINT, shutdown)
    signal.signal(signal.SIGTERM, shutdown)
    try:
        stack.wait_healthy()
    except (RuntimeError, TimeoutError) as error:
        print(f"ERROR: {error}")
        stack.stop()
        sys.exit(1)
    print(
        f"""
==> Trygg chatt is running. Press Ctrl-C to stop.
    Demo page (widget):  {web}/demo
    Staff console:       {web}/console
    Health:              {web}/healthz
    Chat API:            POST {web}/api/chat   (docs/api.md)
""",
        flush=True,
    )
    model = stack.model_version()
    while True:
        if stack.model_version() != model:
            # `make train` in another terminal replaced the model (atomically, scripts/model.py).
            model = stack.model_version()
            try:
                stack.roll_rasa(say=lambda text: print(text, flush=True))
                print("==> The new model answers now.", flush=True)
            except (RuntimeError, TimeoutError) as error:
                print(f"ERROR: {error}; stopping the others")
                stack.stop()
                sys.exit(1)
        if os.getppid() != parent:
            # `make` was stopped on its own (SIGTERM, or SIGINT not from a terminal): the
            # processes run in their own sessions and would outlive it.
            print("==> make stopped; stopping all processes", flush=True)
            stack.stop()
            sys.exit(0)
        for name, process in stack.processes.items():
            if process.poll() is not None:
                print(
                    f"ERROR: {name} stopped (exit code {process.returncode}); stopping the others"
                )
                stack.stop()
                sys.exit(1)
        time.sleep(1)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

"""Load benchmark: N simulated residents (closed loop) over /api/chat, against a stock
`rasa init` assistant in the same run as the baseline.

Each resident sends a message, waits for the answer, sends the next (a fixed Swedish
conversation, with a fresh conversation id per round). Reports p50/p95/p99 latency and messages
per second at each concurrency, for Trygg chatt (whole path: web app → Rasa → NLG/actions) and
for the stock assistant's REST webhook (Rasa alone). ``--write`` updates docs/benchmarks.md.
"""

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Ports, Stack  # noqa: E402

CONVERSATION = [
    "hej",
    "vart kan jag vända mig?",
    "vad erbjuder rvc?",
    "hur polisanmäler jag?",
    "vad är ett kontaktförbud?",
    "jag bor i Tensta",
    "tack",
]
STOCK_CONVERSATION = ["hello", "I am feeling great", "are you a bot?", "bye"]
CONCURRENCY = (1, 20)
# --seconds N: how long each level runs.
DURATION_S = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 30.0
STOCK_DIR = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "trygg-chatt"
    / "stock-rasa-init"
)


async def resident(session, url, messages, deadline, latencies, errors):
    while time.monotonic() < deadline:
        sender = str(uuid.uuid4())
        for text in messages:
            began = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": text}) as response:
                    await response.read()
                    if response.status != 200:
                        errors.append(response.status)
            except aiohttp.ClientError as error:
                errors.append(type(error).__name__)
            latencies.append(time.perf_counter() - began)
            if time.monotonic() >= deadline:
                return


async def load(url, messages, users):
    latencies, errors = [], []
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.post(
            url, json={"sender": str(uuid.uuid4()), "message": messages[0]}
        ) as warm:
            await warm.read()
        began = time.monotonic()
        deadline = began + DURATION_S
        await asyncio.gather(
            *(resident(session, url, messages, deadline, latencies, errors) for _ in range(users))
        )
        elapsed = time.monotonic() - began
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "n": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": pick(0.95),
        "p99": pick(0.99),
        "errors": len(errors),
    }


def stock_assistant(port: int) -> subprocess.Popen:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    if not (STOCK_DIR / "models").exists() or not any((STOCK_DIR / "models").glob("*.tar.gz")):
        STOCK_DIR.mkdir(parents=True, exist_ok=True)
        print(
            "==> Creating and training the stock `rasa init` assistant (once; cached in",
            STOCK_DIR,
            ")",
        )
        subprocess.run(
            [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(STOCK_DIR)],
            cwd=STOCK_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "-i", "127.0.0.1", "-p", str(port)],
        cwd=STOCK_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_http(url: str, timeout_s: float = 240) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3):
                return
        except OSError:
            time.sleep(1)
    raise TimeoutError(url)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    total = 0
    for proc in [pid] + [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-g", str(pid)], capture_output=True, text=True
        ).stdout.split()
    ]:
        try:
            for line in Path(f"/proc/{proc}/status").read_text().splitlines():
                if line.startswith("VmRSS"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        ours = Stack(
            ports=Ports(free_port(), free_port(), free_port()),
            log_dir=Path(tmp) / "logs",
            extra_env={
                "TRYGG_STATE_DIR": tmp,
                "TRYGG_RATE_BURST": "1000000",
                "TRYGG_RATE_PER_SECOND": "1000000",
            },
        )
        ours.start()
        try:
            ours.wait_healthy(240)
            for users in CONCURRENCY:
                results[("Trygg chatt (/api/chat)", users)] = asyncio.run(
                    load(f"http://127.0.0.1:{ours.ports.web}/api/chat", CONVERSATION, users)
                )
            memory = sum(rss_mb(p.pid) for p in ours.processes.values())
            workers = ours.rasa_workers
        finally:
            ours.stop()
    port = free_port()
    stock = stock_assistant(port)
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        for users in CONCURRENCY:
            results[("stock `rasa init` (REST webhook)", users)] = asyncio.run(
                load(f"http://127.0.0.1:{port}/webhooks/rest/webhook", STOCK_CONVERSATION, users)
            )
        stock_memory = rss_mb(stock.pid)
    finally:
        os.killpg(stock.pid, 15)
        stock.wait()
    lines = [
        f"Closed loop, {DURATION_S:.0f} s per row, one run on this machine.",
        "",
        "| system | users | messages | msg/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (name, users), r in results.items():
        lines.append(
            f"| {name} | {users} | {r['n']} | {r['rate']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | "
            f"{r['p99']:.0f} | {r['errors']} |"
        )
    top = max(CONCURRENCY)
    ratio = (
        results[("Trygg chatt (/api/chat)", top)]["rate"]
        / results[("stock `rasa init` (REST webhook)", top)]["rate"]
    )
    lines += [
        "",
        f"Throughput ratio at {top} users (Trygg chatt / stock): **{ratio:.2f}×** "
        f"(target ≥ 3×; p95 target ≤ 300 ms).",
        f"Resident memory after the run: Trygg chatt's processes ({workers} Rasa workers, actions, web) "
        f"{memory:.0f} MB; stock Rasa {stock_memory:.0f} MB.",
    ]
    table = "\n".join(lines)
    from bench_doc import publish

    publish("load", table, write="--write" in sys.argv)


if __name__ == "__main__":
    main()

"""Soak: 20 simulated residents for 10 minutes over /api/chat; errors and memory over time.

Memory (resident set of the three processes) is sampled every 30 s; a flat line means no leak
in the conversation path (trackers expire; nothing else is kept per conversation).
``--seconds N`` shortens the run; ``--write`` updates docs/benchmarks.md.
"""

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from bench_load import CONVERSATION, free_port, resident, rss_mb  # noqa: E402
from stack import Ports, Stack  # noqa: E402

SECONDS = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 600.0
USERS = 20


async def soak(url: str, stack: Stack):
    latencies, errors, samples = [], [], []
    deadline = time.monotonic() + SECONDS
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        users = [
            asyncio.ensure_future(resident(session, url, CONVERSATION, deadline, latencies, errors))
            for _ in range(USERS)
        ]
        started = time.monotonic()
        while time.monotonic() < deadline:
            samples.append(
                (time.monotonic() - started, sum(rss_mb(p.pid) for p in stack.processes.values()))
            )
            await asyncio.sleep(30)
        await asyncio.gather(*users)
    samples.append(
        (time.monotonic() - started, sum(rss_mb(p.pid) for p in stack.processes.values()))
    )
    return latencies, errors, samples


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(
            ports=Ports(free_port(), free_port(), free_port()),
            log_dir=Path(tmp) / "logs",
            extra_env={
                "TRYGG_STATE_DIR": tmp,
                "TRYGG_RATE_BURST": "1000000",
                "TRYGG_RATE_PER_SECOND": "1000000",
            },
        )
        stack.start()
        try:
            stack.wait_healthy(240)
            latencies, errors, samples = asyncio.run(
                soak(f"http://127.0.0.1:{stack.ports.web}/api/chat", stack)
            )
            stack_workers = stack.rasa_workers
        finally:
            stack.stop()
    first, last = samples[0][1], samples[-1][1]
    after_warmup = samples[min(2, len(samples) - 1)][1]
    table = "\n".join(
        [
            f"{USERS} residents, closed loop, {SECONDS / 60:.0f} min, {stack_workers} Rasa workers, tracker expiry "
            f"{stack.settings().tracker_expiry_s:.0f} s, one run.",
            "",
            "| messages | errors | RSS at start | RSS after 1 min | RSS at end | change after warm-up |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {len(latencies)} | {len(errors)} | {first:.0f} MB | {after_warmup:.0f} MB | {last:.0f} MB | "
            f"{(last - after_warmup) / after_warmup * 100:+.1f} % |",
            "",
            "RSS samples (s → MB): " + ", ".join(f"{t:.0f}→{m:.0f}" for t, m in samples),
        ]
    )
    from bench_doc import publish

    publish("soak", table, write="--write" in sys.argv)


if __name__ == "__main__":
    main()

"""How well and how fast does the place matcher answer the phrase table of the tests?

Usage:  PYTHONPATH=. .venv/bin/python scripts/bench_places.py [--repeat 200]

Reads PHRASES from tests/unit/test_places.py, runs bot.places.find_place on each and prints a
markdown table, overall and per language:
  right        the expected (kind, centre): a centre, "outside", "postcode unknown" or "ask again"
  wrong centre a centre or "outside" that is not the expected answer (must be 0)
  ask again    answers "unknown" / "postcode_unknown" (expected ones included)
  median, p95  time of one lookup in microseconds (time.perf_counter, each phrase timed --repeat times)
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.places import find_place  # noqa: E402
from bot.vocabulary import LANGUAGES  # noqa: E402
from tests.unit.test_places import PHRASES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument(
        "--write", action="store_true", help="replace the section in docs/benchmarks.md"
    )
    args = parser.parse_args()

    rows, misses = [], []
    for language, text, kind, centre in PHRASES:
        match = find_place(text)
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            find_place(text)
            timings.append((time.perf_counter() - start) * 1e6)
        right = (match.kind, match.centre) == (kind, centre)
        wrong = not right and match.kind in ("district", "outside")
        ask_again = match.kind in ("unknown", "postcode_unknown")
        rows.append((language, right, wrong, ask_again, timings))
        if not right:
            misses.append(
                f"- [{language}] {text!r}: expected {kind}/{centre}, got {match.kind}/{match.centre}"
            )

    lines = [
        "| phrases | language | right (%) | wrong centre | ask again | median µs | p95 µs |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for language in ("all",) + LANGUAGES:
        chosen = [r for r in rows if language in ("all", r[0])]
        times = sorted(t for r in chosen for t in r[4])
        lines.append(
            f"| {len(chosen)} | {language} | {100 * sum(r[1] for r in chosen) / len(chosen):.1f} "
            f"| {sum(r[2] for r in chosen)} | {sum(r[3] for r in chosen)} "
            f"| {statistics.median(times):.0f} | {times[int(0.95 * (len(times) - 1))]:.0f} |"
        )
    if misses:
        lines.append("\nNot as expected:\n" + "\n".join(misses))
    table = "\n".join(lines)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_doc import publish

    publish("places", table, write=args.write)


if __name__ == "__main__":
    main()

"""NLU benchmark: train on data/, score the held-out sets tests/nlu/<lang>.yml (never trained on).

Prints a markdown table (accuracy, macro-F1, acute-danger recall per language, training time,
model size) and, with --write, replaces the NLU section of docs/benchmarks.md.
"""
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the model names bot.nlu_danger.DangerOverride
LANGUAGES = ("sv", "en", "ar", "fa", "so", "fi")
TARGET_F1 = {"sv": 0.90, "en": 0.90, "ar": 0.85, "fa": 0.85, "so": 0.85, "fi": 0.85}


def train(out: Path) -> float:
    """Training time from scratch: an empty Rasa cache, so nothing is reused from earlier runs."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "rasa", "train", "nlu", "--config", "config.yml", "--nlu", "data",
                    "--out", str(out), "--fixed-model-name", "nlu"], cwd=ROOT, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_CACHE_DIRECTORY": str(out / "cache")},
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started


async def score(model: Path):
    import logging

    import structlog
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.metrics import accuracy_score, f1_score

    agent = Agent.load(str(model))
    # Rasa logs each parsed text at debug level; a benchmark has no reason to print them.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    rows = []
    for language in LANGUAGES:
        examples = load_data(str(ROOT / "tests" / "nlu" / f"{language}.yml")).intent_examples
        truth = [e.get("intent") for e in examples]
        predicted = [(await agent.parse_message(e.get("text")))["intent"]["name"] for e in examples]
        danger = [p for t, p in zip(truth, predicted) if t == "acute_danger"]
        rows.append({
            "language": language, "n": len(truth),
            "accuracy": accuracy_score(truth, predicted),
            "macro_f1": f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0),
            "danger_recall": sum(p == "acute_danger" for p in danger) / len(danger) if danger else float("nan"),
            "misses": [(e.get("text"), t, p) for e, t, p in zip(examples, truth, predicted) if t != p],
        })
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        seconds = train(Path(tmp))
        model = Path(tmp) / "nlu.tar.gz"
        size_mb = model.stat().st_size / 1e6
        rows = asyncio.run(score(model))
    lines = ["| language | held-out examples | accuracy | macro-F1 (target) | acute-danger recall |",
             "|---|---:|---:|---:|---:|"]
    for r in rows:
        met = "✔" if r["macro_f1"] >= TARGET_F1[r["language"]] else "✘ below target"
        lines.append(f"| {r['language']} | {r['n']} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} "
                     f"(≥ {TARGET_F1[r['language']]:.2f} {met}) | {r['danger_recall']:.2f} |")
    lines.append("")
    lines.append(f"NLU training time {seconds:.0f} s on this machine; NLU model size {size_mb:.1f} MB.")
    table = "\n".join(lines)
    print(table)
    if "--misses" in sys.argv:
        for r in rows:
            for text, truth, predicted in r["misses"]:
                print(f"  [{r['language']}] {truth} -> {predicted}: {text}")
    if "--write" in sys.argv:
        from bench_doc import replace_section
        replace_section("nlu", table)


if __name__ == "__main__":
    main()

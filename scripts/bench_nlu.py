"""NLU benchmark: train on data/, score test sets that were never trained on.

Two kinds of test set:
- ``tests/independent/<lang>.yml``: written apart from the training data, by writers who saw only
  the intent descriptions (tests/independent/INTENTS.md), as residents write. The headline.
- ``tests/nlu/<lang>.yml``: the older held-out sets, written by the authors of the training data.

Per language: macro-F1, acute-danger recall, false alarms (the 112 answer for a message that is
not acute danger), danger inside the booking form (over /api/chat, with --form: each acute
message sent at one of the form's ten steps), and language identification (the answer language
of a conversation's first message, without and with a picked language).

Prints markdown tables and, with --write, replaces the NLU section of docs/benchmarks.md.
"""

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the model names bot.rasa.nlu_danger.DangerOverride
sys.path.insert(0, str(ROOT / "scripts"))
from bot.vocabulary import LANGUAGES  # noqa: E402

TARGET_F1 = 0.90
TARGET_FALSE_ALARMS = 0.02
TARGET_LANGUAGE_ID = 0.98
INDEPENDENT = ROOT / "tests" / "independent"


def independent_set(
    language: str,
) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str]], List[str]]:
    """(text, intent) of `intents`, (text, intent) of `not_acute`, and the `langid` texts, without
    the messages that happen to be training examples too ("hej", "hur polisanmäler jag"): a
    model must not be scored on what it was fitted to."""
    data = yaml.safe_load((INDEPENDENT / f"{language}.yml").read_text(encoding="utf-8"))
    trained = training_texts()
    unseen = [t for t in data["langid"] if _plain(t) not in trained]
    intents = [
        (t, i) for i, texts in data["intents"].items() for t in texts if _plain(t) not in trained
    ]
    not_acute = [
        (t, i) for i, texts in data["not_acute"].items() for t in texts if _plain(t) not in trained
    ]
    return intents, not_acute, unseen


@lru_cache(maxsize=1)
def training_texts() -> frozenset:
    """Every training example of data/nlu/, lowercase, entity markup removed."""
    from bot.training_data import examples

    return frozenset(_plain(text) for text in examples())


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


def train(out: Path) -> float:
    """Training time from scratch: an empty Rasa cache, so nothing is reused from earlier runs."""
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "nlu",
            "--config",
            "config.yml",
            "--nlu",
            "data",
            "--out",
            str(out),
            "--fixed-model-name",
            "nlu",
        ],
        cwd=ROOT,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_CACHE_DIRECTORY": str(out / "cache")},
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def scores(truth: List[str], predicted: List[str]) -> Dict[str, float]:
    from sklearn.metrics import f1_score

    acute = [p for t, p in zip(truth, predicted) if t == "acute_danger"]
    others = [p for t, p in zip(truth, predicted) if t != "acute_danger"]
    return {
        "n": len(truth),
        "macro_f1": f1_score(
            truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0
        ),
        "accuracy": sum(t == p for t, p in zip(truth, predicted)) / len(truth),
        "danger_n": len(acute),
        "danger_recall": sum(p == "acute_danger" for p in acute) / len(acute)
        if acute
        else float("nan"),
        "false_alarm_n": sum(p == "acute_danger" for p in others),
        "false_alarm_rate": sum(p == "acute_danger" for p in others) / len(others)
        if others
        else float("nan"),
    }


async def score_nlu(model: Path) -> Dict[str, Dict]:
    import logging

    import structlog
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    # Rasa logs each parsed text at debug level; a benchmark has no reason to print them.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    async def predict(texts: List[str]) -> List[str]:
        return [(await agent.parse_message(t))["intent"]["name"] for t in texts]

    results = {}
    for language in LANGUAGES:
        intents, not_acute, _ = independent_set(language)
        examples = intents + not_acute
        predicted = await predict([t for t, _ in examples])
        row = scores([i for _, i in examples], predicted)
        na_predicted = predicted[len(intents) :]
        row["not_acute_n"] = len(not_acute)
        row["not_acute_alarms"] = sum(p == "acute_danger" for p in na_predicted)
        row["confusions"] = sorted({(t, p) for (_, t), p in zip(examples, predicted) if t != p})
        old = load_data(str(ROOT / "tests" / "nlu" / f"{language}.yml")).intent_examples
        row["old"] = scores(
            [e.get("intent") for e in old], await predict([e.get("text") for e in old])
        )
        results[language] = row
    return results


def score_language_id() -> Dict[str, Dict]:
    """The answer language for a first message, as the NLG endpoint decides it (bot/language.py)."""
    from bot.language import content_words, resolve_language

    def tracker(text: str, picked: str = "") -> dict:
        event = {
            "event": "user",
            "text": text,
            "parse_data": {"intent": {"name": "x"}, "entities": []},
        }
        if picked:
            event["metadata"] = {"language": picked}
        return {"events": [event]}

    results = {}
    for language in LANGUAGES:
        intents, not_acute, langid = independent_set(language)
        texts = langid + [t for t, _ in intents + not_acute]
        long_ok = long_n = short_ok = short_n = picked_ok = 0
        for text in texts:
            right = resolve_language(tracker(text)) == language
            if len(content_words(text)) >= 3:
                long_n, long_ok = long_n + 1, long_ok + right
            else:
                short_n, short_ok = short_n + 1, short_ok + right
            picked_ok += resolve_language(tracker(text, picked=language)) == language
        results[language] = {
            "long_n": long_n,
            "long": long_ok / long_n if long_n else float("nan"),
            "short_n": short_n,
            "short": short_ok / short_n if short_n else float("nan"),
            "picked": picked_ok / len(texts),
            "n": len(texts),
        }
    return results


def score_form_danger() -> Dict[str, Tuple[int, int]]:
    """Each acute message of the independent sets sent at one step of a booking (step i % 10)."""
    from booking_steps import STEPS, is_emergency_first, walk_to
    from stack import Ports, Stack

    from tests.helpers import Client, free_port

    results = {}
    with tempfile.TemporaryDirectory() as state:
        stack = Stack(
            ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
            log_dir=Path(state),
            rasa_workers=1,
            extra_env={
                "TRYGG_STATE_DIR": state,
                "TRYGG_RATE_BURST": "100000",
                "TRYGG_RATE_PER_SECOND": "100000",
            },
        )
        stack.start()
        try:
            stack.wait_healthy(timeout_s=240)
            client = Client(f"http://127.0.0.1:{stack.ports.web}")
            for language in LANGUAGES:
                intents, _, _ = independent_set(language)
                acute = [t for t, i in intents if i == "acute_danger"]
                ok = 0
                for n, text in enumerate(acute):
                    sender = str(uuid.uuid4())

                    def say(message: str) -> list:
                        return client.say(message, sender=sender, language=language)

                    walk_to(say, language, STEPS[n % len(STEPS)], n)
                    ok += is_emergency_first(say(text))
                results[language] = (ok, len(acute))
        finally:
            stack.stop()
    return results


def tables(nlu: Dict, langid: Dict, form: Dict, seconds: float, size_mb: float) -> str:
    def mark(ok: bool) -> str:
        return "✔" if ok else "✘"

    lines = [
        "Independent test sets (tests/independent/, written apart from the training data; never trained on):",
        "",
        "| language | messages | macro-F1 (≥ 0.90) | acute-danger recall (1.0) | false alarms (≤ 2 %) | of them on violence-but-not-acute | danger inside the form (100 %) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for language in LANGUAGES:
        r = nlu[language]
        ok, total = form.get(language, (0, 0))
        form_cell = f"{ok}/{total} {mark(ok == total)}" if total else "not run"
        lines.append(
            f"| {language} | {r['n']} | {r['macro_f1']:.3f} {mark(r['macro_f1'] >= TARGET_F1)} "
            f"| {r['danger_recall']:.3f} ({round(r['danger_recall'] * r['danger_n'])}/{r['danger_n']}) "
            f"{mark(r['danger_recall'] == 1.0)} "
            f"| {r['false_alarm_rate']:.1%} ({r['false_alarm_n']}) {mark(r['false_alarm_rate'] <= TARGET_FALSE_ALARMS)} "
            f"| {r['not_acute_alarms']}/{r['not_acute_n']} | {form_cell} |"
        )
    lines += [
        "",
        "Language of the answer to a first message (no language picked unless stated):",
        "",
        "| language | messages | ≥ 3 words (≥ 98 %) | 1–2 words | language picked in the widget |",
        "|---|---:|---:|---:|---:|",
    ]
    for language in LANGUAGES:
        r = langid[language]
        lines.append(
            f"| {language} | {r['n']} | {r['long']:.1%} of {r['long_n']} {mark(r['long'] >= TARGET_LANGUAGE_ID)} "
            f"| {r['short']:.1%} of {r['short_n']} | {r['picked']:.1%} |"
        )
    lines += [
        "",
        "Older held-out sets (tests/nlu/, written by the authors of the training data):",
        "",
        "| language | examples | accuracy | macro-F1 | acute-danger recall | false alarms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for language in LANGUAGES:
        r = nlu[language]["old"]
        lines.append(
            f"| {language} | {r['n']} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | {r['danger_recall']:.2f} "
            f"| {r['false_alarm_n']} |"
        )
    lines += [
        "",
        f"NLU training time {seconds:.0f} s on this machine; NLU model size {size_mb:.1f} MB.",
    ]
    return "\n".join(lines)


def main() -> None:
    from bench_doc import publish

    with tempfile.TemporaryDirectory() as tmp:
        seconds = train(Path(tmp))
        model = Path(tmp) / "nlu.tar.gz"
        size_mb = model.stat().st_size / 1e6
        nlu = asyncio.run(score_nlu(model))
    langid = score_language_id()
    form = score_form_danger() if "--form" in sys.argv else {}
    publish("nlu", tables(nlu, langid, form, seconds, size_mb), "--write" in sys.argv)
    if "--confusions" in sys.argv:
        # Intent pairs only, never the messages: the test sets must not become a tuning set.
        for language in LANGUAGES:
            print(language, ", ".join(f"{t}->{p}" for t, p in nlu[language]["confusions"]))


if __name__ == "__main__":
    main()

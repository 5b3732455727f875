"""Train the Rasa model only when it is missing or older than its inputs.

Inputs: config.yml, domain.yml, everything under data/, and the custom NLU component's code.
``python scripts/model.py check`` prints whether a retrain is due; ``train`` retrains if so.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "trygg.tar.gz"
INPUTS = ("config.yml", "domain.yml", "data", "bot/rasa/nlu_danger.py")


def input_files(root: Path = ROOT) -> Iterable[Path]:
    for name in INPUTS:
        path = root / name
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
        elif path.exists():
            yield path


def stale_reason(root: Path = ROOT, model: Path = MODEL) -> Optional[str]:
    """Why the model must be (re)trained, or None if it is up to date."""
    if not model.exists():
        return "no trained model yet"
    built = model.stat().st_mtime
    newer = [p for p in input_files(root) if p.stat().st_mtime > built]
    if newer:
        return f"{len(newer)} input file(s) changed since the last training, e.g. {newer[0].relative_to(root)}"
    return None


def train(root: Path = ROOT, model: Path = MODEL) -> None:
    reason = stale_reason(root, model)
    if reason is None:
        print(f"==> Model is up to date ({model.relative_to(root)})")
        return
    print(f"==> Training the model: {reason} (a few minutes)")
    started = time.monotonic()
    model.parent.mkdir(parents=True, exist_ok=True)
    # Train beside the model and swap it in whole: a running `make run` switches to it worker by
    # worker (scripts/stack.py) and must never see a half-written file.
    with tempfile.TemporaryDirectory(dir=model.parent, prefix=".training-") as out:
        name = model.name.replace(".tar.gz", "")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "rasa",
                "train",
                "--fixed-model-name",
                name,
                "--out",
                out,
                "--config",
                "config.yml",
                "--domain",
                "domain.yml",
                "--data",
                "data",
            ],
            cwd=root,
            check=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        os.replace(Path(out) / model.name, model)
    print(f"==> Trained in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "train"
    if command == "check":
        reason = stale_reason()
        print(reason or "up to date")
        sys.exit(1 if reason else 0)
    train()

"""The NLU training examples of data/nlu/, as plain text: read by the language model of
bot/language.py and by the benchmark, which must not score what was trained on."""

import re
from pathlib import Path
from typing import Iterator, Optional

import yaml

from bot.settings import ROOT

NLU_DIR = ROOT / "data" / "nlu"
_ENTITY = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")  # "[Tensta](location)" -> "Tensta"


def examples(language: Optional[str] = None) -> Iterator[str]:
    """Every example of one language's folder (data/nlu/<language>/), or of all of data/nlu/."""
    folder = NLU_DIR / language if language else NLU_DIR
    for path in sorted(folder.rglob("*.yml")):
        yield from _examples_in(path)


def _examples_in(path: Path) -> Iterator[str]:
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
        for line in (block.get("examples") or "").splitlines():
            if line.startswith("- "):
                yield _ENTITY.sub(r"\1", line[2:]).strip()

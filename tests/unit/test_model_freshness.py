"""`make run` retrains only when config, domain or training data changed since the last model."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from model import stale_reason  # noqa: E402


def make_project(tmp_path: Path) -> Path:
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    for name in ("config.yml", "domain.yml", "data/nlu/sv.yml"):
        (tmp_path / name).write_text("x")
    return tmp_path


def touch(path: Path, when: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, (when, when))


def test_missing_model_must_be_trained(tmp_path):
    root = make_project(tmp_path)
    assert stale_reason(root, root / "models/m.tar.gz") == "no trained model yet"


def test_model_newer_than_inputs_is_kept(tmp_path):
    root = make_project(tmp_path)
    for p in root.rglob("*.yml"):
        os.utime(p, (1000, 1000))
    touch(root / "models/m.tar.gz", 2000)
    assert stale_reason(root, root / "models/m.tar.gz") is None


def test_changed_training_data_makes_the_model_stale(tmp_path):
    root = make_project(tmp_path)
    for p in root.rglob("*.yml"):
        os.utime(p, (1000, 1000))
    touch(root / "models/m.tar.gz", 2000)
    os.utime(root / "data/nlu/sv.yml", (3000, 3000))
    assert "data/nlu/sv.yml" in stale_reason(root, root / "models/m.tar.gz")


def test_changed_config_or_domain_makes_the_model_stale(tmp_path):
    root = make_project(tmp_path)
    for p in root.rglob("*.yml"):
        os.utime(p, (1000, 1000))
    touch(root / "models/m.tar.gz", 2000)
    os.utime(root / "domain.yml", (3000, 3000))
    assert stale_reason(root, root / "models/m.tar.gz") is not None

"""`make i18n-update` fills the Swedish catalog from the source texts (issue 20)."""

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]


def test_new_and_changed_swedish_entries_get_the_source_text_and_edits_stay(tmp_path):
    catalog = Catalog(locale="sv")
    catalog.add("Ny fråga?", "")
    catalog.add("Ändrad text", "Gammal text", flags=["fuzzy"])
    catalog.add("Redan skriven", "Redan skriven")
    po = tmp_path / "messages.po"
    with po.open("wb") as f:
        write_po(f, catalog)
    subprocess.run(
        [sys.executable, "scripts/i18n_swedish.py", str(po)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with po.open("rb") as f:
        result = {m.id: (m.string, m.fuzzy) for m in read_po(f) if m.id}
    assert result == {
        "Ny fråga?": ("Ny fråga?", False),
        "Ändrad text": ("Ändrad text", False),
        "Redan skriven": ("Redan skriven", False),
    }
    assert "#:" not in po.read_text(encoding="utf-8")  # no line numbers to churn in a review

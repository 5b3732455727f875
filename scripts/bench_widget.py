"""Widget weight and time to interactive on the demo page (Debian Chromium, headless).

Size: the widget's files (the launcher on the page, the chat's frame page, script, styles and
labels), raw and gzip -9. Time to interactive: from navigation start until
the launcher button is in the page and enabled, median of 10 cold loads (new context each).
Runs the web app alone (the widget needs no Rasa to become interactive).
"""

import gzip
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
from stack import Ports, Stack  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    names = ("widget.js", "widget.css", "frame.html", "chat.js", "chat.css", "labels.json")
    files = [ROOT / "widget" / name for name in names]
    raw = sum(len(f.read_bytes()) for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    from playwright.sync_api import sync_playwright

    from tests.helpers import free_port, wait_for_port

    with tempfile.TemporaryDirectory() as tmp:
        web = Stack(
            ports=Ports(free_port(), free_port(), free_port()),
            log_dir=Path(tmp),
            extra_env={"TRYGG_STATE_DIR": tmp},
        )
        web.start_one("web")
        try:
            wait_for_port(web.ports.web)
            times = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                for _ in range(10):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(f"http://127.0.0.1:{web.ports.web}/demo")
                    page.wait_for_selector("[data-testid=launcher]:not([disabled])")
                    times.append(page.evaluate("performance.now()"))
                    context.close()
                browser.close()
        finally:
            web.stop()
    table = "\n".join(
        [
            "| the widget's files | raw | gzip -9 | time to interactive (median of 10 cold loads) |",
            "|---|---:|---:|---:|",
            f"| launcher and chat frame, no framework, no third-party request | {raw / 1024:.1f} KB | {packed / 1024:.1f} KB | "
            f"{statistics.median(times):.0f} ms (max {max(times):.0f} ms) |",
        ]
    )
    from bench_doc import publish

    publish("widget", table, write="--write" in sys.argv)


if __name__ == "__main__":
    main()

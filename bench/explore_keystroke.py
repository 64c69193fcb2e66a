"""`make bench`: the References page of a 2,500-work review in Chromium: load, and a keystroke.

The review is the browser tests' (tests/browser/many_works.py); the timing is theirs too, so the
test and the benchmark print the same measure. Nothing here asserts a time.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))
from many_works import KEYSTROKES, generate, keystroke_report


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        works = generate(project)
        site = project / "site"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "-q",
                "-f",
                str(project / "mkdocs.yml"),
                "-d",
                str(site),
            ],
            check=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        weight = (site / "references" / "index.html").stat().st_size
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("LITREVIEW_CHROMIUM") or None)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/references/", timeout=120_000)
            load = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd / 1000")
            times = page.evaluate(KEYSTROKES)
            browser.close()
        server.shutdown()
        print(
            f"{'References at 2,500 works':<26} page {weight / 1e6:.1f} MB; "
            + keystroke_report(len(works), times, load)
        )


if __name__ == "__main__":
    main()

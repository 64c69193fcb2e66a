"""`mkdocs serve` rebuilds correctly after an edit to a page or to the bibliography."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import build_in_process

FIXTURE = Path(__file__).parent / "fixtures" / "site"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except OSError:
        return ""


def _wait_for(check: Callable[[], bool], what: str, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


@contextmanager
def _serving(config: Path, log_path: Path) -> Iterator[str]:
    """``mkdocs serve`` on ``config`` until the block ends; yields the site's base URL."""
    port = _free_port()
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/fixture/"
    try:
        _wait_for(lambda: "Pain pathways" in _get(base + "references/"), "the first build")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        print(log_path.read_text())  # shown by pytest when the test fails


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    with _serving(project / "mkdocs.yml", tmp_path / "serve.log") as base:
        yield project, base


def test_rebuilds_after_bibliography_and_page_edits(served: tuple[Path, str]) -> None:
    project, base = served
    bib = project / "refs.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("Pain pathways in the {DNA} era", "Pain pathways revisited"),
        encoding="utf-8",
    )
    _wait_for(lambda: "Pain pathways revisited" in _get(base + "references/"), "the bibliography edit")
    assert "Pain pathways in the DNA era" not in _get(base + "references/")

    page = project / "docs" / "guide" / "methods.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nSilence is cited [@uncited2000].\n", encoding="utf-8"
    )
    _wait_for(lambda: 'id="ref-uncited2000"' in _get(base + "references/"), "the page edit")
    assert _get(base + "references/").count('id="ref-smith2020"') == 1, "state must not pile up"

    page.write_text(
        page.read_text(encoding="utf-8").replace("Silence is cited [@uncited2000].", ""), encoding="utf-8"
    )
    _wait_for(lambda: 'id="ref-uncited2000"' not in _get(base + "references/"), "the citation's removal")


def test_keeps_serving_while_there_are_errors_and_shows_them(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    """Reported: one mistyped key under `mkdocs serve --strict` left the server stuck on the old site."""
    project, base = served
    page = project / "docs" / "guide" / "methods.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\nA new sentence [@smith2021].\n", encoding="utf-8")
    _wait_for(lambda: "A new sentence" in _get(base + "guide/methods/"), "the rebuild despite the error")
    html = _get(base + "guide/methods/")
    assert 'class="lr-serve-problems"' in html and 'role="alert"' in html
    assert "error[CIT001] unknown citation key &#39;smith2021&#39;" in html or (
        "error[CIT001] unknown citation key &#x27;smith2021&#x27;" in html
    )
    assert "docs/guide/methods.md:" in html
    assert "lr-serve-problems" not in _get(base), "another page's problem is not shown on the home page"
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "error[CIT001] unknown citation key 'smith2021'" in log  # and in the terminal
    page.write_text(original, encoding="utf-8")
    _wait_for(lambda: "A new sentence" not in _get(base + "guide/methods/"), "the fix")
    assert "lr-serve-problems" not in _get(base + "guide/methods/")


def test_the_serve_panel_names_errors_elsewhere_and_caps_its_list() -> None:
    from litreview.core.findings.problems import Problem, Severity
    from litreview.core.references.reference_html import with_problems

    page = "<html><body class='x'><p>text</p></body></html>"
    own = [Problem("docs/a.md", i, 1, "CIT001", f"unknown <key> {i}") for i in range(1, 25)]
    bib = [
        Problem("refs.bib", 3, 1, "BIB003", "cannot parse"),
        Problem("more.bib", 3, 1, "BIB012", "a warning", Severity.WARN),
    ]
    html = with_problems(page, "docs/a.md", own + bib)
    assert html.startswith('<html><body class=\'x\'><div class="lr-serve-problems" role="alert">')
    assert html.count("<li><code>") == 20 and "… and 4 more in the terminal" in html
    assert "unknown &lt;key&gt; 1" in html and "<key>" not in html
    assert "More findings in refs.bib: see the terminal." in html  # errors only: more.bib has a warning
    assert with_problems(page, "docs/b.md", own) == page  # another page's findings stay there


def test_one_plugin_object_keeps_formatted_entries_across_rebuilds(tmp_path: Path) -> None:
    """What serve keeps between rebuilds is the plugin's own `across` object, not module state:
    MkDocs keeps a plugin that has ``on_startup`` for the whole session, as serve does here."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins["litreview"]
    build(config)
    first, reported = plugin.across.formatted.misses, list(plugin.state.reported)
    assert first > 0 and reported
    again = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    assert again.plugins["litreview"] is plugin
    build(again)
    assert plugin.across.formatted.misses == first  # nothing formatted twice
    assert plugin.state.reported == reported  # the build's own findings: new each time, not piled up


def test_serve_never_prints_the_pdf_that_build_does(tmp_path: Path) -> None:
    """A rebuild must stay quick: ``pdf: true`` makes the PDF in builds, not under serve."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      bibliography: [strings.bib, refs.bib]\n",
            "      bibliography: [strings.bib, refs.bib]\n      pdf: true\n",
        ),
        encoding="utf-8",
    )
    build_in_process(config, tmp_path / "built")
    assert (tmp_path / "built" / "fixture.pdf").is_file()
    log_path = tmp_path / "serve.log"
    with _serving(config, log_path) as base:
        try:
            urllib.request.urlopen(base + "fixture.pdf", timeout=5).close()
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
        assert status == 404
    assert "PDF of the review" not in log_path.read_text(encoding="utf-8")

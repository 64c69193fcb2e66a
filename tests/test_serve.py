"""`mkdocs serve` rebuilds correctly after an edit to a page or to the bibliography."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--strict",
            "-f",
            str(project / "mkdocs.yml"),
            "-a",
            f"127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    base = f"http://127.0.0.1:{port}/fixture/"
    try:
        _wait_for(lambda: "Pain pathways" in _get(base + "references/"), "the first build")
        yield project, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        print((tmp_path / "serve.log").read_text())  # shown by pytest when the test fails


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

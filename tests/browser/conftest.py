"""Real Chromium on the built review: Debian's browser through Playwright, the site on 127.0.0.1."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = Path(os.environ.get("LITREVIEW_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "tests" / "artifacts" / "screenshots"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 while the block runs: its root URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1, as a reader's browser would get it."""
    with serve(built_site) as url:
        yield url


@contextmanager
def one_page(browser: Browser, **context_args: Any) -> Iterator[Page]:
    """A page in a context of its own, for a module's tests to share: a context per test (what
    pytest-playwright's ``page`` makes) cost more than most of the checks made in it."""
    context = browser.new_context(**context_args)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch, with Debian's Chromium instead of a downloaded one."""
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}; 'make test' installs it (or set LITREVIEW_CHROMIUM)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go: only in CI, which keeps them as artefacts; locally they cost time
    and nobody looks at them (CI=true make test takes them)."""
    if os.environ.get("CI") != "true":
        pytest.skip("screenshots are taken only in CI (CI=true)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def many_works(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[Any]]]:
    """A review of 2,500 works (many_works.py), built strictly in this process and served on 127.0.0.1."""
    from conftest import build_in_process

    from .many_works import generate

    project = tmp_path_factory.mktemp("many-works")
    works = generate(project)
    site = project / "site"
    build_in_process(project / "mkdocs.yml", site)
    with serve(site) as url:
        yield url + "references/", works

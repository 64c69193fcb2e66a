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

#: As the Makefile chooses: Debian's headless shell where installed, else its chromium.
CHROMIUM = Path(
    os.environ.get("LITREVIEW_CHROMIUM")
    or next(
        (p for p in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if Path(p).exists()),
        "/usr/bin/chromium-headless-shell",
    )
)
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


_TARGETS = """els => {
  const scrolls = e => {  // in a box that scrolls: where it is depends on how far that is scrolled
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a), box = ['auto', 'scroll', 'hidden'];
      if ((box.includes(style.overflowX) && a.scrollWidth > a.clientWidth)
          || (box.includes(style.overflowY) && a.scrollHeight > a.clientHeight)) return true;
    }
    return false;
  };
  window.__lrHovered = new Set();
  document.addEventListener('pointerover', e => window.__lrHovered.add(e.target), true);
  const out = [];
  els.forEach((e, i) => {
    const box = e.getClientRects()[0];
    if (!box || box.width * box.height === 0) return;
    e.focus();  // each one once, in order: focus() on what can't take focus does nothing
    const took = document.activeElement === e;
    if (e.checkVisibility({visibilityProperty: true}))
      out.push([i, box.left + box.width / 2, box.top + box.height / 2, took, scrolls(e)]);
  });
  document.activeElement?.blur();
  return [out, innerHeight];
}"""

_MISSED = """([els, indices]) => indices.filter(i =>
  ![...window.__lrHovered].some(h => els[i] === h || els[i].contains(h)))"""


def hover_and_focus_each(page: Page, selector: str, *, pointer_reaches: bool = True) -> int:
    """Hover with the mouse, then focus, each visible element ``selector`` matches, one after
    the other as a reader would: how many. A viewport as tall as the page holds them all, so
    each hover is one move of the mouse to the middle of the element's first box (where
    Playwright's hover puts it) with no scrolling (Playwright's own hover for one in a box that
    scrolls, which it scrolls to the element), and focus goes to those that take it (and
    once in a row to all, first). ``pointer_reaches`` also requires that the pointer reached
    each (the element or one inside it had the pointer over it: Playwright's hit check, made
    after the fact); without it the pointer goes to each place all the same (``force=True``).
    An element per call (is_visible, hover, focus) was most of the hostile tests' time."""
    size = page.viewport_size or {"width": 1280, "height": 720}
    # handles, not nth(i): Material's tooltips take an element's title away once it is hovered,
    # so the i-th match moves on to another element
    elements = page.locator(selector).element_handles()
    try:
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": height})
        targets, height = page.evaluate(_TARGETS, elements)
        assert all(0 <= y < height for _i, _x, y, _took, _inner in targets), "not all in the viewport"
        for i, x, y, took, inner in targets:
            if inner:  # Playwright's hover scrolls that box to it
                elements[i].hover(force=not pointer_reaches)
            else:
                page.mouse.move(x, y)
            if took:
                elements[i].focus()
        if pointer_reaches:
            missed = page.evaluate(_MISSED, [elements, [i for i, *_ in targets]])
            assert missed == [], f"the pointer did not reach {len(missed)} of {len(targets)}"
        return len(targets)
    finally:
        page.set_viewport_size(size)


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

"""Hostile bibliography and front matter values in real Chromium: hovering and focusing every
tooltip on every page type opens no dialog and asks no other host for anything (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from browser.conftest import hover_and_focus_each, one_page, serve
from conftest import build_in_process, build_outcome
from hostile.project import SCRIPT, hostile_copy

PAGES = {
    "home": "",
    "section": "description/degenerative-disc-disease/",
    "concept-section": "description/spinal-tumors/",
    "references": "references/",
    "concepts": "concepts/",
    "map": "map/",
}


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile review built in this process (its warnings are the payloads', so the build
    runs to the end whatever they are), without the PDF: nothing here opens it, and printing it
    took Chromium as long as the hovering below."""
    work = tmp_path_factory.mktemp("hostile-browser")
    config = hostile_copy(work / "project", page_titles=False)
    config.write_text(config.read_text(encoding="utf-8").replace("pdf: true", "pdf: false"), encoding="utf-8")
    build_outcome(config, work / "site")
    assert (work / "site" / "references" / "index.html").is_file()
    with serve(work / "site") as url:
        yield url


@pytest.fixture(scope="module")
def watched(browser: Browser, hostile_url: str) -> Iterator[tuple[Page, list[str]]]:
    """One page for the module's hostile pages, and what it did that it should not have: a
    dialog, a request to another host, a page error (a context per test cost more than that)."""
    host = urlsplit(hostile_url).netloc
    events: list[str] = []
    with one_page(browser) as page:
        page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
        page.on(
            "request",
            lambda r: events.append(f"request: {r.url}") if urlsplit(r.url).netloc != host else None,
        )
        page.on("pageerror", lambda e: events.append(f"page error: {e}"))
        yield page, events


@pytest.mark.parametrize("kind", list(PAGES))
def test_hover_and_focus_run_nothing(watched: tuple[Page, list[str]], hostile_url: str, kind: str) -> None:
    page, events = watched
    events.clear()
    page.goto(hostile_url + PAGES[kind])
    assert hover_and_focus_each(page, "article [data-lr-tip], article [title]")
    page.wait_for_timeout(300)  # an onerror would have fired by now
    assert events == []


def test_the_payload_is_shown_as_text_in_the_tooltip(
    watched: tuple[Page, list[str]], hostile_url: str
) -> None:
    page, _events = watched
    page.goto(hostile_url + "description/degenerative-disc-disease/")
    cite = page.locator('.lr-cite-link[data-lr-key="bell2023"]').first
    cite.hover()
    tooltip = page.locator(".lr-tooltip")
    expect(tooltip).to_contain_text(SCRIPT)
    assert tooltip.locator("script, img").count() == 0


def test_an_imported_hostile_latex_review_runs_nothing(page: Page, tmp_path: Path) -> None:
    """Every vector of tests/test_import_escaping.py on one imported page (issue 26), in Chromium:
    loading it, hovering and focusing every element of the article and following nothing opens
    no dialog, raises no page error and asks no other host for anything."""
    from litreview.cli import main
    from test_import_escaping import VECTORS

    one_page = [text for name, text in VECTORS.items() if "section" not in name and "title" not in name]
    source = tmp_path / "review.tex"
    source.write_text("\n\n".join(one_page) + "\n", encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "out")]) == 0
    build_in_process(tmp_path / "out" / "mkdocs.yml", tmp_path / "site", strict=False)  # CIT001 on 'y', 'c'
    with serve(tmp_path / "site") as url:
        host = urlsplit(url).netloc
        events: list[str] = []
        page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("request", lambda r: events.append(r.url) if urlsplit(r.url).netloc != host else None)
        page.on("pageerror", lambda e: events.append(f"page error: {e}"))
        page.goto(url)
        # typeset math (KaTeX) lays one span over another, which takes the pointer from the
        # element beneath; the pointer goes to its place all the same (hover's force=True)
        assert hover_and_focus_each(page, "article *", pointer_reaches=False)
        page.wait_for_timeout(300)  # an onerror would have fired by now
        assert events == []
        assert page.locator("article img, article script, article [href^='javascript']").count() == 0


_PROBES = """() => {
  const article = document.querySelector('article');
  article.insertAdjacentHTML('beforeend', `
    <style>.lr-probe-css:hover { background: url(http://other.invalid/hover.png); }</style>
    <p><span class="lr-probe" title="t" onmouseover="alert('hover')">hover me</span>
       <a class="lr-probe" href="#x" title="t" onfocus="alert('focus')">focus me</a>
       <span class="lr-probe lr-probe-css" title="t">style me</span></p>
    <div style="overflow-x: auto; width: 200px"><div style="width: 3000px; text-align: right">
       <span class="lr-probe" title="t" onmouseover="alert('scrolled')">far right</span></div></div>`);
}"""


@pytest.mark.parametrize("pointer_reaches", [True, False])
def test_the_hovering_would_see_what_a_handler_did(
    watched: tuple[Page, list[str]], hostile_url: str, pointer_reaches: bool
) -> None:
    """hover_and_focus_each, on probes added to a page: a mouseover handler, a focus handler, a
    style that asks another host on :hover and a handler in a box scrolled out of sight all
    show in what the page did (so the tests above, finding nothing, looked)."""
    page, events = watched
    events.clear()
    page.goto(hostile_url)
    page.evaluate(_PROBES)
    assert hover_and_focus_each(page, ".lr-probe", pointer_reaches=pointer_reaches) == 4
    page.wait_for_timeout(300)
    assert set(events) == {  # the focus handler twice: focus goes to each in a row first
        "dialog: focus",
        "dialog: hover",
        "dialog: scrolled",
        "request: http://other.invalid/hover.png",
    }

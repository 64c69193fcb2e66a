"""Hostile bibliography and front matter values in real Chromium: hovering and focusing every
tooltip on every page type opens no dialog and asks no other host for anything (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from browser.conftest import one_page, serve
from conftest import build_in_process, mkdocs_build
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
    work = tmp_path_factory.mktemp("hostile-browser")
    mkdocs_build(hostile_copy(work / "project", page_titles=False), work / "site", check=False)
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
    # handles, not nth(i): Material's tooltips take an element's title away once it is hovered,
    # so the i-th match moves on to another element (an empty COinS span, which can't be hovered)
    targets = page.locator("article [data-lr-tip], article [title]").element_handles()
    assert targets
    for target in targets:
        if not target.is_visible():
            continue
        target.hover()
        target.focus()
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
        # force: typeset math (KaTeX) lays one span over another, which would take the pointer
        # from the element beneath; the pointer goes to its place all the same
        for target in page.locator("article *").element_handles():
            if target.is_visible():
                target.hover(force=True)
                target.focus()
        page.wait_for_timeout(300)  # an onerror would have fired by now
        assert events == []
        assert page.locator("article img, article script, article [href^='javascript']").count() == 0

"""The studies and summary-of-findings tables in Chromium (issue 31 §2-§3): sorting by a
column, filtering rows, accessibility, and a phone's width (the table scrolls in its frame)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from conftest import build_in_process

from .conftest import ROOT, _Quiet

FIXTURE = ROOT / "tests" / "fixtures" / "systematic-studies"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("systematic-browser") / "site"
    build_in_process(FIXTURE / "mkdocs.yml", site)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _column(page: Page, table: str, n: int) -> list[str]:
    cells = page.locator(f"{table} tbody tr:not([hidden]) > :nth-child({n})")
    return [t.strip() for t in cells.all_inner_texts()]


def test_a_column_sorts_by_number_then_backwards(page: Page, url: str) -> None:
    page.goto(url)
    studies = "table.lr-studies-table"
    header = page.locator(f"{studies} thead th").nth(2)  # N
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert _column(page, studies, 3) == ["86", "120", "1200"]  # as numbers, not as text
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert _column(page, studies, 3) == ["1200", "120", "86"]
    certainty = page.locator("table.lr-findings-table thead th").nth(4)
    certainty.get_by_role("button").click()
    assert _column(page, "table.lr-findings-table", 5) == ["⊕⊕◯◯ Low", "⊕⊕⊕◯ Moderate"]


def test_the_filter_keeps_the_rows_holding_every_word(page: Page, url: str) -> None:
    page.goto(url)
    box = page.locator("div.lr-studies")
    search = box.get_by_role("searchbox")
    search.fill("rct adults")
    expect(box.locator(".lr-shown")).to_have_text("2 of 3 rows")
    assert _column(page, "table.lr-studies-table", 2) == ["RCT", "RCT"]
    search.fill("pilates")
    expect(box.locator(".lr-shown")).to_have_text("1 of 3 rows")
    assert page.url.endswith("?filter-studies=pilates")  # a link to what one sees
    search.fill("")
    assert len(_column(page, "table.lr-studies-table", 2)) == 3
    page.goto(url + "?filter-studies=cluster")
    expect(box.locator(".lr-shown")).to_have_text("1 of 3 rows")
    expect(search).to_have_value("cluster")


def test_no_serious_accessibility_violations_in_the_tables(page: Page, url: str) -> None:
    page.goto(url)
    # the fixture's theme (MkDocs' own) colours links below 4.5:1; the theme's, not ours
    rules = {"color-contrast": {"enabled": False}}
    result = Axe().run(page, context={"include": [["div.lr-data-table"]]}, options={"rules": rules})
    serious = [v for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], result.generate_report()


def test_on_a_phone_the_table_scrolls_in_its_frame(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(url)
    frame = page.locator("div.lr-studies .lr-table-frame")
    wide = frame.evaluate("f => f.scrollWidth > f.clientWidth")
    assert wide, "the table fits a phone: nothing to check"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")

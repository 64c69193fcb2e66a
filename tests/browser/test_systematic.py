"""The worked systematic review (tests/fixtures/systematic) as readers meet it in Chromium: the
PRISMA flow diagram's text and name, the studies and summary-of-findings tables' sort and
filter, axe in both colour schemes, a phone's 360 px for all three, and print (issue 31)."""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from conftest import build_in_process

from .conftest import one_page, serve

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "systematic"
PHONE = {"width": 360, "height": 740}
with (FIXTURE / "studies.csv").open(encoding="utf-8", newline="") as _file:
    STUDIES = list(csv.DictReader(_file))
"""The worked example's included studies, as its file gives them."""


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The worked example built strictly and served on 127.0.0.1 (its root)."""
    project = tmp_path_factory.mktemp("systematic") / "review"
    shutil.copytree(FIXTURE, project)
    site = project / "site"
    build_in_process(project / "mkdocs.yml", site)
    with serve(site) as root:
        yield root


@pytest.fixture(scope="module")
def _desktop(browser: Browser) -> Iterator[Page]:
    with one_page(browser) as page:
        yield page


@pytest.fixture
def page(_desktop: Page) -> Page:
    """The module's one desktop page (a context per test cost more than its checks), on a screen
    in the light scheme until the test emulates another."""
    _desktop.emulate_media(media="screen", color_scheme="light")
    return _desktop


def _column(page: Page, table: str, n: int) -> list[str]:
    cells = page.locator(f"{table} tbody tr:not([hidden]) > :nth-child({n})")
    return [t.strip() for t in cells.all_inner_texts()]


def test_the_diagram_reads_as_text_and_as_one_named_image(page: Page, url: str) -> None:
    page.goto(url + "methods/")
    expect(page.get_by_role("img", name="PRISMA 2020 flow diagram")).to_be_visible()
    expect(
        page.locator("svg.lr-prisma-svg text", has_text=re.compile(r"Records screened \(n\s=\s350\)"))
    ).to_be_visible()
    expect(page.locator("svg.lr-prisma-svg text", has_text="Wrong population")).to_have_count(2)
    description = page.locator("svg.lr-prisma-svg desc").text_content() or ""
    assert "Reports of new included studies" in description
    with page.expect_download() as info:
        page.locator("figure.lr-prisma a.lr-download").click()
    assert info.value.suggested_filename == "prisma-flow.svg"


def test_the_tables_sort_by_a_column_and_filter_their_rows(page: Page, url: str) -> None:
    page.goto(url + "results/")
    studies = "table.lr-studies-table"
    header = page.locator(f"{studies} thead th").nth(2)  # N
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    numbers = sorted(int(s["N"]) for s in STUDIES)
    assert _column(page, studies, 3) == [str(n) for n in numbers]  # as numbers, not as text
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert _column(page, studies, 3) == [str(n) for n in reversed(numbers)]
    certainty = page.locator("table.lr-findings-table thead th").nth(4)
    certainty.get_by_role("button").click()  # by level, not by the words' alphabet
    assert _column(page, "table.lr-findings-table", 5) == ["⊕◯◯◯ Very low", "⊕⊕◯◯ Low", "⊕⊕⊕◯ Moderate"]

    box = page.locator("div.lr-studies")
    search = box.get_by_role("searchbox")
    search.fill("rct adults")
    holding = [s for s in STUDIES if all(w in " ".join(s.values()).lower() for w in ("rct", "adults"))]
    assert 1 < len(holding) < len(STUDIES)
    expect(box.locator(".lr-shown")).to_have_text(f"{len(holding)} of {len(STUDIES)} rows")
    assert sorted(_column(page, studies, 5)) == sorted(s["intervention"] for s in holding)
    search.fill("pilates")
    expect(box.locator(".lr-shown")).to_have_text(f"1 of {len(STUDIES)} rows")
    expect(page).to_have_url(re.compile(r"\?filter-studies=pilates$"))  # a link to what one sees
    search.fill("")
    assert len(_column(page, studies, 2)) == len(STUDIES)
    page.goto(url + "results/?filter-studies=cluster")
    expect(box.locator(".lr-shown")).to_have_text(f"1 of {len(STUDIES)} rows")
    expect(search).to_have_value("cluster")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_in_the_diagram_or_the_tables(page: Page, url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    for path, ours in (("methods/", "figure.lr-prisma"), ("results/", "div.lr-data-table")):
        page.goto(url + path)
        result = Axe().run(page, context={"include": [[ours]]})  # the theme's own furniture is not ours
        serious = [v for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, result.generate_report()
        if path == "methods/":
            text_fill, box_fill, body_color, body_background = page.evaluate(
                """() => {
                const text = document.querySelector('.lr-prisma-box text');
                const box = document.querySelector('.lr-prisma-box rect');
                return [getComputedStyle(text).fill, getComputedStyle(box).fill,
                        getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor];
            }"""
            )
            assert text_fill == body_color  # the page's text colour, in either scheme
            assert box_fill == body_background


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    with one_page(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True) as page:
        yield page


def _scrolls_in_its_frame(frame_of: Page, selector: str) -> None:
    frame = frame_of.locator(selector)
    width, visible = frame.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width > visible, f"{selector} fits a phone: nothing to check"
    frame.evaluate("e => { e.scrollLeft = e.scrollWidth; }")  # to its far edge
    assert frame.evaluate("e => e.scrollLeft") == width - visible


def test_on_a_phone_all_three_scroll_in_their_frames_and_the_page_does_not(phone: Page, url: str) -> None:
    phone.goto(url + "methods/")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    _scrolls_in_its_frame(phone, ".lr-prisma-frame")
    size = phone.locator("svg.lr-prisma-svg text").first.evaluate("e => e.getBoundingClientRect().height")
    assert size >= 9  # legible, not shrunk to the phone's width
    phone.goto(url + "results/")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    _scrolls_in_its_frame(phone, "div.lr-studies .lr-table-frame")
    _scrolls_in_its_frame(phone, "div.lr-findings .lr-table-frame")
    expect(phone.locator("div.lr-studies").get_by_role("searchbox")).to_be_visible()


def test_print_shows_the_whole_diagram_and_tables_without_their_controls(page: Page, url: str) -> None:
    page.emulate_media(media="print")
    page.goto(url + "methods/")
    expect(page.locator("figure.lr-prisma a.lr-download")).to_be_hidden()
    width, visible = page.locator(".lr-prisma-frame").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width <= visible + 1
    expect(page.locator("svg.lr-prisma-svg text", has_text="Total studies included")).to_be_visible()
    page.goto(url + "results/")
    for kind in ("studies", "findings"):
        expect(page.locator(f"div.lr-{kind} .lr-table-tools")).to_be_hidden()
    expect(page.locator("table.lr-studies-table tbody tr")).to_have_count(len(STUDIES))

"""The PRISMA flow diagram as readers meet it in real Chromium: its text, its accessible name,
axe in both colour schemes, the phone's scrolling frame, and print (issue 31)."""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from conftest import mkdocs_build

from .conftest import _Quiet

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "systematic"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def methods_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The worked example built strictly and served on 127.0.0.1: its Methods page."""
    project = tmp_path_factory.mktemp("systematic") / "review"
    shutil.copytree(FIXTURE, project)
    site = project / "site"
    mkdocs_build(project / "mkdocs.yml", site)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/methods/"
    server.shutdown()
    server.server_close()


def test_the_diagram_reads_as_text_and_as_one_named_image(page: Page, methods_url: str) -> None:
    page.goto(methods_url)
    image = page.get_by_role("img", name="PRISMA 2020 flow diagram")
    expect(image).to_be_visible()
    expect(
        page.locator("svg.lr-prisma-svg text", has_text=re.compile(r"Records screened \(n\s=\s350\)"))
    ).to_be_visible()
    expect(page.locator("svg.lr-prisma-svg text", has_text="Wrong population")).to_have_count(2)
    description = page.locator("svg.lr-prisma-svg desc").text_content() or ""
    assert "Reports of new included studies" in description
    download = page.locator("figure.lr-prisma a.lr-download")
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == "prisma-flow.svg"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_and_the_theme_colours_the_diagram(
    page: Page, methods_url: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(methods_url)
    result = Axe().run(page, context="figure.lr-prisma")  # the theme's own furniture is not ours
    serious = [v for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, result.generate_report()
    colours = page.evaluate(
        """() => {
        const text = document.querySelector('.lr-prisma-box text');
        const box = document.querySelector('.lr-prisma-box rect');
        return [getComputedStyle(text).fill, getComputedStyle(box).fill,
                getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor];
    }"""
    )
    text_fill, box_fill, body_color, body_background = colours
    assert text_fill == body_color  # the page's text colour, in either scheme
    assert box_fill == body_background


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def test_on_a_phone_the_diagram_scrolls_in_its_frame(phone: Page, methods_url: str) -> None:
    phone.goto(methods_url)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    frame = phone.locator(".lr-prisma-frame")
    width, visible = frame.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width > visible
    frame.evaluate("e => { e.scrollLeft = 300; }")
    assert frame.evaluate("e => e.scrollLeft") == 300
    size = phone.locator("svg.lr-prisma-svg text").first.evaluate("e => e.getBoundingClientRect().height")
    assert size >= 9  # legible, not shrunk to the phone's width


def test_print_shows_the_whole_diagram_without_the_download(page: Page, methods_url: str) -> None:
    page.goto(methods_url)
    page.emulate_media(media="print")
    expect(page.locator("figure.lr-prisma a.lr-download")).to_be_hidden()
    frame = page.locator(".lr-prisma-frame")
    width, visible = frame.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width <= visible + 1
    expect(page.locator("svg.lr-prisma-svg text", has_text="Total studies included")).to_be_visible()

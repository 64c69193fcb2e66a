"""The review as readers use it, in real Chromium: search, citations, cross-links, keyboard,
phone, dark mode, print, accessibility, and a clean offline load."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from litreview.core.crosslinks.taxonomy import load as load_taxonomy

from .conftest import one_page

ROOT = Path(__file__).resolve().parents[2]

PAGE_TYPES = {
    "home": "",
    "section": "description/facet-joint-arthropathy/",
    "references": "references/",
    "concepts": "concepts/",
    "map": "map/",
}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def reader(browser: Browser) -> Iterator[Page]:
    """One desktop page for the module's tests that load a page and look: each goes where it
    looks (a page of its own was a new context per test, the better part of their cost)."""
    with one_page(browser, viewport=DESKTOP, color_scheme="light") as page:
        yield page


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Page]:
    with one_page(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True) as page:
        yield page


@pytest.fixture(scope="module")
def printed(browser: Browser) -> Iterator[Page]:
    """A page as the browser prints it."""
    with one_page(browser, viewport=DESKTOP) as page:
        page.emulate_media(media="print")
        yield page


def _path(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _page_by_page(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(href, what)`` pairs in page order: each page loads once, and the links into it after
    the first are fragment navigations within it (a full load per link was most of these tests)."""
    return sorted(links, key=lambda link: (urlsplit(link[0])._replace(fragment="").geturl(), link))


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("radiofrequency ablation", "description/facet-joint-arthropathy/"),
        ("central sensitization", "description/post-surgical-pain/"),
        ("spondylolisthesis", "description/spondylolisthesis/"),
        ("Pergolizzi", "references/"),  # an author's family name
        ("neuroinflammation", "concepts/"),  # a synonym of the concept "Inflammation"
    ],
)
def test_search_puts_the_right_page_in_the_first_three(
    reader: Page, site_url: str, query: str, expected: str
) -> None:
    page = reader
    results = page.locator(".md-search-result__list > .md-search-result__item > a")
    box = page.locator("input.md-search__input")
    if page.url != site_url:  # the queries share one load of the home page and its index
        page.goto(site_url)
    if not box.evaluate("e => e === document.activeElement"):
        page.keyboard.press("/")
    box.fill("")
    expect(results).to_have_count(0)  # no results of the query before
    page.keyboard.type(query)
    expect(results.first).to_be_visible()
    page.wait_for_function(  # the results of the whole query, not of a prefix typed on the way
        "q => [...document.querySelectorAll('.md-search-result__item > a')]"
        ".some(a => (new URL(a.href).searchParams.get('h') || '').toLowerCase() === q)",
        arg=query.lower(),
    )
    pages: list[str] = []
    for href in results.evaluate_all("els => els.map(e => e.href)"):
        if _path(href) not in pages:
            pages.append(_path(href))
    assert expected in pages[:3], pages


# --- citations -------------------------------------------------------------------------------


def test_hover_and_focus_show_the_full_reference(reader: Page, site_url: str) -> None:
    page = reader
    page.goto(site_url + PAGE_TYPES["section"])
    cite = page.locator(".lr-cite-link").first
    cite.hover()
    tooltip = page.locator(".lr-tooltip[role=tooltip]")
    expect(tooltip).to_contain_text("Pergolizzi")
    expect(tooltip).to_contain_text("Facet joint")
    expect(cite).to_have_attribute("aria-describedby", "lr-tooltip")  # screen readers get it too
    page.mouse.move(0, 0)
    expect(tooltip).to_have_count(0)
    cite.focus()
    expect(tooltip).to_contain_text("Pergolizzi")
    page.keyboard.press("Escape")
    expect(tooltip).to_have_count(0)


def test_clicking_a_citation_reaches_the_reference(reader: Page, site_url: str) -> None:
    page = reader
    page.goto(site_url + PAGE_TYPES["section"])
    page.locator(".lr-cite-link").first.click()
    expect(page).to_have_url(re.compile(r"#ref-pergolizzi2020$"))  # waits: the address follows the click
    target = page.locator("#ref-pergolizzi2020")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("Facet joint osteoarthritis")


# --- cross-links: cited in, concept index, map -----------------------------------------------


def _mentions(text: str, names: tuple[str, ...]) -> bool:
    from litreview.core.source.terms import first_mention

    return first_mention(text, names) is not None


_CONCEPT_LINKS = """() => [...document.querySelectorAll('h3.lr-concept')].flatMap(h => {
  const out = [];
  for (let n = h.nextElementSibling; n && !n.matches('h2, h3'); n = n.nextElementSibling) {
    if (n.matches('ul.lr-places')) n.querySelectorAll("a[href*='#lr-p']").forEach(a => out.push([h.id, a.href]));
  }
  return out;
})"""


_LAND = """async links => {
  const out = [];
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const shown = e => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  for (const [href, [relation, name]] of links) {
    location.href = href;  // the link followed: a navigation to its fragment in the page
    await frame();
    const p = document.getElementById(new URL(href).hash.slice(1));
    const r = p.getBoundingClientRect();
    const cite = relation === 'cites' && p.querySelector(`.lr-cite-link[data-lr-key="${CSS.escape(name)}"]`);
    out.push([r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
              p.innerText, !!cite && shown(cite)]);
  }
  return out;
}"""
"""Follows each of one page's links in turn, in the page: for each, whether its paragraph is
in the viewport (as to_be_in_viewport sees it), its text, and whether the first citation of
the work it says is cited there is visible (an evaluate per page where a round of Playwright
calls per link was most of the test's time)."""


def test_cited_in_concept_index_and_map_links_land_on_their_paragraphs(reader: Page, site_url: str) -> None:
    """The References page's "cited in" links land on a paragraph that cites the work; the
    concept index's and the map's on a paragraph that discusses the concept. The links of all
    three go page by page, so each section page loads once for all the links into it."""
    page = reader
    taxonomy = load_taxonomy(ROOT / "taxonomy.yml", "taxonomy.yml")
    page.goto(site_url + PAGE_TYPES["references"])
    cited = page.locator(".lr-cited-in a").evaluate_all(
        "els => els.map(a => [a.href, a.closest('[id^=ref-]').id.slice(4)])"
    )
    assert len(cited) >= 20
    targets: list[tuple[str, str]] = []
    page.goto(site_url + PAGE_TYPES["concepts"])
    for cid, href in page.evaluate(_CONCEPT_LINKS):
        targets.append((cid.removeprefix("c-"), href))
    page.goto(site_url + PAGE_TYPES["map"])
    for cid, href in page.locator("td.lr-hit a").evaluate_all(
        "els => els.map(a => { const td = a.closest('td'); const table = td.closest('table');"
        " const th = table.querySelectorAll('thead th')[td.cellIndex]; return [th.querySelector('a').hash.slice(3), a.href]; })"
    ):
        targets.append((cid, href))
    assert len(targets) >= 60
    links = [(href, f"cites {key}") for href, key in cited] + [
        (href, f"discusses {cid}") for cid, href in targets
    ]
    by_page: dict[str, list[tuple[str, str]]] = {}
    for href, what in _page_by_page(links):
        by_page.setdefault(urlsplit(href)._replace(fragment="").geturl(), []).append((href, what))
    for into in by_page.values():
        page.goto(into[0][0])  # the page loads once, at its first link
        landed = page.evaluate(_LAND, [[href, what.split(" ", 1)] for href, what in into])
        for (href, what), (in_view, text, cite_shown) in zip(into, landed, strict=True):
            assert in_view, href
            relation, name = what.split(" ", 1)
            if relation == "cites":
                assert cite_shown, (name, href)
            else:
                assert _mentions(text, taxonomy.concepts[name].names), (name, href)


# --- keyboard --------------------------------------------------------------------------------


def _tab_until(page: Page, predicate: str, limit: int = 120) -> bool:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!e && ({predicate}); }}"):
            return True
    return False


def test_keyboard_reaches_search_citations_and_references(reader: Page, site_url: str) -> None:
    page = reader
    page.goto(site_url + PAGE_TYPES["section"])
    assert _tab_until(page, "e.matches('input.md-search__input')"), "search box not reachable by Tab"
    page.keyboard.press("Escape")
    page.goto(site_url + PAGE_TYPES["section"])
    assert _tab_until(page, "e.matches('.lr-cite-link')"), "no citation reachable by Tab"
    expect(page.locator(".lr-tooltip")).to_contain_text("Pergolizzi")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#ref-[^#/]+$"))  # waits: read at once, it raced the key (CI)
    page.goto(site_url + PAGE_TYPES["section"])
    assert _tab_until(page, "e.matches('a') && e.pathname.endsWith('/references/')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/references/"))


# --- phone -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_phone_has_no_horizontal_scroll(phone: Page, site_url: str, kind: str) -> None:
    phone.goto(site_url + PAGE_TYPES[kind])
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{kind}: page is {width}px wide"


def test_phone_navigation_drawer(phone: Page, site_url: str) -> None:
    phone.goto(site_url)
    drawer = phone.locator("nav.md-nav--primary")
    expect(drawer).not_to_be_in_viewport()
    phone.locator("label.md-header__button[for='__drawer']").click()
    expect(drawer).to_be_in_viewport()
    phone.locator("nav.md-nav--primary a.md-nav__link", has_text="Conclusion").first.click()
    phone.wait_for_url(re.compile(r"/conclusion/$"))


def test_phone_matrix_scrolls_in_its_own_box(phone: Page, site_url: str) -> None:
    phone.goto(site_url + PAGE_TYPES["map"])
    box = phone.locator(".lr-matrix-wrap").first
    sizes = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1]
    box.evaluate("e => { e.scrollLeft = 200; }")
    assert box.evaluate("e => e.scrollLeft") == 200
    header = box.locator("tbody th").first
    assert (
        header.evaluate(
            "e => e.getBoundingClientRect().left - e.closest('.lr-matrix-wrap').getBoundingClientRect().left"
        )
        <= 2
    )
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


# --- dark mode, accessibility, clean load, print ----------------------------------------------


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_a_page_loads_clean_reads_in_contrast_and_axe_finds_nothing_serious(
    reader: Page, site_url: str, kind: str
) -> None:
    """One load of each page type in the light palette: nothing but the local server is asked,
    nothing fails (the search worker and its index included), axe finds no serious violation
    and no text below contrast (the rule's findings of any impact)."""
    page = reader
    errors: list[str] = []
    host = urlsplit(site_url).netloc
    listeners: dict[str, Callable[[Any], None]] = {
        "console": lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        "pageerror": lambda e: errors.append(f"page error: {e}"),
        "requestfailed": lambda r: errors.append(f"failed: {r.url}"),
        "response": lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
        "request": lambda r: (
            errors.append(f"other host: {r.url}") if urlsplit(r.url).netloc != host else None
        ),
    }
    for event, listener in listeners.items():
        page.on(event, listener)  # type: ignore[call-overload]
    try:
        page.goto(site_url + PAGE_TYPES[kind])
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "default"
        result = Axe().run(page)
        serious = [v for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, result.generate_report()
        contrast = [v for v in result.response["violations"] if v["id"] == "color-contrast"]
        assert not contrast, result.generate_report()
        page.keyboard.press("/")
        page.keyboard.type("pain")  # the search worker and its index load too
        expect(page.locator(".md-search-result__item").first).to_be_visible()
        assert errors == []
    finally:
        page.goto("about:blank")  # what leaving the page cancels is not the next page's
        for event, listener in listeners.items():
            page.remove_listener(event, listener)


@pytest.fixture(scope="module")
def dark(browser: Browser) -> Iterator[Page]:
    with one_page(browser, viewport=DESKTOP, color_scheme="dark") as page:
        yield page


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_text_contrast_in_the_dark_palette(dark: Page, site_url: str, kind: str) -> None:
    dark.goto(site_url + PAGE_TYPES[kind])
    assert dark.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
    result = Axe().run(dark, options={"runOnly": ["color-contrast"]})
    assert result.violations_count == 0, result.generate_report()


def test_print_hides_navigation_and_keeps_the_references(printed: Page, site_url: str) -> None:
    page = printed
    page.goto(site_url + PAGE_TYPES["section"])
    for hidden in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer", "nav.lr-crosslinks"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("#page-references")).to_be_visible()
    expect(page.locator("ol.lr-references li").first).to_contain_text("Pergolizzi")
    page.goto(site_url + PAGE_TYPES["references"])
    expect(page.locator("ol.lr-references")).to_be_visible()
    assert page.locator("ol.lr-references > li").count() == 10
    expect(page.locator("details.lr-bibtex").first).to_be_hidden()  # BibTeX is for screens
    expect(page.locator(".lr-downloads").first).to_be_hidden()


def _after(page: Page, selector: str) -> str:
    content: str = page.eval_on_selector(selector, "el => getComputedStyle(el, '::after').content")
    return content


def test_print_reads_as_the_article_links_as_text(printed: Page, site_url: str) -> None:
    """Issue 16: the browser's print keeps the article's look: no web furniture, links on paper
    as plain text or with their address, headings kept with what follows."""
    page = printed
    page.goto(site_url + PAGE_TYPES["home"])
    for hidden in (".md-content__button", ".md-top", ".headerlink", "details.lr-cite-as", ".lr-section-link"):
        if page.locator(hidden).count():
            expect(page.locator(hidden).first).to_be_hidden()
    licence = ".lr-article-meta a[href='https://creativecommons.org/licenses/by/4.0/']"
    assert _after(page, licence) == '" <https://creativecommons.org/licenses/by/4.0/>"'
    citation = "a.lr-cite-link"
    assert _after(page, citation) in ("none", "normal")  # a citation's number, not an address
    colour = page.eval_on_selector(citation, "el => getComputedStyle(el).color")
    text = page.eval_on_selector(citation, "el => getComputedStyle(el.closest('p')).color")
    assert colour == text
    assert page.eval_on_selector("h2", "el => getComputedStyle(el).breakAfter") == "avoid-page"
    page.goto(site_url + PAGE_TYPES["references"])
    doi_or_url = "ol.lr-references a.lr-doi, ol.lr-references a.lr-url"
    if page.locator(doi_or_url).count():
        assert _after(page, doi_or_url) in ("none", "normal")  # it shows its address already


# --- artefacts: look at them -----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_screenshots(browser: Browser, site_url: str, artifacts: Path, kind: str) -> None:
    for name, viewport, scheme in (
        ("desktop", DESKTOP, "light"),
        ("mobile", PHONE, "light"),
        ("desktop-dark", DESKTOP, "dark"),
    ):
        context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
        shot = context.new_page()
        shot.goto(urljoin(site_url, PAGE_TYPES[kind]))
        shot.wait_for_load_state("networkidle")
        path = artifacts / f"{kind}-{name}.png"
        shot.screenshot(path=str(path), full_page=True)
        context.close()
        assert path.stat().st_size > 10_000

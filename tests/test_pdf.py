"""The PDF of the whole review (issue 16, part 3), read back with pypdf.

The review's own PDF is checked against the article's text (tests/article.py), not against
the pages it was made from: every paragraph in order with its citations, the ten references,
the bookmarks, page numbers, links that land, embedded fonts, the paper size.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import Destination

from article import TEXT, parts, reference_list
from cli_process import base_project
from conftest import build_in_process, mkdocs_build
from litreview.core.printing import compose

NAME = "spinal-neuropathic-pain.pdf"
SECTIONS = [
    "Lumbar spinal stenosis",
    "Degenerative disc disease and vertebral fractures",
    "Intervertebral disc degeneration",
    "Spinal cord injury",
    "Facet joint arthropathy",
    "Spinal tumors",
    "Post-surgical pain and central sensitization",
    "Spondylolisthesis",
    "Genetic and epigenetic factors in disc herniation",
    "Neuromodulation for refractory pain",
]


def _flat(text: str) -> str:
    """One line of text; a line that ends in a word's hyphen ("intra-⏎articular") runs on."""
    text = re.sub(r"(?<=\w-)\n(?=\w)", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def pdf(built_site: Path) -> PdfReader:
    return PdfReader(built_site / NAME)


@pytest.fixture(scope="module")
def pages(pdf: PdfReader) -> list[str]:
    return [_flat(page.extract_text()) for page in pdf.pages]


def _body(pages: list[str]) -> str:
    """The text without the page-number footers."""
    total = len(pages)
    return " ".join(re.sub(rf"\s*\b{i} / {total}$", "", text) for i, text in enumerate(pages, 1))


def test_every_paragraph_of_the_article_is_there_in_order_with_its_citations(pages: list[str]) -> None:
    text = _body(pages)
    at = 0
    count = 0
    for part in ("Introduction", "Description", "Conclusion"):
        for paragraph in parts()[part]:
            cites = "".join(f" [{n}]" for n in paragraph.cites)
            wanted = _flat(paragraph.text) + (f"{cites}" if cites else "")
            found = text.find(wanted, at)
            assert found >= 0, f"not found after offset {at}: {wanted[:80]}…"
            at = found + len(wanted)
            count += 1
    assert count == sum(len(p) for p in parts().values()) >= 21


def test_citations_one_to_ten_are_there_and_the_list_has_ten_entries(pages: list[str]) -> None:
    text = _body(pages)
    head, _, listing = text.partition(" References [1] ")
    assert listing, "no reference list starting at [1]"
    assert all(f"[{n}]" in head for n in range(1, 11))
    entries = re.split(r"\s*\[(\d+)\]\s+", "[1] " + listing)[1:]
    numbers = [int(n) for n in entries[0::2]]
    assert numbers[:10] == list(range(1, 11))
    for ref, entry in zip(reference_list(), entries[1::2], strict=False):
        assert ref.title in entry and ref.authors[0] in entry and ref.year in entry


def test_the_title_block_then_the_back_matter_as_the_article_has_them(pages: list[str]) -> None:
    first = pages[0]
    article = TEXT.read_text(encoding="utf-8")
    assert first.startswith(article.strip().splitlines()[0].strip())
    for wanted in (
        "Natalia V. Ivanova",
        "Department of Vertebrology, Moscow Research Institute of Traumatology, Moscow, Russia",
        "J Spine 14 (2025):725",
        "doi:10.37421/2165-7939.2025.14.725",
    ):
        assert wanted in first
    text = _body(pages)
    order = [
        "Conclusion",
        "Acknowledgement None.",
        "Conflict of Interest None.",
        "References [1]",
        "How to cite",
    ]
    places = [text.find(w) for w in order]
    assert -1 not in places and places == sorted(places), dict(zip(order, places, strict=True))
    assert "Ivanova, Natalia V. “Spinal Neuropathic Pain" in text[places[-1] :]
    assert "Creative Commons Attribution" in text[places[-1] :]  # the licence


def test_no_web_furniture_in_print(pages: list[str]) -> None:
    text = _body(pages)
    for furniture in (
        "Edit this page",
        "Related sections",
        "Concepts:",
        "Cited in",
        "BibTeX",
        "Download",
        "¶",
        "→",
    ):
        assert furniture not in text, furniture


def _outline(items: list[object], depth: int = 0) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for item in items:
        if isinstance(item, list):
            out += _outline(item, depth + 1)
        else:
            assert isinstance(item, Destination)
            out.append((depth, str(item.title)))
    return out


def test_the_outline_has_every_part_and_section(pdf: PdfReader) -> None:
    outline = _outline(pdf.outline)
    title = TEXT.read_text(encoding="utf-8").strip().splitlines()[0].strip()
    assert outline[0] == (0, title)
    parts_ = [(1, "Introduction"), (1, "Description"), *[(2, s) for s in SECTIONS], (1, "Conclusion")]
    assert outline[1 : 1 + len(parts_)] == parts_
    rest = outline[1 + len(parts_) :]
    assert (1, "References") in rest and (2, "How to cite") in rest
    assert rest.index((1, "References")) < rest.index((2, "How to cite"))
    # and each bookmark opens its own page: sections in order, never backwards
    numbers = [pdf.get_destination_page_number(d) for d in _destinations(pdf.outline)]
    assert numbers == sorted(numbers)


def _destinations(items: list[object]) -> list[Destination]:
    out: list[Destination] = []
    for item in items:
        out += _destinations(item) if isinstance(item, list) else [item]  # type: ignore[list-item]
    return out


def test_page_numbers_on_every_page(pages: list[str]) -> None:
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert text.endswith(f"{number} / {len(pages)}"), text[-40:]


def test_citations_link_to_the_reference_list_and_links_out_work(pdf: PdfReader, pages: list[str]) -> None:
    named = pdf.named_destinations
    listing = next(i for i, text in enumerate(pages) if " References [1] " in f" {text}")
    internal, external = [], []
    for page in pdf.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if "/Dest" in link:
                internal.append(str(link["/Dest"]))
            elif "/A" in link and link["/A"].get("/S") == "/URI":
                external.append(str(link["/A"]["/URI"]))
    to_refs = [d for d in internal if d.startswith("/ref-") or d.startswith("ref-")]
    assert len(to_refs) >= 20  # each work cited in the Introduction and in its section
    for dest in set(internal):
        key = dest if dest.startswith("/") else "/" + dest
        assert key in named or dest in named, f"{dest} lands nowhere"
    for dest in to_refs:
        target = named.get(dest) or named[dest.lstrip("/")]
        assert pdf.get_destination_page_number(target) in (listing, listing + 1)
    assert "https://doi.org/10.37421/2165-7939.2025.14.725" in external
    assert "https://creativecommons.org/licenses/by/4.0/" in external
    assert not any(u.startswith("file:") or u.startswith("http://127.") for u in external)


def test_every_font_is_embedded(pdf: PdfReader) -> None:
    seen = 0
    for page in pdf.pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            for each in [font, *(d.get_object() for d in font.get("/DescendantFonts") or [])]:
                if each.get("/Subtype") == "/Type3":
                    continue  # drawn by the PDF itself
                descriptor = each.get("/FontDescriptor")
                if descriptor is None:
                    continue  # a Type0 font's descriptor is on its descendant
                descriptor = descriptor.get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), each.get("/BaseFont")
                seen += 1
    assert seen >= 3


def test_a4_by_default_and_the_pages_link_to_it(pdf: PdfReader, built_site: Path) -> None:
    box = pdf.pages[0].mediabox  # A4 is 595.3 × 841.9 pt; Chromium rounds to whole pixels
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert (
        f'<meta name="citation_pdf_url" content="https://litreview.github.io/spinal-neuropathic-pain/{NAME}">'
        in home
    )
    assert f'class="lr-download" href="{NAME}" download>Download the PDF of the whole review</a>' in home
    section = (built_site / "description" / "spinal-tumors" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="../../{NAME}" class="md-header__button md-icon lr-pdf-link"' in section


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_pages_render_as_pictures(built_site: Path, tmp_path: Path) -> None:
    """pdftoppm draws the title page and the last page (the by-eye look is in the closing note)."""
    last = len(PdfReader(built_site / NAME).pages)
    for number in (1, last):
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", str(number), "-l", str(number), "-singlefile",
             str(built_site / NAME), str(tmp_path / f"p{number}")],
            check=True, capture_output=True,
        )  # fmt: skip
        picture = (tmp_path / f"p{number}.png").read_bytes()
        assert picture.startswith(b"\x89PNG") and len(picture) > 2000


def _small_review(tmp_path: Path, options: str) -> Path:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "      bibliography: refs.bib\n", f"      bibliography: refs.bib\n{options}"
    )
    config.write_text(text, encoding="utf-8")
    return project


def test_letter_paper_and_a_name_from_the_site_name(tmp_path: Path) -> None:
    project = _small_review(tmp_path, "      pdf: true\n      pdf_paper: Letter\n")
    proc = mkdocs_build(project / "mkdocs.yml", tmp_path / "site")
    made = tmp_path / "site" / "check-fixture.pdf"
    assert made.is_file(), proc.stderr
    assert f"PDF of the review written to {made}" in proc.stderr
    reader = PdfReader(made)
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 612) < 2 and abs(float(box.height) - 792) < 2
    titles = [t for _d, t in _outline(reader.outline)]
    assert titles[:2] == ["Check fixture", "Sections"] or "Sections" in titles


_DATES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[^)]*\)")
_PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="{}"/></svg>'


def test_an_unchanged_review_is_not_printed_again(tmp_path: Path) -> None:
    """Issue 30: printing is most of a build with ``pdf: true``. A build whose document and
    every site file the print read are as the last print found them keeps that PDF, dated anew
    under SOURCE_DATE_EPOCH, and starts no browser; a picture the print read that changed
    prints it again. Two prints of one review at one date are the same bytes (a build without
    the cache, as in CI, prints every time)."""
    from litreview.core.printing import engine

    found = engine.find()
    assert isinstance(found, engine.Engine) and found.executable, found
    launches, browser = tmp_path / "launches", tmp_path / "browser"
    browser.write_text(  # counts the launches to print, not the key's `--version`
        f'#!/bin/sh\n[ "$1" = --version ] || echo launched >> "{launches}"\nexec "{found.executable}" "$@"\n'
    )
    browser.chmod(0o755)
    project = _small_review(tmp_path / "p", "      pdf: true\n")
    (project / "docs" / "pic.svg").write_text(_PICTURE.format("red"), encoding="utf-8")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n![A picture](pic.svg)\n", encoding="utf-8")

    def build(n: int, epoch: str) -> tuple[str, bytes]:
        env = {"LITREVIEW_CHROMIUM": str(browser), "SOURCE_DATE_EPOCH": epoch}
        proc = mkdocs_build(project / "mkdocs.yml", tmp_path / f"site{n}", extra_env=env)
        return proc.stderr, (tmp_path / f"site{n}" / "check-fixture.pdf").read_bytes()

    def started() -> int:
        return launches.read_text(encoding="utf-8").count("launched") if launches.exists() else 0

    log, first = build(1, "1751241600")
    assert started() == 1 and "not printed again" not in log
    log, second = build(2, "1751328000")
    assert started() == 1, log
    assert (
        "PDF of the review written to" in log and "unchanged since the last build, not printed again" in log
    )
    assert _DATES.sub(b"", second) == _DATES.sub(b"", first) and second != first
    assert b"/CreationDate (D:20250701000000+00'00')" in second
    (project / "docs" / "pic.svg").write_text(_PICTURE.format("blue"), encoding="utf-8")
    log, third = build(3, "1751328000")
    assert started() == 2 and "not printed again" not in log
    assert _DATES.sub(b"", third) != _DATES.sub(b"", second)
    (project / "docs" / "pic.svg").write_text(_PICTURE.format("red"), encoding="utf-8")
    log, fourth = build(4, "1751241600")  # the kept print is the blue one's: printed again, as the first
    assert started() == 3 and fourth == first


def test_a_long_list_is_numbered_as_the_citations_are(tmp_path: Path) -> None:
    """Past render.LONG_LIST works the list writes its numbers out, in parts: the PDF reads
    [1]...[320] in order, once each, as a short list's markers do (not "[1] 1." nor "1.")."""
    from browser.many_works import generate

    works = generate(tmp_path, count=320, sections=4)
    config = tmp_path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "page_references: false\n", "page_references: false\n      pdf: true\n"
    )
    config.write_text(text, encoding="utf-8")
    proc = mkdocs_build(config, tmp_path / "site")
    made = tmp_path / "site" / "many-works.pdf"
    assert made.is_file(), proc.stderr
    pages = [_flat(page.extract_text()) for page in PdfReader(made).pages]
    listing = _body(pages)[_body(pages).index("[1] ") :]
    numbers = [int(n) for n in re.findall(r"\[(\d+)\] [A-Z]\. ", listing)]
    assert numbers == list(range(1, len(works) + 1))
    assert not re.search(r"\] \d+\. ", listing)


def test_without_a_browser_the_build_succeeds_and_says_how_to_get_one(tmp_path: Path) -> None:
    project = _small_review(tmp_path, "      pdf: true\n")
    proc = mkdocs_build(
        project / "mkdocs.yml", tmp_path / "site", extra_env={"LITREVIEW_CHROMIUM": str(tmp_path / "none")}
    )
    assert "no PDF of the review" in proc.stderr and "apt-get install chromium" in proc.stderr
    assert not list((tmp_path / "site").glob("*.pdf"))
    assert "lr-pdf" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_the_headless_shell_is_chosen_over_the_full_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Debian's chromium-headless-shell (what Playwright itself uses headless) prints the same
    PDF as chromium for about 30% less CPU a page: where both are installed it is the one used."""
    from litreview.core.printing import engine

    for name in ("chromium", "chromium-headless-shell", "google-chrome"):
        (tmp_path / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("LITREVIEW_CHROMIUM", raising=False)
    assert engine.find() == engine.Engine(str(tmp_path / "chromium-headless-shell"))
    (tmp_path / "chromium-headless-shell").unlink()
    assert engine.find() == engine.Engine(str(tmp_path / "chromium"))


def test_a_browser_that_fails_fails_the_build_with_a_message(tmp_path: Path) -> None:
    project = _small_review(tmp_path, "      pdf: true\n")
    proc = mkdocs_build(
        project / "mkdocs.yml", tmp_path / "site", extra_env={"LITREVIEW_CHROMIUM": "/bin/false"}, check=False
    )
    assert proc.returncode == 1
    assert "litreview: the PDF of the review could not be printed" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_off_unless_asked(tmp_path: Path) -> None:
    project = _small_review(tmp_path, "")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    assert not list((tmp_path / "site").glob("*.pdf"))


# -- the composer alone ------------------------------------------------------------------


def _page(body: str) -> str:
    return (
        f'<html><body><header>nav</header><article class="md-content__inner">{body}</article></body></html>'
    )


_SHORT = '<ol class="lr-references lr-bibliography-list"><li id="ref-a">A.</li></ol>'


def _compose(*pages: tuple[str, str, str], site_url: str = "", listing: str = _SHORT) -> str:
    made = [compose.Part(url, _page(body), group) for url, body, group in pages]
    refs = compose.Part("references/", _page(f"<h1>References</h1>{listing}"))
    return compose.compose(made, refs, publication=None, site_url=site_url, title="T", language="en", css="")


def test_ids_stay_unique_and_links_land_in_the_one_document() -> None:
    html = _compose(
        (
            "",
            '<h1 id="t">T</h1><p id="lr-p1">Intro <a href="sec/b/#lr-p1">b</a> <a href="#ref-a">1</a></p>',
            "",
        ),
        (
            "sec/b/",
            '<h1 id="b">B</h1><p id="lr-p1">Body <a href="../../#t">top</a> <a href="../../map/">map</a></p>',
            "S",
        ),
    )
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'href="#part1-lr-p1"' in html and 'href="#ref-a"' in html and 'href="#part0-t"' in html
    assert "map</a>" not in html and "map" in html  # a page left out, with no address: plain text
    assert "<h3" in html and "<h2>S</h2>" in html  # a grouped page's title sits under its group


def test_a_long_list_in_parts_is_the_documents_reference_list() -> None:
    """Past render.LONG_LIST works the list is a div of parts (render._long_list): all of it is kept."""
    parts = "".join(
        f'<ol class="lr-part" role="none"><li role="listitem" id="ref-{k}"><span class="lr-n">{n}.</span> {k}</li></ol>'
        for n, k in enumerate("ab", start=1)
    )
    listing = f'<div class="lr-references lr-bibliography-list lr-long" role="list">{parts}</div>'
    html = _compose(("", '<p><a href="references/#ref-b">2</a></p>', ""), listing=listing)
    section = html[html.index('<section class="lr-print-references"') :]
    assert section.count('class="lr-part"') == 2 and 'id="ref-a"' in section and 'id="ref-b"' in section
    assert 'href="#ref-b"' in html


def test_a_page_left_out_is_linked_on_the_web_when_the_site_has_an_address() -> None:
    html = _compose(("", '<p>see <a href="map/#x">the map</a></p>', ""), site_url="https://example.org/r/")
    assert 'href="https://example.org/r/map/#x"' in html


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' #.ahrefidpl1")), max_size=200))
def test_any_page_html_gives_a_document(body: str) -> None:
    html = _compose(("", body, ""), ("x/", body, "G"))
    assert html.startswith("<!doctype html>") and html.endswith("</html>")

"""The built site reproduces the article word for word, and references.bib its reference list."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup, Tag

from article import Paragraph, parts, reference_list
from conftest import GENERATORS, ROOT, built_by

KEYS = [
    "deandres2020",
    "bell2023",
    "wang2021",
    "hanling2022",
    "pergolizzi2020",
    "zhang2023",
    "petrov2021",
    "kowalska2022",
    "schmidt2023",
    "dubois2021",
]
SECTIONS = [
    "lumbar-spinal-stenosis",
    "degenerative-disc-disease",
    "intervertebral-disc-degeneration",
    "spinal-cord-injury",
    "facet-joint-arthropathy",
    "spinal-tumors",
    "post-surgical-pain",
    "spondylolisthesis",
    "disc-herniation-genetics",
    "neuromodulation",
]


@pytest.fixture(params=GENERATORS)
def site(request: pytest.FixtureRequest) -> Path:
    """Every fidelity test runs on the MkDocs, the ProperDocs and the Zensical build."""
    return built_by(request)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _article(site: Path, page: str) -> Tag:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner")
    assert article is not None, page
    return article


def _prose(article: Tag) -> list[Tag]:
    """Paragraphs of the page's own text: not navigation links, metadata or reference lists."""
    return [
        p
        for p in article.find_all("p")
        if not p.find_parent(class_=["lr-article-meta", "admonition", "lr-references"])
        and not p.select_one("a.lr-section-link")
    ]


def _text_without_citations(p: Tag) -> str:
    clone = BeautifulSoup(str(p), "html.parser")
    for cite in clone.select(".lr-cite"):
        cite.decompose()
    return _norm(clone.get_text())


def _cited_keys(p: Tag) -> list[str]:
    keys = [a["data-lr-key"] for a in p.select("a.lr-cite-link[data-lr-key]")]
    return keys or re.findall(r"@([\w:.#$%&+?<>~/-]+)", p.get_text())


def _assert_paragraphs_in_order(found: list[Tag], expected: list[Paragraph], where: str) -> None:
    texts = [_text_without_citations(p) for p in found]
    pos = 0
    for i, para in enumerate(expected, 1):
        want = _norm(para.text)
        try:
            pos = texts.index(want, pos)
        except ValueError:
            pytest.fail(f"{where}: paragraph {i} is missing or out of order: {want[:80]}...")
        assert _cited_keys(found[pos]) == [KEYS[n - 1] for n in para.cites], f"{where} paragraph {i}"
        pos += 1


def test_introduction_paragraphs_in_order_each_linking_to_its_section(site: Path) -> None:
    article = _article(site, "index.html")
    _assert_paragraphs_in_order(_prose(article), parts()["Introduction"], "Introduction")
    links = [a["href"] for a in article.select("a.lr-section-link")]
    assert links == [f"description/{s}/" for s in SECTIONS]


def test_each_section_page_shows_its_description_paragraph(site: Path) -> None:
    description = parts()["Description"]
    assert len(description) == len(SECTIONS) == 10
    for slug, para in zip(SECTIONS, description, strict=True):
        article = _article(site, f"description/{slug}/index.html")
        _assert_paragraphs_in_order(_prose(article), [para], slug)


def test_conclusion(site: Path) -> None:
    _assert_paragraphs_in_order(
        _prose(_article(site, "conclusion/index.html")), parts()["Conclusion"], "Conclusion"
    )


def test_home_page_carries_the_article_metadata(site: Path) -> None:
    text = _norm(_article(site, "index.html").get_text())
    for needle in [
        "Spinal Neuropathic Pain: Mechanisms, Challenges, and Future Therapies",
        "Natalia V. Ivanova",
        "Department of Vertebrology, Moscow Research Institute of Traumatology, Moscow, Russia",
        "J Spine",
        "14",
        "2025",
        "725",
        "02-Jun-2025",
        "23-Jun-2025",
        "30-Jun-2025",
        "CC BY 4.0",
        "How to cite",
    ]:
        assert needle in text, needle
    article = _article(site, "index.html")
    assert article.select_one('a[href="https://doi.org/10.37421/2165-7939.2025.14.725"]')


def test_navigation_mirrors_the_article(site: Path) -> None:
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = soup.select_one("nav.md-nav--primary")
    assert nav is not None
    top = [
        _norm(item.select_one(".md-nav__link").get_text())  # type: ignore[union-attr]
        for item in nav.select(":scope > ul > li.md-nav__item")
    ]
    assert top == ["Introduction", "Description", "Conclusion", "Concepts", "Map", "References", "What's new"]
    sections = nav.select(":scope > ul > li:nth-of-type(2) li.md-nav__item > a.md-nav__link")
    assert len(sections) == 10


def _bib() -> dict[str, dict[str, str]]:
    lib = bibtexparser.parse_file(str(ROOT / "references.bib"))
    assert not lib.failed_blocks
    return {e.key: {f.key: str(f.value) for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in lib.entries}


def _given_first(name: str) -> str:
    family, given = (part.strip() for part in name.split(",", 1))
    return f"{given} {family}"


@pytest.mark.parametrize("ref", reference_list(), ids=lambda r: KEYS[r.number - 1])
def test_bibliography_matches_the_article_field_by_field(ref) -> None:  # type: ignore[no-untyped-def]
    entry = _bib()[KEYS[ref.number - 1]]
    assert entry["ENTRYTYPE"] == "article"
    authors = [a.strip() for a in entry["author"].split(" and ")]
    assert all("," in a for a in authors), "authors must be written 'Family, Given'"
    assert tuple(_given_first(a) for a in authors) == ref.authors
    assert entry["title"] == ref.title
    assert entry["journal"] == ref.journal
    assert entry["year"] == ref.year
    assert entry["volume"] == ref.volume
    assert entry["pages"].replace("--", "-") == ref.pages
    assert "--" in entry["pages"] or "-" not in ref.pages, "page ranges use an en-dash (--)"
    assert "doi" not in entry, "the article gives no DOIs for its references"


def test_bibliography_has_exactly_the_articles_references() -> None:
    bib = _bib()
    assert len(reference_list()) == 10
    assert sorted(bib) == sorted(KEYS)
    assert all(re.fullmatch(r"[a-z]+\d{4}", k) for k in bib)
    (ROOT / "references.bib").read_bytes().decode("utf-8")  # UTF-8, or this raises


def test_names_keep_particles_and_accents() -> None:
    raw = (ROOT / "references.bib").read_text(encoding="utf-8")
    for name in ["De Andrés, Xavier G.", "van der Putten, Michael R. W. T. M.", "Müller, Benedikt"]:
        assert name in raw

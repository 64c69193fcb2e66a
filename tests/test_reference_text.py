"""References as a careful editor writes them (issue 12): no doubled punctuation, e-prints shown
and linked, links in every list, article numbers as pages, preprints without a journal."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import mkdocs_build
from corpora import IRIDIA, IRIDIA_ORDER, corpus
from litreview.core import bibliography as bib
from litreview.core.bibcheck import field_forms, required_fields
from litreview.core.formatting import TemplateFormatter
from litreview.core.render import plain

DOUBLED = re.compile(r"(?<!\.)\.\.(?!\.)|[?!]\.(?!\w)|[,;:]\.")


def _load(tmp_path: Path, text: str) -> dict[str, bib.Reference]:
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    return bib.load([path]).references


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "@article{q, author={Que, Zhiqiang and others}, title={JEDI-Linear}, eprint={2606.13780},"
            " archivePrefix={arXiv}, primaryClass={hep-ph}, year={2026}}",
            'Zhiqiang Que et al. "JEDI-Linear." (2026). arXiv:2606.13780 [hep-ph].',
        ),
        (
            "@article{v, author={Vickers, J.}, title={A}, journal={J}, year=2020}",
            'J. Vickers. "A." J (2020).',
        ),
        ("@article{w, author={Wu, Q.}, title={Why?}, journal={J}, year=2020}", 'Q. Wu. "Why?" J (2020).'),
        (
            "@article{c, author={Bosman, P.}, title={Diversity,}, journal={J}, year=2003}",
            'P. Bosman. "Diversity." J (2003).',
        ),
        (
            "@misc{o, author={Ong, A.}, title={Old}, eprint={hep-ph/0101001}}",
            'A. Ong. "Old." arXiv:hep-ph/0101001.',
        ),
    ],
    ids=["et-al-and-eprint", "initial", "question", "trailing-comma", "old-arxiv"],
)
def test_reference_text(tmp_path: Path, entry: str, expected: str) -> None:
    [ref] = _load(tmp_path, entry).values()
    html = str(TemplateFormatter()(ref))
    assert plain(html) == expected
    if "eprint" in entry:
        assert 'href="https://arxiv.org/abs/' in html


def test_no_doubled_punctuation_in_real_bibliographies() -> None:
    paths = [[IRIDIA / n for n in IRIDIA_ORDER], [corpus("acc-ml-living-review", "livingreview.bib")]]
    formatter = TemplateFormatter()
    for group in paths:
        for ref in bib.load(group).references.values():
            text = plain(str(formatter(ref)))
            assert not DOUBLED.search(text.replace("Co.,", "").replace("Jr.,", "").replace("Inc.,", "")), text


@pytest.mark.parametrize("pages", ["063C03", "04LT05", "e0123", "762587", "3:1--3:29", "S12--S19", "xi--xv"])
def test_article_numbers_are_pages(tmp_path: Path, pages: str) -> None:
    [ref] = _load(
        tmp_path, f"@article{{a, author={{A, B}}, title={{T}}, journal={{J}}, year=2020, pages={{{pages}}}}}"
    ).values()
    assert list(field_forms(ref, 2026)) == []


def test_pages_that_are_no_pages_still_warn(tmp_path: Path) -> None:
    [ref] = _load(
        tmp_path,
        "@article{a, author={A, B}, title={T}, journal={J}, year=2020, pages={158--169 or 496--501}}",
    ).values()
    assert [p.code for p in field_forms(ref, 2026)] == ["BIB016"]


def test_an_arxiv_preprint_needs_no_journal(tmp_path: Path) -> None:
    refs = _load(
        tmp_path,
        "@article{p, author={A, B}, title={T}, eprint={2101.00001}, archivePrefix={arXiv}, year=2021}\n"
        "@article{n, author={A, B}, title={T}, year=2021}\n",
    )
    assert list(required_fields(refs["p"])) == []
    assert [p.message for p in required_fields(refs["n"])] == ["@article 'n' has no journaltitle or journal"]


def test_per_page_lists_link_the_doi_and_url(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", project)
    mkdocs_build(project / "mkdocs.yml", tmp_path / "site")
    soup = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = soup.select(".lr-page-references > ol > li, ol.lr-references > li")
    assert items
    with_doi = [li for li in items if li.select_one("a.lr-doi")]
    assert with_doi, "no per-page entry links its DOI"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("`Pacing' strategies", "‘Pacing’ strategies"),
        ("``Wild'' type", "“Wild” type"),
        ("O'Neil's", "O'Neil's"),
    ],
)
def test_latex_quotes_become_typographic(value: str, text: str) -> None:
    from litreview.core.latex import to_unicode

    assert to_unicode(value) == text

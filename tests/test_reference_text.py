"""References as a careful editor writes them (issue 12): no doubled punctuation, e-prints shown
and linked, links in every list, article numbers as pages, preprints without a journal."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_in_process
from corpora import IRIDIA, IRIDIA_ORDER, corpus
from litreview.core.bibliography import loader as bib
from litreview.core.bibliography.quality import field_forms, required_fields
from litreview.core.references.formatting import TemplateFormatter
from litreview.core.references.reference_html import plain

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


@pytest.mark.parametrize(
    "pages", ["063C03", "04LT05", "e0123", "762587", "3:1--3:29", "S12--S19", "xi--xv", "406.3-406.3"]
)  # 406.3: a numbered conference abstract (deep-review, from Crossref)
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
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
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
    from litreview.core.bibliography.latex_text import to_unicode

    assert to_unicode(value) == text


MANY = (
    "@article{m, author={A, Ann and B, Bo and C, Cy and D, Di and E, Ed}, title={T}, journal={J}, year=2020}"
)


@pytest.mark.parametrize(
    ("et_al", "byline"),
    [
        ((None, 3), "Ann A, Bo B, Cy C, Di D, Ed E."),  # the default: every name, as the article
        ((5, 3), "Ann A, Bo B, Cy C et al."),  # five names reach the threshold
        ((6, 3), "Ann A, Bo B, Cy C, Di D, Ed E."),  # below it: all
        ((3, 1), "Ann A et al."),
    ],
)
def test_names_before_et_al_is_an_option(tmp_path: Path, et_al: tuple[int | None, int], byline: str) -> None:
    [ref] = _load(tmp_path, MANY).values()
    formatter = TemplateFormatter(et_al_min=et_al[0], et_al_use_first=et_al[1])
    assert plain(str(formatter(ref))).startswith(byline + ' "T."')
    assert formatter.style_id != TemplateFormatter(et_al_min=2, et_al_use_first=1).style_id  # cached apart


def test_corporate_authors_in_braces_stay_whole(tmp_path: Path) -> None:
    entry = (
        "@techreport{w, author={{World Health Organization} and {ATLAS Collaboration} and Smith, J.},"
        " title={T}, institution={WHO}, year=2019}"
    )
    [ref] = _load(tmp_path, entry).values()
    assert [p.display for p in ref.people["author"]] == [
        "World Health Organization",
        "ATLAS Collaboration",
        "J. Smith",
    ]
    text = plain(str(TemplateFormatter(et_al_min=3, et_al_use_first=2)(ref)))
    assert text.startswith("World Health Organization, ATLAS Collaboration et al.")


def test_et_al_options_reach_the_build_and_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check runs through ``main`` (its return is the exit status): the subject is the
    option's message; tests/test_cli.py runs ``litreview check`` as a process."""
    from cli_process import check_text

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", project)
    config = project / "mkdocs.yml"
    anchor = "bibliography: [strings.bib, refs.bib]"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(anchor, f"{anchor}\n      et_al_min: 2\n      et_al_use_first: 1"), encoding="utf-8"
    )
    build_in_process(config, tmp_path / "site")
    soup = BeautifulSoup(
        (tmp_path / "site" / "references" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    entry = soup.select_one("#ref-smith2020 .lr-entry")
    assert entry is not None and entry.get_text().startswith('Alice Smith et al. "Pain')
    config.write_text(text.replace(anchor, f"{anchor}\n      et_al_min: 0"), encoding="utf-8")
    status, out, err = check_text(project, monkeypatch, capsys)
    assert status == 2  # a configuration error, as for every CFG005
    assert "litreview 'et_al_min' must be a whole number of names, 1 or more, not 0" in out + err


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (r"$B^0_s \to \mu^+\mu^-$ decays", "B⁰ₛ →μ⁺μ⁻ decays"),
        (r"$\mathcal{O}(\alpha_s^2)$ corrections", "𝒪(αₛ²) corrections"),
        (r"Search for $t\bar{t}H$ at $\sqrt{s} = 13$ TeV", "Search for tt̅H at √s = 13 TeV"),
        (r"$x^{2}$ and $10^{-3}$", "x² and 10⁻³"),
        (r"$\Lambda_b^0$ baryons", "Λ_b⁰ baryons"),  # no subscript b in Unicode: kept readable
        (r"costs \$5 and \$6", "costs $5 and $6"),  # escaped dollars are no math
    ],
)
def test_math_in_titles_reads_as_unicode_without_a_math_setup(title: str, text: str) -> None:
    from litreview.core.bibliography.latex_text import to_unicode

    assert to_unicode(title) == text


def test_math_in_titles_is_left_to_the_sites_math_setup(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", project)
    refs = project / "refs.bib"
    refs.write_text(
        refs.read_text(encoding="utf-8")
        + "\n@article{hep2024, author={Que, Z.}, title={Search for $t\\bar{t}H$ at $\\sqrt{s} = 13$ TeV <b>},"
        " journal={JHEP}, year={2024}}\n",
        encoding="utf-8",
    )
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMath [@hep2024].\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    build_in_process(config, tmp_path / "plain")
    config.write_text(
        text + "\nmarkdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\n", encoding="utf-8"
    )
    build_in_process(config, tmp_path / "math")
    for site, spans in (("plain", 0), ("math", 2)):
        soup = BeautifulSoup(
            (tmp_path / site / "references" / "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        entry = soup.select_one("#ref-hep2024 .lr-entry")
        assert entry is not None and len(entry.select("span.arithmatex")) == spans
        assert not entry.select("b")
        home = BeautifulSoup((tmp_path / site / "index.html").read_text(encoding="utf-8"), "html.parser")
        link = home.select_one('a.lr-cite-link[data-lr-key="hep2024"]')
        assert link is not None and "Search for tt̅H at √s = 13 TeV <b>" in str(link.get("data-lr-tip"))
    math_entry = BeautifulSoup(
        (tmp_path / "math" / "references" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert [s.get_text() for s in math_entry.select("#ref-hep2024 span.arithmatex")] == [
        "\\(t\\bar{t}H\\)",
        "\\(\\sqrt{s} = 13\\)",
    ]


def test_a_url_that_is_the_doi_is_linked_once(tmp_path: Path) -> None:
    """acc-ml gives 135 DOIs also as their doi.org URL; the list showed the same link twice."""
    from litreview.core.references.reference_html import entry_links

    entry = (
        "@article{g, author={Madysa, P.}, title={Geoff}, journal={SoftwareX}, year={2025},"
        " url={ https://doi.org/10.1016/j.softx.2025.102335 }, doi={ 10.1016/J.SOFTX.2025.102335 }}"
    )
    [ref] = _load(tmp_path, entry).values()
    links = BeautifulSoup(str(entry_links(ref)), "html.parser").select("a")
    assert [a.get("href") for a in links] == ["https://doi.org/10.1016/J.SOFTX.2025.102335"]

"""The plugin on a small project that is not the review: strict build, golden HTML, errors.

Regenerate the golden files after an intended change to the output with:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_fixture_site.py

Builds about the output or the findings run in process (conftest.build_outcome, shown to agree
with the CLI in tests/test_inprocess_build.py); a bad bibliography and an unknown CSL style
still run ``mkdocs build`` and ``litreview check`` as processes: their exit status and stderr.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cli_process import litreview
from conftest import build_in_process, build_outcome, mkdocs_build

FIXTURE = Path(__file__).parent / "fixtures" / "site"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture built from a copy, so the build's cache never lands in tests/."""
    work = tmp_path_factory.mktemp("fixture-site")
    shutil.copytree(FIXTURE, work / "project")
    build_in_process(work / "project" / "mkdocs.yml", work / "site")
    return work / "site"


def _main(site: Path, page: str) -> str:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one('div[role="main"]')
    assert main is not None
    return main.decode_contents().strip() + "\n"


@pytest.mark.parametrize(
    ("page", "golden"),
    [
        ("index.html", "fixture-home.html"),
        ("guide/methods/index.html", "fixture-methods.html"),
        ("references/index.html", "fixture-references.html"),
    ],
    ids=["citations-and-page-list", "second-page-global-numbers", "references-page"],
)
def test_rendered_html_matches_golden(fixture_site: Path, page: str, golden: str) -> None:
    html = _main(fixture_site, page)
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(html, encoding="utf-8")
    assert html == path.read_text(encoding="utf-8")


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_numbers_are_global_and_follow_first_citation(fixture_site: Path) -> None:
    home = _soup(fixture_site, "index.html")
    first = [a.get_text() for a in home.select("a.lr-cite-link")][:1]
    assert first == ["1"]
    methods = _soup(fixture_site, "guide/methods/index.html")
    numbers = {a["data-lr-key"]: a.get_text() for a in methods.select("a.lr-cite-link")}
    assert numbers == {"doe2018": "3", "smith2020": "1", "mueller2019": "2", "10.1000/xyz": "4"}


def test_groups_compact_and_locators_show(fixture_site: Path) -> None:
    texts = [" ".join(c.get_text().split()) for c in _soup(fixture_site, "index.html").select(".lr-cite")]
    assert texts[:6] == ["[1]", "[1–3]", "[see 4, p. 1]", "[2, p. 6]", "[3, ch. 2]", "[1–2]"]


def test_narrative_citation_names_the_authors(fixture_site: Path) -> None:
    text = " ".join(_soup(fixture_site, "index.html").get_text().split())
    assert "As Müller et al. [2, p. 6] shows" in text
    methods = " ".join(_soup(fixture_site, "guide/methods/index.html").get_text().split())
    assert "Methods follow Doe [3]" in methods


def test_nothing_outside_prose_becomes_a_citation(fixture_site: Path) -> None:
    home = _soup(fixture_site, "index.html")
    assert "someone@example.org" in home.get_text()
    assert home.select_one("code").get_text() == "[@smith2020]"  # type: ignore[union-attr]
    assert "[@nothing]" in home.select_one("pre").get_text()  # type: ignore[union-attr]
    assert "a literal @handle" in home.get_text()
    assert not home.select('a.lr-cite-link[data-lr-key="nothing"]')


def test_page_list_holds_only_what_the_page_cites(fixture_site: Path) -> None:
    methods = _soup(fixture_site, "guide/methods/index.html")
    keys = [li["id"] for li in methods.select("ol.lr-references > li")]
    assert keys == [
        "ref-smith2020",
        "ref-mueller2019",
        "ref-doe2018",
        "ref-10.1000~2fxyz",
    ]  # "/" spelled: anchors.anchor
    assert [li["value"] for li in methods.select("ol.lr-references > li")] == ["1", "2", "3", "4"]


def test_references_page_back_links_every_citing_paragraph(fixture_site: Path) -> None:
    refs = _soup(fixture_site, "references/index.html")
    entry = refs.select_one("#ref-smith2020")
    assert entry is not None
    hrefs = [a["href"] for a in entry.select(".lr-cited-in a")]
    assert hrefs == [
        "../#lr-p1",
        "../guide/methods/#lr-p1",
        "../guide/methods/#lr-p8",
    ]  # the 8th block: ids follow the page, not the citations
    for href in hrefs:
        page, _, anchor = href.partition("#")
        target = _soup(
            fixture_site, (Path("references") / page / "index.html").as_posix().replace("references/../", "")
        )
        assert target.find(id=anchor) is not None, href
    assert refs.select_one("#ref-uncited2000") is None, "uncited entries are not listed"


def test_references_page_links_doi_and_only_safe_urls(fixture_site: Path) -> None:
    refs = _soup(fixture_site, "references/index.html")
    assert refs.select_one('#ref-smith2020 a.lr-doi[href="https://doi.org/10.1000/pain.2020.1"]')
    assert refs.select_one('#ref-mueller2019 a.lr-url[href="https://example.org/mueller"]')
    assert not refs.select('a[href^="javascript:"]')


def test_bibtex_copy_is_self_contained(fixture_site: Path) -> None:
    refs = _soup(fixture_site, "references/index.html")
    code = refs.select_one("#ref-smith2020 details.lr-bibtex code")
    assert code is not None
    text = code.get_text()
    assert "Smith, Alice and Jones, Bob" in text and "Nat Neurosci" in text
    assert "smithA" not in text and "natneuro" not in text


def test_field_text_is_escaped(fixture_site: Path) -> None:
    for page in ("index.html", "references/index.html"):
        raw = (fixture_site / page).read_text(encoding="utf-8")
        assert "<script>alert" not in raw
        assert "&lt;script&gt;alert" in raw
        soup = _soup(fixture_site, page)
        assert not soup.select("ol.lr-references b, ol.lr-references i")


def test_latex_becomes_unicode(fixture_site: Path) -> None:
    text = _soup(fixture_site, "references/index.html").select_one("#ref-mueller2019 .lr-entry")
    assert text is not None
    assert (
        text.get_text() == 'Claudia Müller, Dara O\'Neil, Ed Zhou. "Glia & neurons: a — short — review." '
        "J Pain 20 (2019):5–9."
    )


def _copy_fixture(tmp_path: Path) -> Path:
    dest = tmp_path / "fixture"
    shutil.copytree(FIXTURE, dest)
    return dest


ERRORS = [
    (
        "unknown-key",
        "Cited [@smith202].",
        "docs/index.md:7:7: error[CIT001] unknown citation key 'smith202'; did you mean 'smith2020'",
    ),
    (
        "case-mismatch",
        "Cited [@Smith2020].",
        "docs/index.md:7:7: error[CIT002] citation key 'Smith2020' differs only in case from entry 'smith2020'",
    ),
    (
        "malformed",
        "Cited [@smith2020; doe2018].",
        "docs/index.md:7:7: error[CIT003] malformed citation: 'doe2018' in a citation group has no @key",
    ),
]


@pytest.mark.parametrize(("line", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_bad_citation_fails_the_strict_build_with_its_position(
    tmp_path: Path, line: str, message: str
) -> None:
    project = _copy_fixture(tmp_path)
    index = project / "docs" / "index.md"
    text = index.read_text(encoding="utf-8").splitlines()
    text.insert(6, line)
    index.write_text("\n".join(text) + "\n", encoding="utf-8")
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")  # the process: the tests below
    assert built.failed
    assert message in built.log
    assert "Traceback" not in built.log


def _with_option(tmp_path: Path, option: str) -> Path:
    """A copy of the fixture with one more plugin option; returns its mkdocs.yml."""
    config = _copy_fixture(tmp_path) / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = "bibliography: [strings.bib, refs.bib]"
    config.write_text(text.replace(anchor, f"{anchor}\n      {option}"), encoding="utf-8")
    return config


def test_bibliography_problem_fails_the_strict_build(tmp_path: Path) -> None:
    project = _copy_fixture(tmp_path)
    (project / "strings.bib").write_text("% no macros now\n", encoding="utf-8")
    proc = mkdocs_build(project / "mkdocs.yml", tmp_path / "site", check=False)
    assert proc.returncode == 1
    assert (
        "refs.bib:2:1: error[BIB004] field 'author' of 'smith2020' uses undefined @string macro 'smithA'"
        in proc.stderr
    )
    assert "Traceback" not in proc.stderr


def test_csl_style_by_name(tmp_path: Path) -> None:
    config = _with_option(tmp_path, "style: american-medical-association")
    build_in_process(config, tmp_path / "site")
    entry = _soup(tmp_path / "site", "references/index.html").select_one("#ref-smith2020 .lr-entry")
    assert entry is not None
    assert (
        entry.get_text()
        == "Smith A, Jones B. Pain pathways in the DNA era. Nat Neurosci. 2020;23:101-110. doi:10.1000/pain.2020.1"
    )
    evil = _soup(tmp_path / "site", "references/index.html").select_one("#ref-evil2022 .lr-entry")
    assert evil is not None and "<script>" in evil.get_text() and not evil.select("script, b")


def test_unknown_csl_style_is_a_clear_error(tmp_path: Path) -> None:
    config = _with_option(tmp_path, "style: no-such-style")
    proc = mkdocs_build(config, tmp_path / "site", check=False)
    assert proc.returncode == 1
    assert "litreview: unknown CSL style 'no-such-style'" in proc.stderr
    assert "Traceback" not in proc.stderr
    checked = litreview(config.parent, "check")  # the check says so first, where it is written
    assert checked.returncode == 2
    line = next(n for n, text in enumerate(config.read_text().splitlines(), 1) if "no-such-style" in text)
    assert f"mkdocs.yml:{line}:1: error[CFG007] unknown CSL style 'no-such-style'" in checked.stderr


def test_validation_setting_applies_to_the_build(tmp_path: Path) -> None:
    """`validation: {CIT001: ignore}` silences the finding in the build as in `litreview check`."""
    config = _with_option(tmp_path, "validation: {CIT001: ignore}")
    page = config.parent / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nCited [@nosuch2020].\n", encoding="utf-8")
    built = build_outcome(config, tmp_path / "site")
    assert not built.failed, built.log
    assert "nosuch2020" not in built.log
    bad = _with_option(tmp_path / "bad", "validation: {NOPE1: warn}")
    built = build_outcome(bad, tmp_path / "site2")
    assert built.failed and "litreview: validation: unknown code 'NOPE1'" in built.log

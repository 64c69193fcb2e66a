"""One configuration for MkDocs and Zensical: the standalone Markdown extension.

Reported: `zensical build` published every citation as raw `[@key]`, and listing
`litreview.markdown_ext` in `markdown_extensions` crashed it (no `makeExtension`).
Zensical runs Markdown extensions, not MkDocs plugins; the extension must do the work alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_in_process
from litreview.standalone import source_link

FIXTURE = Path(__file__).parent / "fixtures" / "site"
ZENSICAL = Path(sys.executable).with_name("zensical")
STUB = (
    '---\ntitle: References\n---\n\n# References\n\n<div class="lr-bibliography" data-lr-slot="site"></div>\n'
)


def _project(tmp_path: Path) -> Path:
    """The fixture with the extension listed for Zensical and a References page stub."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "markdown_extensions:\n", "markdown_extensions:\n  - litreview.markdown_ext\n"
    )
    text = text.replace(
        "  - Guide: guide/methods.md\n", "  - Guide: guide/methods.md\n  - References: references.md\n"
    )
    # Zensical renders Material's templates, not MkDocs' own theme
    config.write_text(text.replace("  name: mkdocs\n", "  name: material\n  font: false\n"), encoding="utf-8")
    (project / "docs" / "references.md").write_text(STUB, encoding="utf-8")
    return project


def _zensical(project: Path) -> Path:
    return _zensical_run(project)[0]


def _zensical_run(project: Path) -> tuple[Path, str]:
    if not ZENSICAL.exists():
        pytest.skip("zensical is not installed (it is in the dev lock)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "scripts")}
    proc = subprocess.run(
        [str(ZENSICAL), "build"], cwd=project, capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    return project / "site", proc.stdout + proc.stderr


def _numbers(site: Path, page: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    return [(str(a.get("data-lr-key")), a.get_text()) for a in soup.select("a.lr-cite-link")]


def test_zensical_renders_what_mkdocs_renders(tmp_path: Path) -> None:
    project = _project(tmp_path)
    mkdocs_site = tmp_path / "mkdocs-site"
    build_in_process(project / "mkdocs.yml", mkdocs_site)  # the plugin takes the extension's place
    zensical_site = _zensical(project)
    for page in ("index.html", "guide/methods/index.html"):
        numbers = _numbers(zensical_site, page)
        assert numbers and numbers == _numbers(mkdocs_site, page), page
        soup = BeautifulSoup((zensical_site / page).read_text(encoding="utf-8"), "html.parser")
        theirs = BeautifulSoup((mkdocs_site / page).read_text(encoding="utf-8"), "html.parser")
        # the literal "[@…]" left are the fixture's code and raw HTML, the same in both
        assert soup.select_one("article").get_text().count("[@") == theirs.select_one(
            "article"
        ).get_text().count("[@")
        link = soup.select_one("a.lr-cite-link")
        assert link is not None and link.get("data-lr-tip")  # the tooltip's text
        assert soup.select_one("script[data-litreview]") is not None  # and its script, inline
        to_bibliography = [a.get("href") for a in soup.select("a.lr-to-bibliography")]
        assert to_bibliography and to_bibliography == [
            a.get("href") for a in theirs.select("a.lr-to-bibliography")
        ]
        listed = [li.get("id") for li in soup.select("ol.lr-references > li")]
        assert listed == [
            li.get("id")
            for li in BeautifulSoup((mkdocs_site / page).read_text(encoding="utf-8"), "html.parser").select(
                "ol.lr-references > li"
            )
        ]
    refs = BeautifulSoup(
        (zensical_site / "references" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    expected = BeautifulSoup(
        (mkdocs_site / "references" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    ids = [li.get("id") for li in refs.select(".lr-bibliography-list li")]
    assert ids and ids == [li.get("id") for li in expected.select(".lr-bibliography-list li")]
    cited_in = [a.get("href") for a in refs.select(".lr-cited-in a")]
    assert "../#lr-p1" in cited_in  # the citing paragraph, not only its page
    assert cited_in == [a.get("href") for a in expected.select(".lr-cited-in a")]
    # under MkDocs the standalone extension stood aside: nothing inlined, nothing twice
    mkdocs_home = (mkdocs_site / "index.html").read_text(encoding="utf-8")
    assert "data-litreview" not in mkdocs_home


def test_zensical_prints_findings_as_the_check_does(tmp_path: Path) -> None:
    """Zensical has no strict mode; the finding is printed, the page marks the citation."""
    project = _project(tmp_path)
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNot there [@nosuch2020].\n", encoding="utf-8")
    site, output = _zensical_run(project)
    assert "docs/index.md:25:11: error[CIT001] unknown citation key 'nosuch2020'" in output
    assert output.count("error[CIT001]") == 1  # once per build, not once per page
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [s.get_text() for s in soup.select(".lr-cite-missing")] == ["?nosuch2020"]


@pytest.mark.parametrize(
    ("start", "target", "link"),
    [
        ("index.md", "references.md", "references.md"),
        ("guide/methods.md", "references.md", "../references.md"),
        ("references.md", "references.md", ""),
        ("references.md", "guide/methods.md", "guide/methods.md"),
        ("guide/methods.md", "index.md", "../index.md"),
    ],
)
def test_links_go_by_source_path(start: str, target: str, link: str) -> None:
    assert source_link(start, target) == link


def test_the_reviews_references_page_is_the_generated_one() -> None:
    """content/references.md is the stub Zensical needs; it must say what the plugin would generate."""
    from conftest import ROOT
    from litreview.core.references.reference_html import references_markdown

    stub = (ROOT / "content" / "references.md").read_text(encoding="utf-8")
    assert stub == references_markdown("References")


def test_the_review_under_zensical_cites_and_lists_as_under_mkdocs(
    zensical_site: Path, built_site: Path
) -> None:
    """This repository's own mkdocs.yml under Zensical: every page's numbers, its list and the References."""
    pages = [
        p.relative_to(built_site)
        for p in built_site.rglob("index.html")
        if "lr-cite-link" in p.read_text(encoding="utf-8")
    ]
    assert len(pages) == 11  # the Introduction and the ten sections
    for page in pages:
        if page.parts[0] in ("concepts", "map"):
            continue  # built by the plugin only (README: what Zensical does not do yet)
        assert _numbers(zensical_site, str(page)) == _numbers(built_site, str(page)), page
    ours = BeautifulSoup(
        (zensical_site / "references" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    theirs = BeautifulSoup(
        (built_site / "references" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    entries = [" ".join(e.get_text().split()) for e in ours.select(".lr-bibliography-list .lr-entry")]
    assert len(entries) == 10
    assert entries == [
        " ".join(e.get_text().split()) for e in theirs.select(".lr-bibliography-list .lr-entry")
    ]


def test_one_markdown_instance_reset_between_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A generator that reuses one Markdown instance and resets it gets each page's own list."""
    from markdown import Markdown

    project = _project(tmp_path)
    monkeypatch.chdir(project)  # no Zensical context: mkdocs.yml is looked for here
    md = Markdown(extensions=["litreview.markdown_ext"])
    first = md.convert("One [@smith2020].")
    md.reset()
    second = md.convert("Two [@mueller2019].")
    assert 'data-lr-key="smith2020"' in first and "mueller2019" not in first
    assert 'id="ref-mueller2019"' in second and 'id="ref-smith2020"' not in second


def test_the_review_under_zensical_says_where_each_work_is_cited(
    zensical_site: Path, built_site: Path
) -> None:
    """ "Cited in" on the References page leads to the citing paragraph, as under MkDocs."""

    def places(site: Path) -> dict[str, list[str]]:
        soup = BeautifulSoup((site / "references" / "index.html").read_text(encoding="utf-8"), "html.parser")
        return {
            str(li.get("id")): [str(a.get("href")) for a in li.select(".lr-cited-in a")]
            for li in soup.select(".lr-bibliography-list > li")
        }

    ours = places(zensical_site)
    assert len(ours) == 10 and all(any("#lr-p" in href for href in hrefs) for hrefs in ours.values())
    assert ours == places(built_site)


_PAGES_SOURCE_ORDER_DIFFERS = {
    # a footnote's text comes first in the source, last in the page
    "index.md": "# Home\n\n[^n]: A note citing [@mueller2019].\n\nFirst [@smith2020], then a note.[^n]\n",
    # a page outside the nav: MkDocs lists a folder's index first, then its other pages
    "b/zeta.md": "# Zeta\n\nZeta cites [@10.1000/xyz].\n",
    "b/index.md": "# B\n\nB cites [@doe2018].\n",
}


@pytest.mark.parametrize("nav", [True, False], ids=["nav", "no-nav"])
def test_both_generators_number_works_alike(tmp_path: Path, nav: bool) -> None:
    """One numbering path: Zensical numbered by the check's scanner (source order), MkDocs by
    the Markdown engine (reading order), so a footnote, or a folder's index, numbered differently."""
    project = _project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("  - tables\n", "  - tables\n  - footnotes\n")
    if not nav:
        text = text[: text.index("nav:")]
    config.write_text(text, encoding="utf-8")
    for name, body in _PAGES_SOURCE_ORDER_DIFFERS.items():
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(body, encoding="utf-8")
    mkdocs_site = tmp_path / "mkdocs-site"
    build_in_process(config, mkdocs_site)
    zensical_site = _zensical(project)

    def numbering(site: Path) -> dict[str, str]:
        out: dict[str, str] = {}
        for page in ("index.html", "guide/methods/index.html", "b/index.html", "b/zeta/index.html"):
            out |= dict(_numbers(site, page))
        return out

    expected = numbering(mkdocs_site)
    assert expected["smith2020"] == "1" and expected["mueller2019"] == "2"  # reading order
    assert numbering(zensical_site) == expected

"""Hostile strings through every page litreview generates: shown as text, never run (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_outcome, mkdocs_build
from hostile.project import IMG, SCRIPT, hostile_copy


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    config = hostile_copy(work / "project")
    proc = mkdocs_build(config, work / "site", check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert (work / "site" / "references" / "index.html").is_file(), proc.stderr
    return work / "site"


PAGES = [
    "index.html",
    "description/spinal-tumors/index.html",
    "description/facet-joint-arthropathy/index.html",  # its "next" link names the hostile section
    "description/post-surgical-pain/index.html",  # its "previous" link too
    "references/index.html",
    "concepts/index.html",
    "map/index.html",
]


@pytest.mark.parametrize("page", PAGES)
def test_no_markup_from_values_in_what_litreview_writes(hostile_site: Path, page: str) -> None:
    soup = BeautifulSoup((hostile_site / page).read_text(encoding="utf-8"), "html.parser")
    content = soup.select_one("article.md-content__inner")
    assert content is not None
    # the References page's index of works is data, never run, and holds no "<" to end it
    assert [s for s in content.find_all("script") if s.get("type") != "application/json"] == []
    for data in content.select('script[type="application/json"]'):
        assert "<" not in data.string and "&" not in data.string
    assert content.select('img[src="x"]') == []
    for el in content.find_all(True):
        assert not [a for a in el.attrs if a.lower().startswith("on")], el
        assert not str(el.get("href", "")).lower().startswith("javascript:"), el
        # Material's content.tooltips renders a title attribute as HTML
        assert "<" not in str(el.get("title", "")), el


def test_the_values_are_shown_as_text(hostile_site: Path) -> None:
    """Escaping must not lose the value: a reader sees what the bibliography says."""
    refs = BeautifulSoup((hostile_site / "references/index.html").read_text(encoding="utf-8"), "html.parser")
    entry = refs.select_one("#ref-bell2023 .lr-entry")
    assert entry is not None and SCRIPT in entry.get_text() and IMG in entry.get_text()
    section = BeautifulSoup(
        (hostile_site / "description/facet-joint-arthropathy/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    prev_next = section.select_one(".lr-prev-next")
    assert prev_next is not None and f"Spinal tumors {IMG} {SCRIPT}" in prev_next.get_text()
    tips = [a["data-lr-tip"] for a in section.select("[data-lr-tip]")] + [
        a["data-lr-tip"]
        for a in BeautifulSoup(
            (hostile_site / "index.html").read_text(encoding="utf-8"), "html.parser"
        ).select(".lr-cite-link[data-lr-tip]")
    ]
    assert any(SCRIPT in t for t in tips)
    concepts = (hostile_site / "concepts/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;lr-xss&#39;)&lt;/script&gt;" in concepts or "&lt;script&gt;" in concepts


def test_control_characters_never_reach_the_html(tmp_path: Path) -> None:
    config = hostile_copy(tmp_path / "project")
    bib = config.parent / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Pain ", "Pa\x00in\x07 ", 1), encoding="utf-8")
    # the pages, not the PDF (Chromium's, in a process of its own): the build runs in this one
    text = config.read_text(encoding="utf-8")
    assert "      pdf: true\n" in text
    config.write_text(text.replace("      pdf: true\n", ""), encoding="utf-8")
    assert "BIB007" in build_outcome(config, tmp_path / "site").log
    for page in (tmp_path / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "\x00" not in text and "\x07" not in text, page

"""The site shows each reference's verdict, read only from the committed cache (issue 15).

Readers see, as text with an icon and never colour alone: verified (with the DOI), unverified
and why, and retracted (prominent, with the notice), on the References page and in the
citations' tooltips; the page says when references were last verified. A work with no verdict
recorded gets no mark at all (issue 28 §5; every status in every place: test_verification_marks.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cli_process import base_project
from conftest import GENERATORS, build_in_process, built_by
from litreview.core.bibliography import loader as bib
from litreview.core.bibliography import verdicts
from litreview.core.bibliography.verdicts import Verdict

#: Where nothing listens: a build that asked a source would fail.
DEAD = {
    f"LITREVIEW_{s}_URL": "http://127.0.0.1:9"
    for s in ("DOI", "PUBMED", "IDCONV", "ARXIV", "OPENLIBRARY", "CROSSREF", "OPENALEX")
}


def _record(project: Path, found: dict[str, Verdict]) -> None:
    refs = bib.load([project / "refs.bib"]).references
    cache = {verdicts.entry_hash(refs[key]): verdict for key, verdict in found.items()}
    verdicts.write(project / "references.verified.json", cache)


def _item(page: str, key: str) -> str:
    match = re.search(rf'<li[^>]* id="ref-{key}">(.*?)</li>', page, re.S)
    assert match is not None, key
    return match.group(1)


def test_verdicts_show_as_text_and_icon_from_the_cache_alone(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    _record(
        project,
        {
            "ada2020": Verdict("ada2020", "verified", "10.1000/alpha.2020", "crossref", checked="2026-11-20"),
            "bob2019": Verdict(
                "bob2019",
                "retracted",
                "10.1000/beta",
                "crossref",
                notice="https://doi.org/10.9999/n",
                checked="2026-11-21",
            ),
        },
    )
    build_in_process(project / "mkdocs.yml", tmp_path / "site", extra_env=DEAD)
    page = (tmp_path / "site" / "references" / "index.html").read_text(encoding="utf-8")
    ada, bob = _item(page, "ada2020"), _item(page, "bob2019")
    assert '<span aria-hidden="true">\u2713</span> Verified</span>' in ada
    assert 'href="https://doi.org/10.1000/alpha.2020">doi:10.1000/alpha.2020</a>' in ada
    assert '<strong class="lr-status lr-status-retracted"' in bob
    assert '<span aria-hidden="true">\u26a0</span> Retracted</strong>' in bob
    assert '<a href="https://doi.org/10.9999/n">retraction notice</a>' in bob
    assert (
        'References last verified on <time datetime="2026-11-21">2026-11-21</time>: '
        "1 of 2 verified against their records, 1 retracted." in page
    )
    beta = (tmp_path / "site" / "sections" / "beta" / "index.html").read_text(encoding="utf-8")
    assert "Retracted</strong>" in beta  # a page's own list shows a retraction too
    assert re.search(r'data-lr-tip="[^"]*\[Retracted\]"', beta)
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'data-lr-tip="[^"]*\[Verified\]"', index)
    _says_nothing_unrecorded(tmp_path / "site", {"ada2020", "bob2019"})


def _says_nothing_unrecorded(site: Path, recorded: set[str]) -> None:
    """No page marks a work with no recorded verdict (list items, tooltips), and the explorer's
    filter and facets never speak of verification."""
    for path in site.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for item in soup.select("li[id^=ref-]"):
            if str(item["id"]).removeprefix("ref-") not in recorded:
                assert not item.select(".lr-status") and "verified" not in item.get_text().lower(), path
        for link in soup.select("a.lr-cite-link"):
            if link["data-lr-key"] not in recorded:
                assert "verified]" not in str(link["data-lr-tip"]).lower(), (path, link)
        for block in soup.select(".lr-explore-block"):
            assert not re.search("verif|retract", str(block), re.I), path


def test_an_edited_entry_loses_its_mark_and_a_hostile_cache_stays_text(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    _record(
        project,
        {
            "ada2020": Verdict("ada2020", "verified", "10.1000/alpha.2020", "crossref", checked="2026-11-20"),
            "bob2019": Verdict(
                "bob2019",
                "retracted",
                '"><script>x()</script>',
                "<b>",
                notice="javascript:alert(1)",
                checked="2026-11-20",
            ),
        },
    )
    bibfile = project / "refs.bib"
    bibfile.write_text(
        bibfile.read_text(encoding="utf-8").replace("Alpha pain and inflammation", "Alpha pain"),
        encoding="utf-8",
    )
    build_in_process(project / "mkdocs.yml", tmp_path / "site", extra_env=DEAD)
    page = (tmp_path / "site" / "references" / "index.html").read_text(encoding="utf-8")
    assert "lr-status" not in _item(page, "ada2020")  # its verdict was for the entry before the edit
    _says_nothing_unrecorded(tmp_path / "site", {"bob2019"})
    bob = _item(page, "bob2019")
    assert "Retracted" in bob and "javascript:" not in bob and "<script>" not in bob and "<b>" not in bob


def test_verification_marks_can_be_turned_off(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      taxonomy:", "      verification_marks: false\n      taxonomy:"
        ),
        encoding="utf-8",
    )
    build_in_process(config, tmp_path / "site")
    page = (tmp_path / "site" / "references" / "index.html").read_text(encoding="utf-8")
    assert "lr-status" not in page and "lr-verified-note" not in page


@pytest.fixture(params=GENERATORS)
def site(request: pytest.FixtureRequest) -> Path:
    return built_by(request)


def test_our_review_with_no_verdict_recorded_says_nothing_of_verification(site: Path) -> None:
    """No network here, so none of the ten references has a verdict (README: how to verify):
    readers are not told, on every reference, that it is "not yet verified"."""
    soup = BeautifulSoup((site / "references" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("li[id^=ref-]")) == 10
    assert not soup.select(".lr-status, .lr-verified-note") and "not yet" not in soup.get_text().lower()
    _says_nothing_unrecorded(site, set())

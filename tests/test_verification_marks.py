"""Verification marks come only from recorded verdicts (issue 28 §5).

A published review whose references nobody verified must not tell its readers, on every
reference, that it is "not yet verified": with no verdict recorded for an entry, no place
says anything about it. Every verdict status (and none, and no verdicts file at all) is
tried in every place a mark is made: the References page's item and its note, a page's own
list, the citation's tooltip (numbered and author–date) and the PDF. The explorer and the
built site, with both generators, are in tests/test_verify_site.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup, escape

from litreview.core.bibliography import verdicts
from litreview.core.bibliography.loader import Reference
from litreview.core.bibliography.verdicts import Verdict
from litreview.core.citations.cite_records import PageCitations
from litreview.core.citations.syntax import Citation, CiteItem
from litreview.core.printing.compose import Part, compose
from litreview.core.project.options import LitreviewOptions
from litreview.core.references import reference_html
from litreview.core.references.csl import Layout
from litreview.core.references.render_context import verdicts_for

#: What the README promises readers see for each recorded verdict.
WORDS = {
    "verified": "Verified",
    "retracted": "Retracted",
    "mismatch": "Unverified: differs from its record",
    "not-found": "Unverified: no record found",
    "ambiguous": "Unverified: several records fit",
}
#: Every status a verdict may carry, and no verdict at all (None), and no verdicts file ("no file").
CASES = [*verdicts.STATUSES, None, "no file"]
#: The places a mark is made.
PLACES = ["references-page", "page-list", "tooltip", "author-date-tooltip", "note", "pdf"]


class _AuthorDate:
    """Just enough of an author–date style for a citation's tooltip."""

    @property
    def layout(self) -> Layout:
        return Layout(author_date=True)

    def cite(self, ref: Reference, label: str = "", locator: str = "") -> Markup:
        return Markup(f"{escape(ref.key)}, 2020")


def _site(tmp_path: Path, status: str | None, author_date: bool = False) -> reference_html.RenderContext:
    """Two works, ``a`` with a recorded ``status`` (or none) and ``b`` never verified, read
    back from a verdicts file as the build reads it."""
    refs = {
        key: Reference(key, "article", {"title": f"Work {key}", "year": "2020"}, "r.bib", n)
        for n, key in enumerate(("a", "b"), start=1)
    }
    if status != "no file":
        found = {}
        if status is not None:
            verdict = Verdict("a", status, "10.1000/a", "crossref", notice="https://doi.org/10.9/n")
            found[verdicts.entry_hash(refs["a"])] = Verdict(**{**verdict.__dict__, "checked": "2026-11-20"})
        verdicts.write(tmp_path / verdicts.DEFAULT_NAME, found)
    return reference_html.RenderContext(
        numbers={"a": 1, "b": 2},
        references=refs,
        formatted=lambda ref: Markup(escape(ref.fields["title"])),
        ref_href=lambda key: f"#ref-{key}",
        in_text=_AuthorDate() if author_date else None,
        verdicts=verdicts_for(LitreviewOptions.defaults(), tmp_path, refs),
    )


def _item(html: str, key: str) -> str:
    """A work's list item as HTML (its text and tooltips are what a reader sees)."""
    found = BeautifulSoup(html, "html.parser").find("li", id=f"ref-{key}")
    assert found is not None, key
    return str(found)


def _says(html: str, pattern: str) -> bool:
    """Does the text or a tooltip say ``pattern``? (Class names are not read.)"""
    return bool(re.search(pattern, re.sub(r'class="[^"]*"', "", html), re.I))


def _shown(tmp_path: Path, place: str, status: str | None) -> dict[str, str]:
    """What ``place`` says about each work (the whole page for the note)."""
    site = _site(tmp_path, status, author_date=place == "author-date-tooltip")
    if place == "references-page":
        page = str(reference_html.bibliography(site))
        return {k: _item(page, k) for k in ("a", "b")}
    if place == "note":
        page = str(reference_html.bibliography(site))
        return {"page": page[: page.find("<ol")]}
    if place == "page-list":
        cites = PageCitations("p.md", "p.md")
        cites.add(Citation((CiteItem("a"), CiteItem("b")), 0, 1))
        page = str(reference_html.page_references(site, cites, lambda key: f"../references/#ref-{key}"))
        return {k: _item(page, k) for k in ("a", "b")}
    if place in ("tooltip", "author-date-tooltip"):
        return {k: str(site.link(k, "1")) for k in ("a", "b")}
    assert place == "pdf"
    document = compose(
        [],
        Part("references/", f"<article>{reference_html.bibliography(site)}</article>"),
        publication=None,
        site_url="",
        title="R",
        language="en",
        css="",
    )
    return {k: _item(document, k) for k in ("a", "b")}


def _expected(place: str, status: str | None) -> str | None:
    """The words ``place`` shows for a work with ``status`` recorded (None: nothing at all)."""
    words = WORDS.get(status or "")
    if words is None:
        return None
    if place in ("page-list", "pdf"):  # a page's list and print show only what readers must see
        return words if status == "retracted" else None
    return words


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("status", CASES, ids=[str(c) for c in CASES])
def test_a_mark_only_from_a_recorded_verdict(tmp_path: Path, place: str, status: str | None) -> None:
    shown = _shown(tmp_path, place, status)
    expected = _expected(place, status)
    if place == "note":
        note = shown["page"]
        if expected is None:
            assert "lr-verified-note" not in note and not _says(note, "verif")
        else:
            assert "References last verified on" in note
            assert f"{int(status == 'verified')} of 2 verified" in note
        return
    never = shown["b"]  # the work with no verdict: nothing, whatever the other's status
    assert "lr-status" not in never and not _says(never, "verif"), never
    said = shown["a"]
    if expected is None:
        assert "lr-status" not in said and not _says(said, "verif|retract"), said
    elif place.endswith("tooltip"):
        assert re.search(rf'data-lr-tip="[^"]*\[{re.escape(expected)}\]"', said), said
    else:
        assert f"</span> {expected}</" in said, said


def test_turned_off_no_place_shows_a_verdict(tmp_path: Path) -> None:
    """``verification_marks: false``: even a recorded retraction is not shown."""
    site = _site(tmp_path, "retracted")
    site.verdicts = verdicts_for(
        LitreviewOptions.from_values({"verification_marks": False}), tmp_path, site.references
    )
    page = str(reference_html.bibliography(site)) + str(site.link("a", "1"))
    assert "lr-status" not in page and not _says(page, "verif|retract")


def test_with_no_verdict_recorded_no_entry_is_hashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A review that never ran ``litreview verify`` has no verdicts to match: hashing each of its
    entries to look them up cost a warm build of 1,000 works 69M instructions (issue 30)."""
    hashed: list[str] = []
    real = verdicts.entry_hash

    def counted(ref: Reference) -> str:
        hashed.append(ref.key)
        return real(ref)

    monkeypatch.setattr(verdicts, "entry_hash", counted)
    refs = {
        f"w{i}": Reference(f"w{i}", "article", {"title": f"T{i}", "year": "2020"}, "r.bib", i)
        for i in range(5)
    }
    options = LitreviewOptions.defaults()
    assert verdicts_for(options, tmp_path, refs) == {}  # no verdicts file
    path = tmp_path / options.verified
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(verdicts.text_of({}), encoding="utf-8")
    assert verdicts_for(options, tmp_path, refs) == {}  # a file with none recorded
    assert hashed == []

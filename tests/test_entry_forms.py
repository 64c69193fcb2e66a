"""Entries as real bibliographies write them: preprints of every type, page forms, journal macros.

Reported (issue 28 §3): INSPIRE's conference papers (@inproceedings with an eprint, before the
proceedings exist) gave 61 false BIB013 errors on the HEP living review; Elsevier e-locators
(``1156.e1--1156.e5``) gave a false BIB016.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from conftest import mkdocs_build
from litreview.core.bibliography import loader, quality
from litreview.core.bibliography.journal_macros import JOURNAL_MACROS
from litreview.core.publication import exports
from litreview.core.references import coins
from litreview.core.references.csl import to_csl_json
from litreview.core.references.formatting import TemplateFormatter
from litreview.core.references.reference_html import entry_links, plain

CHECKS_BASE = Path(__file__).parent / "checks" / "base"
_VALUES = {"year": "2021", "date": "2021-03", "type": "Technical report", "number": "US1234"}
_TODAY = datetime.date(2026, 12, 1)


def _entry(tmp_path: Path, entry_type: str, fields: dict[str, str]) -> loader.Reference:
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    path = tmp_path / "refs.bib"
    path.write_text(f"@{entry_type}{{key1,\n{body}}}\n", encoding="utf-8")
    bib = loader.load([path])
    assert not bib.problems, bib.problems
    return bib.references["key1"]


def _codes(ref: loader.Reference) -> list[str]:
    return [p.code for p in quality.required_fields(ref)]


#: Every type's required groups, each group left out in turn.
_MISSING = [
    pytest.param(entry_type, i, id=f"{entry_type}-without-{'-or-'.join(groups[i])}")
    for entry_type, groups in quality.REQUIRED.items()
    for i in range(len(groups))
]


@pytest.mark.parametrize(("entry_type", "left_out"), _MISSING)
@pytest.mark.parametrize("eprint", ["2502.06637", "hep-ph/0601001", "", "   "])
def test_an_eprint_stands_for_the_venue_in_every_entry_type(
    tmp_path: Path, entry_type: str, left_out: int, eprint: str
) -> None:
    """The rule, once for every type: an entry with an e-print needs no venue (journal, book
    title, institution, school) and no report type, but still needs its author, title and date;
    a blank eprint is no e-print."""
    groups = quality.REQUIRED[entry_type]
    fields = {g[0]: _VALUES.get(g[0], f"Some {g[0]}") for j, g in enumerate(groups) if j != left_out}
    if eprint:
        fields["eprint"] = eprint
        fields["archiveprefix"] = "arXiv"
    missing = groups[left_out]
    expected = (
        [] if eprint.strip() and {"journal", "booktitle", "institution", "type"} & set(missing) else None
    )
    if "eprint" in missing and eprint.strip():
        expected = []
    if expected is None:
        expected = ["BIB017" if quality.RECOMMENDED.issuperset(missing) else "BIB013"]
    assert _codes(_entry(tmp_path, entry_type, fields)) == expected


@pytest.mark.parametrize(
    "entry_type", ["inproceedings", "conference", "incollection", "misc", "unpublished", "report"]
)
def test_inspire_conference_papers_before_the_proceedings_are_clean(tmp_path: Path, entry_type: str) -> None:
    """The HEP living review's entries as INSPIRE writes them: no finding at all."""
    ref = _entry(
        tmp_path,
        entry_type,
        {
            "author": "Kasieczka, Gregor and others",
            "title": "The LHC Olympics 2020",
            "eprint": "2101.08320",
            "archiveprefix": "arXiv",
            "primaryclass": "hep-ph",
            "month": "1",
            "year": "2021",
        },
    )
    assert list(quality.required_fields(ref)) == []
    assert list(quality.field_forms(ref, _TODAY.year)) == []


_VALID_PAGES = {
    "range": "12--34",
    "en-dash": "12–34",
    "single-hyphen": "12-34",
    "elsevier-e-locator": "1156.e1--1156.e5",
    "elsevier-e-locator-hyphen": "1156.e1-1156.e5",
    "elsevier-e-locator-single": "1156.e1",
    "plos-article-number": "e0123456",
    "article-number-range": "e123--e130",
    "science-advances": "eaax2342",
    "supplement": "S12--S15",
    "supplement-single": "S12",
    "ptep": "063C03",
    "iop": "04LT05",
    "letter": "L5--L9",
    "acm-article-page": "3:1--3:20",
    "numbered-abstract": "406.3",
    "roman-range": "xi--xv",
    "roman-upper": "XIV",
    "braced": "{1156.e1}--{1156.e5}",
    "list": "12--14, 17, 20--22",
    "biorxiv-e-locator": "2020.07.02.185132",
}
_PROSE_PAGES = {"prose": "pp. one to ten", "words": "twelve to thirty", "open-range": "12--", "dashes": "--"}


@pytest.mark.parametrize("pages", [pytest.param(v, id=k) for k, v in _VALID_PAGES.items()])
def test_page_forms_real_journals_print_are_valid(tmp_path: Path, pages: str) -> None:
    fields = {"author": "Ada, L.", "title": "T", "journal": "Cell", "year": "2020", "pages": pages}
    assert list(quality.field_forms(_entry(tmp_path, "article", fields), _TODAY.year)) == []


@pytest.mark.parametrize("pages", [pytest.param(v, id=k) for k, v in _PROSE_PAGES.items()])
def test_pages_in_prose_are_still_a_warning(tmp_path: Path, pages: str) -> None:
    fields = {"author": "Ada, L.", "title": "T", "journal": "Cell", "year": "2020", "pages": pages}
    assert [p.code for p in quality.field_forms(_entry(tmp_path, "article", fields), _TODAY.year)] == [
        "BIB016"
    ]


def _journal_entry(tmp_path: Path, journal: str) -> loader.Reference:
    return _entry(
        tmp_path,
        "article",
        {
            "author": "Hubble, Edwin",
            "title": "A relation",
            "journal": journal,
            "year": "1929",
            "volume": "15",
        },
    )


@pytest.mark.parametrize(
    ("written", "name"),
    [pytest.param(f"\\{macro}", name, id=macro) for macro, name in JOURNAL_MACROS.items()]
    + [
        pytest.param("{\\apj}", JOURNAL_MACROS["apj"], id="braced"),
        pytest.param(" \\mnras ", JOURNAL_MACROS["mnras"], id="spaced"),
    ],
)
def test_ads_journal_macros_name_the_journal_everywhere(tmp_path: Path, written: str, name: str) -> None:
    """NASA ADS writes ``journal = {\\apj}``: the page, tooltip, RIS and COinS name the journal,
    and the check is clean."""
    ref = _journal_entry(tmp_path, written)
    html = str(TemplateFormatter()(ref))
    assert str(escape(name)) in html and name in plain(html)
    assert f"T2  - {name}" in exports.ris([ref])
    assert ("rft.jtitle", name) in coins.context_object(ref)
    assert to_csl_json(ref)["container-title"] == name
    assert list(quality.check_entry(ref, _TODAY.year)) == []


@pytest.mark.parametrize("written", ["\\apjx", "{\\journalofnothing}", "\\ASTRONOMY", "{{\\foo}}"])
def test_an_unknown_macro_as_a_venue_is_a_finding(tmp_path: Path, written: str) -> None:
    """A macro litreview can't expand is reported where it is written, never a silent blank."""
    ref = _journal_entry(tmp_path, written)
    found = list(quality.check_entry(ref, _TODAY.year))
    assert [(p.code, p.line) for p in found] == [("BIB019", 4)]
    assert written.strip("{}") in found[0].message


_EVERY_FIELD = {
    "author": "Lovelace, Ada and Byron, George",
    "editor": "Builder, Bob and Doe, Jane",
    "title": "Alpha",
    "journal": "Journal of Pain",
    "booktitle": "Proceedings of Pain",
    "year": "2020",
    "volume": "12",
    "number": "3",
    "pages": "1--9",
    "doi": "10.1000/alpha",
    "url": "https://example.org/a",
    "publisher": "Example Press",
    "institution": "Example University",
    "issn": "1234-5678",
    "isbn": "978-3-16-148410-0",
}


@pytest.mark.parametrize("entry_type", sorted(quality.REQUIRED))
def test_editors_go_to_ris_as_secondary_authors_without_a_warning(tmp_path: Path, entry_type: str) -> None:
    """rispy warned "label 'editors' not exported" (with traceback lines) on every build of a
    bibliography with editors; pyproject's filterwarnings makes any warning fail this test."""
    text = exports.ris([_entry(tmp_path, entry_type, _EVERY_FIELD)])
    assert "A2  - Builder, Bob\n" in text and "A2  - Doe, Jane\n" in text
    assert "AU  - Lovelace, Ada\n" in text


def test_a_build_with_editors_prints_no_library_warning(tmp_path: Path) -> None:
    """The reported build: an edited chapter's RIS download made rispy warn (a traceback on every
    build). Builds run with Python warnings as errors (conftest.mkdocs_build)."""
    project = tmp_path / "p"
    shutil.copytree(CHECKS_BASE, project)
    with (project / "refs.bib").open("a", encoding="utf-8") as f:
        f.write(
            "\n@incollection{ed2020,\n  author = {Lovelace, Ada},\n  editor = {Builder, Bob and Doe, Jane},\n"
            "  title = {Edited chapter},\n  booktitle = {A book},\n  publisher = {P},\n  year = {2020},\n}\n"
        )
    with (project / "docs" / "conclusion.md").open("a", encoding="utf-8") as f:
        f.write("\nAn edited chapter [@ed2020].\n")
    proc = mkdocs_build(project / "mkdocs.yml", tmp_path / "site")
    assert "Warning" not in proc.stderr and "Traceback" not in proc.stderr
    assert "A2  - Builder, Bob" in (tmp_path / "site" / "downloads" / "conclusion.ris").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("field", "written", "read"),
    [
        ("url", "https://example.org/~ada/a--b''c", "https://example.org/~ada/a--b''c"),
        ("url", "https://example.org/a\\_b?x=1\\&y=50\\%", "https://example.org/a_b?x=1&y=50%"),
        ("url", "{https://example.org/Case}", "https://example.org/Case"),
        ("doi", "10.1007/978-3-030-00825-3\\_16", "10.1007/978-3-030-00825-3_16"),
        ("doi", "10.1002/(SICI)1097-0258(19980815/30)17:15/16<1661::AID-SIM968>3.0.CO;2-2", None),
        ("eprint", "hep-ph/0601001", "hep-ph/0601001"),
    ],
)
def test_verbatim_fields_in_bibtex_read_as_written_but_for_escapes(
    tmp_path: Path, field: str, written: str, read: str | None
) -> None:
    """A URL's ~ is no no-break space and its -- no en dash; BibTeX's \\_ is an underscore."""
    read = written if read is None else read
    ref = _entry(tmp_path, "misc", {"author": "Ada, L.", "title": "T", "year": "2020", field: written})
    assert ref.get(field) == read
    if field == "url":
        assert f"UR  - {read}\n" in exports.ris([ref])
        assert f'href="{escape(read)}"' in str(entry_links(ref))
    if field == "doi":
        assert ref.doi == read and f"DO  - {read}\n" in exports.ris([ref])

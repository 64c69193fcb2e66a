"""Every export escapes for its format (issue 26): no value can forge a record or a field.

Field values are generated (line breaks, ``ER  -``, ``}``, ``@article{``, control characters,
Unicode) for every entry type; each file is read back with the reader a reference manager
would use (rispy, bibtexparser, json): exactly one record per entry, each field intact or
cleaned, never a new one.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import bibtexparser
import feedparser
import pytest
import rispy
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from hypothesis import strategies as st

from litreview.core.bibliography.bibtex_values import AT_LINE
from litreview.core.bibliography.latex_text import to_unicode
from litreview.core.bibliography.loader import Reference
from litreview.core.history.feed import atom
from litreview.core.history.releases import Release
from litreview.core.history.whatsnew import Entry
from litreview.core.publication import exports, meta
from litreview.core.publication.settings import Author, Publication
from litreview.core.text.escaping import CONTROL
from litreview.core.tools.diff import Changes

TYPES = [*exports._RIS_TYPES, "misc", "weird"]
FIELDS = ["title", "author", "editor", "journal", "booktitle", "year", "volume", "number", "pages", "doi", "url",
          "publisher", "school", "issn", "note"]  # fmt: skip
PIECES = ["\n", "\r\n", "\r", "\u2028", "\x85", "\x0b", "\x1c", "\x00", "\x1b", "ER  - ", "TY  - JOUR", "\nER  -\n",
          "}", "{", "}}", "},\n  title = {forged", "@article{forged,", "\\", "\\}", "%", "\"", ",", "=", "é", "😀",
          "Stimulation", " ", "and", "Doe, Jane"]  # fmt: skip
VALUE = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), min_size=1, max_size=8).map("".join)
KEY = st.from_regex(r"[A-Za-z][A-Za-z0-9_:.-]{0,12}", fullmatch=True)


@st.composite
def references(draw: st.DrawFn) -> list[Reference]:
    keys = draw(st.lists(KEY, min_size=1, max_size=4, unique_by=str.lower))
    out = []
    for key in keys:
        fields = draw(st.dictionaries(st.sampled_from(FIELDS), VALUE, min_size=1, max_size=6))
        out.append(Reference(key, draw(st.sampled_from(TYPES)), fields, "refs.bib", 1))
    return out


_NOT_IN_XML = {0xFFFE: None, 0xFFFF: None}


def _line(value: str) -> str:
    return " ".join(CONTROL.sub("", value).split())


@settings(max_examples=200, deadline=None)
@given(references())
def test_ris_has_one_record_per_entry_and_no_forged_field(refs: list[Reference]) -> None:
    text = exports.ris(refs)
    records = rispy.loads(text)
    assert [r["id"] for r in records] == [r.key for r in refs]
    tags = re.findall(r"^([A-Z][A-Z0-9])  - ", text, re.M)
    assert tags.count("TY") == tags.count("ER") == len(refs)
    for record, ref in zip(records, refs, strict=True):
        if _line(ref.get("title")):
            assert record["title"] == _line(ref.get("title"))
        else:
            assert "title" not in record


@settings(max_examples=200, deadline=None)
@given(references())
def test_bibtex_has_one_entry_per_reference_with_its_own_fields(refs: list[Reference]) -> None:
    library = bibtexparser.parse_string(exports.bibtex(refs))
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [r.key for r in refs]
    for entry, ref in zip(library.entries, refs, strict=True):
        assert entry.entry_type == ref.entry_type.lower()
        assert {f.key for f in entry.fields} == set(ref.fields)
        for name, value in ref.fields.items():
            written = entry.fields_dict[name].value
            assert _closes(written, escapes=False) and _closes(written, escapes=True)
            if _closes(value, escapes=False) and _closes(value, escapes=True) and not value.endswith("\\"):
                assert written == AT_LINE.sub(" ", value)  # no line starts with @


@pytest.mark.parametrize("space", ["\n", "\n\n", "\n \n", "\r\n", "\n\r", "\n\t", " \n  "])
def test_no_value_line_starts_an_entry_after_any_blank_space(space: str) -> None:
    """Found by CI after "\\n@" was folded: bibtexparser reads an @ after blank lines, a tab or
    a \\r as starting an entry too."""
    ref = Reference("A", "article", {"title": f"x{space}@article{{forged,}}"}, "refs.bib", 1)
    library = bibtexparser.parse_string(exports.bibtex([ref]))
    assert not library.failed_blocks and [e.key for e in library.entries] == ["A"]
    assert library.entries[0].fields_dict["title"].value == "x @article{forged,}"


#: TeX's ligatures, which BibTeX, biber and our decoder read in a title (`` `x' `` is ‘x’).
_LIGATURES = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("`", "‘"))


def _words(value: str) -> str:
    for tex, char in _LIGATURES:
        value = value.replace(tex, char)
    # TeX's quotes, typographic as a reader of BibTeX makes them, whichever way it pairs them
    value = value.translate({ord("‘"): "'", ord("’"): "'", ord("“"): '"', ord("”"): '"'})
    return " ".join(re.sub(r"[~^\xa0\u02c6]", " ", re.sub(r"[{}]", "", value)).split())


def _closes(value: str, *, escapes: bool) -> bool:
    """Braces pair up, counting every one (BibTeX) or not one after a backslash (bibtexparser)."""
    depth = 0
    for at, char in enumerate(value):
        if char in "{}" and not (escapes and value[at - 1 : at] == "\\"):
            depth += 1 if char == "{" else -1
            if depth < 0:
                return False
    return depth == 0


@settings(max_examples=200, deadline=None)
@given(references())
def test_csl_json_has_one_item_per_entry(refs: list[Reference]) -> None:
    items = json.loads(exports.csl_json(refs))
    assert [i["id"] for i in items] == [r.key for r in refs]


@st.composite
def publications(draw: st.DrawFn) -> Publication:
    authors = draw(st.lists(st.builds(Author, VALUE.filter(str.strip), VALUE), min_size=1, max_size=3))
    text = {
        name: draw(VALUE)
        for name in (
            "journal",
            "journal_abbreviation",
            "volume",
            "issue",
            "first_page",
            "last_page",
            "doi",
            "publisher",
            "language",
            "abstract",
            "issn",
            "url",
        )
    }
    year = draw(st.integers(1000, 2999))
    return Publication(draw(VALUE.filter(str.strip)), tuple(authors), f"{year}-01-02", **text)


@settings(max_examples=200, deadline=None)
@given(publications())
# a fresh clone's run: a private-use character in the title was taken for the decoder's stand-in
@example(Publication("\\\ue000", (Author("x", "y"),), "1000-01-02"))
def test_the_reviews_own_citation_is_one_record_in_each_format(pub: Publication) -> None:
    records = rispy.loads(exports.own_ris(pub))
    assert len(records) == 1 and records[0].get("title", "") == _line(pub.title)
    assert re.findall(r"^ER  - ", exports.own_ris(pub), re.M) == ["ER  - "]
    library = bibtexparser.parse_string(exports.own_bibtex(pub))
    assert not library.failed_blocks and len(library.entries) == 1
    entry = library.entries[0]
    assert entry.key == exports.own_key(pub)
    title = entry.fields_dict["title"].value
    assert _closes(title, escapes=False) and _closes(
        title, escapes=True
    )  # the braces that count are \textbraceleft{}'s own
    # our decoder reads \textbraceleft{} and \textasciitilde{} as nothing or a space;
    # BibTeX and biber print the character
    assert _words(to_unicode(title)) == _words(_line(pub.title))
    items = json.loads(exports.own_csl(pub))
    assert len(items) == 1 and items[0]["title"] == pub.title


@settings(max_examples=100, deadline=None)
@given(
    tags=st.lists(
        st.from_regex(r"v[0-9][0-9a-z.]{0,5}", fullmatch=True), min_size=1, max_size=3, unique=True
    ),
    messages=st.lists(VALUE, min_size=3, max_size=3),
    titles=st.lists(VALUE, min_size=1, max_size=3),
    site=VALUE,
)
@example(tags=["v0"], messages=["\n"] * 3, titles=["\ufffe"], site="\n")  # found by CI
# found by a local run: feedparser "repairs" Latin-1-range text that also decodes as UTF-8
# ("Â¡" read back as "¡"), so the summaries' text is read with a strict XML parser
@example(tags=["v0"], messages=["\n"] * 3, titles=["Â¡"], site="\n")
def test_the_feed_has_one_entry_per_release_whatever_its_text(
    tags: list[str], messages: list[str], titles: list[str], site: str
) -> None:
    """Release messages, work titles (through ``plain``) and the site's name reach the feed
    as text: feedparser reads well-formed XML with exactly one entry per release."""
    added = [f"k{n}" for n in range(len(titles))]
    works = {
        k: Reference(k, "article", {"title": t}, "refs.bib", 1) for k, t in zip(added, titles, strict=True)
    }
    found = [
        Entry(Release(tag, "2025-01-02", "0" * 40, message), Changes(added=added), works)
        for tag, message in zip(tags, messages, strict=False)
    ]
    data = atom(found, title=site, site_url="https://example.org/", page_url="https://example.org/new/",
                feed_url="https://example.org/feed.xml", author=site, plain=lambda ref: ref.fields["title"])  # fmt: skip
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.bozo_exception
    assert [e.link for e in feed.entries] == [f"https://example.org/new/#{e.anchor}" for e in found]
    atom_ns = "{http://www.w3.org/2005/Atom}"
    summaries = [
        e.findtext(atom_ns + "summary") or "" for e in ElementTree.fromstring(data).iter(atom_ns + "entry")
    ]
    for shown, summary, entry in zip(feed.entries, summaries, found, strict=True):
        assert entry.release is not None
        assert shown.title.split(":", 1)[0] == entry.release.tag
        for title in titles:
            # XML 1.0 can hold neither U+FFFE nor U+FFFF: the feed leaves them out
            assert _line(title.translate(_NOT_IN_XML)) in " ".join(summary.split())


_REFERENCE_KEYS = {"citation_title", "citation_author", "citation_journal_title", "citation_inbook_title"}
_REFERENCE_KEYS |= {"citation_publication_date", "citation_volume", "citation_firstpage", "citation_doi"}


@settings(max_examples=100, deadline=None)
@given(publications(), references())
def test_the_pages_metadata_holds_one_element_per_field_and_one_reference_per_work(
    pub: Publication, refs: list[Reference]
) -> None:
    """Highwire, Dublin Core, Open Graph and JSON-LD: no value adds an element, a cited work's
    ``citation_reference`` holds only its own fields, and the JSON-LD reads back."""
    soup = BeautifulSoup(meta.head(pub, refs, "https://example.org/", pub.title, "Site"), "html.parser")
    assert {el.name for el in soup.find_all(True)} <= {"meta", "script"}
    assert len(soup.find_all("script")) == 1
    data = json.loads(soup.find("script").string)
    assert data["@type"] == "ScholarlyArticle" and len(data["citation"]) == len(refs)
    cited = soup.find_all("meta", attrs={"name": "citation_reference"})
    assert len(cited) == len(refs)
    for tag in cited:
        names = [part.split("=", 1)[0] for part in str(tag["content"]).split("; ") if part]
        assert set(names) <= _REFERENCE_KEYS and names.count("citation_title") <= 1

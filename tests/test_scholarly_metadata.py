"""Metadata machines read: Google Scholar's Highwire tags, Dublin Core, Open Graph, JSON-LD (issue 16).

The tags are read back from the built pages and checked against the article itself (its
title, author, affiliation, "Published" date, journal line, DOI and reference list), not
against the configuration they were made from.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from article import TEXT, reference_list
from cli_process import base_project, check_json
from conftest import build_in_process, build_outcome


class _Head(HTMLParser):
    """Every ``<meta>`` in document order, and the JSON-LD scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("name") or found.get("property")):
            self.meta.append((str(found.get("name") or found.get("property")), str(found.get("content"))))
        self._in_ld = tag == "script" and found.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_ld = False


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _values(head: _Head, name: str) -> list[str]:
    return [content for key, content in head.meta if key == name]


def test_the_home_page_carries_the_articles_highwire_tags(built_site: Path) -> None:
    article = TEXT.read_text(encoding="utf-8")
    head = _head(built_site / "index.html")
    title = article.strip().splitlines()[0].strip()
    assert _values(head, "citation_title") == [title]
    assert _values(head, "citation_author") == ["Ivanova, Natalia V."]
    affiliation = "Department of Vertebrology, Moscow Research Institute of Traumatology, Moscow, Russia"
    assert affiliation in article and _values(head, "citation_author_institution") == [affiliation]
    # Scholar wants each institution right after its author
    names = [k for k, _ in head.meta if k.startswith("citation_author")]
    assert names == ["citation_author", "citation_author_institution"]
    published = re.search(r"Published:\*\* (\d\d)-Jun-(\d{4}), DOI: (\S+)", article)
    assert published is not None
    assert _values(head, "citation_publication_date") == [f"{published[2]}/06/{published[1]}"]
    assert _values(head, "citation_doi") == [published[3]]
    journal_line = re.search(r"\*J Spine\* (\d+) \((\d{4})\):(\d+)", article)
    assert journal_line is not None
    assert _values(head, "citation_journal_abbrev") == ["J Spine"]
    assert _values(head, "citation_journal_title") == ["Journal of Spine"]
    assert _values(head, "citation_volume") == [journal_line[1]]
    assert _values(head, "citation_firstpage") == [journal_line[3]]
    references = _values(head, "citation_reference")
    listed = reference_list()
    assert len(references) == len(listed) == 10
    for ref, cited in zip(references, listed, strict=True):  # in the article's order, [1]–[10]
        fields = dict(
            pair.split("=", 1) for pair in ref.split("; ") if not pair.startswith("citation_author=")
        )
        assert fields["citation_title"].rstrip(".") == cited.title.rstrip(".")
        assert fields["citation_publication_date"] == cited.year
        assert fields["citation_volume"] == cited.volume
        assert cited.pages.startswith(fields["citation_firstpage"])


def test_dublin_core_open_graph_and_json_ld_say_the_same(built_site: Path) -> None:
    head = _head(built_site / "index.html")
    title = _values(head, "citation_title")[0]
    assert _values(head, "DC.title") == _values(head, "og:title") == [title]
    assert _values(head, "DC.creator") == ["Ivanova, Natalia V."]
    assert _values(head, "DC.identifier") == ["doi:10.37421/2165-7939.2025.14.725"]
    assert _values(head, "DC.rights") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert _values(head, "og:type") == ["article"] and _values(head, "og:url") == [
        "https://litreview.github.io/spinal-neuropathic-pain/"
    ]
    [ld_text] = head.json_ld
    ld = json.loads(ld_text)
    assert ld["@type"] == "ScholarlyArticle" and ld["headline"] == title
    assert ld["author"][0]["familyName"] == "Ivanova"
    assert ld["isPartOf"] == {
        "@type": "PublicationVolume",
        "volumeNumber": "14",
        "isPartOf": {"@type": "Periodical", "name": "Journal of Spine"},
    }
    assert len(ld["citation"]) == 10 and ld["sameAs"] == "https://doi.org/10.37421/2165-7939.2025.14.725"


def test_a_section_page_carries_the_review_and_its_own_works(built_site: Path) -> None:
    head = _head(built_site / "description" / "spinal-tumors" / "index.html")
    assert _values(head, "citation_title") == [_values(_head(built_site / "index.html"), "citation_title")[0]]
    [reference] = _values(head, "citation_reference")
    assert reference.startswith("citation_title=Neuropathic pain in spinal tumors")
    assert _values(head, "og:url") == [
        "https://litreview.github.io/spinal-neuropathic-pain/description/spinal-tumors/"
    ]


HOSTILE = """      publication:
        title: "A </script><script>alert(1)</script> \\"quoted\\" review; with <b>tags</b>"
        authors: ["Ada Lovelace", {family: "O'Neil", given: "Dara", affiliation: "<Lab & Co>"}]
        date: 2024
"""


def test_every_value_is_escaped_for_where_it_goes(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("      taxonomy:", HOSTILE + "      taxonomy:"),
        encoding="utf-8",
    )
    build_in_process(config, tmp_path / "site")
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    head = page.split("</head>")[0]
    assert "<script>alert(1)" not in head and "<b>tags" not in head and "<Lab" not in head
    parsed = _head(tmp_path / "site" / "index.html")
    title = 'A </script><script>alert(1)</script> "quoted" review; with <b>tags</b>'
    assert _values(parsed, "citation_title") == [title]
    assert json.loads(parsed.json_ld[0])["headline"] == title
    assert _values(parsed, "citation_author") == ["Lovelace, Ada", "O'Neil, Dara"]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("      publication: {authors: [Ada], date: 2024}\n", "publication: 'title' is required"),
        (
            "      publication: {title: T, authors: [Ada], date: 'June 2024', doi: 'x'}\n",
            "publication: 'date' is required: a year or an ISO date (2025-06-30)",
        ),
        (
            "      publication: {title: T, authors: [Ada], date: 2024, pages: 3}\n",
            "publication: unknown field 'pages'",
        ),
    ],
)
def test_a_malformed_block_is_a_finding_in_check_and_build(
    tmp_path: Path,
    block: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("      taxonomy:", block + "      taxonomy:"),
        encoding="utf-8",
    )
    status, findings = check_json(project, monkeypatch, capsys)
    found = [f for f in findings if f["code"] == "PUB001"]
    assert status == 1 and found and found[0]["message"].startswith(message), findings
    assert found[0]["path"] == "mkdocs.yml" and found[0]["line"] > 0
    built = build_outcome(config, tmp_path / "site")  # the finding: in process (conftest)
    assert built.failed and f"error[PUB001] {message}" in built.log


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
_KEYS = st.sampled_from(["title", "authors", "date", "doi", "volume", "journal", "name", "family", "x"])


@given(st.dictionaries(_KEYS, _VALUES, max_size=6) | _VALUES)
def test_any_publication_block_gives_a_record_or_findings(value: object) -> None:
    from litreview.core.publication import meta, settings

    record, problems = settings.parse(value, "mkdocs.yml", lambda _text: 3)
    assert (record is None) == bool(problems) or (value is None and record is None and not problems)
    assert all(p.code == "PUB001" and p.line == 3 for p in problems)
    if record is not None:
        assert "citation_title" in meta.head(record, [])

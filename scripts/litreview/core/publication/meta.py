"""The review's metadata for machines, as ``<head>`` elements of every page.

- **Highwire Press tags** (``citation_*``), exactly those of Google Scholar's inclusion
  guidelines: title, one ``citation_author`` per author each followed by its institution,
  the publication date as ``YYYY/MM/DD``, journal, volume, issue, first and last page, DOI,
  the PDF's absolute address (when the site has one), and one ``citation_reference`` per
  work the page cites. Zotero's connector reads these for the page itself.
- **Dublin Core** (``DC.*``) and **Open Graph** (``og:*``, ``article:*``) for the same record.
- **JSON-LD** ``ScholarlyArticle`` with its ``citation`` list, for other indexers.

Every value is escaped for the place that consumes it: attribute values for HTML, and
JSON-LD with ``<`` written as ``\\u003c`` so no value can close its ``<script>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import escape

from ..bibliography.loader import Reference
from .settings import Publication


def _meta(name: str, content: str, attribute: str = "name") -> str:
    return f'<meta {attribute}="{escape(name)}" content="{escape(" ".join(content.split()))}">'


def _first_page(pages: str) -> str:
    return re.split(r"-+|\u2013", pages, maxsplit=1)[0].strip()


def reference_tag(ref: Reference) -> str:
    """One cited work as Google Scholar reads ``citation_reference``: ``key=value`` pairs
    joined by ``; `` (a semicolon inside a value would end it, so it becomes a comma)."""
    people = ref.people.get("author") or ref.people.get("editor") or []
    pairs = [("citation_title", ref.get("title"))]
    pairs += [("citation_author", p.literal or f"{p.family}, {p.given}".strip(", ")) for p in people]
    venue = ref.get("journal") or ref.get("journaltitle") or ref.get("booktitle")
    pairs += [("citation_journal_title" if ref.get("journal") else "citation_inbook_title", venue)]
    pairs += [("citation_publication_date", ref.year)]
    pairs += [("citation_volume", ref.get("volume")), ("citation_firstpage", _first_page(ref.get("pages")))]
    pairs += [("citation_doi", ref.doi)]
    return "; ".join(f"{k}={v.replace(';', ',').strip()}" for k, v in pairs if v and v.strip())


def _highwire(pub: Publication, pdf_url: str, cited: list[Reference]) -> list[str]:
    tags = [_meta("citation_title", pub.title)]
    for author in pub.authors:
        tags.append(_meta("citation_author", author.inverted))
        if author.affiliation:
            tags.append(_meta("citation_author_institution", author.affiliation))
        if author.orcid:
            tags.append(_meta("citation_author_orcid", author.orcid))
    tags.append(_meta("citation_publication_date", pub.slash_date))
    for name, value in (
        ("citation_journal_title", pub.journal),
        ("citation_journal_abbrev", pub.journal_abbreviation),
        ("citation_issn", pub.issn),
        ("citation_publisher", pub.publisher),
        ("citation_volume", pub.volume),
        ("citation_issue", pub.issue),
        ("citation_firstpage", pub.first_page),
        ("citation_lastpage", pub.last_page),
        ("citation_doi", pub.doi),
        ("citation_language", pub.language),
        ("citation_pdf_url", pdf_url),
    ):
        if value:
            tags.append(_meta(name, value))
    tags += [_meta("citation_reference", reference_tag(ref)) for ref in cited]
    return tags


def _dublin_core(pub: Publication) -> list[str]:
    tags = [_meta("DC.title", pub.title)]
    tags += [_meta("DC.creator", a.inverted) for a in pub.authors]
    tags += [_meta("DC.date", pub.date), _meta("DC.type", "Text")]
    for name, value in (
        ("DC.identifier", f"doi:{pub.doi}" if pub.doi else ""),
        ("DC.publisher", pub.publisher),
        ("DC.relation.ispartof", pub.journal),
        ("DC.rights", pub.license),
        ("DC.language", pub.language),
        ("DC.description", pub.abstract),
    ):
        if value:
            tags.append(_meta(name, value))
    return tags


def _open_graph(pub: Publication, page_url: str, page_title: str, site_name: str) -> list[str]:
    tags = [
        _meta("og:type", "article", "property"),
        _meta("og:title", page_title or pub.title, "property"),
        _meta("og:site_name", site_name or pub.title, "property"),
        _meta("article:published_time", pub.date, "property"),
    ]
    if page_url:
        tags.append(_meta("og:url", page_url, "property"))
    if pub.abstract:
        tags.append(_meta("og:description", pub.abstract, "property"))
    tags += [_meta("article:author", a.display, "property") for a in pub.authors]
    return tags


def _work(ref: Reference) -> dict[str, Any]:
    people = ref.people.get("author") or ref.people.get("editor") or []
    work: dict[str, Any] = {"@type": "CreativeWork", "name": ref.get("title")}
    if people:
        work["author"] = [{"@type": "Person", "name": p.display} for p in people]
    if ref.get("year"):
        work["datePublished"] = ref.get("year")
    doi = ref.doi
    if doi:
        work["sameAs"] = f"https://doi.org/{doi}"
    return work


def json_ld(pub: Publication, page_url: str, pdf_url: str, cited: list[Reference]) -> str:
    """The ``ScholarlyArticle`` as a ``<script type="application/ld+json">`` element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": pub.title,
        "name": pub.title,
        "datePublished": pub.date,
        "author": [
            {"@type": "Person", "name": a.display, "familyName": a.family, "givenName": a.given}
            | ({"affiliation": {"@type": "Organization", "name": a.affiliation}} if a.affiliation else {})
            for a in pub.authors
        ],
    }
    if pub.journal:
        periodical: dict[str, Any] = {"@type": "Periodical", "name": pub.journal}
        part = {"@type": "PublicationVolume", "volumeNumber": pub.volume, "isPartOf": periodical}
        data["isPartOf"] = part if pub.volume else periodical
    optional = {
        "pageStart": pub.first_page,
        "pageEnd": pub.last_page,
        "sameAs": f"https://doi.org/{pub.doi}" if pub.doi else "",
        "license": pub.license,
        "url": page_url,
        "encoding": {"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": pdf_url}
        if pdf_url
        else "",
        "abstract": pub.abstract,
        "inLanguage": pub.language,
    }
    data |= {k: v for k, v in optional.items() if v}
    data["citation"] = [_work(ref) for ref in cited]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


def into_head(html: str, tags: str) -> str:
    """``html`` with ``tags`` at the end of its ``<head>`` (unchanged if it has none)."""
    at = html.find("</head>")
    return html if at < 0 else html[:at] + tags + html[at:]


def head(
    pub: Publication,
    cited: Iterable[Reference],
    page_url: str = "",
    page_title: str = "",
    site_name: str = "",
    pdf_url: str = "",
) -> str:
    """Every metadata element for one page's ``<head>``, one per line."""
    works = list(cited)
    tags = (
        _highwire(pub, pdf_url, works) + _dublin_core(pub) + _open_graph(pub, page_url, page_title, site_name)
    )
    tags.append(json_ld(pub, page_url, pdf_url, works))
    return "\n".join(tags) + "\n"

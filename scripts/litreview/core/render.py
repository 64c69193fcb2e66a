"""HTML for citations, per-page reference lists and the site-wide References page.

Pure functions of their inputs: the adapters call them with numbers and URLs once the
whole site is known. Every value from a bibliography is escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from .bibliography import Reference
from .registry import CiteRecord, PageCitations

_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_TAGS = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r'<span class="lr-cite-slot" data-lr-cite="(\d+)"></span>')
PAGE_REFS = re.compile(r'<div class="lr-page-references" data-lr-slot="page"></div>')
SITE_REFS = re.compile(r'<div class="lr-bibliography" data-lr-slot="site"></div>')


def anchor(key: str) -> str:
    """A stable, URL-safe id for a key (``10.1000/x`` becomes ``ref-10.1000_x``)."""
    return "ref-" + _ANCHOR_UNSAFE.sub("_", key)


def plain(html: Markup | str) -> str:
    """Text of formatted HTML, for a ``title`` tooltip."""
    return Markup(_TAGS.sub("", str(html))).unescape()


def compact(numbers: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive numbers: [1, 3, 4, 5] becomes [(1, 1), (3, 5)]."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


@dataclass
class Site:
    """What rendering needs to know about the whole site."""

    numbers: dict[str, int]
    references: dict[str, Reference]
    formatted: Callable[[Reference], Markup]
    ref_href: Callable[[str], str]


def _number_link(site: Site, key: str) -> Markup:
    ref = site.references.get(key)
    n = site.numbers.get(key)
    if ref is None or n is None:
        return Markup('<span class="lr-cite-missing" title="Unknown reference">?{}</span>').format(key)
    return Markup('<a class="lr-cite-link" href="{}" title="{}" data-lr-key="{}">{}</a>').format(
        site.ref_href(key), plain(site.formatted(ref)), key, n
    )


def citation_html(site: Site, record: CiteRecord) -> Markup:
    """``[1, 3–5]``, ``[3, p. 12]``, ``[see 1]`` or, narrative, ``Bell et al. [2]``."""
    items = record.citation.items
    parts: list[Markup] = []
    if any(i.prefix or i.locator for i in items) or len(items) == 1:
        for item in items:
            text = _number_link(site, item.key)
            if item.prefix:
                text = Markup("{} {}").format(item.prefix, text)
            if item.locator:
                text = Markup("{}, {}").format(text, item.locator)
            parts.append(text)
        sep = Markup("; ") if any(i.locator for i in items) else Markup(", ")
        inner = sep.join(parts)
    else:
        known = [i.key for i in items if i.key in site.numbers and i.key in site.references]
        by_number = {site.numbers[k]: k for k in known}
        for lo, hi in compact(list(by_number)):
            link = _number_link(site, by_number[lo])
            if lo != hi:
                link = Markup("{}\u2013{}").format(link, _number_link(site, by_number[hi]))
            parts.append(link)
        parts.extend(_number_link(site, i.key) for i in items if i.key not in known)
        inner = Markup(", ").join(parts)
    html = Markup('<span class="lr-cite" id="lr-c{}">[{}]</span>').format(record.index, inner)
    if record.citation.narrative:
        html = Markup("{} {}").format(_narrative_name(site, items[0].key), html)
    return html


def _narrative_name(site: Site, key: str) -> str:
    ref = site.references.get(key)
    if ref is None:
        return key
    people = ref.people.get("author") or ref.people.get("editor") or []
    if not people:
        return ref.get("title") or key
    first = people[0].family or people[0].display
    if len(people) == 2:
        return f"{first} and {people[1].family or people[1].display}"
    return f"{first} et al." if len(people) > 2 else first


def entry_links(ref: Reference) -> Markup:
    """DOI and URL links; a URL becomes a link only for http(s)."""
    links: list[Markup] = []
    doi = ref.fields.get("doi", "").strip()
    if doi:
        doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi, flags=re.I)
        links.append(Markup('<a class="lr-doi" href="https://doi.org/{}">doi:{}</a>').format(doi, doi))
    url = ref.fields.get("url", "").strip()
    if re.match(r"https?://", url, re.I):
        links.append(Markup('<a class="lr-url" href="{}">{}</a>').format(url, url))
    return Markup(" ").join(links)


def page_references(site: Site, page: PageCitations, global_href: Callable[[str], str]) -> Markup:
    """The list at the end of a page: only what it cites, under the global numbers."""
    keys = sorted(
        {k for k in page.keys_in_order() if k in site.numbers and k in site.references},
        key=lambda k: site.numbers[k],
    )
    if not keys:
        return Markup("")
    items = [
        Markup(
            '<li value="{n}" id="{id}">{text} <a class="lr-to-bibliography" href="{href}" '
            'title="In the References of the whole review">&#8599;</a></li>'
        ).format(
            n=site.numbers[k], id=anchor(k), text=site.formatted(site.references[k]), href=global_href(k)
        )
        for k in keys
    ]
    return Markup('<ol class="lr-references">{}</ol>').format(Markup("").join(items))


@dataclass(frozen=True)
class CitedIn:
    """One place a work is cited: a page and the block that holds the citation."""

    title: str
    href: str


def bibliography(site: Site, cited_in: dict[str, list[CitedIn]]) -> Markup:
    """Every cited work once, in number order, with back-links and its BibTeX."""
    rows: list[Markup] = []
    for key, n in sorted(site.numbers.items(), key=lambda kv: kv[1]):
        ref = site.references.get(key)
        if ref is None:
            continue
        backs = Markup(", ").join(
            Markup('<a href="{}">{}</a>').format(c.href, c.title) for c in cited_in.get(key, [])
        )
        rows.append(
            Markup(
                '<li value="{n}" id="{id}"><span class="lr-entry">{text}</span> {links}'
                '<span class="lr-cited-in">Cited in: {backs}</span>'
                '<details class="lr-bibtex"><summary>BibTeX</summary>'
                '<div class="highlight"><pre><code>{raw}</code></pre></div></details></li>'
            ).format(
                n=n,
                id=anchor(key),
                text=site.formatted(ref),
                links=entry_links(ref),
                backs=backs,
                raw=ref.raw.strip(),
            )
        )
    return Markup('<ol class="lr-references lr-bibliography-list">{}</ol>').format(Markup("").join(rows))


def fill_page(html: str, site: Site, page: PageCitations, global_href: Callable[[str], str]) -> str:
    """Replace the extension's slots in a page's HTML with the rendered citations."""
    records = page.records
    html = PLACEHOLDER.sub(lambda m: str(citation_html(site, records[int(m.group(1))])), html)
    return PAGE_REFS.sub(lambda m: str(page_references(site, page, global_href)), html)


def fill_bibliography(html: str, site: Site, cited_in: dict[str, list[CitedIn]]) -> str:
    """Replace the References page's slot with the full bibliography."""
    listing = str(bibliography(site, cited_in))
    return SITE_REFS.sub(lambda _m: listing, html)


__all__ = ["Site", "anchor", "bibliography", "citation_html", "compact", "escape", "fill_page"]

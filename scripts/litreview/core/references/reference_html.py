"""HTML for citations, per-page reference lists and the site-wide References page.

Pure functions of their inputs: the adapters call them with numbers and URLs once the
whole site is known. Every value from a bibliography is escaped here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from markupsafe import Markup, escape

from ..bibliography.latex_text import script_text, typeset_as_text
from ..bibliography.loader import Reference
from ..bibliography.verdicts import Verdict
from ..citations import slots
from ..citations.cite_records import CiteRecord, PageCitations
from ..citations.syntax import Citation, find_in_text
from ..findings.problems import Problem, Severity
from ..identifiers.citekey import bare_doi
from ..text import escaping
from . import authordate
from .anchors import anchor
from .coins import coins
from .csl import Layout

_TAGS = re.compile(r"<[^>]+>")
#: A citation inside an attribute (an image's alt text), where only text can stand.


def references_markdown(title: str) -> str:
    """Source of the generated References page; the checks read it like any other page."""
    return (
        f"---\ntitle: {escaping.yaml_string(title)}\nsearch:\n  boost: 0.5\n---\n\n"
        f"# {escaping.markdown(title)}\n\n{slots.BIBLIOGRAPHY}\n"
    )


_SCRIPT_TAG = re.compile(r"<(sup|sub)>([^<&]*)</\1>")


@functools.lru_cache(maxsize=65536)
def plain(html: str) -> str:
    """Text of formatted HTML, for a tooltip or the search index; math reads as Unicode."""
    if "<su" in html:  # 10<sup>3</sup> reads 10³, CO<sub>2</sub> CO₂
        html = _SCRIPT_TAG.sub(lambda m: script_text(m.group(2), m.group(1) == "sup"), html)
    return typeset_as_text(Markup(_TAGS.sub("", html)).unescape())


def compact(numbers: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive numbers: [1, 3, 4, 5] becomes [(1, 1), (3, 5)]."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _e(value: object) -> str:
    """Escape for HTML text and attributes (markupsafe's C implementation)."""
    return str(escape(value))


class InText(Protocol):
    """An author–date style's in-text forms (:class:`~.csl.CslFormatter` is one)."""

    @property
    def layout(self) -> Layout:
        """How the style lays out lists and citations (numbered or author–date)."""

    def cite(self, ref: Reference, label: str = "", locator: str = "") -> Markup:
        """A work's in-text form (author–date styles), with its label and locator."""


@dataclass
class RenderContext:
    """What rendering needs to know about the whole site."""

    numbers: dict[str, int]
    references: dict[str, Reference]
    formatted: Callable[[Reference], Markup]
    ref_href: Callable[[str], str]
    in_text: InText | None = None
    """Set for an author–date style: citations read "(Smith &amp; Lee, 2020)", lists are unnumbered."""
    short: Callable[[Reference], Markup] | None = None
    """The author–date form of a work without locator, cached per build."""
    verdicts: Mapping[str, Verdict] | None = None
    """``litreview verify``'s verdicts by key (from the committed cache); None: not shown."""
    new_in: Mapping[str, str] | None = None
    """Works the newest release added → its tag (``releases: true``): "new in v1.1" marks."""
    coins_text: Callable[[Reference], str] = coins
    """How a work's COinS span is made (a build reads it from its per-work texts)."""
    bibtex_text: Callable[[Reference], str] = Reference.bibtex
    """How a work's self-contained BibTeX is made (likewise)."""
    links_text: Callable[[Reference], str] | None = None
    """How a work's DOI/URL links are made (likewise; None: :func:`entry_links`)."""
    _links: dict[str, str] = field(default_factory=dict)
    _entry_links: dict[str, Markup] = field(default_factory=dict)
    _coins: dict[str, str] = field(default_factory=dict)

    def coins_of(self, key: str) -> str:
        """The work's COinS span (for Zotero), built once per build however many pages list it."""
        found = self._coins.get(key)
        if found is None:
            found = self._coins[key] = self.coins_text(self.references[key])
        return found

    def links_of(self, key: str) -> Markup:
        """The work's DOI/URL links, built once per build however many pages list it."""
        found = self._entry_links.get(key)
        if found is None:
            ref = self.references[key]
            found = Markup(self.links_text(ref)) if self.links_text is not None else entry_links(ref)
            self._entry_links[key] = found
        return found

    def number_link(self, key: str) -> str:
        """The linked number of a work with its full reference as tooltip, built once per key."""
        link = self._links.get(key)
        if link is None:
            link = self.link(key, str(self.numbers.get(key, "")))
            self._links[key] = link
        return link

    def link(self, key: str, text: str) -> str:
        """``text`` (safe HTML) linked to the work's entry, with its full reference as tooltip."""
        ref = self.references.get(key)
        if ref is None or key not in self.numbers:
            tip = escaping.tooltip("Unknown reference")
            return f'<span class="lr-cite-missing"{tip}>?{_e(key)}</span>'
        # Not ``title``: themes may render that as HTML (see :mod:`..text.escaping`).
        said = status_words(self, key)
        tip = escaping.tooltip(plain(str(self.formatted(ref))) + (f" [{said}]" if said else ""))
        return (
            f'<a class="lr-cite-link" href="{_e(self.ref_href(key))}"{tip} data-lr-key="{_e(key)}">{text}</a>'
        )


#: How the site says each recorded verdict: an icon (hidden from screen readers) and words, never
#: colour alone. A work with no verdict recorded gets no mark: "not yet verified" on every
#: reference of a review nobody verified would read to its readers as a warning (issue 28).
_SHOWN_AS = {
    "verified": ("\u2713", "Verified"),
    "retracted": ("\u26a0", "Retracted"),
    "mismatch": ("\u25cb", "Unverified: differs from its record"),
    "not-found": ("\u25cb", "Unverified: no record found"),
    "ambiguous": ("\u25cb", "Unverified: several records fit"),
}


def _recorded(site: RenderContext, key: str) -> tuple[Verdict, tuple[str, str]] | None:
    """The work's recorded verdict and how it is shown (None: nothing to show)."""
    verdict = site.verdicts.get(key) if site.verdicts else None
    shown = _SHOWN_AS.get(verdict.status) if verdict else None
    return (verdict, shown) if verdict and shown else None


def status_words(site: RenderContext, key: str) -> str:
    """The recorded verdict in words for a tooltip ('' when none is recorded or shown)."""
    found = _recorded(site, key)
    return found[1][1] if found else ""


def status_html(site: RenderContext, key: str) -> str:
    """A work's recorded verdict as the References page shows it: verified with its DOI,
    retracted with the notice (prominent), otherwise unverified and why; '' with none."""
    found = _recorded(site, key)
    if found is None:
        return ""
    verdict, (icon, words) = found
    kind = "unverified" if icon == "\u25cb" else verdict.status
    mark = f'<span aria-hidden="true">{icon}</span> {_e(words)}'
    when = f"{verdict.status} by litreview verify on {verdict.checked}" + (
        f" ({verdict.source})" if verdict.source else ""
    )
    if verdict.status == "retracted":
        safe = re.match(r"https?://", verdict.notice, re.I)  # the cache is untrusted: no javascript:
        notice = f' <a href="{_e(verdict.notice)}">retraction notice</a>' if safe else ""
        return (
            f'<strong class="lr-status lr-status-retracted"{escaping.tooltip(when)}>{mark}</strong>{notice}'
        )
    doi = ""
    if verdict.status == "verified" and verdict.doi:
        doi = (
            f' <a class="lr-verified-doi" href="https://doi.org/{_e(verdict.doi)}">doi:{_e(verdict.doi)}</a>'
        )
    return f'<span class="lr-status lr-status-{kind}"{escaping.tooltip(when)}>{mark}</span>{doi}'


def verified_note(site: RenderContext) -> str:
    """When the references were last verified, above the References page's list ('' when no
    verdict is recorded for any of them: readers are told nothing rather than "not checked")."""
    listed = [k for k in site.numbers if k in site.references]
    found = [v for v, _shown in filter(None, (_recorded(site, k) for k in listed))]
    if not found:
        return ""
    verified = sum(1 for v in found if v.status == "verified")
    retracted = sum(1 for v in found if v.status == "retracted")
    last = max(v.checked for v in found)
    extra = f", {retracted} retracted" if retracted else ""
    return (
        f'<p class="lr-verified-note">References last verified on <time datetime="{_e(last)}">{_e(last)}'
        f"</time>: {verified} of {len(listed)} verified against their records{extra}.</p>"
    )


def _author_date_html(site: RenderContext, in_text: InText, record: CiteRecord) -> Markup:
    """``(see Smith &amp; Lee, 2020a, p. 12; Wu et al., 2021)``, ``(2020)``, or ``Smith and Lee (2020)``."""
    layout = in_text.layout
    parts: list[str] = []
    for item in record.citation.items:
        ref = site.references.get(item.key)
        if ref is None or item.key not in site.numbers:
            parts.append(site.link(item.key, ""))
            continue
        located = authordate.split_locator(item.locator) if item.locator else None
        if located is not None:
            inner = str(in_text.cite(ref, *located))
        else:
            inner = str(site.short(ref) if site.short is not None else in_text.cite(ref))
            inner += f", {_locator_html(site, item.locator)}" if item.locator else ""
        if record.citation.narrative:
            author, date = authordate.split_date(inner, ref)
            if layout.and_symbol:  # "&" belongs inside parentheses; running text says "and"
                author = author.replace(" &amp; ", " and ")
            link = site.link(item.key, date)
            html = f'<span class="lr-cite lr-cite-ad" id="lr-c{record.index}">({link})</span>'
            return Markup(f"{author} {html}" if author else html)
        if item.suppress_author:
            inner = authordate.split_date(inner, ref)[1]
        parts.append((f"{_e(item.prefix)} " if item.prefix else "") + site.link(item.key, inner))
    body = f"{layout.prefix}{layout.delimiter.join(parts)}{layout.suffix}"
    return Markup(f'<span class="lr-cite lr-cite-ad" id="lr-c{record.index}">{body}</span>')


def citation_html(site: RenderContext, record: CiteRecord) -> Markup:
    """``[1, 3–5]``, ``[3, p. 12]``, ``[see 1]`` or, narrative, ``Bell et al. [2]``."""
    if site.in_text is not None:
        return _author_date_html(site, site.in_text, record)
    items = record.citation.items
    parts: list[str] = []
    repeated = len({i.key for i in items}) < len(items)  # each shown as often as written
    if len(items) == 1 or repeated or any(i.prefix or i.locator for i in items):
        for item in items:
            text = site.number_link(item.key)
            if item.prefix:
                text = f"{_e(item.prefix)} {text}"
            if item.locator:
                text = f"{text}, {_locator_html(site, item.locator)}"
            parts.append(text)
        inner = ("; " if any(i.locator for i in items) else ", ").join(parts)
    else:
        known = [i.key for i in items if i.key in site.numbers and i.key in site.references]
        by_number = {site.numbers[k]: k for k in known}
        for lo, hi in compact(list(by_number)):
            link = site.number_link(by_number[lo])
            if lo != hi:
                link = f"{link}\u2013{site.number_link(by_number[hi])}"
            parts.append(link)
        parts.extend(site.number_link(i.key) for i in items if i.key not in known)
        inner = ", ".join(parts)
    html = f'<span class="lr-cite" id="lr-c{record.index}">[{inner}]</span>'
    if record.citation.narrative:
        html = f"{_e(_narrative_name(site, items[0].key))} {html}"
    return Markup(html)


def _locator_html(site: RenderContext, locator: str) -> str:
    """A locator, escaped, with the citations pandoc reads inside it (``[@a, @b; @c]``) as links."""
    if "@" not in locator:
        return _e(locator)
    parts, pos = [], 0
    for cited in find_in_text(locator):
        if isinstance(cited, Citation):
            links = ", ".join(_nested_link(site, key) for key in cited.keys)
            parts += [_e(locator[pos : cited.start]), links if cited.narrative else f"[{links}]"]
            pos = cited.end
    return "".join(parts) + _e(locator[pos:])


def _nested_link(site: RenderContext, key: str) -> str:
    """A citation nested in another's locator: its number, or its author–date form."""
    ref = site.references.get(key)
    if site.short is None or ref is None or key not in site.numbers:
        return site.number_link(key)
    return site.link(key, str(site.short(ref)))


def _narrative_name(site: RenderContext, key: str) -> str:
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
    links: list[str] = []
    doi = bare_doi(ref.get("doi"))  # as written, but for BibTeX's escapes (\_)
    if doi:
        links.append(f'<a class="lr-doi" href="https://doi.org/{_e(doi)}">doi:{_e(doi)}</a>')
    url = ref.get("url")
    same_work = doi and bare_doi(url).casefold() == doi.casefold()
    if re.match(r"https?://", url, re.I) and not same_work:  # the DOI's own address: linked once
        links.append(f'<a class="lr-url" href="{_e(url)}">{_e(url)}</a>')
    return Markup(" ".join(links))


def _with_space(links: Markup) -> str:
    return f"{links} " if links else ""


def page_references(
    site: RenderContext, page: PageCitations, global_href: Callable[[str], str], downloads: str = ""
) -> Markup:
    """The list at the end of a page: only what it cites, under the global numbers (and, given
    ``downloads``, links to those works as files)."""
    keys = sorted(
        {k for k in page.keys_in_order() if k in site.numbers and k in site.references},
        key=lambda k: site.numbers[k],
    )
    items = "".join(
        f'<li{_value(site, k)} id="{anchor(k)}">{site.formatted(site.references[k])}{site.coins_of(k)} '
        f"{_with_space(site.links_of(k))}{_retracted(site, k)}"
        f"{to_bibliography(global_href(k))}</li>"
        for k in keys
    )
    return Markup(_list(site, "lr-references", items) + downloads if keys else "")


def to_bibliography(href: str) -> Markup:
    """The ↗ that leads from a work to its entry in the References of the whole review."""
    return Markup(
        f'<a class="lr-to-bibliography" href="{_e(href)}" '
        'title="In the References of the whole review">&#8599;</a>'
    )


def _retracted(site: RenderContext, key: str) -> str:
    """A page's own list shows a verdict only when the work is retracted: that, readers must see."""
    found = _recorded(site, key)
    return status_html(site, key) + " " if found and found[0].status == "retracted" else ""


def _value(site: RenderContext, key: str) -> str:
    """A numbered list item carries the work's number; an author–date list has none."""
    return "" if site.in_text is not None else f' value="{site.numbers[key]}"'


def _list(site: RenderContext, classes: str, items: str) -> str:
    if site.in_text is not None:
        return f'<ul class="{classes} lr-author-date">{items}</ul>'
    return f'<ol class="{classes}">{items}</ol>'


@dataclass(frozen=True)
class CitedIn:
    """One place a work is cited: a page and the block that holds the citation."""

    title: str
    href: str
    page: str = ""


def cited_in(
    pages: list[PageCitations], title_of: Callable[[str], str], link: Callable[[str, str], str]
) -> dict[str, list[CitedIn]]:
    """Key → every paragraph citing it, pages in navigation order: ``title_of(page)`` names a
    page, ``link(page, paragraph id)`` leads there from the References page."""
    out: dict[str, list[CitedIn]] = {}
    for page in pages:
        title = title_of(page.src_uri)
        for key, block in page.places():
            out.setdefault(key, []).append(CitedIn(title, link(page.src_uri, block), page.src_uri))
    return out


def cited_in_html(places: list[CitedIn]) -> Markup:
    """``Introduction, Methods (¶1, ¶2)``: one name per page, a link per citing paragraph."""
    by_page: dict[str, list[CitedIn]] = {}
    for place in places:
        by_page.setdefault(place.page or place.title, []).append(place)
    out: list[str] = []
    for group in by_page.values():
        title = _e(group[0].title)
        if len(group) == 1:
            out.append(f'<a href="{_e(group[0].href)}">{title}</a>')
        else:
            links = ", ".join(
                f'<a href="{_e(c.href)}" aria-label="{title} \u00b6{i}"'
                f"{escaping.tooltip(f'{group[0].title} ¶{i}')}>\u00b6{i}</a>"
                for i, c in enumerate(group, 1)
            )
            out.append(f"{title} ({links})")
    return Markup(", ".join(out))


def cited_in_span(places: list[CitedIn]) -> Markup:
    """``Cited in: …`` as the References and What's new pages show it under a work."""
    return Markup(f'<span class="lr-cited-in">Cited in: {cited_in_html(places)}</span>')


def search_text(site: RenderContext) -> Markup:
    """The bibliography as the search index reads it: a heading per work, nothing else.

    Search lands on headings, so each work is one (its id the entry's own, ``ref-<key>``):
    a search for a title or an author opens the References page at that work. The page
    itself shows :func:`bibliography`, which replaces this after search has read it.
    """
    entries = (
        f'<h2 id="{anchor(key)}">'
        + ("" if site.in_text is not None else f"[{n}] ")
        + _e(plain(str(site.formatted(site.references[key]))))
        + "</h2>"
        for key, n in sorted(site.numbers.items(), key=lambda kv: kv[1])
        if key in site.references
    )
    return Markup(f'<div class="lr-search-text">{"".join(entries)}</div>')


#: A long list (a living review's thousands) is laid out differently, for Chromium's sake,
#: measured at 2,500 works: no BibTeX block per entry (the download has them all; the blocks
#: took the page 37 s to load, against 4.4 s without); each number written out rather than
#: given as ``<li value>`` (the stylesheet makes the entries blocks): Chromium recomputes list
#: items' ordinals for every entry the filter shows or hides (4.8 s to show them all again);
#: and the entries come in parts of PART (see _long_list).
LONG_LIST = 300
PART = 50


def _long_list(site: RenderContext, classes: str, rows: list[str]) -> Iterator[str]:
    """One list to assistive technology (role list, its items listitem) made of parts of PART
    entries, each an ``ol`` (``ul``) of role none that the stylesheet lays out only near the
    screen: a keystroke in the filter then costs the parts in view, not every entry (at 2,500
    works, 100-190 ms at worst as one list, 24-75 ms in parts)."""
    tag = "ul" if site.in_text is not None else "ol"
    author_date = " lr-author-date" if site.in_text is not None else ""
    yield f'<div class="{classes}{author_date}" role="list">'
    for i in range(0, len(rows), PART):
        yield f'<{tag} class="lr-part" role="none">'
        yield from rows[i : i + PART]
        yield f"</{tag}>"
    yield "</div>"


def bibliography(
    site: RenderContext, cited_in: dict[str, list[CitedIn]] | None = None, downloads: str = ""
) -> Markup:
    """Every cited work once, in number order, with back-links and its BibTeX (and, given
    ``downloads``, links to all of them as files)."""
    return Markup("".join(bibliography_parts(site, cited_in, downloads)))


def bibliography_parts(
    site: RenderContext, cited_in: dict[str, list[CitedIn]] | None = None, downloads: str = ""
) -> Iterator[str]:
    """:func:`bibliography` in pieces (safe HTML), for a page that joins them into its own text
    once: at 10,000 works the list is tens of megabytes, and each copy of it counts."""
    long = len(site.numbers) > LONG_LIST
    rows = [
        _bibliography_row(site, key, cited_in, long)
        for key, _n in sorted(site.numbers.items(), key=lambda kv: kv[1])
        if key in site.references
    ]
    yield verified_note(site)
    yield downloads
    if long:
        yield from _long_list(site, "lr-references lr-bibliography-list lr-long", rows)
    else:
        yield _list(site, "lr-references lr-bibliography-list", "".join(rows))


def _bibliography_row(
    site: RenderContext, key: str, cited_in: dict[str, list[CitedIn]] | None, long: bool
) -> str:
    """One work's entry on the References page."""
    ref = site.references[key]
    role = ' role="listitem"' if long else ""
    links = site.links_of(key)
    extra = ""
    if cited_in is not None:
        extra = str(cited_in_span(cited_in.get(key, [])))
    if cited_in is not None and not long:
        extra += (
            '<details class="lr-bibtex"><summary>BibTeX</summary>'
            f'<div class="highlight"><pre><code>{_e(site.bibtex_text(ref))}</code></pre></div></details>'
        )
    status = status_html(site, key)
    if site.new_in and key in site.new_in:
        status += f'<span class="lr-new">new in {_e(site.new_in[key])}</span>'
    value, number = _value(site, key), ""
    if long and value:  # the stylesheets write "12." on screen and "[12]" in print
        value, number = "", f'<span class="lr-n">{site.numbers[key]}</span> '
    return (
        f'<li{value}{role} id="{anchor(key)}">{number}<span class="lr-entry">{site.formatted(ref)}</span>'
        f"{site.coins_of(key)} "
        f"{links + ' ' if links else ''}{status + ' ' if status else ''}{extra}</li>"
    )


def fill_page(
    html: str,
    site: RenderContext,
    page: PageCitations,
    global_href: Callable[[str], str],
    downloads: str = "",
) -> str:
    """Replace the extension's slots in a page's HTML with the rendered citations, in one pass."""
    records = page.records

    def rendered(index: int) -> str | None:
        return str(citation_html(site, records[index])) if index < len(records) else None

    html = slots.fill_citations(html, rendered, lambda found: _e(plain(found)))  # in an attribute: text only
    return html.replace(slots.PAGE_LIST, str(page_references(site, page, global_href, downloads)), 1)


def fill_bibliography(html: str, listing: str) -> str:
    """Replace the References page's slot with a rendered bibliography."""
    return slots.fill_bibliography(html, listing)


_BODY = re.compile(r"<body\b[^>]*>")
_SHOWN = 20


def with_problems(html: str, path: str, problems: list[Problem]) -> str:
    """A page as ``mkdocs serve`` shows it: its own errors and warnings in a panel on top.

    Errors in files that are no page (the bibliography, mkdocs.yml) are named, not listed:
    they are in the terminal, and a list on every page would bury the page's own. Each is
    shown as written: markup as text, a control character as ``\\x1b``.
    """
    shown = [p for p in problems if p.severity is not Severity.IGNORE]
    own = [p for p in shown if p.path == path]
    elsewhere = sorted(
        {
            p.path
            for p in shown
            if p.severity is Severity.ERROR and p.path != path and not p.path.endswith((".md", ".markdown"))
        }
    )
    match = _BODY.search(html)
    if match is None or not (own or elsewhere):
        return html
    items = "".join(f"<li><code>{_e(escaping.visible(p.format()))}</code></li>" for p in own[:_SHOWN])
    more = f"<li>… and {len(own) - _SHOWN} more in the terminal</li>" if len(own) > _SHOWN else ""
    other = f"<p>More findings in {_e(', '.join(elsewhere))}: see the terminal.</p>" if elsewhere else ""
    heading = f"{len(own)} finding{'s' if len(own) != 1 else ''} on this page" if own else "Findings"
    panel = (
        '<div class="lr-serve-problems" role="alert">'
        f"<p><strong>litreview:</strong> {heading} (shown by <code>mkdocs serve</code> only; "
        "<code>mkdocs build --strict</code> and <code>litreview check</code> still fail on errors)</p>"
        f"<ul>{items}{more}</ul>{other}</div>"
    )
    return html[: match.end()] + panel + html[match.end() :]

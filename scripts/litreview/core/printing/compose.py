"""One print document from the built pages: the review as the article reads, for the PDF.

It is made from the pages as built (after every plugin and the theme), so the PDF shows
what readers see: the same paragraphs, the same citation numbers. From each part's
``<article>`` the web furniture goes (edit buttons, permalinks, section links, cross-link
boxes, per-page lists, downloads); the parts follow in order under one title, with one
reference list, the References page's. Ids are made unique per part, so a section's
``#lr-p1`` never meets another's, and every link is rewritten for the one document: to a
part, a heading or a reference inside it, or else to its address on the web.

The home page's section that holds "How to cite" (the article's back matter: about, how to
cite, licence) moves after the references, where the article has it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from markupsafe import Markup, escape

from ..publication import cite
from ..publication.settings import Publication

#: What only the web needs (print CSS hides most of it on the site; here it is removed).
FURNITURE = (
    ".md-content__button",
    ".md-source-file",
    ".md-feedback",
    "a.headerlink",
    ".lr-section-link",
    "nav.lr-crosslinks",
    ".lr-page-references",
    ".lr-downloads",
    ".lr-pdf-download",
    "details.lr-bibtex",
    "details.lr-cite-as",
    ".lr-cited-in",
    ".lr-search-text",
    ".lr-serve-problems",
    ".lr-to-bibliography",
    "script",
    "style",
)
_GONE = ", ".join((*FURNITURE, "#page-references", ".lr-references:not(.lr-bibliography-list)"))
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Part:
    """One built page in the document: its site URL (``""`` for the home page, else
    ``description/x/``), its HTML, and the nav group it sits in (a heading of its own)."""

    url: str
    html: str
    group: str = ""


@dataclass
class _Ids:
    """Ids of the document: each part's own, prefixed; the references' kept as they are."""

    references: set[str] = field(default_factory=set)
    parts: dict[str, tuple[str, set[str]]] = field(default_factory=dict)  # url → (prefix, ids)

    def target(self, url: str, fragment: str) -> str | None:
        """The id a link to ``url#fragment`` lands on in the document, if it is in it."""
        if fragment in self.references:
            return fragment
        if url not in self.parts:
            return None
        prefix, ids = self.parts[url]
        return prefix + fragment if fragment in ids else prefix.rstrip("-")


def compose(
    parts: list[Part],
    references: Part | None,
    *,
    publication: Publication | None,
    site_url: str,
    title: str,
    language: str,
    css: str,
) -> str:
    """The whole review as one HTML document, every link pointing within it or to the web."""
    articles = [_article(p.html) for p in parts]
    back = _back_matter(articles[0]) if articles else None
    bibliography = _bibliography(references.html) if references is not None else None
    ids = _Ids(references={str(t["id"]) for t in bibliography.select("[id]")} if bibliography else set())
    for number, (part, article) in enumerate(zip(parts, articles, strict=True)):
        ids.parts[part.url] = (f"part{number}-", _prefix_ids(article, f"part{number}-", ids.references))
    if back is not None:
        _prefix_ids(back, "part0-", ids.references)
    body: list[str] = []
    group = ""
    for number, (part, article) in enumerate(zip(parts, articles, strict=True)):
        _rewrite_links(article, part.url, ids, references, site_url)
        if part.group and part.group != group:
            body.append(f'<section class="lr-print-group"><h2>{escape(part.group)}</h2></section>')
        group = part.group
        _shift_headings(article, 0 if number == 0 else (2 if part.group else 1))
        top = " lr-top" if number and not part.group else ""  # a top-level part starts a page
        inner = article.decode_contents()
        body.append(f'<section class="lr-print-part{top}" id="part{number}">{inner}</section>')
    if bibliography is not None and references is not None:
        _rewrite_links(bibliography, references.url, ids, references, site_url)
        heading = "<h2>References</h2>"
        body.append(f'<section class="lr-print-references" id="references">{heading}{bibliography}</section>')
    body.append(_back(back, parts, ids, references, site_url, publication))
    return _document(title, language, css, "".join(body))


def _document(title: str, language: str, css: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{escape(language or "en")}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{css}</style></head>"
        f'<body class="lr-print">{body}</body></html>'
    )


def _article(html: str) -> Tag:
    """The page's content, without the theme around it and without web furniture."""
    start, end = html.find("<article"), html.rfind("</article>")
    if 0 <= start < end:
        html = html[start : end + len("</article>")]  # the theme around it is most of the page
    soup = BeautifulSoup(html, "html.parser")
    found = soup.select_one("article") or soup.select_one("[role=main]") or soup.body
    article = found if isinstance(found, Tag) else soup
    # and a page's own list: the document has one, the References page's
    for tag in article.select(_GONE):
        tag.decompose()
    for row in article.select("thead tr"):
        if not row.get_text(strip=True):
            row.decompose()  # a table's empty header (Markdown tables must have one)
    for status in article.select(".lr-status"):
        if "lr-status-retracted" not in (status.get("class") or []):  # a retraction stays in print
            status.decompose()
    for paragraph in article.find_all("p"):
        if not paragraph.get_text(strip=True) and not paragraph.find(["img", "svg"]):
            paragraph.decompose()  # what held only a section link
    return article


def _bibliography(html: str) -> Tag | None:
    """The References page's list: the document's one reference list."""
    article = _article(html)
    found = article.select_one(".lr-bibliography-list")  # a long list is a div of parts
    return found if isinstance(found, Tag) else None


def _back_matter(home: Tag) -> Tag | None:
    """The home page's section holding How to cite (up to the next heading of its level), taken out."""
    slot = home.select_one(".lr-how-to-cite")
    if slot is None:
        return None
    start = next((h for h in slot.find_all_previous(["h2"]) if isinstance(h, Tag)), None)
    if start is None or start.parent is not home:
        return None
    taken = [start]
    for sibling in start.find_next_siblings():
        if isinstance(sibling, Tag) and sibling.name in ("h1", "h2"):
            break
        taken.append(sibling)
    holder = BeautifulSoup("<div></div>", "html.parser").div
    assert holder is not None
    for element in taken:
        holder.append(element.extract())
    return holder


def _back(
    back: Tag | None,
    parts: list[Part],
    ids: _Ids,
    references: Part | None,
    site_url: str,
    publication: Publication | None,
) -> str:
    """The back matter: the home page's, or How to cite made from ``publication:``."""
    if back is not None:
        _rewrite_links(back, parts[0].url if parts else "", ids, references, site_url)
        _shift_headings(back, 0)
        return f'<section class="lr-print-back">{back.decode_contents()}</section>'
    if publication is None:
        return ""
    line = cite.line(publication)
    licence = (
        Markup('<p>Licence: <a href="{0}">{0}</a></p>').format(publication.license)
        if publication.license
        else ""
    )
    return f'<section class="lr-print-back"><h2>How to cite</h2><p>{line}</p>{licence}</section>'


def _prefix_ids(article: Tag, prefix: str, keep: set[str]) -> set[str]:
    """Prefix every id (but a reference's, which the document's one list holds); return the old ids."""
    old: set[str] = set()
    for tag in article.select("[id]"):
        value = str(tag["id"])
        if value in keep:
            del tag["id"]  # the page's own list is gone; the document's list holds this id
            continue
        old.add(value)
        tag["id"] = prefix + value
    return old


def _shift_headings(article: Tag, by: int) -> None:
    if by == 0:
        return
    for heading in article.find_all(list(_HEADINGS)):
        level = int(heading.name[1]) + by
        heading.name = f"h{min(level, 6)}"


def _rewrite_links(article: Tag, page_url: str, ids: _Ids, references: Part | None, site_url: str) -> None:
    """Links within the document become ``#id``; others absolute; images relative to the site's root."""
    for image in article.find_all("img", src=True):
        src = str(image["src"])
        if not urlsplit(src).scheme and not src.startswith("//"):
            joined = posixpath.join(posixpath.dirname("/" + page_url), src)
            image["src"] = posixpath.normpath(joined).lstrip("/")
    for link in article.find_all("a", href=True):
        href = str(link["href"])
        target = _within(href, page_url, ids, references)
        if target is not None:
            link["href"] = "#" + target
        elif not urlsplit(href).scheme and not href.startswith("//"):
            if site_url:
                link["href"] = urljoin(urljoin(site_url, page_url), href)
            else:
                link.unwrap()  # a page not in the document, with no address to give


def _within(href: str, page_url: str, ids: _Ids, references: Part | None) -> str | None:
    """The id a site link lands on in the document, or None (an external or left-out page)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = parts.path
    if path:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url), path))
        path = joined.lstrip("/")
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        if path in (".", ""):
            path = ""
        elif not path.endswith("/"):
            path += "/"
    else:
        path = page_url
    if references is not None and path == references.url:
        return parts.fragment if parts.fragment in ids.references else "references"
    return ids.target(path, parts.fragment) if path in ids.parts else None

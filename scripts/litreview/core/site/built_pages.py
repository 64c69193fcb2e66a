"""Links in the built site: every internal href/src resolves to a file, every #fragment to an id.

This checks the output, after every plugin and theme has had its say, so it catches what
the source checks cannot (a theme link, a generated page, a plugin's anchors). Findings are
mapped back to the Markdown line that wrote the link where that can be worked out.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..findings.problems import Problem
from ..source.outlines import Link, Outline

_LINK_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
}


@dataclass(frozen=True)
class HtmlLink:
    """An href or src in a built page, with its position in the HTML."""

    url: str
    line: int
    col: int
    tag: str = "a"


@dataclass
class HtmlPage:
    """What linkcheck needs from one built page: its ids and its outgoing links."""

    ids: set[str] = field(default_factory=set)
    links: list[HtmlLink] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = HtmlPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.page.ids.add(str(values["name"]))
        for attr in _LINK_ATTRS.get(tag, ()):
            url = values.get(attr)
            if url is not None:
                line, offset = self.getpos()
                self.page.links.append(HtmlLink(url.strip(), line, offset + 1, tag))


def parse_page(html: str) -> HtmlPage:
    """The links and ids of one built page, in one pass of the HTML parser."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.page


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def scheme(url: str) -> str:
    """The URL's scheme, read without parsing the rest (``http://[::1/x`` has one too)."""
    m = _SCHEME.match(url)
    return m.group(1).lower() if m else ""


def is_external(url: str) -> bool:
    """Links to other hosts are the external checker's, not the internal one's."""
    return url.startswith("//") or scheme(url) in ("http", "https")


def internal(url: str) -> bool:
    """A link into the site itself (not ``mailto:``, not another host, not a bare ``#``)."""
    return not _skipped(url)


def _skipped(url: str) -> bool:
    return bool(scheme(url)) or url.startswith("//") or url in ("", "#")


class HtmlSite:
    """The built site's pages, parsed once each on first use.

    ``base`` is the path the site is served under (``/review/`` for
    ``site_url: https://org.github.io/review/``, as on every GitHub Pages project site):
    a root-relative link ``/review/assets/x.css`` is the file ``assets/x.css``.
    """

    def __init__(self, root: Path, base: str = "/") -> None:
        self.root = root
        self.base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
        self._pages: dict[str, HtmlPage] = {}

    def html_files(self) -> list[str]:
        """The built site's HTML files, relative to its folder, sorted."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html") if p.is_file())

    def page(self, rel: str) -> HtmlPage:
        """One built page, parsed once."""
        if rel not in self._pages:
            text = (self.root / rel).read_text(encoding="utf-8", errors="replace")
            self._pages[rel] = parse_page(text)
        return self._pages[rel]

    def resolve(self, from_page: str, url: str) -> tuple[str, bool, str]:
        """Where a relative URL lands: site path (``index.html`` added for directories),
        whether that file exists, and the fragment."""
        try:
            parts = urlsplit(url)
        except ValueError:  # e.g. an unclosed IPv6 bracket: no file can answer it
            return url, False, ""
        path = unquote(parts.path)
        if not path:
            return from_page, True, parts.fragment
        if path.startswith("/"):
            if not (path + "/").startswith(self.base) and path != self.base.rstrip("/"):
                return path, False, parts.fragment  # on the host, but outside the site
            path = "/" + path[len(self.base) :]
        base = "" if path.startswith("/") else posixpath.dirname(from_page)
        target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
        if target.startswith(".."):
            return target, False, parts.fragment
        if path.endswith("/") or (self.root / target).is_dir():
            target = "index.html" if target == "." else posixpath.join(target, "index.html")
        return target, (self.root / target).is_file(), parts.fragment


def source_of(html_rel: str, sources: dict[str, Outline]) -> str | None:
    """The Markdown page a built page came from (``a/b/index.html`` ← ``a/b.md`` or ``a/b/index.md``)."""
    stem = html_rel[: -len("index.html")].rstrip("/") if html_rel.endswith("index.html") else html_rel[:-5]
    for candidate in (f"{stem}.md", f"{stem}/index.md" if stem else "index.md", f"{stem}/README.md"):
        if candidate.lstrip("/") in sources:
            return candidate.lstrip("/")
    return None


def output_path(src: str) -> str:
    """Where MkDocs (with directory URLs) writes a page or copies a file from ``docs_dir``."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if posixpath.basename(stem) in ("index", "README"):
        return posixpath.join(posixpath.dirname(stem), "index.html")
    return f"{stem}/index.html"


class Locator:
    """Where in the Markdown a built link was written: the link that lands on the same place.

    Each source page's links are indexed once (by exact target, and by where they land),
    so mapping thousands of broken links back costs one look-up each, not a scan each.
    """

    def __init__(self, sources: dict[str, Outline]) -> None:
        self.sources = sources
        self._exact: dict[str, dict[str, Link]] = {}
        self._landing: dict[str, dict[tuple[str, str], Link]] = {}

    def _index(self, src: str, html_rel: str) -> tuple[dict[str, Link], dict[tuple[str, str], Link]]:
        if src not in self._exact:
            exact: dict[str, Link] = {}
            landing: dict[tuple[str, str], Link] = {}
            for link in self.sources[src].links:
                exact.setdefault(link.target, link)
                if is_external(link.target):
                    continue
                path, _, frag = link.target.partition("#")
                lands = (
                    output_path(posixpath.normpath(posixpath.join(posixpath.dirname(src), unquote(path))))
                    if path
                    else html_rel
                )
                landing.setdefault((lands, frag), link)
            self._exact[src], self._landing[src] = exact, landing
        return self._exact[src], self._landing[src]

    def locate(self, html_rel: str, url: str, target: str | None) -> tuple[str, int, int] | None:
        """The source file, line and column that wrote a broken link, if it can be found."""
        src = source_of(html_rel, self.sources)
        if src is None:
            return None
        exact, landing = self._index(src, html_rel)
        link = exact.get(url)
        if link is None and target is not None:
            link = landing.get((target, url.partition("#")[2]))
        return (self.sources[src].path, link.line, link.col) if link is not None else None


def internal_problems(site: HtmlSite, sources: dict[str, Outline], display_root: str) -> Iterator[Problem]:
    """SITE001 for an href/src with no file behind it, SITE002 for a #fragment with no id."""
    locator = Locator(sources)
    for rel in site.html_files():
        for link in site.page(rel).links:
            if _skipped(link.url):
                continue
            target, exists, fragment = site.resolve(rel, link.url)
            if not exists:
                code, status = "SITE001", "no such file"
            elif fragment and target.endswith(".html") and unquote(fragment) not in site.page(target).ids:
                code, status = "SITE002", "no such anchor"
            else:
                continue
            where = locator.locate(rel, link.url, target)
            path, line, col = where or (f"{display_root}/{rel}", link.line, link.col)
            yield Problem(path, line, col, code, f"{rel}: broken link → {link.url} ({status})")

"""``litreview linkcheck``: the built site's links, internal always, external on request.

Returns findings as data; the CLI prints them. Source Markdown is read (when a project is
given) only to map a broken link in the HTML back to the line that wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from re import Pattern
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..findings.codes import with_severity
from ..findings.problems import Problem
from ..project.config import Project
from ..source.outlines import Outline, outline
from ..source.read import read_pages
from . import built_pages as sitelinks

if TYPE_CHECKING:
    from .external import ExternalCheckOptions

# External checks follow what readers click and see; <link>/<script> are the theme's business.
_EXTERNAL_TAGS = ("a", "img")


@dataclass
class LinkcheckResult:
    """What `litreview linkcheck` found, and how much it looked at."""

    problems: list[Problem]
    pages: int = 0
    internal: int = 0
    external: dict[str, str] = field(default_factory=dict)
    """External URL → status, for the summary."""


def sources(project: Project | None) -> dict[str, Outline]:
    """Each page's Markdown outline, so a broken link is reported where it was written."""
    if project is None:
        return {}
    texts, displays, _problems = read_pages(project)
    return {src: outline(text, displays[src]) for src, text in texts.items()}


def check_site(
    site_dir: Path,
    project: Project | None,
    display_root: str,
    external: bool = False,
    offline: bool = False,
    options: ExternalCheckOptions | None = None,
    cache_path: Path | None = None,
    exclude: list[Pattern[str]] | None = None,
) -> LinkcheckResult:
    """Check every page of a built site; external links only when asked."""
    base = urlsplit(project.site_url).path if project is not None and project.site_url else "/"
    site = sitelinks.HtmlSite(site_dir, base)
    outlines = sources(project)
    problems = list(sitelinks.internal_problems(site, outlines, display_root))
    html_files = site.html_files()
    result = LinkcheckResult(problems, pages=len(html_files))
    result.internal = sum(
        1 for rel in html_files for link in site.page(rel).links if sitelinks.internal(link.url)
    )
    if external:
        occurrences: dict[str, list[tuple[str, sitelinks.HtmlLink]]] = {}
        for rel in html_files:
            for link in site.page(rel).links:
                if (
                    link.tag in _EXTERNAL_TAGS
                    and sitelinks.is_external(link.url)
                    and not any(p.search(link.url) for p in exclude or [])
                ):
                    occurrences.setdefault(link.url, []).append((rel, link))
        problems += _external(occurrences, outlines, display_root, offline, options, cache_path, result)
    severities = project.severities if project is not None else {}
    result.problems = sorted(with_severity(problems, severities))
    return result


def _external(
    occurrences: dict[str, list[tuple[str, sitelinks.HtmlLink]]],
    outlines: dict[str, Outline],
    display_root: str,
    offline: bool,
    options: ExternalCheckOptions | None,
    cache_path: Path | None,
    result: LinkcheckResult,
) -> list[Problem]:
    from . import external as ext

    opts = options or ext.ExternalCheckOptions()
    cache = ext.SuccessCache(cache_path, opts.max_age)
    if offline:
        statuses = {
            url: ext.Result(url, True, "cached", cached=True) if cache.fresh(url) else None
            for url in occurrences
        }
    else:
        checked = ext.check_urls(occurrences, opts, cache)
        statuses = dict(checked.items())
        cache.save()
    problems: list[Problem] = []
    locator = sitelinks.Locator(outlines)
    for url, places in occurrences.items():
        status = statuses.get(url)
        result.external[url] = status.status if status is not None else "not checked"
        if status is not None and status.ok and not status.moved_to:
            continue
        for rel, link in places:
            where = locator.locate(rel, url, None)
            path, line, col = where or (f"{display_root}/{rel}", link.line, link.col)
            if status is None:
                problems.append(Problem(path, line, col, "EXT002", f"{rel}: not checked (offline) → {url}"))
            elif not status.checked:
                problems.append(
                    Problem(path, line, col, "EXT002", f"{rel}: not checked ({status.status}) → {url}")
                )
            elif not status.ok:
                problems.append(
                    Problem(path, line, col, "EXT001", f"{rel}: broken link → {url} ({status.status})")
                )
            else:
                problems.append(
                    Problem(path, line, col, "EXT003", f"{rel}: {url} moved permanently → {status.moved_to}")
                )
    return problems

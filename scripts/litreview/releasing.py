"""The plugin's side of releases: What's new, the Atom feed, "new in" marks, the footer stamp.

The core reads git and compares snapshots (``core/history``); this adds the page to the
files, fills it once references can be formatted, and writes the feed with the site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from . import logs
from .core.history import whatsnew
from .core.history.releases import History, advice, read
from .core.history.store import EntryStore
from .core.project.options import LitreviewOptions
from .core.references import reference_html
from .core.references.cache import DiskCache

log = logs.plugin
_COPYRIGHT = '<div class="md-copyright">'


@dataclass
class Releases:
    """This build's history and What's new entries."""

    history: History
    entries: list[whatsnew.Entry] = field(default_factory=list)
    page_url: str = ""

    def commit_url(self, config: MkDocsConfig) -> Any:
        """The permalink of a commit in the repository (GitHub's and GitLab's form), if known."""
        repo = (config.repo_url or "").rstrip("/")
        return (lambda sha: f"{repo}/commit/{sha}") if repo.startswith("http") else (lambda _sha: "")

    def new_in(self) -> dict[str, str]:
        """Works the newest release added → its tag (none for a first release: all would be new)."""
        latest = self.history.latest
        for entry in self.entries:
            if entry.release is not None and entry.release == latest and not entry.first:
                return dict.fromkeys(entry.changes.added, latest.tag)
        return {}


def load(config: MkDocsConfig, options: LitreviewOptions, disk: DiskCache | None = None) -> Releases | None:
    """Read the history (``releases: true``); a shallow clone or no release yet is said in the
    log (INFO: not fatal, even with --strict). With the cache on, each release's entry is
    computed once (core/history/store.py)."""
    if not options.releases:
        return None
    path = Path(config.config_file_path or "mkdocs.yml").resolve()
    history = read(path.parent, options.release_tags)
    hint = advice(history, options.release_tags)
    if hint:
        log.info(f"litreview: {hint}")
    if not history.commit:
        return Releases(history)
    store = EntryStore(disk, path.name) if disk is not None else None
    found = whatsnew.entries(path.parent, path.name, history, shown=20, store=store)
    if store is not None:
        store.save()
    return Releases(history, found)


def add_page(files: Files, config: MkDocsConfig, options: LitreviewOptions) -> None:
    """The generated What's new page (unless the docs hold a page of that name)."""
    if files.get_file_from_path(options.whats_new_page) is None:
        content = whatsnew.markdown(options.whats_new_title)
        files.append(File.generated(config, options.whats_new_page, content=content))


def fill(
    releases: Releases,
    html: str,
    config: MkDocsConfig,
    cited: dict[str, list[reference_html.CitedIn]],
    site: Any,
    entry_url: Callable[[str], str],
) -> str:
    """The page with its entries, each added work formatted with where it is cited now and
    (``entry_url(key)``) a link to its entry on the References page."""
    if whatsnew.SLOT not in html:
        return html
    body = whatsnew.render(
        releases.entries,
        releases.history,
        site.formatted,
        lambda key: (
            reference_html.to_bibliography(entry_url(key)) + " " + reference_html.cited_in_span(cited[key])
            if cited.get(key)
            else Markup("")
        ),
        releases.commit_url(config),
    )
    return html.replace(whatsnew.SLOT, str(body), 1)


def stamp(releases: Releases, config: MkDocsConfig) -> str:
    """ "Release v1.0 · commit abc1234": what the site was built from, for the footer."""
    history = releases.history
    if not history.commit:
        return ""
    url = releases.commit_url(config)(history.commit)
    short = escape(history.commit[:7])
    commit = f'<a href="{escape(url)}">{short}</a>' if url else str(short)
    latest = history.latest
    release = f"Release {escape(latest.tag)}" if latest else "No release yet"
    if latest and history.ahead:
        release += " + unreleased changes"
    return f'<div class="lr-stamp">{release} · built from commit {commit} ({escape(history.date)})</div>'


def with_stamp(html: str, text: str) -> str:
    """Material's footer (else the end of the body) shows the stamp."""
    if not text:
        return html
    if _COPYRIGHT in html:
        return html.replace(_COPYRIGHT, _COPYRIGHT + text, 1)
    return html.replace("</body>", text + "</body>", 1)


def feed_link(href: str, title: str) -> str:
    """The ``<link rel="alternate">`` feed readers find on every page."""
    kind = 'rel="alternate" type="application/atom+xml"'
    return f'<link {kind} title="{escape(title)}: releases" href="{escape(href)}">\n'


def write_feed(
    releases: Releases, config: MkDocsConfig, options: LitreviewOptions, author: str, site: Any
) -> None:
    """``feed.xml`` beside the pages (needs ``site_url``: a feed's links are absolute)."""
    if not config.site_url:
        return
    from .core.history.feed import atom

    base = config.site_url.rstrip("/") + "/"
    data = atom(
        releases.entries,
        title=config.site_name,
        site_url=base,
        page_url=base + releases.page_url,
        feed_url=base + options.feed,
        author=author,
        plain=lambda ref: reference_html.plain(str(site.formatted(ref))),
    )
    target = Path(config.site_dir) / options.feed
    target.write_bytes(data)

"""What's new: each release's changes to the evidence, from the engine of ``litreview diff``.

Every release is compared with the one before it (the first with nothing: it is the first
publication, summed up rather than listed), and the build, when it is ahead of the newest
release, with that release ("Unreleased"). The same :func:`~..tools.diff.compare` makes
``litreview diff``'s report, so the page and the command never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..bibliography.loader import Reference
from ..text.escaping import markdown as md
from ..text.escaping import yaml_string
from ..tools.diff import Changes, GitError, RevisionEvidence, compare, snapshot
from .releases import History, Release

if TYPE_CHECKING:
    from .store import EntryStore

#: Where the page asks for its content (filled once references can be formatted).
SLOT = '<div class="lr-whats-new" data-lr-slot="whats-new"></div>'


@dataclass
class Entry:
    """One release (``release`` None: the unreleased changes) and what it changed."""

    release: Release | None
    changes: Changes
    works: dict[str, Reference] = field(default_factory=dict)
    """The works it added, as the release has them, and those it removed, as they were before."""
    size: tuple[int, int] = (0, 0)
    """Works and pages at the release: what a first release is summed up by."""
    first: bool = False

    @property
    def anchor(self) -> str:
        """The entry's id on the page (``v1-1``; ``unreleased``)."""
        name = self.release.tag if self.release else "unreleased"
        return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "release"


def markdown(title: str) -> str:
    """The generated page's source: its title (as text: ``whats_new_title: "New: <b>"`` broke
    the front matter, or put markup in the heading) and the slot."""
    return f"---\ntitle: {yaml_string(title)}\nsearch:\n  exclude: true\n---\n\n# {md(title)}\n\n{SLOT}\n"


def compared(
    release: Release | None, base: RevisionEvidence, head: RevisionEvidence, first: bool = False
) -> Entry:
    """What ``head`` changed since ``base`` (a first release: only its size, not its works)."""
    changes = compare(base, head)
    works = {} if first else {k: head.references[k] for k in changes.added}
    works |= {k: base.references[k] for k in changes.removed}
    if not first:  # the studies' works, to show each as its reference
        works |= {k: head.references[k] for k in changes.studies_added if k in head.references}
        works |= {k: base.references[k] for k in changes.studies_removed if k in base.references}
    return Entry(release, changes, works, (len(head.references), len(head.paragraphs)), first)


def entries(
    repo: Path, config: str, history: History, shown: int, store: EntryStore | None = None
) -> list[Entry]:
    """The newest ``shown`` releases (and the unreleased changes on top), each with its changes;
    a release's entry comes from ``store`` when it holds one (commits do not change)."""
    releases = history.releases[:shown]
    snapshots: dict[str, RevisionEvidence] = {}

    def at(rev: str | None) -> RevisionEvidence:
        key = rev or ""
        if key not in snapshots:
            try:
                snapshots[key] = snapshot(repo, config, rev)
            except GitError:
                snapshots[key] = RevisionEvidence()  # a tag git can no longer show: nothing to compare with
        return snapshots[key]

    out: list[Entry] = []
    if history.ahead and releases:
        out.append(compared(None, at(releases[0].commit), at(None)))
    for number, release in enumerate(releases):
        before = history.releases[number + 1] if number + 1 < len(history.releases) else None
        since = before.commit if before else ""
        kept = store.get(since, release.commit) if store is not None else None
        if kept is not None:
            out.append(Entry(release, *kept, first=before is None))
            continue
        entry = compared(
            release, at(since) if before else RevisionEvidence(), at(release.commit), before is None
        )
        if store is not None:
            store.put(since, release.commit, entry.changes, entry.works, entry.size)
        out.append(entry)
    return out


def render(
    found: list[Entry],
    history: History,
    formatted: Callable[[Reference], Markup],
    cited_in: Callable[[str], Markup],
    commit_url: Callable[[str], str],
) -> Markup:
    """The page's body: newest first, every value escaped."""
    if not found:  # how to make a release is for the build log (releases.advice), not readers
        built = _commit(history.commit, commit_url) if history.commit else ""
        when = f" This is the review as of {escape(history.date)}{built}." if history.date else ""
        return Markup(
            '<p class="lr-no-release">No release has been made yet; this page lists changes once '
            f"the review is released.{when}</p>"
        )
    return Markup("".join(_entry(e, formatted, cited_in, commit_url) for e in found))


def _commit(commit: str, commit_url: Callable[[str], str]) -> str:
    url = commit_url(commit)
    short = escape(commit[:7])
    return (
        f' (commit <a href="{escape(url)}"><code>{short}</code></a>)'
        if url
        else f" (commit <code>{short}</code>)"
    )


def _entry(
    entry: Entry,
    formatted: Callable[[Reference], Markup],
    cited_in: Callable[[str], Markup],
    commit_url: Callable[[str], str],
) -> str:
    release = entry.release
    if release is None:
        head = '<h2 id="unreleased">Unreleased</h2><p>Changes since the last release, in this build.</p>'
    else:
        head = (
            f'<h2 id="{escape(entry.anchor)}">{escape(release.tag)} '
            f"<small>{escape(release.date)}</small></h2>"
            f"<p>{escape(release.title) or 'Release'}{_commit(release.commit, commit_url)}</p>"
        )
    changes = entry.changes
    if entry.first:
        works, pages = entry.size
        return head + f"<p>The first release: {works} works and {pages} pages.</p>"
    parts = [head]
    if changes.empty:
        parts.append("<p>No change to the references or the pages.</p>")
    if changes.added:
        items = "".join(f"<li>{formatted(entry.works[k])} {cited_in(k)}</li>" for k in changes.added)
        parts.append(f"<h3>References added ({len(changes.added)})</h3><ul>{items}</ul>")
    if changes.removed:
        items = "".join(f"<li>{formatted(entry.works[k])}</li>" for k in changes.removed)
        parts.append(f"<h3>References removed ({len(changes.removed)})</h3><ul>{items}</ul>")
    if changes.changed:
        parts.append(f"<p>{len(changes.changed)} reference(s) corrected.</p>")
    parts += _studies(entry, formatted, cited_in)
    if changes.pages:
        items = "".join(
            f"<li>{escape(c.title)}: {_status(c.status, c.paragraphs)}</li>" for c in changes.pages
        )
        parts.append(f"<h3>Sections ({len(changes.pages)})</h3><ul>{items}</ul>")
    return "".join(parts)


def _studies(
    entry: Entry, formatted: Callable[[Reference], Markup], cited_in: Callable[[str], Markup]
) -> list[str]:
    """The studies the release included and those it no longer includes, each as its reference,
    and how the flow diagram's headline counts changed."""
    changes, parts = entry.changes, []

    def shown(key: str, where: Markup) -> str:
        work = entry.works.get(key)
        return f"<li>{formatted(work)} {where}</li>" if work is not None else f"<li>{escape(key)}</li>"

    if changes.studies_added:
        items = "".join(shown(k, cited_in(k)) for k in changes.studies_added)
        parts.append(f"<h3>Included studies: +{len(changes.studies_added)}</h3><ul>{items}</ul>")
    if changes.studies_removed:
        items = "".join(shown(k, Markup("")) for k in changes.studies_removed)
        parts.append(f"<h3>No longer included: {len(changes.studies_removed)}</h3><ul>{items}</ul>")
    if changes.counts:  # the flow diagram's headline counts: "Included studies 11 → 14; …"
        from ..systematic.review_flow import said  # systematic reviews only

        counts = "; ".join(escape(said(count)) for count in changes.counts)
        parts.append(f"<p>PRISMA flow: {counts}.</p>")
    return parts


def _status(status: str, paragraphs: int) -> str:
    if status == "changed":
        return f"{paragraphs} paragraph{'s' if paragraphs != 1 else ''} changed"
    return status

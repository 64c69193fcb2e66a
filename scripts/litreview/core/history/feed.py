"""An Atom feed with an entry per release, for readers who follow the review in a feed reader.

Written with feedgen. Each entry has the release's title and date, links to its part of the
What's new page, and says what it added (the works' titles) and changed. Dates come from git,
so the feed is the same for the same history (reproducible builds). Every text is folded onto
one line without the characters XML can't hold (control characters, U+FFFE, U+FFFF), which
lxml refuses: a tag message or title holding one stopped the build.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from ..bibliography.loader import Reference
from ..text.escaping import without_controls
from .whatsnew import Entry

_NOT_XML = re.compile("[\ufffe\uffff]")


def _text(value: str) -> str:
    """``value`` as feed text: one line, nothing XML 1.0 can't hold."""
    return " ".join(_NOT_XML.sub("", without_controls(value)).split())


def atom(
    found: list[Entry],
    *,
    title: str,
    site_url: str,
    page_url: str,
    feed_url: str,
    author: str,
    plain: Callable[[Reference], str],
) -> bytes:
    """The feed's XML; ``page_url`` is the What's new page, ``feed_url`` the feed, both absolute."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(_text(f"{title}: releases"))
    feed.link(href=site_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.author({"name": _text(author) or _text(title) or "-"})
    feed.language("en")
    dated = [e for e in found if e.release is not None]
    newest = _when(dated[0].release.date) if dated and dated[0].release else _when("1970-01-01")
    feed.updated(newest)
    for entry in reversed(dated):  # feedgen lists the last added first
        release = entry.release
        assert release is not None
        item = feed.add_entry()
        item.id(f"{page_url}#{entry.anchor}")
        item.title(_text(f"{release.tag}: {release.title}" if release.title else release.tag))
        item.link(href=f"{page_url}#{entry.anchor}")
        item.updated(_when(release.date))
        item.published(_when(release.date))
        item.summary(_text(_summary(entry, plain)))
    data: bytes = feed.atom_str(pretty=True)
    return data


def _when(date: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.UTC)


def _summary(entry: Entry, plain: Callable[[Reference], str]) -> str:
    changes = entry.changes
    if entry.first:
        return f"The first release: {entry.size[0]} works."
    lines = []
    if changes.added:
        titles = "; ".join(plain(entry.works[k]) for k in changes.added)
        lines.append(f"{len(changes.added)} work(s) added: {titles}")
    if changes.removed:
        lines.append(f"{len(changes.removed)} work(s) removed.")
    if changes.pages:
        lines.append(f"{len(changes.pages)} section(s) added, removed or changed.")
    if changes.studies_added:
        named = "; ".join(plain(entry.works[k]) if k in entry.works else k for k in changes.studies_added)
        lines.append(f"+{len(changes.studies_added)} included studies: {named}")
    if changes.studies_removed:
        gone = "; ".join(changes.studies_removed)
        lines.append(f"−{len(changes.studies_removed)} studies no longer included: {gone}")
    if changes.counts:
        from ..systematic.review_flow import said  # systematic reviews only

        lines.append("PRISMA flow: " + "; ".join(said(count) for count in changes.counts) + ".")
    return " ".join(lines) or "No change to the references or the pages."

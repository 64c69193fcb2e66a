"""What's new, kept across builds: each release's entry, computed once.

A release compares two commits, and commits do not change, so its entry (the comparison, the
works it added and removed, its size) is kept in the cache folder under the two commit ids
and the configuration's path. Without it every build read the bibliography and the pages
at every release shown: at 21 releases of a 2,500-work review, 16.7 s against 3.9 s for the
site alone, and 4.9 s with every entry kept (bench/releases_step.py). The unreleased changes
(the working tree) are always computed.

Like every cache this one is untrusted input: an entry is used only if every part has the
shape written here, and its works go through the formatter like any .bib entry. Entries not
used by a build are dropped when it saves, so the file does not grow.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..bibliography.loader import Reference
from ..references.cache import DiskCache, read_data, row
from ..tools.diff import Changes, PageChange

FILE = "releases.json"
_STATUSES = ("added", "removed", "changed")


def _counts(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(n, int) and not isinstance(n, bool) for k, n in value.items()
    )


def _flow_counts(value: object) -> bool:
    """A list of [label, before, after], each count a whole number or null."""

    def count(n: object) -> bool:
        return n is None or (isinstance(n, int) and not isinstance(n, bool))

    return isinstance(value, list) and all(
        isinstance(c, list) and len(c) == 3 and isinstance(c[0], str) and count(c[1]) and count(c[2])
        for c in value
    )


def to_json(changes: Changes, works: dict[str, Reference], size: tuple[int, int]) -> dict[str, Any]:
    """One entry as stored."""
    return {
        "added": changes.added,
        "removed": changes.removed,
        "changed": changes.changed,
        "citations": [[page, dict(plus), dict(minus)] for page, plus, minus in changes.citations],
        "pages": [[c.page, c.status, c.paragraphs, c.title] for c in changes.pages],
        "works": [[r.key, r.entry_type, r.fields, r.path, r.line] for r in works.values()],
        "size": list(size),
        "studies": [changes.studies_added, changes.studies_removed],
        "counts": [list(count) for count in changes.counts],
    }


def from_json(data: object) -> tuple[Changes, dict[str, Reference], tuple[int, int]] | None:
    """A stored entry, or None unless every part has the shape :func:`to_json` writes."""
    if not isinstance(data, dict):
        return None
    citations, pages = data.get("citations"), data.get("pages")
    works, size = data.get("works"), data.get("size")
    if not (
        row([data.get("added"), data.get("removed"), data.get("changed")], "lll")
        and isinstance(citations, list)
        and all(
            isinstance(c, list) and len(c) == 3 and isinstance(c[0], str) and _counts(c[1]) and _counts(c[2])
            for c in citations
        )
        and isinstance(pages, list)
        and all(row(p, "ssis") and p[1] in _STATUSES for p in pages)
        and isinstance(works, list)
        and all(row(w, "ssdsi") for w in works)
        and isinstance(size, list)
        and row(size, "ii")
        and row(data.get("studies"), "ll")  # kept before studies were compared: computed again
        and _flow_counts(data.get("counts"))  # kept before the flow's counts were: computed again
    ):
        return None
    changes = Changes(
        list(data["added"]),
        list(data["removed"]),
        list(data["changed"]),
        [(page, Counter(plus), Counter(minus)) for page, plus, minus in citations],
        [PageChange(page, status, paragraphs, title) for page, status, paragraphs, title in pages],
        list(data["studies"][0]),
        list(data["studies"][1]),
        [(label, before, after) for label, before, after in data["counts"]],
    )
    refs = {key: Reference(key, kind, dict(fields), path, line) for key, kind, fields, path, line in works}
    return changes, refs, (size[0], size[1])


class EntryStore:
    """Released entries by ``config:base..head``, read once per build and saved after it."""

    def __init__(self, disk: DiskCache, config: str) -> None:
        self.disk = disk
        self.path: Path = disk.directory / FILE
        self.config = config
        data = read_data(self.path)
        entries = data.get("entries") if data else None
        self.entries: dict[str, object] = dict(entries) if isinstance(entries, dict) else {}
        self.used: set[str] = set()
        self.dirty = False

    def _key(self, base: str, head: str) -> str:
        return f"{self.config}:{base}..{head}"

    def get(self, base: str, head: str) -> tuple[Changes, dict[str, Reference], tuple[int, int]] | None:
        """The entry comparing two commits (``base`` empty: the first release), if kept and sound:
        past the first, it holds every work it says it added or removed (What's new lists them)."""
        key = self._key(base, head)
        self.used.add(key)
        found = from_json(self.entries.get(key))
        if found is not None and base and not {*found[0].added, *found[0].removed} <= found[1].keys():
            found = None
        if found is None and key in self.entries:
            del self.entries[key]  # not of our making: computed again and replaced
            self.dirty = True
        return found

    def put(
        self, base: str, head: str, changes: Changes, works: dict[str, Reference], size: tuple[int, int]
    ) -> None:
        """Keep an entry for the next build."""
        key = self._key(base, head)
        self.used.add(key)
        self.entries[key] = to_json(changes, works, size)
        self.dirty = True

    def save(self) -> None:
        """Write the entries this build used (the others were of releases no longer shown)."""
        if self.dirty or self.entries.keys() - self.used:
            mine = self.config + ":"  # another configuration's entries are its own to prune
            kept = {k: v for k, v in self.entries.items() if k in self.used or not k.startswith(mine)}
            self.disk.write(self.path, {"entries": kept})
            self.entries, self.dirty = kept, False

"""What each work's entry alone decides, made once per content: its BibTeX, RIS and CSL-JSON
texts (the downloads), its COinS span, its DOI/URL links and the explorer's facets (stated
year and kind), so a warm build decodes no cited entry's fields.

A build writes every cited work into the whole-review downloads and again into the downloads
of each page that cites it, and lists its COinS on the References page: made per use, that
was a third of a warm build. Here each text is made once per build, kept in
``.cache/litreview/`` under the digest of the entry's content (with litreview's version), and
read back while the entry is unchanged. Only the works the site cites are kept.

The file is untrusted input, as every cache is (:mod:`.cache`): a text is used only if it
has the shape its writer gives it, for the work it is filed under; anything else is made
again and the file rewritten.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from ..bibliography import bibtex_values
from ..bibliography.loader import Reference
from ..files import jsonfile
from ..references import explore
from ..references.cache import SAFE_HTML, DiskCache, FormattedStore, is_current
from ..references.coins import coins
from ..references.reference_html import entry_links
from . import exports

#: The texts kept per work, each with what makes it and what a cached one must look like.
KINDS = ("bib", "ris", "csl", "coins", "links", "facets")

# (An entity in an attribute's value can't end it: ``&`` and ``;`` are safe inside the quotes.)
_COINS = re.compile(r'<span class="Z3988" title="[A-Za-z0-9_.~%+=&;-]*"></span>')
# Every character a line can't hold (what :func:`~.exports.one_line` removes) is left out.
_VALUE = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]*"
_RIS = re.compile(rf"TY  - {_VALUE}\n(?:(?!ER)[A-Z][A-Z0-9]  - {_VALUE}\n)*ER  - \n")


#: How many works' stored lines are held once read (a few kilobytes each).
_RECENT = 32
#: The kind held for every work once its line is read: the explorer asks for each work's facets
#: after the pages' lists have read its line (for the COinS) and moved on. A few bytes, and few
#: distinct values (years and kinds): each is held once, shared.
_HELD = "facets"
_MAX_HELD = 64

# A line longer than this was not written by us (one work's texts are a few kilobytes).
_MAX_LINE = 4 * 1024 * 1024


def _bib_ok(ref: Reference, text: str) -> bool:
    """One entry, this work's, with no later line a BibTeX reader takes for another entry."""
    head = f"@{ref.entry_type}{{{ref.key},\n"
    return text.startswith(head) and text.endswith("}") and bibtex_values.AT_LINE.search(text) is None


def _ris_ok(ref: Reference, text: str) -> bool:
    """One record: tagged one-line values, ``TY`` first, ``ER`` last and only there."""
    return _RIS.fullmatch(text) is not None


def _csl_ok(ref: Reference, text: str) -> bool:
    """A JSON object (as ``json.dumps(indent=2)`` writes one) whose ``id`` is this work's key."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    try:  # the C parser: nesting too deep is its RecursionError (and nothing walks the item)
        item = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(item, dict) and item.get("id") == ref.key


_MAKE: dict[str, Callable[[Reference], str]] = {
    "bib": Reference.bibtex,
    "ris": exports.ris_of,
    "csl": exports.csl_of,
    "coins": coins,
    "links": lambda ref: str(entry_links(ref)),
    "facets": explore.facets,
}
_VALID: dict[str, Callable[[Reference, str], bool]] = {
    "bib": _bib_ok,
    "ris": _ris_ok,
    "csl": _csl_ok,
    "coins": lambda _ref, text: _COINS.fullmatch(text) is not None,
    "links": lambda _ref, text: SAFE_HTML.fullmatch(text) is not None,
    "facets": lambda _ref, text: explore.FACETS.fullmatch(text) is not None,
}


#: The file, in the cache folder: a header line, then ``[digest, {kind: text}]`` a line.
FILE = "works.jsonl"
_LINE_HEAD = re.compile(rb'\["([0-9a-f]{32})",')


def lines_of(path: Path) -> dict[str, tuple[int, int]]:
    """Where each digest's line starts and how long it is; {} for a file we did not write in
    this format and version (read a line at a time: nothing but the places is held)."""
    lines: dict[str, tuple[int, int]] = {}
    try:
        with path.open("rb") as file:
            if not _header_ok(file.readline(_MAX_LINE)):
                return {}
            offset = file.tell()
            for line in file:
                head = _LINE_HEAD.match(line)
                if head is not None and len(line) <= _MAX_LINE:
                    lines[head.group(1).decode()] = (offset, len(line))
                offset += len(line)
    except OSError:
        return {}
    return lines


def _header_ok(line: bytes) -> bool:
    try:
        return is_current(json.loads(line))
    except ValueError:
        return False


def record_at(path: Path, digest: str, offset: int, length: int) -> dict[str, object]:
    """The texts on one line of the file, unchecked; {} for a line of any other shape."""
    try:
        with path.open("rb", buffering=0) as file:
            file.seek(offset)
            data = jsonfile.loads(file.read(length).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    if not (isinstance(data, list) and len(data) == 2 and data[0] == digest and isinstance(data[1], dict)):
        return {}
    return data[1]


class WorkTexts:
    """Each work's texts, by the digest of its content, read from disk a work at a time.

    Opening the file keeps only where each digest's line is; a text is read, and checked,
    when the build uses it. Holding the whole file (12.7 MB on disk at 10,000 works) cost
    about 30 MB all build (issue 30); a build now holds only the texts it made.
    """

    def __init__(self, disk: DiskCache | None) -> None:
        self.disk = disk
        self.path = disk.directory / FILE if disk is not None else None
        self._lines = lines_of(self.path) if self.path is not None else {}
        self._made: dict[str, dict[str, str]] = {}
        self._used: dict[str, Reference] = {}
        self._recent: OrderedDict[str, dict[str, object]] = OrderedDict()
        self._held: dict[str, str] = {}
        self._held_values: dict[str, str] = {}
        self._by_key: dict[str, str] = {}
        self.dirty = False

    def _digest(self, ref: Reference) -> str:
        found = self._by_key.get(ref.key)
        if found is None:
            found = self._by_key[ref.key] = FormattedStore.key(ref)
        return found

    def text(self, ref: Reference, kind: str) -> str:
        """The work's text of ``kind`` (one of :data:`KINDS`), made only if not kept."""
        digest = self._digest(ref)
        self._used[digest] = ref
        made = self._made.get(digest)
        if made is not None and kind in made:
            return made[kind]
        stored = (self._held.get(digest) if kind == _HELD else None) or self._stored(digest).get(kind)
        if isinstance(stored, str) and _VALID[kind](ref, stored):
            return stored
        found = self._made.setdefault(digest, {})[kind] = _MAKE[kind](ref)
        self.dirty = True
        return found

    def _stored(self, digest: str) -> dict[str, object]:
        """The work's stored line, read once while it is among the last :data:`_RECENT` used
        (a page's downloads and its rows use each of its works' kinds in turn), not once per use."""
        record = self._recent.get(digest)
        if record is not None:
            self._recent.move_to_end(digest)
            return record
        where = self._lines.get(digest)
        if where is None or self.path is None:
            return {}
        record = self._recent[digest] = record_at(self.path, digest, *where)
        held = record.get(_HELD)
        if isinstance(held, str) and len(held) <= _MAX_HELD:
            self._held[digest] = self._held_values.setdefault(held, held)
        if len(self._recent) > _RECENT:
            self._recent.popitem(last=False)
        return record

    def _kept(self, digest: str, ref: Reference) -> dict[str, str]:
        """What goes back to disk for a work: its stored texts that have their writer's shape,
        and the ones made now."""
        kept = {
            kind: text
            for kind, text in self._stored(digest).items()
            if kind in _VALID and isinstance(text, str) and _VALID[kind](ref, text)
        }
        return {**kept, **self._made.get(digest, {})}

    def save(self) -> None:
        """Keep the texts of the works this build used (others drop out, so the file does not grow)."""
        if self.disk is None or self.path is None:
            return
        if not self.dirty and self._used.keys() == self._lines.keys():
            return
        lines = (json.dumps([d, self._kept(d, ref)], ensure_ascii=False) for d, ref in self._used.items())
        if self.disk.write_lines(self.path, lines):
            with contextlib.suppress(OSError):  # the whole-file form, before issue 30's
                (self.disk.directory / "works.json").unlink(missing_ok=True)
            self._lines, self._made, self.dirty = lines_of(self.path), {}, False
            self._recent.clear()
            self._held.clear()
            self._held_values.clear()

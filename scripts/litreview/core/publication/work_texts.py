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

import json
import re
from collections.abc import Callable

from ..bibliography import bibtex_values
from ..bibliography.loader import Reference
from ..references import explore
from ..references.cache import SAFE_HTML, DiskCache, FormattedStore, read_data
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


class WorkTexts:
    """Each work's texts, by the digest of its content: read from disk once, checked on use."""

    def __init__(self, disk: DiskCache | None) -> None:
        self.disk = disk
        self.path = disk.directory / "works.json" if disk is not None else None
        data = read_data(self.path) if self.path is not None else None
        stored = data.get("works") if data else None
        self._stored: dict[str, object] = stored if isinstance(stored, dict) else {}
        self._made: dict[str, dict[str, str]] = {}
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
        texts = self._made.get(digest)
        if texts is None:
            texts = self._made[digest] = self._checked(ref, self._stored.pop(digest, None))
        found = texts.get(kind)
        if found is None:
            found = texts[kind] = _MAKE[kind](ref)
            self.dirty = True
        return found

    def _checked(self, ref: Reference, stored: object) -> dict[str, str]:
        """The stored texts that have their writer's shape; a text that has not is dropped."""
        if not isinstance(stored, dict):
            return {}
        kept = {
            kind: text
            for kind, text in stored.items()
            if kind in _VALID and isinstance(text, str) and _VALID[kind](ref, text)
        }
        if len(kept) != len(stored):
            self.dirty = True
        return kept

    def save(self) -> None:
        """Keep the texts of the works this build used (others drop out, so the file does not grow)."""
        if self.disk is None or self.path is None:
            return
        if self.dirty or self._stored:
            self.disk.write(self.path, {"works": self._made})
            self.dirty, self._stored = False, {}

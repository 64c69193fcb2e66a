"""The verdict cache: what ``litreview verify`` concluded about each entry, committed.

``references.verified.json`` maps a hash of each entry's type and fields to its verdict
(status, the DOI found, the source, the differences, the retraction notice, the date). An
edited entry has another hash, so it is checked again; the build shows only verdicts whose
hash still matches, and never asks a source. Errors are never written here, and a
``not-found`` is trusted only for a number of days (a record may be registered late).
The file is untrusted input like any cache: anything malformed is left out with a finding.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..files import atomic, jsonfile
from ..findings.problems import Problem
from ..identifiers.lock import key_places
from .loader import Reference

FORMAT = "litreview-verified/1"
DEFAULT_NAME = "references.verified.json"
#: What a verdict may say (``error`` and ``unchecked`` are never cached).
STATUSES = ("verified", "mismatch", "not-found", "ambiguous", "retracted", "unchecked", "error")
CACHED = frozenset(STATUSES) - {"error", "unchecked"}


@dataclass(frozen=True)
class Verdict:
    """One entry's verdict; ``differences`` are (field, entry's value, record's value)."""

    key: str
    status: str
    doi: str = ""
    source: str = ""
    differences: tuple[tuple[str, str, str], ...] = ()
    notice: str = ""
    """The retraction notice's address, for a retracted work."""
    checked: str = ""
    """The day the sources were asked (ISO 8601)."""
    message: str = ""
    """Why, in words: which source failed, which candidates were too close to tell apart."""

    def as_json(self) -> dict[str, Any]:
        """The verdict as ``--format json`` and the cache write it."""
        return {
            "key": self.key,
            "status": self.status,
            "doi": self.doi,
            "source": self.source,
            "differences": [{"field": f, "entry": e, "record": r} for f, e, r in self.differences],
            "notice": self.notice,
            "checked": self.checked,
            "message": self.message,
        }


def entry_hash(ref: Reference) -> str:
    """A hash of what the entry says (its type and fields), not of its key or layout."""
    content = json.dumps([ref.entry_type.lower(), sorted(ref.fields.items())], ensure_ascii=False)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:20]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _verdict(value: Any) -> Verdict | None:
    """A cached verdict, or None if anything in it is not what :meth:`Verdict.as_json` writes."""
    if not isinstance(value, dict) or _text(value.get("status")) not in CACHED or not _text(value.get("key")):
        return None
    differences = value.get("differences", [])
    if not isinstance(differences, list) or not all(isinstance(d, dict) for d in differences):
        return None
    try:
        datetime.date.fromisoformat(_text(value.get("checked")))
    except ValueError:
        return None
    return Verdict(
        key=value["key"],
        status=value["status"],
        doi=_text(value.get("doi")),
        source=_text(value.get("source")),
        differences=tuple(
            (_text(d.get("field")), _text(d.get("entry")), _text(d.get("record"))) for d in differences
        ),
        notice=_text(value.get("notice")),
        checked=value["checked"],
        message=_text(value.get("message")),
    )


def read(path: Path, display: str) -> tuple[dict[str, Verdict], list[Problem]]:
    """Verdicts by entry hash, and what is wrong with the file (VER007: those left out)."""
    found, problems = jsonfile.read(path, display, "VER007", "the verdict cache")
    if found is jsonfile.ABSENT:
        return {}, problems
    return read_data(found[0], display, found[1])


def read_data(data: Any, display: str, text: str = "") -> tuple[dict[str, Verdict], list[Problem]]:
    """The verdicts of a cache's parsed JSON; anything not as :func:`text_of` writes it is left
    out, with a finding at the first one's line (``text`` gives it)."""
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("entries"), dict)
    ):
        expected = f'{{"format": "{FORMAT}", "entries": {{…}}}}'
        return {}, [Problem(display, 1, 1, "VER007", f"not a litreview verdict cache: expected {expected}")]
    out: dict[str, Verdict] = {}
    bad = []
    for digest, value in data["entries"].items():
        verdict = _verdict(value)
        if verdict is None:
            bad.append(str(digest))
        else:
            out[str(digest)] = verdict
    problems = []
    if bad:
        shown = ", ".join(bad[:3]) + (f" and {len(bad) - 3} more" if len(bad) > 3 else "")
        line, col = key_places(text).get(bad[0], (1, 1))
        problems.append(Problem(display, line, col, "VER007", f"malformed verdicts left out: {shown}"))
    return out, problems


def fresh(verdict: Verdict, today: datetime.date, not_found_days: int) -> bool:
    """Is a cached verdict still to be trusted? A ``not-found`` only for ``not_found_days``."""
    if verdict.status != "not-found":
        return True
    checked = datetime.date.fromisoformat(verdict.checked)
    return (today - checked).days < not_found_days


def current(
    references: Mapping[str, Reference],
    cached: Mapping[str, Verdict],
    today: datetime.date | None = None,
    not_found_days: int = 30,
) -> dict[str, Verdict]:
    """Each entry's cached verdict, if its hash still matches (and, given ``today``, has not
    expired: the build shows verdicts as recorded, so the same commit builds the same site)."""
    if not cached:  # nothing recorded (no ``litreview verify`` yet): no entry needs its hash
        return {}
    out = {}
    for key, ref in references.items():
        verdict = cached.get(entry_hash(ref))
        if verdict is not None and (today is None or fresh(verdict, today, not_found_days)):
            # an entry renamed with its fields unchanged: the verdict still holds
            out[key] = verdict if verdict.key == key else replace(verdict, key=key)
    return out


def text_of(verdicts: Mapping[str, Verdict]) -> str:
    """The cache's text: hashes sorted, so a diff shows what changed."""
    entries = {digest: verdicts[digest].as_json() for digest in sorted(verdicts)}
    return json.dumps({"format": FORMAT, "entries": entries}, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, verdicts: Mapping[str, Verdict], expect: atomic.FileSnapshot | None = None) -> None:
    """Rewrite the cache whole or not at all; with ``expect``, refuse if it changed meanwhile."""
    atomic.write_text(path, text_of(verdicts), expect=expect)

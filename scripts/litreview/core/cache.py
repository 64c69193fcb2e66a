"""A cache across builds, on disk: the parsed bibliography and the formatted entries.

Parsing a large .bib file and formatting its entries are the costly parts of a build,
and both depend only on file contents and the style. Entries are stored as JSON under
keys derived from those contents, so an edit is never served stale; a damaged or old
cache file is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from .bibliography import Bibliography, Reference
from .problems import Problem, Severity

FORMAT = 2


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()[:32]


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        # json.dumps takes the C encoder; json.dump to a file would not
        handle.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    os.replace(tmp, path)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != __version__:
        return None
    return data


class DiskCache:
    """Cached results under one directory (conventionally ``.cache/litreview``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def bibliography(
        self, paths: Sequence[Path], root: Path, load: Callable[[Sequence[Path], Path], Bibliography]
    ) -> Bibliography:
        """Load through the cache; the key covers every file's name and bytes, in order."""
        parts: list[bytes] = [str(root).encode()]
        for path in paths:
            try:
                parts += [str(path).encode(), path.read_bytes()]
            except OSError:
                return load(paths, root)  # let the loader report the unreadable file
        file = self.directory / f"bibliography-{_digest(*parts)}.json"
        data = _read(file)
        if data is not None:
            try:
                return _bibliography_from_json(data)
            except (KeyError, TypeError, ValueError):
                pass
        result = load(paths, root)
        _write_atomic(file, {"format": FORMAT, "version": __version__, **_bibliography_to_json(result)})
        return result

    def formatted(self, style_id: str) -> FormattedStore:
        return FormattedStore(self.directory / f"formatted-{_digest(style_id.encode())}.json")


class FormattedStore:
    """Formatted entries of one style, keyed by a digest of each entry's content."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data = _read(path)
        entries = data.get("entries") if data else None
        self.entries: dict[str, str] = entries if isinstance(entries, dict) else {}
        self.used: set[str] = set()
        self._marked: set[tuple[str, str]] = set()
        self.dirty = False

    @staticmethod
    def key(ref: Reference) -> str:
        return _digest(ref.key.encode(), ref.fingerprint.encode())

    def mark(self, ref: Reference) -> None:
        """Record that this build used the entry, though memory served it (hashed once per entry)."""
        token = (ref.key, ref.fingerprint)
        if token not in self._marked:
            self._marked.add(token)
            self.used.add(self.key(ref))

    def get(self, ref: Reference) -> str | None:
        key = self.key(ref)
        self.used.add(key)
        return self.entries.get(key)

    def put(self, ref: Reference, html: str) -> None:
        key = self.key(ref)
        self.used.add(key)
        self.entries[key] = html
        self.dirty = True

    def save(self) -> None:
        """Write what this build used, so entries of edited or removed references drop out."""
        if self.dirty or self.entries.keys() - self.used:
            kept = {k: v for k, v in self.entries.items() if k in self.used}
            _write_atomic(self.path, {"format": FORMAT, "version": __version__, "entries": kept})
            self.entries, self.dirty = kept, False


def _bibliography_to_json(bib: Bibliography) -> dict[str, Any]:
    return {
        "paths": list(bib.paths),
        "macros": bib.macros,
        "references": [
            [r.key, r.entry_type, r.fields, r.path, r.line, r.raw, r.inherited]
            for r in bib.references.values()
        ],
        "problems": [[p.path, p.line, p.col, p.code, p.message, p.severity.value] for p in bib.problems],
        "unparsed": bib.unparsed,
    }


def _bibliography_from_json(data: dict[str, Any]) -> Bibliography:
    refs = {}
    for key, entry_type, fields, path, line, raw, inherited in data["references"]:
        refs[key] = Reference(key, entry_type, dict(fields), path, int(line), raw, tuple(inherited))
    problems = [
        Problem(p, int(ln), int(c), code, msg, Severity(sev)) for p, ln, c, code, msg, sev in data["problems"]
    ]
    return Bibliography(
        references=refs,
        problems=problems,
        macros=dict(data["macros"]),
        paths=tuple(data["paths"]),
        unparsed=dict(data["unparsed"]),
    )

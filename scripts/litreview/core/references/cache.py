"""A cache across builds, on disk: the parsed bibliography and the formatted entries.

Parsing a large .bib file and formatting its entries are the costly parts of a build,
and both depend only on file contents and the style. Entries are stored as JSON under
keys derived from those contents, so an edit is never served stale.

The cache is untrusted input: anyone who can write the folder can write it. A file of
the wrong shape is ignored and rebuilt; a cached entry is used only if it is HTML of the
few safe forms a formatter writes (:data:`SAFE_HTML`), so a tampered file can't put a
script into a page. A folder that can't be used costs speed, never the build: the
reason is kept in :attr:`DiskCache.trouble` for the adapter to report. Only the files of
the bibliography and style now in use are kept, so the folder does not grow.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ... import __version__
from ..bibliography.loader import Bibliography, Reference
from ..files import atomic, jsonfile
from ..findings.problems import Problem, Severity

FORMAT = 4
_MAX_BYTES = 512 * 1024 * 1024  # a cache file larger than this was not written by us

_ATTR = r'(?:class="[\w -]*"|style="[\w\s:;.%-]*"|href="https?://[^"<>\s]*"|value="\d+")'
#: What a formatter's HTML may hold: text with entities, and a few tags with plain attributes.
SAFE_HTML = re.compile(
    r"(?:[^<>&]+|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
    r"|<(?:i|em|b|strong|sup|sub|span|small|cite|q|bdi|a)(?:\s+" + _ATTR + r")*\s*>"
    r"|</(?:i|em|b|strong|sup|sub|span|small|cite|q|bdi|a)>|<br\s*/?>)*"
)


def digest(*parts: bytes) -> str:
    """A short digest of several byte strings, each length-prefixed so none runs into the next."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()[:32]


def read_data(path: Path) -> dict[str, Any] | None:
    """A cache file's data, or None for anything we did not write this version (or too large)."""
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode) or found.st_size > _MAX_BYTES:  # a FIFO never ends
            return None
        data = jsonfile.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if is_current(data) else None


def is_current(data: object) -> bool:
    """Whether a cache file's data (or a line-file's header) is ours, of this format and version."""
    return isinstance(data, dict) and data.get("format") == FORMAT and data.get("version") == __version__


def header() -> dict[str, object]:
    """What :func:`is_current` looks for, as a cache file starts."""
    return {"format": FORMAT, "version": __version__}


def _is_str_dict(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


class DiskCache:
    """Cached results under one directory (conventionally ``.cache/litreview``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.trouble = ""
        """Why the cache could not be written, if it could not: the build goes on without it."""

    def write(self, path: Path, data: dict[str, Any]) -> bool:
        """Store ``data`` in the folder; on failure remember why and carry on."""
        return self._store(path, lambda: json.dumps({**header(), **data}, ensure_ascii=False))

    def write_lines(self, path: Path, lines: Iterable[str]) -> bool:
        """Store one JSON value a line (each written with no newline in it), after the header."""
        first = json.dumps(header())
        return self._store(path, lambda: "".join(line + "\n" for line in itertools.chain((first,), lines)))

    def write_bytes(self, path: Path, data: bytes) -> bool:
        """Store a file as it is (a printed PDF); its record says what it is."""
        return self._store(path, lambda: data)

    def _store(self, path: Path, content: Callable[[], str | bytes]) -> bool:
        """Write ``content()`` atomically; on failure remember why (later writes are skipped)."""
        if self.trouble:
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            made = content()
            atomic.write_bytes(path, made if isinstance(made, bytes) else made.encode("utf-8"))
        except (OSError, atomic.WriteError) as exc:
            self.trouble = (
                f"cannot use the cache folder {self.directory}: {getattr(exc, 'strerror', None) or exc}"
            )
            return False
        return True

    def prune(self, prefix: str, keep: Path, suffix: str = ".json") -> None:
        """Remove this kind's other files (older bibliographies or styles) and stray temporaries."""
        with contextlib.suppress(OSError):
            for path in self.directory.glob(f"{prefix}-*{suffix}"):
                if path.name != keep.name and path.is_file():
                    path.unlink()
            for path in self.directory.glob(f".{prefix}-*.tmp"):
                path.unlink()

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
        file = self.directory / f"bibliography-{digest(*parts)}.json"
        data = read_data(file)
        if data is not None:
            cached = _bibliography_from_json(data)
            if cached is not None:
                return cached
        result = load(paths, root)
        if self.write(file, _bibliography_to_json(result)):
            self.prune("bibliography", file)
        return result

    def formatted(self, style_id: str) -> FormattedStore:
        """The store of entries formatted in one style, read from disk once."""
        return FormattedStore(self.directory / f"formatted-{digest(style_id.encode())}.json", self)


class FormattedStore:
    """Formatted entries of one style, keyed by a digest of each entry's content."""

    def __init__(self, path: Path, disk: DiskCache | None = None) -> None:
        self.path = path
        self.disk = disk or DiskCache(path.parent)
        data = read_data(path)
        entries = data.get("entries") if data else None
        self.entries: dict[str, str] = (
            dict(entries) if isinstance(entries, dict) and _is_str_dict(entries) else {}
        )
        self.used: set[str] = set()
        self._marked: set[tuple[str, str]] = set()
        self.dirty = False

    @staticmethod
    def key(ref: Reference) -> str:
        """What an entry's formatted text depends on: its key and its fields' fingerprint, hashed."""
        return digest(ref.key.encode(), ref.fingerprint.encode())

    def mark(self, ref: Reference, html: str) -> None:
        """Record that this build used the entry, though memory served it (hashed once per
        entry); a store that lacks it (emptied, or first used in a ``serve`` session) gets it."""
        token = (ref.key, ref.fingerprint)
        if token not in self._marked:
            self._marked.add(token)
            key = self.key(ref)
            self.used.add(key)
            if key not in self.entries:
                self.entries[key] = str(html)
                self.dirty = True

    def get(self, ref: Reference) -> str | None:
        """The cached HTML, if it is of a form a formatter writes; anything else is a miss."""
        key = self.key(ref)
        self.used.add(key)
        html = self.entries.get(key)
        if html is not None and SAFE_HTML.fullmatch(html) is None:
            del self.entries[key]
            self.dirty = True
            return None
        return html

    def put(self, ref: Reference, html: str) -> None:
        """Keep an entry's formatted text for the next build."""
        key = self.key(ref)
        self.used.add(key)
        self.entries[key] = html
        self.dirty = True

    def save(self) -> None:
        """Write what this build used, so entries of edited or removed references drop out."""
        if self.dirty or self.entries.keys() - self.used:
            kept = {k: v for k, v in self.entries.items() if k in self.used}
            if self.disk.write(self.path, {"entries": kept}):
                self.disk.prune("formatted", self.path)
            self.entries, self.dirty = kept, False


def _bibliography_to_json(bib: Bibliography) -> dict[str, Any]:
    return {
        "paths": list(bib.paths),
        "macros": bib.macros,
        "references": [
            [r.key, r.entry_type, r.fields, r.path, r.line, r.raw, list(r.inherited), list(r.waived)]
            for r in bib.references.values()
        ],
        "problems": [[p.path, p.line, p.col, p.code, p.message, p.severity.value] for p in bib.problems],
        "unparsed": bib.unparsed,
    }


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_CHECKS: dict[str, Callable[[object], bool]] = {
    "s": lambda v: isinstance(v, str),
    "i": _is_int,
    "d": _is_str_dict,
    "l": _is_str_list,
}


def row(value: object, shape: str) -> bool:
    """Does a JSON list match ``shape``, one letter per item: s str, i int, d str→str, l [str]?"""
    if not isinstance(value, list) or len(value) != len(shape):
        return False
    return all(_CHECKS[kind](item) for kind, item in zip(shape, value, strict=True))


def _bibliography_from_json(data: dict[str, Any]) -> Bibliography | None:
    """The cached bibliography, or None unless every part has the shape we write."""
    references, problems = data.get("references"), data.get("problems")
    paths = data.get("paths")
    if not (
        isinstance(references, list)
        and all(row(r, "ssdsisll") for r in references)
        and isinstance(problems, list)
        and all(row(p, "siisss") and p[5] in {s.value for s in Severity} for p in problems)
        and _is_str_dict(data.get("macros"))
        and _is_str_dict(data.get("unparsed"))
        and isinstance(paths, list)
        and all(isinstance(p, str) for p in paths)
    ):
        return None
    refs = {}
    for key, entry_type, fields, path, line, raw, inherited, waived in references:
        refs[key] = Reference(key, entry_type, dict(fields), path, line, raw, tuple(inherited), tuple(waived))
    return Bibliography(
        references=refs,
        problems=[Problem(p, ln, c, code, msg, Severity(sev)) for p, ln, c, code, msg, sev in problems],
        macros=dict(data["macros"]),
        paths=tuple(paths),
        unparsed=dict(data["unparsed"]),
    )

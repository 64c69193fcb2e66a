"""Each page's citation findings, made once per content.

The build reads every page's source again with the check's scanner, to report malformed
citations, unknown keys and citations never rendered (CIT007) where ``litreview check`` does.
What that finds depends only on the page's source and path, on what the page rendered and
on the bibliography's keys, so it is kept in ``.cache/litreview/pages.json`` under the digest
of those (with litreview's version) and read back while they are unchanged. The file is
untrusted input: a row of the wrong shape is ignored and the page scanned again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..bibliography.loader import Bibliography
from ..citations.cite_records import PageCitations
from ..findings.problems import Problem, Severity
from ..references.cache import DiskCache, digest, read_data, row

_SEVERITIES = {s.value for s in Severity}


def _keys_digest(bibliography: Bibliography) -> bytes:
    """What the citation findings read of the bibliography: its keys and its unparsed entries."""
    keys = "\n".join(sorted(bibliography.references))
    unparsed = "\n".join(f"{k}\t{v}" for k, v in sorted(bibliography.unparsed.items()))
    return digest(keys.encode(), unparsed.encode()).encode()


def problems_of(value: object) -> list[Problem] | None:
    """Stored findings, or None unless every row has the shape we write."""
    if not isinstance(value, list) or not all(row(p, "siisss") and p[5] in _SEVERITIES for p in value):
        return None
    return [Problem(p, line, col, code, msg, Severity(sev)) for p, line, col, code, msg, sev in value]


def rows_of(problems: list[Problem]) -> list[list[object]]:
    """Findings as a cache file keeps them (what :func:`problems_of` reads back)."""
    return [[p.path, p.line, p.col, p.code, p.message, p.severity.value] for p in problems]


class PageChecks:
    """The citation findings of each page, by the digest of what decides them."""

    def __init__(self, disk: DiskCache | None, bibliography: Bibliography) -> None:
        self.disk = disk
        self.path = disk.directory / "pages.json" if disk is not None else None
        data = read_data(self.path) if self.path is not None else None
        stored = data.get("pages") if data else None
        self._stored: dict[str, object] = stored if isinstance(stored, dict) else {}
        self._made: dict[str, list[list[object]]] = {}
        self._bibliography = _keys_digest(bibliography)
        self.dirty = False

    def problems(
        self, src: str, text: str, display: str, rendered: PageCitations, scan: Callable[[], list[Problem]]
    ) -> list[Problem]:
        """The page's findings: kept ones while nothing they depend on changed, else ``scan()``."""
        counted = sorted(Counter(k for r in rendered.records for k in r.citation.keys).items())
        key = digest(
            self._bibliography, src.encode(), display.encode(), text.encode(), repr(counted).encode()
        )
        found = problems_of(self._stored.pop(key, None))
        if found is None:
            found = scan()
            self.dirty = True
        self._made[key] = rows_of(found)
        return found

    def save(self) -> None:
        """Keep the findings of the pages this build read (others drop out)."""
        if self.disk is None or self.path is None:
            return
        if self.dirty or self._stored:
            self.disk.write(self.path, {"pages": self._made})
            self.dirty, self._stored = False, {}

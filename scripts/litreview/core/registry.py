"""What one build learns about citations: per page, in source order, then numbered site-wide.

The Markdown extension records every citation it renders here; the scanner supplies
the source position of each. Numbering happens once all pages are known, so numbers
follow the navigation order whatever order the pages were converted in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .citations import Citation
from .problems import Problem
from .scanner import Found


@dataclass
class CiteRecord:
    """One rendered citation: where it is in the source and in the output."""

    index: int
    citation: Citation
    line: int = 0
    col: int = 0
    block_id: str = ""
    order: tuple[int, int] = (0, 0)


@dataclass
class PageCitations:
    """The citations of one page, matched against the scanner's positions."""

    src_uri: str
    path: str
    title: str = ""
    url: str = ""
    scanned: list[Found] = field(default_factory=list)
    records: list[CiteRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _used: set[int] = field(default_factory=set)

    def add(self, citation: Citation) -> CiteRecord:
        """Record a citation; take its position from the first unused scanner match."""
        record = CiteRecord(len(self.records), citation)
        for i, found in enumerate(self.scanned):
            if i not in self._used and found.citation.keys == citation.keys:
                self._used.add(i)
                record.line, record.col = found.line, found.col
                record.order = (found.line, found.col)
                break
        else:
            record.order = (10**9, record.index)
        self.records.append(record)
        return record

    def keys_in_order(self) -> list[str]:
        """Keys as a reader meets them in the source, first to last."""
        return [k for r in sorted(self.records, key=lambda r: r.order) for k in r.citation.keys]


def number_keys(pages: list[PageCitations], known: set[str] | None = None) -> dict[str, int]:
    """Number works at their first citation, page by page in navigation order."""
    numbers: dict[str, int] = {}
    for page in pages:
        for key in page.keys_in_order():
            if key not in numbers and (known is None or key in known):
                numbers[key] = len(numbers) + 1
    return numbers

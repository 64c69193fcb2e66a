"""What one build learns about citations: per page, in source order, then numbered site-wide.

The Markdown extension records every citation it renders here; the scanner supplies
the source position of each. Numbering happens once all pages are known, so numbers
follow the navigation order whatever order the pages were converted in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .syntax import Citation


@dataclass
class CiteRecord:
    """One rendered citation: its slot, its place in the document, and its source position."""

    index: int
    citation: Citation
    line: int = 0
    col: int = 0
    block_id: str = ""
    order: int = -1  # position among the page's citations in document order


@dataclass
class PageCitations:
    """The citations of one page, in the order Markdown met them."""

    src_uri: str
    path: str
    title: str = ""
    url: str = ""
    records: list[CiteRecord] = field(default_factory=list)
    malformed: bool = False

    def keys_by_block(self) -> dict[str, list[str]]:
        """Paragraph id → the keys cited there, in order (one pass over the page's citations)."""
        out: dict[str, list[str]] = {}
        for record in self.in_order():
            out.setdefault(record.block_id, []).extend(record.citation.keys)
        return out

    def places(self) -> list[tuple[str, str]]:
        """(key, paragraph id) for each work's citations, each pair once, in reading order."""
        return list(dict.fromkeys((k, r.block_id) for r in self.in_order() for k in r.citation.keys))

    def add(self, citation: Citation) -> CiteRecord:
        """Record the next citation Markdown met on this page."""
        record = CiteRecord(len(self.records), citation, order=len(self.records))
        self.records.append(record)
        return record

    def in_order(self) -> list[CiteRecord]:
        """The page's citations in document order (Markdown may meet them out of order)."""
        return sorted(self.records, key=lambda r: r.order)

    def keys_in_order(self) -> list[str]:
        """Keys as a reader meets them on the page, first to last."""
        return [k for r in self.in_order() for k in r.citation.keys]


def number_keys(pages: list[PageCitations], known: set[str] | None = None) -> dict[str, int]:
    """Number works at their first citation, page by page in navigation order."""
    numbers: dict[str, int] = {}
    for page in pages:
        for key in page.keys_in_order():
            if key not in numbers and (known is None or key in known):
                numbers[key] = len(numbers) + 1
    return numbers

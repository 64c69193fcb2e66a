"""What the cross-linker asks of one page while it converts, and what it learns from it.

Kept apart from the page's citations (:class:`~litreview.core.citations.cite_records.PageCitations`):
a build without a taxonomy never makes one, and a feature on citations never reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class LinkTarget(NamedTuple):
    """A section to autolink."""

    names: tuple[str, ...]
    """The wordings a mention of it may use."""
    href: str
    """The Markdown link to it, relative to the linking page."""
    title: str
    """Its title, for the tooltip."""


@dataclass
class PageLinks:
    """One page's cross-link requests (set before it converts) and findings (after)."""

    src_uri: str
    concept_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """For a section page: concept id → wordings to look for, to anchor its paragraphs."""
    concept_blocks: dict[str, list[str]] = field(default_factory=dict)
    """Filled as it converts: concept id → ids of the paragraphs that mention it."""
    link_targets: dict[str, LinkTarget] = field(default_factory=dict)
    """For the Introduction and Conclusion: section page → what links to it."""

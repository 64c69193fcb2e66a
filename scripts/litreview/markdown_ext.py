"""Python-Markdown extension: the per-page half of the citation engine.

Citations are recognised by an inline processor, so Markdown has already set aside code
spans, code blocks, raw HTML, links, autolinks and e-mail addresses before it looks.
Each citation becomes an empty slot that the site-wide step (the MkDocs plugin, or this
extension's own postprocessor when used without the plugin) fills with numbers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .core.citations import CANDIDATE, Citation, parse_at
from .core.registry import PageCitations

BLOCK_TAGS = {
    "p",
    "li",
    "td",
    "th",
    "dd",
    "dt",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figcaption",
    "div",
}

PageGetter = Callable[[], PageCitations | None]


class CitationInlineProcessor(InlineProcessor):
    """Turns ``[@key]`` and ``@key`` into slots, never inside links or code."""

    ANCESTOR_EXCLUDES = ("a", "code", "pre")

    def __init__(self, page: PageGetter, md: Markdown) -> None:
        super().__init__(CANDIDATE.pattern, md)
        self._page = page

    def handleMatch(  # type: ignore[override]  # Markdown's own stubs differ from the base here
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        if m.group(0) == "\\@":
            return "@", m.start(), m.end()
        page = self._page()
        if page is None:  # links need no check: Markdown's link processor ran first
            return None, None, None
        got = parse_at(data, m.start())
        if not isinstance(got, Citation):
            if got is not None:
                page.malformed = True  # the scanner reports it later, with its position
            return None, None, None
        record = page.add(got)
        el = etree.Element("span", {"class": "lr-cite-slot", "data-lr-cite": str(record.index)})
        return el, got.start, got.end


class CitedBlockTreeprocessor(Treeprocessor):
    """Gives each block that cites an id, so "Cited in" can link to the paragraph."""

    def __init__(self, page: PageGetter, md: Markdown, page_list: bool) -> None:
        super().__init__(md)
        self._page = page
        self._page_list = page_list

    def run(self, root: etree.Element) -> None:
        page = self._page()
        if page is None or not page.records:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        used_ids = {el.get("id") for el in root.iter() if el.get("id")}
        counter = 0
        slots = [el for el in root.iter("span") if el.get("class") == "lr-cite-slot"]
        for order, slot in enumerate(slots):
            record = page.records[int(slot.get("data-lr-cite", "0"))]
            record.order = order  # document order, whatever order inline processing took
            block = parents.get(slot)
            while block is not None and block.tag not in BLOCK_TAGS:
                block = parents.get(block)
            if block is None:
                continue
            if not block.get("id"):
                counter += 1
                while f"lr-p{counter}" in used_ids:
                    counter += 1
                block.set("id", f"lr-p{counter}")
                used_ids.add(f"lr-p{counter}")
            record.block_id = block.get("id", "")
        if self._page_list:
            heading = etree.SubElement(root, "h2", {"id": "page-references"})
            heading.text = "References"
            etree.SubElement(root, "div", {"class": "lr-page-references", "data-lr-slot": "page"})


class CitationExtension(Extension):
    """Register the citation processors on a Markdown instance.

    ``page`` returns the current page's record, which the site-wide adapter supplies
    and later fills with numbers.
    """

    def __init__(self, page: PageGetter, *, page_list: bool = True) -> None:
        super().__init__()
        self._page = page
        self._page_list = page_list

    def extendMarkdown(self, md: Markdown) -> None:
        # Below links (160), autolinks (120), automail (110) and raw HTML (90), so those
        # are already set aside; above emphasis (60), so a key's "_" is never emphasis.
        md.inlinePatterns.register(CitationInlineProcessor(self._page, md), "litreview-cite", 85)
        # After attr_list (8), so ids given in the source win; before toc (5).
        md.treeprocessors.register(
            CitedBlockTreeprocessor(self._page, md, self._page_list), "litreview-blocks", 7
        )

"""The Markdown engine: the per-page half of the citation engine, shared by the adapters.

Citations are recognised by an inline processor, so Markdown has already set aside code
spans, code blocks, raw HTML, links, autolinks and e-mail addresses before it looks.
Each citation becomes an empty slot that the site-wide step
(:mod:`litreview.core.build.sitewide`) fills with numbers. The MkDocs plugin registers
:class:`CitationExtension` itself; :mod:`litreview.markdown_ext` is the entry point Zensical
loads by name.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, HTML_PLACEHOLDER_RE, STX, AtomicString

from .core.citations import slots
from .core.citations.cite_records import PageCitations
from .core.citations.rawhtml import cite_in_html
from .core.citations.syntax import (
    CANDIDATE,
    REFERENCE,
    Citation,
    CiteItem,
    find_in_text,
    parse_at,
    parse_at_in,
)
from .core.text.escaping import without_controls

if TYPE_CHECKING:
    from .core.crosslinks.page import LinkTarget, PageLinks
    from .core.crosslinks.sections import Mention
    from .core.systematic.study_tables import PageTables

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
LinksGetter = Callable[[], "PageLinks | None"]
TablesGetter = Callable[[], "PageTables | None"]


def _no_links() -> PageLinks | None:
    return None


def _no_tables() -> PageTables | None:
    return None


def _referenced(got: Citation) -> Citation:
    """The citation with each character reference in its prefixes and suffixes (``&amp;``) the
    character it stands for, as Markdown shows it: the affixes are escaped again when shown."""

    def text(affix: str) -> str:
        return REFERENCE.sub(lambda m: html.unescape(m.group(0)), affix) if "&" in affix else affix

    return got._replace(
        items=tuple(i._replace(prefix=text(i.prefix), suffix=text(i.suffix)) for i in got.items)
    )


class CitationInlineProcessor(InlineProcessor):
    """Turns ``[@key]`` and ``@key`` into slots, never inside links or code."""

    ANCESTOR_EXCLUDES = ("a", "code", "pre")

    def __init__(self, page: PageGetter, md: Markdown) -> None:
        super().__init__(CANDIDATE.pattern, md)
        self._page = page

    def _as_written(self, got: Citation, data: str) -> Citation:
        """The citation with what Markdown set aside inside it (raw HTML like ``<b>``, escapes)
        put back, so keys are recorded, and reported, as the author wrote them."""
        source = data[got.start : got.end]
        if STX not in source:
            return _referenced(got) if "&" in source else got
        written = self._put_back(source)
        again = parse_at(written, 0)
        if isinstance(again, Citation) and again.end == len(written):
            return _referenced(got._replace(items=again.items))
        # what was set aside holds a ";" or a bracket (``[@a, `x;y`]``): the items stay as
        # Markdown's text split them, each with its text put back (else its placeholder showed)
        items = [
            i._replace(prefix=self._put_back(i.prefix), suffix=self._put_back(i.suffix)) for i in got.items
        ]
        return _referenced(got._replace(items=tuple(items)))

    def _put_back(self, text: str) -> str:
        """``text`` with what Markdown set aside in it (code, raw HTML, escapes) as written."""
        text = HTML_PLACEHOLDER_RE.sub(self._raw_html, self.unescape(text))
        return re.sub(STX + r"(\d+)" + ETX, lambda m: chr(int(m.group(1))), text)

    def _raw_html(self, m: re.Match[str]) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        index = int(m.group(1))
        block = blocks[index] if index < len(blocks) else ""
        return block if isinstance(block, str) else "".join(block.itertext())

    def handleMatch(  # type: ignore[override]  # Markdown's own stubs differ from the base here
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        """A slot for the citation at ``m``, or no match (Markdown then goes on past it)."""
        if m.group(0) == "\\@":
            return "@", m.start(), m.end()
        page = self._page()
        if page is None:  # links need no check: Markdown's link processor ran first
            return None, None, None
        got = parse_at_in(data, m.start())  # the text changes after each match: read around it
        if not isinstance(got, Citation):
            if got is not None:
                page.malformed = True  # the scanner reports it later, with its position
            return None, None, None
        record = page.add(self._as_written(got, data))
        return slots.citation(record.index), got.start, got.end


class AltTextTreeprocessor(Treeprocessor):
    """Citations in an image's alt text (a figure's caption, in pandoc's terms).

    HTML can't hold a link in an attribute, so each becomes a token that the site-wide
    step replaces with the citation as text (``[3]``); the work still counts as cited here.
    """

    def __init__(self, page: PageGetter, md: Markdown) -> None:
        super().__init__(md)
        self._page = page

    def run(self, root: etree.Element) -> None:
        """Replace citations in alt texts with tokens, recording each."""
        page = self._page()
        if page is None:
            return
        for img in root.iter("img"):
            alt = img.get("alt") or ""
            if "@" not in alt:
                continue
            parts, pos = [], 0
            for item in find_in_text(alt):
                if not isinstance(item, Citation):
                    page.malformed = True
                    continue
                record = page.add(item)
                parts += [alt[pos : item.start], slots.alt_token(record.index)]
                pos = item.end
            if parts:
                img.set("alt", "".join(parts) + alt[pos:])


class RawHtmlTreeprocessor(Treeprocessor):
    """Citations in the text of raw HTML blocks (a figure's ``<figcaption>``, a table's cells),
    which pandoc reads as Markdown and Python-Markdown passes through untouched.

    Each becomes a slot in the stashed HTML; one where HTML can't hold a link (inside ``<a>``)
    stays as written and marks the page, so the build has the scanner report it (CIT007).
    """

    def __init__(self, page: PageGetter, md: Markdown) -> None:
        super().__init__(md)
        self._page = page

    def run(self, root: etree.Element) -> None:
        """Rewrite the page's stashed raw HTML blocks, recording their citations."""
        page = self._page()
        if page is None:
            return
        blocks = self.md.htmlStash.rawHtmlBlocks
        for n, block in enumerate(blocks):
            if isinstance(block, str) and "@" in block:
                blocks[n], left = cite_in_html(block, lambda c: page.add(c).index)
                page.malformed = page.malformed or left
        for el in list(root.iter()):  # md_in_html keeps a nested raw element's text atomic
            if el.tag not in _RAW_NOT_READ and isinstance(el.text, AtomicString) and "@" in el.text:
                self._cite_text_of(el, page)

    @staticmethod
    def _cite_text_of(el: etree.Element, page: PageCitations) -> None:
        text, pos, added = el.text or "", 0, []
        for item in find_in_text(text):
            if not isinstance(item, Citation):
                page.malformed = True  # the scanner reports it, with its position
                continue
            slot = slots.citation(page.add(item).index)
            added.append((text[pos : item.start], slot))
            pos = item.end
        if not added:
            return
        el.text = AtomicString(added[0][0])
        for n, (_before, slot) in enumerate(added):
            after = added[n + 1][0] if n + 1 < len(added) else text[pos:]
            slot.tail = AtomicString(after)
            el.insert(n, slot)


class StudyTablesTreeprocessor(Treeprocessor):
    """Puts the studies and summary-of-findings tables where their slots stand.

    A slot is raw HTML, so Markdown stashed it; its placeholder paragraph becomes the table,
    built as elements after inline processing, so no value of the files is read as Markdown.
    Each study's key becomes the slot a ``[@key]`` citation gets, recorded on the page, so the
    work is numbered, rendered, listed and counted as cited as any citation is.
    """

    def __init__(self, page: PageGetter, tables: TablesGetter, md: Markdown) -> None:
        super().__init__(md)
        self._page = page
        self._tables = tables

    def run(self, root: etree.Element) -> None:
        """Replace each table slot's paragraph with its table."""
        page, tables = self._page(), self._tables()
        if page is None or tables is None:
            return
        from .core.systematic.study_tables import slot_name  # systematic reviews only

        def cite(key: str) -> etree.Element:
            return slots.citation(page.add(Citation((CiteItem(key),), 0, 0)).index)

        blocks = self.md.htmlStash.rawHtmlBlocks
        if not any(isinstance(b, str) and slot_name(b) for b in blocks):
            return  # most pages: nothing to walk
        shown: set[str] = set()  # a slot twice on a page (SYS041) is shown once: ids stay unique
        for parent in list(root.iter()):
            for n, child in enumerate(list(parent)):
                found = (
                    HTML_PLACEHOLDER_RE.fullmatch((child.text or "").strip()) if child.tag == "p" else None
                )
                index = int(found.group(1)) if found else len(blocks)
                block = blocks[index] if index < len(blocks) else None
                name = slot_name(block) if isinstance(block, str) else None
                if name is None or name in shown:
                    continue
                table = tables.tables.element(name, cite, tables.downloads)
                if table is None:
                    continue
                shown.add(name)
                table.tail = child.tail
                parent.remove(child)
                parent.insert(n, table)
                blocks[index] = ""


_RAW_NOT_READ = {"a", "code", "kbd", "samp", "pre", "script", "style", "textarea"}
"""Elements whose text a raw HTML citation is never taken from (see :mod:`.core.citations.rawhtml`)."""

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
NOT_LINKABLE = {"a", "code", "pre", "kbd", "samp", "script", "style", *HEADINGS}


def _paragraphs(root: etree.Element) -> list[etree.Element]:
    """Innermost text blocks (a paragraph, a list item without paragraphs, …), never headings."""
    return [
        block
        for block in root.iter()
        if block.tag in BLOCK_TAGS
        and block.tag not in HEADINGS
        and not any(child.tag in BLOCK_TAGS for child in block.iter() if child is not block)
    ]


def _is_slot(el: etree.Element) -> bool:
    return slots.citation_index(el) is not None


def _cited_elements(root: etree.Element) -> Iterator[tuple[etree.Element, list[int]]]:
    """Citation slots and images citing in their alt text, in document order, with record indices."""
    for el in root.iter():
        index = slots.citation_index(el)
        if index is not None:
            yield el, [index]
        elif el.tag == "img" and (indices := slots.alt_indices(el.get("alt") or "")):
            yield el, indices


class CitedBlockTreeprocessor(Treeprocessor):
    """Gives ids to the paragraphs that cite, or that discuss one of a section's concepts.

    An id is ``lr-p<N>``, N being the block's place among the page's blocks, so a
    paragraph keeps its anchor when citations or concepts elsewhere change.
    """

    def __init__(self, page: PageGetter, md: Markdown, page_list: bool, links: LinksGetter) -> None:
        super().__init__(md)
        self._page = page
        self._page_list = page_list
        self._links = links

    def run(self, root: etree.Element) -> None:
        """Give ids to citing and concept-discussing paragraphs; add the page's list slot."""
        page, links = self._page(), self._links()
        if page is None or not (page.records or (links is not None and links.concept_names)):
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        used_ids = {el.get("id") for el in root.iter() if el.get("id")}
        blocks = (e for e in root.iter() if e is not root and e.tag in BLOCK_TAGS and e.tag not in HEADINGS)
        ordinal = {el: n for n, el in enumerate(blocks, 1)}
        headings = {el: n for n, el in enumerate((e for e in root.iter() if e.tag in HEADINGS), 1)}

        def anchor(block: etree.Element) -> str:
            if not block.get("id"):
                prefix, n = ("lr-p", ordinal[block]) if block in ordinal else ("lr-h", headings[block])
                candidate = f"{prefix}{n}"
                while candidate in used_ids:
                    n += 1000
                    candidate = f"{prefix}{n}"
                block.set("id", candidate)
                used_ids.add(candidate)
            return block.get("id", "")

        order = 0
        for el, indices in _cited_elements(root):
            block = parents.get(el)
            while block is not None and block.tag not in BLOCK_TAGS:
                block = parents.get(block)
            for index in indices:
                record = page.records[index]
                record.order = order  # document order, whatever order inline processing took
                order += 1
                if block is not None:
                    record.block_id = anchor(block)
        if links is not None and links.concept_names:
            self._anchor_concepts(root, links, anchor)
        if self._page_list and page.records:
            slots.add_page_list(root)

    @staticmethod
    def _anchor_concepts(
        root: etree.Element, page: PageLinks, anchor: Callable[[etree.Element], str]
    ) -> None:
        """Record which paragraphs mention each concept (the innermost blocks, never headings)."""
        from .core.source.terms import first_mention  # cross-linking only: keeps plain builds light

        page.concept_blocks = {}
        generated = {
            el
            for box in root.iter()
            if "lr-crosslinks" in (box.get("class") or "").split()
            for el in box.iter()
        }
        for block in _paragraphs(root):
            if block in generated:
                continue
            text = "".join(block.itertext())
            for concept, names in page.concept_names.items():
                if first_mention(text, names) is not None:
                    page.concept_blocks.setdefault(concept, []).append(anchor(block))


class AutolinkTreeprocessor(Treeprocessor):
    """Links mentions of section names to the sections, once per paragraph.

    Text inside headings, links, code and citations is left alone; the choice of which
    mention becomes a link is made by :func:`~litreview.core.crosslinks.sections.choose_autolinks`.
    """

    def __init__(self, links: LinksGetter, md: Markdown) -> None:
        super().__init__(md)
        self._links = links

    def run(self, root: etree.Element) -> None:
        """Link the first fitting mention of each section in each paragraph."""
        page = self._links()
        if page is None or not page.link_targets:
            return
        from .core.crosslinks.sections import choose_autolinks  # cross-linking only

        names = {target: spec.names for target, spec in page.link_targets.items()}
        for block in _paragraphs(root):
            runs = list(self._text_runs(block))
            linked = {
                t
                for a in block.iter("a")
                for t, spec in page.link_targets.items()
                if a.get("href") == spec.href
            }
            chosen = choose_autolinks([text for _el, _attr, text in runs], names, exclude=linked)
            limit: dict[int, int] = {}  # later mentions in a run are linked first
            for mention in reversed(chosen):
                parent, child, text = runs[mention.segment]
                text = text[: limit.get(mention.segment, len(text))]
                limit[mention.segment] = mention.start
                self._link((parent, child, text), mention, page.link_targets[mention.target])

    @staticmethod
    def _text_runs(block: etree.Element) -> Iterator[tuple[etree.Element, etree.Element | None, str]]:
        """Every text run a link may go into: (parent, None, parent.text) or (parent, child, child.tail)."""

        def walk(el: etree.Element) -> Iterator[tuple[etree.Element, etree.Element | None, str]]:
            if el.text and el.tag not in NOT_LINKABLE and not _is_slot(el):
                yield el, None, el.text
            for child in el:
                if child.tag not in NOT_LINKABLE and not _is_slot(child):
                    yield from walk(child)
                if child.tail:
                    yield el, child, child.tail

        yield from walk(block)

    @staticmethod
    def _link(
        run: tuple[etree.Element, etree.Element | None, str],
        mention: Mention,
        spec: LinkTarget,
    ) -> None:
        parent, child, text = run
        href, title = spec.href, spec.title
        # data-lr-tip, not title: themes may render a title as HTML (see core.escaping)
        tip = without_controls(title)
        link = etree.Element("a", {"href": href, "class": "lr-autolink", "data-lr-tip": tip})
        link.text = text[mention.start : mention.end]
        link.tail = text[mention.end :]
        if child is None:
            parent.text = text[: mention.start]
            parent.insert(0, link)
        else:
            child.tail = text[: mention.start]
            parent.insert(list(parent).index(child) + 1, link)


class CitationExtension(Extension):
    """Register the citation processors on a Markdown instance.

    ``page`` returns the current page's record, which the site-wide adapter supplies
    and later fills with numbers; ``links``, with a taxonomy, its cross-link requests.
    """

    def __init__(
        self,
        page: PageGetter,
        *,
        page_list: bool = True,
        links: LinksGetter = _no_links,
        tables: TablesGetter = _no_tables,
    ) -> None:
        super().__init__()
        self._page = page
        self._page_list = page_list
        self._links = links
        self._tables = tables

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the processors at priorities that keep links, code and raw HTML safe."""
        # Below links (160), autolinks (120), automail (110) and raw HTML (90), so those
        # are already set aside; above emphasis (60), so a key's "_" is never emphasis.
        md.inlinePatterns.register(CitationInlineProcessor(self._page, md), "litreview-cite", 85)
        # After inline processing (20), which sets an image's alt text; before the blocks (7).
        md.treeprocessors.register(AltTextTreeprocessor(self._page, md), "litreview-alt", 7.9)
        # After inline processing (20) and prettify (10), so the tables' values stay text.
        md.treeprocessors.register(
            StudyTablesTreeprocessor(self._page, self._tables, md), "litreview-tables", 9
        )
        # Raw HTML blocks' text, before the blocks (7) so a page citing only there lists them.
        md.treeprocessors.register(RawHtmlTreeprocessor(self._page, md), "litreview-raw-html", 7.8)
        # After attr_list (8), so ids given in the source win; before toc (5).
        md.treeprocessors.register(
            CitedBlockTreeprocessor(self._page, md, self._page_list, self._links), "litreview-blocks", 7
        )
        # After inline processing (20) and attr_list (8); before MkDocs rewrites .md links (0).
        md.treeprocessors.register(AutolinkTreeprocessor(self._links, md), "litreview-autolinks", 7.5)


def rendered_citations(
    record: PageCitations,
    body: str,
    extensions: list[Any],
    configs: dict[str, dict[str, Any]],
    links: PageLinks | None = None,
    tables: PageTables | None = None,
) -> PageCitations:
    """Convert a page's Markdown (front matter removed) privately with ``extensions`` and the
    engine, recording in ``record`` the citations it renders: what the build would render,
    without the build (``litreview check``, the Zensical session)."""
    ours = CitationExtension(lambda: record, page_list=True, links=lambda: links, tables=lambda: tables)
    Markdown(extensions=[*extensions, ours], extension_configs=configs).convert(body)
    return record

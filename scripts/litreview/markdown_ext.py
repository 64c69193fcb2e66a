"""The entry point Zensical loads by name: ``markdown_extensions: [litreview.markdown_ext]``.

Zensical (Material's successor) runs Markdown extensions, not MkDocs plugins, one Markdown
instance per page. Each instance records its page's citations with the shared engine
(:mod:`litreview.markdown_engine`) and fills them in a postprocessor from the build's session,
which :mod:`litreview.standalone` loads once per build. Under MkDocs the plugin removes this
extension and registers the engine itself, so nothing runs twice.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from .core.citations import slots
from .core.citations.cite_records import PageCitations
from .core.crosslinks.page import PageLinks
from .core.publication import cite
from .core.references import reference_html
from .core.systematic import flow_figure
from .core.systematic.study_tables import PageTables
from .markdown_engine import CitationExtension
from .standalone import assets, options, page_session, url_by_source


class StandaloneExtension(CitationExtension):
    """The extension on its own, for generators without MkDocs plugins (Zensical).

    With a taxonomy, a preprocessor adds the page's cross-links first.
    """

    def __init__(self, **kwargs: Any) -> None:
        self.record = PageCitations("", "")
        self.links: PageLinks | None = None
        self.tables: PageTables | None = None
        super().__init__(
            lambda: self.record, page_list=True, links=lambda: self.links, tables=lambda: self.tables
        )
        self.config_file = options(kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the citation processors, the cross-link preprocessor and the filler."""
        super().extendMarkdown(md)
        md.registerExtension(self)  # so md.reset() between pages starts a new record
        # Before raw HTML is set aside (20): a section's cross-links are Markdown in HTML.
        md.preprocessors.register(PreparePreprocessor(md, self), "litreview-prepare", 25)
        # After raw HTML is put back (30), so the slots are in the text to be filled.
        md.postprocessors.register(FillPostprocessor(md, self), "litreview-fill", 25)

    def reset(self) -> None:
        """A new page: forget the last one's citations."""
        self.record = PageCitations("", "")
        self.links = None
        self.tables = None


class PreparePreprocessor(Preprocessor):
    """Before a page converts: with a taxonomy, what the cross-linker adds to it or asks of it."""

    def __init__(self, md: Markdown, page: StandaloneExtension) -> None:
        super().__init__(md)
        self._page = page

    def run(self, lines: list[str]) -> list[str]:
        """The page's lines, with its cross-links added (unchanged without a taxonomy)."""
        found = page_session(self.md, self._page.config_file)
        self._page.tables = found[1].tables if found is not None else None
        if found is None or found[1].crosslinks is None:
            return lines
        _context, current, src = found
        assert current.crosslinks is not None
        self._page.links = links = PageLinks(src)
        return current.crosslinks.prepare(src, "\n".join(lines), links).split("\n")


class FillPostprocessor(Postprocessor):
    """Fills the page's citation slots, its reference list and, on their pages, the bibliography,
    the concept index and the map."""

    def __init__(self, md: Markdown, page: StandaloneExtension) -> None:
        super().__init__(md)
        self._page = page

    def run(self, text: str) -> str:
        """The page's HTML with its citations and lists filled (unchanged if it has none)."""
        record = self._page.record
        holds_bibliography = slots.holds_bibliography(text)
        holds_crosslinks = "data-lr-concept=" in text or "data-lr-map=" in text
        holds_citation = cite.SLOT in text
        holds_flow = flow_figure.holds_slot(text)
        if not (record.records or holds_bibliography or holds_crosslinks or holds_citation or holds_flow):
            return text
        found = page_session(self.md, self._page.config_file)
        if found is None:
            return text
        _context, current, src = found
        built = current.built
        own = built.inputs.publication
        if holds_citation and own is not None:  # no downloads: an extension writes no files
            text = text.replace(cite.SLOT, str(cite.block(own)), 1)
        if holds_flow and current.flow is not None and not current.flow.empty:
            text = flow_figure.fill(text, current.flow, None)  # its download: a data: address
        text = built.page_html(text, src, record, url_by_source)
        if holds_bibliography:
            text = reference_html.fill_bibliography(text, built.bibliography_html(src, url_by_source))
        if holds_crosslinks:
            text = built.crosslinks_html(text, src, url_by_source, current.links)
        return text + assets()


def makeExtension(**kwargs: Any) -> StandaloneExtension:
    """``markdown_extensions: [litreview.markdown_ext]`` (options: ``config_file``)."""
    return StandaloneExtension(**kwargs)

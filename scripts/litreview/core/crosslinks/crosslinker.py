"""One build's cross-links, whatever runs it: the MkDocs plugin or the standalone extension.

Before a page converts, :meth:`CrossLinks.prepare` gives it what it needs (a section's
cross-link block and concept wordings, the Introduction's and Conclusion's section names,
the concept index on the Concepts page). Once the pages' paragraph anchors are known,
:meth:`CrossLinks.fill_concepts` and :meth:`CrossLinks.fill_map` fill the generated pages.
Links are made by callables the adapter supplies, so built URLs (MkDocs) and source paths
(Zensical rewrites them) both work.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..citations.cite_records import PageCitations
from ..findings.problems import Problem
from ..project.config import Review
from ..references.anchors import anchor as ref_anchor
from ..source.outlines import outline
from . import concept_pages as crossrender
from . import sections
from .page import LinkTarget, PageLinks
from .sections import Section
from .taxonomy import Concept, Taxonomy
from .taxonomy import load as load_taxonomy

Places = dict[str, dict[str, list[crossrender.ConceptPlace]]]
"""Concept id → section page → the paragraphs discussing it, with their citation numbers."""
UrlOf = Callable[[str], str]
"""A page's source path → the link to it from the page being filled."""


@dataclass
class CrossLinks:
    """The review's sections and taxonomy, and what follows from them for each page."""

    review: Review
    taxonomy: Taxonomy
    sections: list[Section] = field(default_factory=list)
    concepts_page: str = "concepts.md"
    map_page: str = "map.md"

    @classmethod
    def load(
        cls, review: Review, taxonomy_path: Path, display: str, read: Callable[[str], str | None]
    ) -> CrossLinks:
        """Sections from their pages' front matter (``read`` gives a page's text, or None)."""
        taxonomy = load_taxonomy(taxonomy_path, display)
        outlines = {}
        for src in review.sections:
            text = read(src)
            if text is not None:
                outlines[src] = outline(text, src)
        return cls(review, taxonomy, sections.sections_from(review.sections, outlines))

    @functools.cached_property
    def _by_src(self) -> dict[str, Section]:
        """Sections by page, so each page's look-up is one step (sections are set once)."""
        return {s.src: s for s in self.sections}

    def concept_labels(self, src: str) -> tuple[str, ...]:
        """The labels of the concepts a section page lists (none for other pages)."""
        section = self._by_src.get(src)
        concepts = self.taxonomy.concepts
        return tuple(concepts[c].label for c in section.concepts if c in concepts) if section else ()

    @property
    def problems(self) -> list[Problem]:
        """The taxonomy's own findings (the check reports the pages' with it)."""
        return self.taxonomy.problems

    def prepare(self, src: str, markdown: str, links: PageLinks) -> str:
        """A page's Markdown as it should convert, and ``links`` told what to look for in it."""
        section = self._by_src.get(src)
        if section is not None:
            links.concept_names = {
                cid: self.taxonomy.concepts[cid].names
                for cid in section.concepts
                if cid in self.taxonomy.concepts
            }
            block = crossrender.section_block_markdown(
                section,
                self.sections,
                self.taxonomy,
                self.concepts_page,
                self.review.introduction,
                self.review.conclusion,
            )
            return markdown.rstrip("\n") + "\n\n" + block
        if src and src in (self.review.introduction, self.review.conclusion):
            links.link_targets = {
                s.src: LinkTarget(s.names, sections.relative(src, s.src), s.title) for s in self.sections
            }
        if src == self.concepts_page:
            return crossrender.expand_concepts(markdown, self.taxonomy)
        return markdown

    def places(
        self, pages: Mapping[str, PageCitations], links: Mapping[str, PageLinks], numbers: Mapping[str, int]
    ) -> Places:
        """Where each concept is discussed, once the section pages have converted."""
        out: Places = {}
        for section in self.sections:
            found = links.get(section.src)
            record = pages.get(section.src)
            keys = record.keys_by_block() if record is not None else {}
            for cid, anchors in (found.concept_blocks if found else {}).items():
                for anchor in anchors:
                    cited = sorted({numbers[k] for k in keys.get(anchor, []) if k in numbers})
                    out.setdefault(cid, {}).setdefault(section.src, []).append(
                        crossrender.ConceptPlace(anchor, cited)
                    )
        return out

    def fill_concepts(
        self, html: str, places: Places, url_of: UrlOf, refs: str, numbers: Mapping[str, int]
    ) -> str:
        """The Concepts page's HTML with each concept's sections and paragraphs.

        ``refs`` is the link to the References page from this one.
        """
        by_number = {n: k for k, n in numbers.items()}

        def cite_url(number: int) -> str:
            return refs + "#" + ref_anchor(by_number[number])

        for concept in self.taxonomy.concepts.values():
            filled = crossrender.places_html(
                concept, self.sections, places.get(concept.id, {}), url_of, cite_url
            )
            html = html.replace(crossrender.places_slot(concept.id), filled, 1)
        return html

    def fill_map(self, html: str, places: Places, url_of: UrlOf) -> str:
        """The Map page's HTML with its section × concept tables."""

        def first_place(src: str, cid: str) -> str | None:
            found = places.get(cid, {}).get(src)
            return found[0].anchor if found else None

        def concept_url(concept: Concept) -> str:
            return url_of(self.concepts_page) + "#" + concept.anchor

        for kind in crossrender.MATRIX_KINDS:
            table = crossrender.matrix_html(
                kind, self.sections, self.taxonomy, first_place, url_of, concept_url
            )
            html = html.replace(crossrender.matrix_slot(kind), table, 1)
        return html

    def generated_sources(self, taxonomy_file: str) -> dict[str, str]:
        """Generated page → the file a reader should edit to change it."""
        return {self.concepts_page: taxonomy_file, self.map_page: taxonomy_file}

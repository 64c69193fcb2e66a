"""The MkDocs side of cross-linking, loaded only when the plugin has a ``taxonomy``.

Reads the review's shape and the section pages' front matter up front (the Introduction,
converted first, already needs every section's names), adds the generated concept index
and map, extends section pages, and fills in paragraph anchors and citation numbers once
every page is converted. The derivations themselves live in the core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .core.citations.records import PageCitations
from .core.crosslinks import model as crosslinks
from .core.crosslinks import render as crossrender
from .core.crosslinks.model import Section
from .core.crosslinks.taxonomy import Concept, Taxonomy
from .core.crosslinks.taxonomy import load as load_taxonomy
from .core.project.config import Review
from .core.project.problems import Problem
from .core.references import render
from .core.source.pages import outline

Relative = Callable[[str, str], str]


@dataclass
class CrossLinker:
    """Cross-links for one build: adds the generated pages, extends sections, fills slots."""

    review: Review
    taxonomy: Taxonomy
    sections: list[Section] = field(default_factory=list)
    concepts_page: str = "concepts.md"
    map_page: str = "map.md"

    @classmethod
    def load(cls, config: MkDocsConfig, review: Review, taxonomy_path: Path, display: str) -> CrossLinker:
        taxonomy = load_taxonomy(taxonomy_path, display)
        docs = Path(config.docs_dir)
        outlines = {}
        for src in review.sections:
            path = docs / src
            if path.is_file():
                outlines[src] = outline(path.read_text(encoding="utf-8-sig"), src)
        return cls(review, taxonomy, crosslinks.sections_from(review.sections, outlines))

    @property
    def problems(self) -> list[Problem]:
        return self.taxonomy.problems

    def add_pages(self, files: Files, config: MkDocsConfig, concepts_title: str, map_title: str) -> None:
        """The concept index and the map, as generated pages (unless the docs hold their own)."""
        for src, content in (
            (self.concepts_page, crossrender.concepts_markdown(self.taxonomy, concepts_title)),
            (self.map_page, crossrender.map_markdown(map_title)),
        ):
            if files.get_file_from_path(src) is None:
                files.append(File.generated(config, src, content=content))

    def page_markdown(self, markdown: str, record: PageCitations) -> str:
        """Ask for a section's concept paragraphs and end it with its cross-links; give the
        Introduction and Conclusion the names to link."""
        src = record.src_uri
        section = next((s for s in self.sections if s.src == src), None)
        if section is not None:
            record.concept_names = {
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
        if src in (self.review.introduction, self.review.conclusion):
            record.link_targets = {
                s.src: (s.names, crosslinks.relative(src, s.src), s.title) for s in self.sections
            }
        return markdown

    def _places(
        self, pages: dict[str, PageCitations], numbers: dict[str, int]
    ) -> dict[str, dict[str, list[crossrender.Place]]]:
        """Concept → section → the paragraphs discussing it, with their citation numbers."""
        places: dict[str, dict[str, list[crossrender.Place]]] = {}
        for section in self.sections:
            record = pages.get(section.src)
            for cid, anchors in (record.concept_blocks if record else {}).items():
                for anchor in anchors:
                    cited = (
                        sorted({numbers[k] for k in record.cited_in_block(anchor) if k in numbers})
                        if record
                        else []
                    )
                    places.setdefault(cid, {}).setdefault(section.src, []).append(
                        crossrender.Place(anchor, cited)
                    )
        return places

    def fill(
        self,
        files: Files,
        pages: dict[str, PageCitations],
        numbers: dict[str, int],
        refs_url: str,
        relative: Relative,
    ) -> None:
        """Fill the concept index and the map: paragraph anchors and numbers are known now."""
        places = self._places(pages, numbers)
        by_number = {n: k for k, n in numbers.items()}

        def page_of(src: str) -> Page | None:
            file = files.get_file_from_path(src)
            return file.page if file is not None else None

        def url_from(base: str) -> Callable[[str], str]:
            def url_of(src: str) -> str:
                target = page_of(src)
                return relative(base, target.url) if target is not None else ""

            return url_of

        concepts, matrix = page_of(self.concepts_page), page_of(self.map_page)
        if concepts is not None and concepts.content:
            base = concepts.url

            def cite_url(number: int) -> str:
                return relative(base, refs_url) + "#" + render.anchor(by_number[number])

            html = concepts.content
            for concept in self.taxonomy.concepts.values():
                filled = crossrender.places_html(
                    concept, self.sections, places.get(concept.id, {}), url_from(base), cite_url
                )
                html = html.replace(crossrender.places_slot(concept.id), filled, 1)
            concepts.content = html
        if matrix is not None and matrix.content and concepts is not None:
            base, concepts_url = matrix.url, concepts.url

            def first_place(src: str, cid: str) -> str | None:
                found = places.get(cid, {}).get(src)
                return found[0].anchor if found else None

            def concept_url(concept: Concept) -> str:
                return relative(base, concepts_url) + "#" + concept.anchor

            html = matrix.content
            for kind in crossrender.MATRIX_KINDS:
                table = crossrender.matrix_html(
                    kind, self.sections, self.taxonomy, first_place, url_from(base), concept_url
                )
                html = html.replace(crossrender.matrix_slot(kind), table, 1)
            matrix.content = html

    def generated_sources(self, taxonomy_file: str) -> Iterable[tuple[str, str]]:
        """Generated page → the file a reader should edit to change it."""
        return ((self.concepts_page, taxonomy_file), (self.map_page, taxonomy_file))

"""The MkDocs side of cross-linking, loaded only when the plugin has a ``taxonomy``.

Adds the Concepts and Map pages as generated files (unless the docs hold their stubs); the
site-wide step (:mod:`litreview.core.build.sitewide`) fills them once every page is converted.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from .core.crosslinks import concept_pages as crossrender
from .core.crosslinks.crosslinker import CrossLinks
from .core.project.config import Review


def load(config: MkDocsConfig, review: Review, taxonomy_path: Path, display: str) -> CrossLinks:
    """The review's cross-links, its sections read from docs_dir."""
    docs = Path(config.docs_dir)

    def read(src: str) -> str | None:
        path = docs / src
        return path.read_text(encoding="utf-8-sig") if path.is_file() else None

    return CrossLinks.load(review, taxonomy_path, display, read)


def add_pages(
    linker: CrossLinks, files: Files, config: MkDocsConfig, concepts_title: str, map_title: str
) -> None:
    """The Concepts and Map pages, as generated pages (unless the docs hold their own stubs)."""
    for src, content in (
        (linker.concepts_page, crossrender.concepts_stub(concepts_title)),
        (linker.map_page, crossrender.map_markdown(map_title)),
    ):
        if files.get_file_from_path(src) is None:
            files.append(File.generated(config, src, content=content))

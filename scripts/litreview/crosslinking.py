"""The MkDocs side of cross-linking, loaded only when the plugin has a ``taxonomy``.

Adds the Concepts and Map pages as generated files (unless the docs hold their stubs) and,
once every page is converted, fills them with built URLs. What goes in them is derived by
:class:`~litreview.core.crosslinks.assemble.CrossLinks`, which the standalone extension uses too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from .core.citations.records import PageCitations
from .core.crosslinks import render as crossrender
from .core.crosslinks.assemble import CrossLinks
from .core.crosslinks.page import PageLinks
from .core.project.config import Review

Relative = Callable[[str, str], str]


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


def fill(
    linker: CrossLinks,
    files: Files,
    pages: Mapping[str, PageCitations],
    links: Mapping[str, PageLinks],
    numbers: Mapping[str, int],
    refs_url: str,
    relative: Relative,
) -> None:
    """Fill the Concepts and Map pages: paragraph anchors and numbers are known now."""
    places = linker.places(pages, links, numbers)

    def url_from(base: str) -> Callable[[str], str]:
        def url_of(src: str) -> str:
            file = files.get_file_from_path(src)
            return relative(base, file.page.url) if file is not None and file.page is not None else ""

        return url_of

    for src in (linker.concepts_page, linker.map_page):
        file = files.get_file_from_path(src)
        page = file.page if file is not None else None
        if page is None or not page.content:
            continue
        url_of = url_from(page.url)
        if src == linker.concepts_page:
            page.content = linker.fill_concepts(
                page.content, places, url_of, relative(page.url, refs_url), numbers
            )
        else:
            page.content = linker.fill_map(page.content, places, url_of)

"""One build's state for the plugin, what a ``serve`` session keeps between builds, and what
MkDocs needs worked out from them (a page's cited works, links between pages). The plugin's
hooks translate MkDocs' events; the site-wide step is :mod:`litreview.core.build.sitewide`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .core.bibliography import loader as bib
from .core.build.page_checks import PageChecks
from .core.build.sitewide import BuiltSite, FileUrl, UrlMapper
from .core.citations.cite_records import PageCitations
from .core.files import atomic
from .core.findings.problems import Problem, Severity
from .core.printing.plan import Plan
from .core.project import options as plugin_options
from .core.project.config import in_navigation_order
from .core.publication.settings import Publication
from .core.publication.work_texts import WorkTexts
from .core.references import reference_html
from .core.references.cache import DiskCache, FormattedStore
from .core.references.formatting import Formatter, ReferenceCache

if TYPE_CHECKING:
    from . import releasing
    from .core.crosslinks.crosslinker import CrossLinks
    from .core.crosslinks.page import PageLinks
    from .core.systematic.flow_data import Flow
    from .core.systematic.study_tables import PageTables, StudyTables


@dataclass
class BuildState:
    """Everything one build learns; discarded when the next build starts."""

    bibliography: bib.Bibliography
    formatter: Formatter
    pages: dict[str, PageCitations] = field(default_factory=dict)
    current: PageCitations | None = None
    nav: Navigation | None = None
    built: BuiltSite | None = None
    """The site-wide step's result (numbers, formatted works, findings), from ``on_env``."""
    url: UrlMapper | None = None
    file_url: FileUrl | None = None
    publication: Publication | None = None
    """The review's own record (``publication:``): the metadata every page's head carries."""
    store: FormattedStore | None = None
    severities: dict[str, Severity] = field(default_factory=dict)
    """``validation:`` levels by code, read once per build."""
    reported: list[Problem] = field(default_factory=list)
    """What this build reported, for the panel ``mkdocs serve`` shows on each page."""
    short_store: FormattedStore | None = None
    """An author–date style's in-text forms, cached like the formatted entries."""
    light_bibliography: str = ""
    """The References page's list as search indexes it; the full one replaces it as the page
    is written (``on_post_page``), made then so the build never holds it longer."""
    crosslinker: CrossLinks | None = None
    links: dict[str, PageLinks] = field(default_factory=dict)
    """With a taxonomy: each page's cross-link requests and findings."""
    current_links: PageLinks | None = None
    disk: DiskCache | None = None
    root: str = ""
    """The folder of mkdocs.yml: findings show paths relative to it."""
    pdf: Plan | None = None
    """The PDF of the whole review this build writes (``pdf: true``, not serving, an engine found)."""
    releases: releasing.Releases | None = None
    """With ``releases: true``: the history and What's new entries."""
    release_cited: dict[str, list[reference_html.CitedIn]] = field(default_factory=dict)
    """Where each work is cited, linked from the What's new page."""
    flow: Flow | None = None
    """With ``prisma:``: the review's PRISMA flow, drawn where a page asks for it."""
    tables: StudyTables | None = None
    """With ``studies:`` or ``findings:``: the systematic review's tables."""
    current_tables: PageTables | None = None
    texts: WorkTexts | None = None
    """Each work's downloads and COinS, made once per content (see ``core.publication.work_texts``)."""
    checks: PageChecks | None = None
    """Each page's citation findings, made once per content (``core.build.page_checks``)."""

    @property
    def site(self) -> reference_html.RenderContext | None:
        """The numbered, formatted works (once ``on_env`` has run the site-wide step)."""
        return self.built.site if self.built is not None else None


def bib_paths(config: MkDocsConfig, option: str | Sequence[str], lock: str = "") -> list[Path]:
    """Validated with the other options in ``load_config`` (the core's schema); the lock file last."""
    names = option if isinstance(option, str) else list(option)
    return plugin_options.bibliography_paths(
        names, Path(config.config_file_path or ".").resolve().parent, lock
    )


class LoadedBibliography(NamedTuple):
    """A parsed bibliography and the stamps of the files it was read from."""

    stamps: tuple[tuple[str, int, int], ...]
    """Each file's path, modification time and size (:func:`~litreview.core.files.atomic.stamps`)."""
    bibliography: bib.Bibliography


@dataclass
class AcrossBuilds:
    """What the plugin keeps from one ``mkdocs serve`` rebuild to the next, and nothing more.

    With ``on_startup`` defined, MkDocs keeps one plugin object for the whole session. The
    parsed bibliography is kept while its files are unchanged, and formatted entries are
    keyed by their content, so an edit is never served stale. Everything else a build
    learns lives in its :class:`BuildState` and goes with it.
    """

    formatted: ReferenceCache = field(default_factory=ReferenceCache)
    bibliography: LoadedBibliography | None = None
    releases: releasing.Releases | None = None

    def load_bibliography(self, paths: list[Path], root: Path, disk: DiskCache | None) -> bib.Bibliography:
        """Load, reusing the last result while no file has changed (in memory, then on disk)."""
        token = atomic.stamps(paths)
        if self.bibliography is None or self.bibliography.stamps != token:
            if disk is None:
                loaded = bib.load(paths, display_root=root)
            else:
                loaded = disk.bibliography(paths, root, lambda ps, r: bib.load(ps, display_root=r))
            self.bibliography = LoadedBibliography(token, loaded)
        return self.bibliography.bibliography


def cited_on(state: BuildState, page: Page) -> list[bib.Reference]:
    """The works whose ``citation_reference`` a page's head lists: the home page (the article)
    every cited work, in number order; another page the works it cites."""
    assert state.built is not None
    site = state.built.site
    if page.is_homepage:
        keys = sorted(site.numbers, key=site.numbers.__getitem__)
    else:
        record = state.pages.get(page.file.src_uri)
        keys = sorted(set(record.keys_in_order()) if record else set(), key=lambda k: site.numbers.get(k, 0))
    return [site.references[k] for k in keys if k in site.references and k in site.numbers]


def pages_in_nav_order(state: BuildState) -> list[PageCitations]:
    """The build's pages as the navigation orders them (the numbering's order), then the rest."""
    listed = [p.file.src_uri for p in state.nav.pages] if state.nav is not None else []
    return [state.pages[src] for src in in_navigation_order(state.pages, listed)]


def url_mapper(files: Files) -> tuple[UrlMapper, FileUrl]:
    """Links between the build's pages (by source path, with a ``#fragment``) and from a page
    to a file the build writes, as MkDocs lays out the site's URLs."""
    urls = {file.src_uri: file.url for file in files.documentation_pages()}

    def url(from_src: str, to: str) -> str:
        target, _, fragment = to.partition("#")
        return relative(urls.get(from_src, ""), urls.get(target, "") + ("#" + fragment if fragment else ""))

    def file_url(from_src: str, path: str) -> str:
        return relative(urls.get(from_src, ""), path)

    return url, file_url


def relative(from_url: str, to_url: str) -> str:
    """A link from one page's URL to another URL that may carry a ``#fragment``."""
    target, _, frag = to_url.partition("#")
    rel = get_relative_url(target, from_url) if target != from_url else ""
    if rel and (not target or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel + ("#" + frag if frag else "")


def first_path(option: object) -> str:
    """The first of the ``bibliography`` files: the one "Edit this page" opens on References."""
    names = [option] if isinstance(option, str) else option
    return str(names[0]) if isinstance(names, list) and names else ""


def repo_edit_url(config: MkDocsConfig, repo_path: str) -> str | None:
    """The edit URL of a file outside docs_dir: edit_uri points into docs_dir, so step out of it."""
    repo_url, edit_uri = config.repo_url, config.edit_uri
    docs = Path(config.docs_dir).name
    if not repo_url or not edit_uri or not edit_uri.rstrip("/").endswith(docs):
        return None
    base = edit_uri.rstrip("/")[: -len(docs)]
    return repo_url.rstrip("/") + "/" + base.lstrip("/") + repo_path


def page_display(root: str, file: File) -> str:
    """A page's path as findings show it: relative to mkdocs.yml (no resolve(): it is per page)."""
    if not file.abs_src_path:
        return file.src_uri
    rel = os.path.relpath(file.abs_src_path, root)
    return file.abs_src_path if rel.startswith("..") else Path(rel).as_posix()


def docs_files(root: str, files: Files, paths: Iterable[str], serving: bool = False) -> dict[str, str]:
    """Of the site ``paths``, those a docs file that is no page is copied to (its site path is its
    docs path): site path → the file's path as shown. A file MkDocs leaves out (``exclude_docs``,
    and ``draft_docs`` but under ``serve``) is copied nowhere. Looked up per path, not per file:
    a theme brings hundreds of files."""
    found = {}
    for path in paths:
        file = files.get_file_from_path(path)
        if file is None or file.generated_by is not None or file.is_documentation_page():
            continue
        inclusion = file.inclusion  # (MkDocs leaves these two methods unannotated)
        if inclusion.is_in_serve() if serving else inclusion.is_included():  # type: ignore[no-untyped-call]
            found[path] = page_display(root, file)
    return found


def written_paths(state: BuildState, built: BuiltSite, feed: str | None) -> list[str]:
    """The site paths the build writes files of its own to after the pages (``on_post_build``),
    with ``feed`` (What's new's, where the build writes one). The systematic review's modules are
    imported only for a review that has its tables or flow (80M instructions otherwise)."""
    paths = built.written() + ([feed] if feed else []) + ([state.pdf.name] if state.pdf is not None else [])
    if state.tables is not None:
        from .core.systematic.study_tables import DOWNLOADS

        tables = {"studies": state.tables.studies, "findings": state.tables.findings}
        paths += [DOWNLOADS[name] for name, table in tables.items() if table is not None]
    if state.flow is not None and not state.flow.empty:
        from .core.systematic.flow_figure import FILE

        paths.append(FILE)
    return paths

"""One build's state for the plugin, what a ``serve`` session keeps between builds, and what
is worked out from them for pages (downloads, the explore block, a page's cited works, links
between pages). The plugin's hooks translate MkDocs' events; the working out is here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import releasing
from .core.bibliography import loader as bib
from .core.citations.records import PageCitations
from .core.printing.plan import Plan
from .core.project import options as plugin_options
from .core.project.problems import Problem, Severity
from .core.publication import cite, exports
from .core.publication.model import Publication
from .core.references import explore, render
from .core.references.cache import DiskCache, FormattedStore
from .core.references.formatting import Formatter, ReferenceCache

if TYPE_CHECKING:
    from .core.crosslinks.assemble import CrossLinks
    from .core.crosslinks.page import PageLinks


@dataclass
class BuildState:
    """Everything one build learns; discarded when the next build starts."""

    bibliography: bib.Bibliography
    formatter: Formatter
    pages: dict[str, PageCitations] = field(default_factory=dict)
    current: PageCitations | None = None
    nav: Navigation | None = None
    site: render.Site | None = None
    publication: Publication | None = None
    """The review's own record (``publication:``): the metadata every page's head carries."""
    refs_url: str = ""
    store: FormattedStore | None = None
    severities: dict[str, Severity] = field(default_factory=dict)
    """``validation:`` levels by code, read once per build."""
    reported: list[Problem] = field(default_factory=list)
    """What this build reported, for the panel ``mkdocs serve`` shows on each page."""
    short_store: FormattedStore | None = None
    """An author–date style's in-text forms, cached like the formatted entries."""
    light_bibliography: str = ""
    full_bibliography: str = ""
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
    release_cited: dict[str, list[render.CitedIn]] = field(default_factory=dict)
    """Where each work is cited, linked from the What's new page."""


def bib_paths(config: MkDocsConfig, option: str | Sequence[str], lock: str = "") -> list[Path]:
    """Validated with the other options in ``load_config`` (the core's schema); the lock file last."""
    names = option if isinstance(option, str) else list(option)
    return plugin_options.bibliography_paths(
        names, Path(config.config_file_path or ".").resolve().parent, lock
    )


@dataclass
class AcrossBuilds:
    """What the plugin keeps from one ``mkdocs serve`` rebuild to the next, and nothing more.

    With ``on_startup`` defined, MkDocs keeps one plugin object for the whole session. The
    parsed bibliography is kept while its files are unchanged, and formatted entries are
    keyed by their content, so an edit is never served stale. Everything else a build
    learns lives in its :class:`BuildState` and goes with it.
    """

    formatted: ReferenceCache = field(default_factory=ReferenceCache)
    bibliography: tuple[tuple[tuple[str, int, int], ...], bib.Bibliography] | None = None
    releases: releasing.Releases | None = None

    def load_bibliography(self, paths: list[Path], root: Path, disk: DiskCache | None) -> bib.Bibliography:
        """Load, reusing the last result while no file has changed (in memory, then on disk)."""
        stamp = []
        for p in paths:
            try:
                st = p.stat()
                stamp.append((str(p), st.st_mtime_ns, st.st_size))
            except OSError:
                stamp.append((str(p), -1, -1))
        token = tuple(stamp)
        if self.bibliography is None or self.bibliography[0] != token:
            if disk is None:
                loaded = bib.load(paths, display_root=root)
            else:
                loaded = disk.bibliography(paths, root, lambda ps, r: bib.load(ps, display_root=r))
            self.bibliography = (token, loaded)
        return self.bibliography[1]


def download_files(state: BuildState) -> dict[str, str]:
    """Site path → text: every cited work, each page's own, and the review's citation."""
    site = state.site
    assert site is not None

    def works(keys: Iterable[str]) -> list[bib.Reference]:
        known = {k for k in keys if k in site.numbers and k in site.references}
        return [site.references[k] for k in sorted(known, key=lambda k: site.numbers[k])]

    out = exports.files_for("references", works(site.numbers))
    for src, record in state.pages.items():
        if record.records:
            out |= exports.files_for(exports.stem_of(src), works(record.keys_in_order()))
    if state.publication is not None:
        out |= cite.files(state.publication)
    return out


def explore_block(state: BuildState, cited_in: dict[str, list[render.CitedIn]]) -> str:
    """The References page's filter, facets and chart, over every cited work."""
    site = state.site
    assert site is not None
    linker = state.crosslinker

    def concepts(key: str) -> list[str]:
        if linker is None:
            return []
        return [label for place in cited_in.get(key, []) for label in linker.concept_labels(place.page)]

    found = explore.works(
        site.numbers,
        site.references,
        lambda ref: render.plain(str(site.formatted(ref))),
        lambda key: [place.title for place in cited_in.get(key, [])],
        concepts,
    )
    return str(explore.block(found))


def cited_on(state: BuildState, page: Page) -> list[bib.Reference]:
    """The works whose ``citation_reference`` a page's head lists: the home page (the article)
    every cited work, in number order; another page the works it cites."""
    site = state.site
    assert site is not None
    if page.is_homepage:
        keys = sorted(site.numbers, key=site.numbers.__getitem__)
    else:
        record = state.pages.get(page.file.src_uri)
        keys = sorted(set(record.keys_in_order()) if record else set(), key=lambda k: site.numbers.get(k, 0))
    return [site.references[k] for k in keys if k in site.references and k in site.numbers]


def citation_problems_of(
    pages: list[PageCitations], bibliography: bib.Bibliography, files: Files, linker: CrossLinks | None
) -> list[Problem]:
    """Malformed citations and unknown keys, as the check reports them (read from the source,
    only for pages whose converted citations show trouble; the concept index's from the taxonomy)."""
    from .core.checks.run import citation_problems, description_citations

    problems: list[Problem] = []
    for page in pages:
        unknown = any(k not in bibliography.references for r in page.records for k in r.citation.keys)
        file = files.get_file_from_path(page.src_uri)
        if not (unknown or page.malformed) or file is None:
            continue
        problems += citation_problems(page.src_uri, file.content_string, page.path, bibliography)
        if linker is not None and page.src_uri == linker.concepts_page:
            problems += description_citations(linker.taxonomy, bibliography)
    return problems


def pages_in_nav_order(state: BuildState) -> list[PageCitations]:
    """The build's pages as the navigation orders them (the numbering's order), then the rest."""
    order: list[str] = []
    if state.nav is not None:
        order = [p.file.src_uri for p in state.nav.pages]
    ordered = [state.pages[u] for u in order if u in state.pages]
    ordered += [p for u, p in sorted(state.pages.items()) if u not in order]
    return ordered


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


def display(root: Path, path: Path) -> str:
    """A file's path as findings show it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def display_path(root: str, file: File) -> str:
    """A page's path as findings show it: relative to mkdocs.yml (no resolve(): it is per page)."""
    if not file.abs_src_path:
        return file.src_uri
    rel = os.path.relpath(file.abs_src_path, root)
    return file.abs_src_path if rel.startswith("..") else Path(rel).as_posix()

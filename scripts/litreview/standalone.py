"""The build's session for generators that run Markdown extensions but not MkDocs plugins.

Zensical (Material's successor) reads ``mkdocs.yml`` and runs ``markdown_extensions``, one
Markdown instance per page, in no promised order, and ignores ``plugins``. So with
``litreview.markdown_ext`` listed there, the extension reads the project itself, once per
build: the plugin's options from ``mkdocs.yml``, the bibliography, and every page in
navigation order, converted privately with the shared Markdown engine; the site-wide step
(:mod:`litreview.core.build.sitewide`) numbers and formats the works. Each page is then
filled as it converts (:mod:`litreview.markdown_ext`).
"""

from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown import Markdown

from . import logs
from .core.bibliography import loader as bib
from .core.build.sitewide import BuiltSite, SiteInputs, build_site
from .core.citations.cite_records import PageCitations
from .core.crosslinks.crosslinker import CrossLinks
from .core.crosslinks.page import PageLinks
from .core.crosslinks.sections import relative
from .core.files import atomic
from .core.findings.codes import with_severity
from .core.findings.problems import Problem, Severity
from .core.findings.waivers import split as split_waived
from .core.project.config import ConfigError, Project, load_project
from .core.project.options import LitreviewOptions
from .core.publication import settings as publication
from .core.references.formatting import ReferenceCache
from .core.references.render_context import formatter_for, verdicts_for
from .core.source import frontmatter
from .core.source.outlines import outline
from .core.source.read import read_pages
from .core.systematic import page_slots, review_flow, study_tables
from .core.systematic.flow_data import Flow
from .core.systematic.study_tables import PageTables
from .markdown_engine import rendered_citations

_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: How long a session is trusted before the files are looked at again (``zensical serve``).
_FRESH_FOR = 0.5


def source_link(from_src: str, to_src: str) -> str:
    """A link between two pages as Markdown writes it, by source path (``../references.md``):
    Zensical rewrites such links to the built URLs, wherever the page ends up."""
    return "" if from_src == to_src else relative(from_src, to_src)


@dataclass(frozen=True)
class Context:
    """The page being converted, as the generator tells it."""

    path: str = ""
    root: Path | None = None
    math: bool = False
    extensions: tuple[Any, ...] = ()
    """The generator's other Markdown extensions and their configs, to convert pages as it does."""
    configs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Session:
    """One build's view of the project: the site-wide step's result, page sources and links."""

    project: Project
    built: BuiltSite
    texts: dict[str, str]
    """Every page's source, in navigation order."""
    links: dict[str, PageLinks]
    """With a taxonomy: each page's cross-link requests, from the session's own conversion."""
    signature: tuple[tuple[str, int, int], ...]
    checked: float = field(default_factory=time.monotonic)
    flow: Flow | None = None
    """With ``prisma``: the review's PRISMA flow, drawn where a page asks for it."""
    tables: PageTables | None = None
    """With ``studies:`` or ``findings:``: the tables (no downloads: an extension writes no files)."""

    @property
    def crosslinks(self) -> CrossLinks | None:
        """The review's cross-linker (with ``review`` and ``taxonomy``)."""
        return self.built.inputs.crosslinks


def _convert(
    texts: dict[str, str],
    displays: dict[str, str],
    crosslinks: CrossLinks | None,
    context: Context,
    tables: PageTables | None = None,
) -> tuple[list[PageCitations], dict[str, PageLinks]]:
    """Every page's citations and paragraph anchors, by converting each once, privately.

    Zensical converts pages in no promised order, maybe at the same time; the works are
    numbered in reading order, and the References, Concepts and Map pages link to paragraphs
    of other pages, so the session converts every page itself first, with the generator's
    own extensions, and the numbers and anchors come out as the generator's.
    """
    pages: list[PageCitations] = []
    links: dict[str, PageLinks] = {}
    for src, text in texts.items():
        record, found = PageCitations(src, displays[src]), PageLinks(src)
        body = frontmatter.without(text)
        if crosslinks is not None:
            body = crosslinks.prepare(src, body, found)
        rendered_citations(record, body, list(context.extensions), context.configs, found, tables)
        pages.append(record)
        links[src] = found
    return pages, links


def _signature(project: Project) -> tuple[tuple[str, int, int], ...]:
    """What the session depends on: mkdocs.yml, the bibliography, the taxonomy and every page."""
    paths = [project.config_path, *project.bibliography, *project.markdown_files()]
    paths += [p for p in (project.taxonomy, project.prisma) if p is not None]
    paths += [project.root / name for name in (project.options.studies, project.options.findings) if name]
    return atomic.stamps(paths)


def _load(config_path: Path, context: Context) -> Session:
    """Read the project once and run the site-wide step; findings are printed as the check
    prints them (Zensical has no strict mode: ``litreview check`` is the gate)."""
    project = load_project(config_path)  # its options are checked: a bad one is ConfigError
    options = project.options
    bibliography = bib.load(project.bibliography, project.root)
    texts, displays, read_problems = read_pages(project)
    problems = bibliography.problems + read_problems
    crosslinks = None
    if project.review is not None and project.taxonomy is not None:
        crosslinks = CrossLinks.load(
            project.review, project.taxonomy, project.display(project.taxonomy), texts.get
        )
        crosslinks.concepts_page, crosslinks.map_page = project.concepts_page, project.map_page
        problems += crosslinks.problems
    try:
        where = ("mkdocs.yml", project.line_of("style"))
        formatter = formatter_for(options, project.root, context.math, where)
    except ConfigError as exc:
        problems.append(exc.problem)
        formatter = formatter_for(LitreviewOptions.defaults(), project.root, context.math)
    pub, bad = publication.parse(options.publication, "mkdocs.yml", project.line_of)
    problems += bad
    flow, found = _flow(project, texts, displays)
    problems += found
    tables = _tables(project)
    if tables is not None:
        problems += tables.tables.problems(bibliography, flow)
    pages, links = _convert(texts, displays, crosslinks, context, tables)
    nav_titles = {e.file: e.title for e in project.nav or [] if e.title}
    for page in pages:
        title = nav_titles.get(page.src_uri) or outline(texts[page.src_uri], page.path).title
        page.title = title or page.src_uri
    inputs = SiteInputs(
        bibliography,
        formatter,
        ReferenceCache(),
        options.references_page,
        project.severities,
        verdicts=verdicts_for(options, project.root, bibliography.references),
        crosslinks=crosslinks,
        publication=pub,
    )
    built = build_site(inputs, pages, texts.get)
    loaded, _waived = split_waived(with_severity(problems, project.severities), bibliography.waivers())
    for problem in loaded + built.findings:
        if problem.severity is not Severity.IGNORE:
            log.warning(problem.format())
    return Session(project, built, texts, links, _signature(project), flow=flow, tables=tables)


def _flow(
    project: Project, texts: dict[str, str], displays: dict[str, str]
) -> tuple[Flow | None, list[Problem]]:
    """The PRISMA flow (with ``prisma`` set) and its findings, as the plugin reads them."""
    configured = project.prisma is not None
    found = review_flow.slot_problems(texts, displays, configured, "mkdocs.yml", project.line_of("prisma"))
    found += page_slots.slot_problems(texts, displays, page_slots.configured(project.options))
    if project.prisma is None:
        return None, found
    flow, problems = review_flow.load(project.prisma, project.display(project.prisma))
    return flow, found + problems


def _tables(project: Project) -> PageTables | None:
    """The studies and summary-of-findings tables, if the options name them."""
    if not (project.options.studies or project.options.findings):
        return None
    return PageTables(study_tables.load(project.root, project.options, project.line_of))


class _Unusable(Exception):
    """The project can't be read; the reason has been printed."""


log = logs.zensical
_SESSIONS: dict[tuple[str, bool], Session] = {}
_REPORTED: dict[tuple[str, bool], str] = {}
_LOCK = threading.Lock()


def session(config_path: Path, context: Context) -> Session:
    """The current build's session: loaded once, reloaded when a file it read has changed."""
    token = (str(config_path.resolve()), context.math)
    with _LOCK:
        current = _SESSIONS.get(token)
        now = time.monotonic()
        if current is not None and now - current.checked < _FRESH_FOR:
            return current
        if current is not None and _signature(current.project) == current.signature:
            current.checked = now
            return current
        try:
            _SESSIONS[token] = current = _load(config_path, context)
        except ConfigError as exc:  # no project to read: say so once, leave the pages as written
            message = exc.problem.format()
            if _REPORTED.get(token) != message:
                _REPORTED[token] = message
                log.warning(message)
            raise _Unusable from None
        return current


_OURS = ("litreview.markdown_ext", "litreview")
_NOT_TO_REPEAT = (*_OURS, "zensical.extensions.context")


def _context(md: Markdown) -> Context:
    """Zensical's rendering context (a preprocessor holding the page and the config), if any."""
    for processor in md.preprocessors:
        page = getattr(processor, "page", None)
        config = getattr(processor, "config", None)
        if page is not None and isinstance(config, dict):
            root = config.get("root_dir")
            listed = config.get("markdown_extensions", [])
            names = [e if isinstance(e, str) else type(e).__module__ for e in listed]
            # not ours, and not the context: a private conversion is of no page Zensical knows
            others = tuple(e for e, name in zip(listed, names, strict=True) if name not in _NOT_TO_REPEAT)
            configs = {k: v for k, v in (config.get("mdx_configs") or {}).items() if k not in _OURS}
            return Context(
                str(getattr(page, "path", "")),
                Path(root) if root else None,
                any(str(e).startswith("pymdownx.arithmatex") for e in names),
                others,
                configs,
            )
    return Context()


def page_session(md: Markdown, config_file: str) -> tuple[Context, Session, str] | None:
    """The page's context, the build's session and the page's source path (None: no project)."""
    context = _context(md)
    config = Path(config_file)
    if not config.is_absolute():
        config = (context.root or Path.cwd()) / config
    try:
        current = session(config, context)
    except _Unusable:
        return None
    return context, current, _source(context.path, current.project)


def url_by_source(from_src: str, to: str) -> str:
    """The site-wide step's URL mapper: a link by source path, with its ``#fragment``."""
    target, _, fragment = to.partition("#")
    return source_link(from_src, target) + ("#" + fragment if fragment else "")


def _source(path: str, project: Project) -> str:
    """The page's path relative to docs_dir, however the generator gave it."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.resolve().relative_to(project.docs_dir.resolve()).as_posix()
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix()


@functools.lru_cache(maxsize=1)
def assets() -> str:
    """The stylesheet and the tooltip script, inline: no file to add to docs/, nothing fetched."""
    css = (_TEMPLATES / "litreview.css").read_text(encoding="utf-8")
    js = (_TEMPLATES / "litreview.js").read_text(encoding="utf-8")
    return f'\n<style data-litreview="">{css}</style>\n<script data-litreview="">{js}</script>\n'


def options(kwargs: dict[str, Any]) -> str:
    """The extension's one option: where mkdocs.yml is (default: beside the build's root)."""
    return str(kwargs.get("config_file") or "mkdocs.yml")

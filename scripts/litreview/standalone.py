"""The citation engine for generators that run Markdown extensions but not MkDocs plugins.

Zensical (Material's successor) reads ``mkdocs.yml`` and runs ``markdown_extensions``, one
Markdown instance per page, in no promised order, and ignores ``plugins``. So with
``litreview.markdown_ext`` listed there, the extension reads the project itself, once per
build: the plugin's options from ``mkdocs.yml``, the bibliography, and every page in
navigation order, scanned with the check's own finder to number the works. Each page is
then filled as it converts: numbered citations with tooltips, its reference list, and the
whole bibliography on the page that holds the References marker.

Under MkDocs the plugin removes this extension and registers its own, so nothing runs twice.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.postprocessors import Postprocessor

from .core.bibliography import loader as bib
from .core.checks.run import read_pages, scan_pages
from .core.citations.records import PageCitations, number_keys
from .core.citations.unknown_keys import unknown_key_problems
from .core.crosslinks.model import relative
from .core.project import options as plugin_options
from .core.project.codes import with_severity
from .core.project.config import ConfigError, Project, load_project
from .core.project.problems import Problem, Severity
from .core.references import render
from .core.references.assemble import StyleError, formatter_for, site_for
from .core.references.formatting import ReferenceCache
from .core.source.pages import outline

_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: How long a session is trusted before the files are looked at again (``zensical serve``).
_FRESH_FOR = 0.5


def source_link(from_src: str, to_src: str) -> str:
    """A link between two pages as Markdown writes it, by source path (``../references.md``):
    Zensical rewrites such links to the built URLs, wherever the page ends up."""
    return "" if from_src == to_src else relative(from_src, to_src)


@dataclass
class Session:
    """One build's view of the project: numbers, formatted references, page URLs and titles."""

    project: Project
    site: render.Site
    references_page: str
    cited_in: dict[str, list[render.CitedIn]]
    """Key → the pages citing it (``href`` is the page's source path)."""
    signature: tuple[tuple[str, float, int], ...]
    checked: float = field(default_factory=time.monotonic)


def _signature(project: Project) -> tuple[tuple[str, float, int], ...]:
    """What the session depends on: mkdocs.yml, the bibliography and every page."""
    paths = [project.config_path, *project.bibliography, *project.markdown_files()]
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            out.append((str(path), 0.0, -1))
        else:
            out.append((str(path), st.st_mtime, st.st_size))
    return tuple(out)


def _load(config_path: Path, math: bool) -> Session:
    """Read the project once; its findings are printed as the check prints them (Zensical
    has no strict mode: ``litreview check`` is the gate)."""
    project = load_project(config_path)
    options, problems = plugin_options.validate(project.plugin_options, "mkdocs.yml")
    if problems:
        options, _defaults = plugin_options.validate({}, "mkdocs.yml")
    bibliography = bib.load(project.bibliography, project.root)
    texts, displays, read_problems = read_pages(project)
    pages, found = scan_pages(project, texts, displays)
    numbers = number_keys(pages, known=set(bibliography.references))
    problems += bibliography.problems + read_problems + found + unknown_key_problems(pages, bibliography)
    for problem in with_severity(problems, project.severities):
        if problem.severity is not Severity.IGNORE:
            log.warning(problem.format())
    try:
        formatter = formatter_for(options, project.root, math)
    except StyleError as exc:
        log.warning(Problem("mkdocs.yml", project.line_of("style"), 1, "CFG005", str(exc)).format())
        formatter = formatter_for({}, project.root, math)
    site = site_for(numbers, bibliography.references, formatter, ReferenceCache())
    nav_titles = {e.file: e.title for e in project.nav or [] if e.title}
    titles = {
        src: nav_titles.get(src) or outline(text, displays[src]).title or src for src, text in texts.items()
    }
    cited_in: dict[str, list[render.CitedIn]] = {}
    for page in pages:
        for key in dict.fromkeys(page.keys_in_order()):
            cited_in.setdefault(key, []).append(render.CitedIn(titles[page.src_uri], page.src_uri))
    return Session(project, site, str(options["references_page"]), cited_in, _signature(project))


class _Unusable(Exception):
    """The project can't be read; the reason has been printed."""


log = logging.getLogger("litreview")
_SESSIONS: dict[tuple[str, bool], Session] = {}
_REPORTED: dict[tuple[str, bool], str] = {}
_LOCK = threading.Lock()


def session(config_path: Path, math: bool = False) -> Session:
    """The current build's session: loaded once, reloaded when a file it read has changed."""
    token = (str(config_path.resolve()), math)
    with _LOCK:
        current = _SESSIONS.get(token)
        now = time.monotonic()
        if current is not None and now - current.checked < _FRESH_FOR:
            return current
        if current is not None and _signature(current.project) == current.signature:
            current.checked = now
            return current
        try:
            _SESSIONS[token] = current = _load(config_path, math)
        except ConfigError as exc:  # no project to read: say so once, leave the pages as written
            message = exc.problem.format()
            if _REPORTED.get(token) != message:
                _REPORTED[token] = message
                log.warning(message)
            raise _Unusable from None
        return current


@dataclass(frozen=True)
class Context:
    """The page being converted, as the generator tells it."""

    path: str = ""
    root: Path | None = None
    math: bool = False


def _context(md: Markdown) -> Context:
    """Zensical's rendering context (a preprocessor holding the page and the config), if any."""
    for processor in md.preprocessors:
        page = getattr(processor, "page", None)
        config = getattr(processor, "config", None)
        if page is not None and isinstance(config, dict):
            root = config.get("root_dir")
            extensions = [
                e if isinstance(e, str) else type(e).__module__ for e in config.get("markdown_extensions", [])
            ]
            return Context(
                str(getattr(page, "path", "")),
                Path(root) if root else None,
                any(str(e).startswith("pymdownx.arithmatex") for e in extensions),
            )
    return Context()


class FillPostprocessor(Postprocessor):
    """Fills the page's citation slots, its reference list and, on its page, the bibliography."""

    def __init__(self, md: Markdown, record: Callable[[], PageCitations], config_file: str) -> None:
        super().__init__(md)
        self._page = record
        self._config_file = config_file

    def run(self, text: str) -> str:
        """The page's HTML with its citations and lists filled (unchanged if it has none)."""
        record = self._page()
        holds_bibliography = render.SITE_REFS.search(text) is not None
        if not (record.records or holds_bibliography):
            return text
        context = _context(self.md)
        config = Path(self._config_file)
        if not config.is_absolute():
            config = (context.root or Path.cwd()) / config
        try:
            current = session(config, context.math)
        except _Unusable:
            return text
        src = _source(context.path, current.project)

        def to_bibliography(key: str) -> str:
            return source_link(src, current.references_page) + "#" + render.anchor(key)

        text = render.fill_page(text, current.site, record, to_bibliography)
        if holds_bibliography:
            places = {
                key: [render.CitedIn(c.title, source_link(src, c.href) or "#", c.href) for c in cited]
                for key, cited in current.cited_in.items()
            }
            text = render.fill_bibliography(text, str(render.bibliography(current.site, places)))
        return text + _assets()


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
def _assets() -> str:
    """The stylesheet and the tooltip script, inline: no file to add to docs/, nothing fetched."""
    css = (_TEMPLATES / "litreview.css").read_text(encoding="utf-8")
    js = (_TEMPLATES / "litreview.js").read_text(encoding="utf-8")
    return f'\n<style data-litreview="">{css}</style>\n<script data-litreview="">{js}</script>\n'


def options(kwargs: dict[str, Any]) -> str:
    """The extension's one option: where mkdocs.yml is (default: beside the build's root)."""
    return str(kwargs.get("config_file") or "mkdocs.yml")

"""MkDocs plugin: the site-wide half of the citation engine.

It loads the bibliography, hands each page to the Markdown extension, and once every
page is converted (``on_env``) numbers the works in navigation order and fills in
citations, per-page lists and the generated References page. All state lives in
:class:`BuildState`, made anew in ``on_config`` for every build and ``serve`` rebuild.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .core import bibliography as bib
from .core import render
from .core.formatting import ReferenceCache, TemplateFormatter
from .core.problems import Problem
from .core.registry import PageCitations, number_keys
from .core.resolve import unknown_key_problems
from .core.scanner import scan
from .markdown_ext import CitationExtension

log = logging.getLogger("mkdocs.plugins.litreview")

ASSET = "assets/litreview/litreview.css"
_CSS = Path(__file__).resolve().parent / "templates" / "litreview.css"

# Formatted references survive `mkdocs serve` rebuilds (MkDocs makes a new plugin object
# for each); entries are keyed by their content, so an edit is never served stale.
_FORMAT_CACHE = ReferenceCache()
_BIB_CACHE: dict[tuple[tuple[str, int, int], ...], bib.Bibliography] = {}


class LitreviewConfig(base.Config):
    """Options of the ``litreview`` plugin in ``mkdocs.yml``."""

    bibliography = c.Type((str, list), default="references.bib")
    """A .bib path, or a list read in order (``@string`` macros carry over), relative to mkdocs.yml."""
    style = c.Choice(("article",), default="article")
    """Reference style: ``article`` mirrors the review's own reference list."""
    template = c.Optional(c.File(exists=True))
    """A Jinja2 template that formats one reference (variable ``ref``), replacing the style's."""
    references_page = c.Type(str, default="references.md")
    """Where the generated References page lives in the site."""
    references_title = c.Type(str, default="References")
    """Title of the generated References page."""
    page_references = c.Type(bool, default=True)
    """End every citing page with its own list of the works it cites."""


@dataclass
class BuildState:
    """Everything one build learns; discarded when the next build starts."""

    bibliography: bib.Bibliography
    formatter: TemplateFormatter
    pages: dict[str, PageCitations] = field(default_factory=dict)
    current: PageCitations | None = None
    nav: Navigation | None = None


def _bib_paths(config: MkDocsConfig, option: object) -> list[Path]:
    names = [option] if isinstance(option, str) else option
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise PluginError("litreview: 'bibliography' must be a path or a list of paths")
    root = Path(config.config_file_path or ".").resolve().parent
    return [root / n for n in names]


def load_bibliography(paths: list[Path], root: Path) -> bib.Bibliography:
    """Load, reusing the last result while no file has changed."""
    stamp = []
    for p in paths:
        try:
            st = p.stat()
            stamp.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append((str(p), -1, -1))
    token = tuple(stamp)
    if token not in _BIB_CACHE:
        _BIB_CACHE.clear()
        _BIB_CACHE[token] = bib.load(paths, display_root=root)
    return _BIB_CACHE[token]


class LitreviewPlugin(BasePlugin[LitreviewConfig]):
    """Numbered, hoverable, back-linked citations from ``[@key]`` and a BibTeX file."""

    state: BuildState | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        bibliography = load_bibliography(_bib_paths(config, self.config.bibliography), root)
        template = Path(self.config.template) if self.config.template else None
        self.state = BuildState(bibliography, TemplateFormatter(template))
        for problem in bibliography.problems:
            _report(problem)
        extension = CitationExtension(self._current_page, page_list=self.config.page_references)
        config.markdown_extensions.append(extension)  # type: ignore[arg-type]  # MkDocs accepts instances
        config.extra_css.append(ASSET)
        return config

    def _current_page(self) -> PageCitations | None:
        return self.state.current if self.state else None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if files.get_file_from_path(self.config.references_page) is None:
            title = self.config.references_title
            content = (
                f"---\ntitle: {title}\nsearch:\n  boost: 0.5\n---\n\n# {title}\n\n"
                '<div class="lr-bibliography" data-lr-slot="site"></div>\n'
            )
            files.append(File.generated(config, self.config.references_page, content=content))
        files.append(File.generated(config, ASSET, content=_CSS.read_bytes()))
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.state is not None
        self.state.nav = nav
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.state is not None
        path = _display_path(config, page.file)
        source = page.file.content_string
        result = scan(source, path)
        record = PageCitations(page.file.src_uri, path, scanned=result.found, problems=result.problems)
        self.state.pages[page.file.src_uri] = record
        self.state.current = record
        for problem in result.problems:
            _report(problem)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.state is not None
        self.state.current = None
        record = self.state.pages.get(page.file.src_uri)
        if record is not None:
            record.title = page.title or page.file.src_uri
            record.url = page.url
        return html

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        state = self.state
        assert state is not None
        ordered = _pages_in_nav_order(state)
        references = state.bibliography.references
        for problem in unknown_key_problems(ordered, state.bibliography):
            _report(problem)
        numbers = number_keys(ordered, known=set(references))
        refs_page = files.get_file_from_path(self.config.references_page)
        refs_url = refs_page.url if refs_page else ""

        def formatted(ref: bib.Reference) -> Markup:
            return _FORMAT_CACHE.format(ref, state.formatter, state.formatter.style_id)

        cited_in = _cited_in(ordered, refs_url)
        for file in files.documentation_pages():
            page = file.page
            if page is None or page.content is None:
                continue
            record = state.pages.get(file.src_uri)
            base_url = page.url

            def href(key: str, _base: str = base_url) -> str:
                return _relative(_base, refs_url) + "#" + render.anchor(key)

            def here(key: str) -> str:
                return "#" + render.anchor(key)

            if record is not None and record.records:
                site = render.Site(numbers, references, formatted, here)
                page.content = render.fill_page(page.content, site, record, href)
            if file.src_uri == self.config.references_page:
                site = render.Site(numbers, references, formatted, here)
                local = {
                    k: [render.CitedIn(ci.title, _relative(base_url, ci.href)) for ci in v]
                    for k, v in cited_in.items()
                }
                page.content = render.fill_bibliography(page.content, site, local)
        return env


def _pages_in_nav_order(state: BuildState) -> list[PageCitations]:
    order: list[str] = []
    if state.nav is not None:
        order = [p.file.src_uri for p in state.nav.pages]
    ordered = [state.pages[u] for u in order if u in state.pages]
    ordered += [p for u, p in sorted(state.pages.items()) if u not in order]
    return ordered


def _cited_in(pages: list[PageCitations], refs_url: str) -> dict[str, list[render.CitedIn]]:
    out: dict[str, list[render.CitedIn]] = {}
    for page in pages:
        seen: set[tuple[str, str]] = set()
        for rec in sorted(page.records, key=lambda r: r.order):
            for key in rec.citation.keys:
                if (key, rec.block_id) in seen:
                    continue
                seen.add((key, rec.block_id))
                target = page.url + ("#" + rec.block_id if rec.block_id else "")
                out.setdefault(key, []).append(render.CitedIn(page.title, target))
    return out


def _relative(from_url: str, to_url: str) -> str:
    """A link from one page's URL to another URL that may carry a ``#fragment``."""
    target, _, frag = to_url.partition("#")
    rel = get_relative_url(target, from_url) if target != from_url else ""
    if rel and (not target or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel + ("#" + frag if frag else "")


def _display_path(config: MkDocsConfig, file: File) -> str:
    root = Path(config.config_file_path or ".").resolve().parent
    if file.abs_src_path:
        try:
            return Path(file.abs_src_path).resolve().relative_to(root).as_posix()
        except ValueError:
            return file.abs_src_path
    return file.src_uri


def _report(problem: Problem) -> None:
    """Warnings count under ``--strict``; the text is the same one the CLI prints."""
    if problem.severity.value == "error":
        log.warning(problem.format())
    elif problem.severity.value == "warning":
        log.info(problem.format())

"""MkDocs plugin: the site-wide half of the citation engine.

It loads the bibliography, hands each page to the Markdown extension, and once every
page is converted (``on_env``) numbers the works in navigation order and fills in
citations, per-page lists and the generated References page. All state lives in
:class:`BuildState`, made anew in ``on_config`` for every build and ``serve`` rebuild.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ConfigErrors, ConfigWarnings, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from . import logs
from .building import (
    AcrossBuilds,
    BuildState,
    bib_paths,
    cited_on,
    docs_files,
    first_path,
    page_display,
    pages_in_nav_order,
    relative,
    repo_edit_url,
    url_mapper,
    written_paths,
)
from .core.build.bib_checks import BibliographyChecks
from .core.build.page_checks import PageChecks
from .core.build.sitewide import BuiltSite, SiteInputs, build_site, replaced
from .core.citations.cite_records import PageCitations
from .core.findings.codes import parse_validation, with_severity
from .core.findings.problems import Problem, Severity
from .core.findings.waivers import split as split_waived
from .core.printing.plan import with_header_link
from .core.project import options as plugin_options
from .core.project.config import ConfigError, display_path, line_in
from .core.publication import cite, meta
from .core.publication import settings as publication
from .core.publication.work_texts import WorkTexts
from .core.references import reference_html
from .core.references.anchors import anchor
from .core.references.cache import DiskCache
from .core.references.csl import CslFormatter
from .core.references.formatting import Formatter
from .core.references.render_context import formatter_for, verdicts_for
from .core.source.read import decode_page
from .markdown_engine import CitationExtension

if TYPE_CHECKING:  # releases and the PDF are imported only by builds that make them
    from mkdocs.livereload import LiveReloadServer  # only `serve` loads the live-reload server

    from . import releasing
    from .core.crosslinks.page import PageLinks
    from .core.systematic.study_tables import PageTables

log, serve_log = logs.plugin, logs.serve

#: How ``markdown_extensions`` names the standalone extension (for Zensical).
STANDALONE_NAMES = ("litreview.markdown_ext", "litreview")
ASSET = "assets/litreview/litreview.css"
SCRIPT = "assets/litreview/litreview.js"
_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _option(option: plugin_options.Option) -> BaseConfigOption[Any]:
    """MkDocs' side of one option: its default from the core's schema, which has already
    checked the value (``load_config``), so MkDocs takes it as given; a file option MkDocs
    checks is there (and makes absolute)."""
    if option.name in ("template", "taxonomy"):
        return c.Optional(c.File(exists=True))
    default = option.default
    return c.Optional(c.Type(object)) if default is None else c.Type(object, default=default)


class LitreviewConfig(base.Config):
    """The ``litreview`` options in ``mkdocs.yml``, one per option of the core's schema
    (:data:`~litreview.core.project.options.OPTIONS`); the plugin reads them as its typed
    :class:`~litreview.core.project.options.LitreviewOptions`."""

    _schema = tuple((option.name, _option(option)) for option in plugin_options.OPTIONS)


class LitreviewPlugin(BasePlugin[LitreviewConfig]):
    """Numbered, hoverable, back-linked citations from ``[@key]`` and a BibTeX file."""

    state: BuildState | None = None
    serving = False
    _across: AcrossBuilds | None = None
    options: plugin_options.LitreviewOptions = plugin_options.LitreviewOptions.defaults()
    """This build's options, typed (made in ``load_config``)."""

    @property
    def across(self) -> AcrossBuilds:
        """Created with the plugin object, kept by it across serve rebuilds."""
        if self._across is None:
            self._across = AcrossBuilds()
        return self._across

    @property
    def severities(self) -> dict[str, Severity]:
        """This build's ``validation:`` levels (none before the configuration is read)."""
        return self.state.severities if self.state is not None else {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Under ``serve``, findings are shown, never fatal: ``build --strict`` and ``check`` gate."""
        self.serving = command == "serve"
        if self.serving and not serve_log.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
            serve_log.addHandler(handler)
            serve_log.setLevel(logging.INFO)
            serve_log.propagate = False

    def _replacing(self, paths: list[str] | tuple[str, ...], files: Files) -> list[Problem]:
        """OUT001 for the docs files the build writes its own files over, at ``paths``."""
        root = self.state.root if self.state is not None else ""
        return with_severity(replaced(docs_files(root, files, paths, self.serving)), self.severities)

    def _report(self, problem: Problem) -> None:
        if self.state is not None:
            self.state.reported.append(problem)
        _report(problem, serve_log if self.serving else log)

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """Options go through the core's schema first, the one ``litreview check`` applies."""
        values, problems = plugin_options.validate_named(options, "mkdocs.yml")
        if problems:
            super().load_config({}, config_file_path)
            return [(name, ValidationError(p.message)) for name, p in problems], []
        errors, warnings = super().load_config(values, config_file_path)
        self.options = plugin_options.LitreviewOptions.from_values(dict(self.config))
        return errors, warnings

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load the bibliography and style, set the build's state, register the extension and assets."""
        root = Path(config.config_file_path or ".").resolve().parent
        disk = DiskCache(root / self.options.cache_dir) if self.options.cache else None
        bibliography = self.across.load_bibliography(
            bib_paths(config, self.options.bibliography, self.options.lock), root, disk
        )
        formatter = self._formatter(config)
        self.across.formatted.retain(bibliography.references.values())  # serve must not pile up old ones
        store = disk.formatted(formatter.style_id) if disk is not None else None
        self.state = BuildState(bibliography, formatter, store=store, disk=disk, root=os.path.abspath(root))
        self.state.texts = WorkTexts(disk)
        self.state.checks = PageChecks(disk, bibliography) if disk is not None else None
        if disk is not None and isinstance(formatter, CslFormatter) and formatter.author_date:
            self.state.short_store = disk.formatted(formatter.short.style_id)
        severities, bad = parse_validation(self.options.validation, "mkdocs.yml")
        if bad:
            raise PluginError(f"litreview: {bad[0].message}")
        self.state.severities = severities
        kept, _waived = split_waived(with_severity(bibliography.problems, severities), bibliography.waivers())
        for problem in kept:
            self._report(problem)
        self._load_crosslinks(config, root)
        self._load_flow(root)
        self._load_tables(config, root)
        self._load_publication(config, severities)
        if self.options.pdf:
            from . import pdf as pdf_adapter

            self.state.pdf = pdf_adapter.plan(config, self.options, self.serving)
        if not self.options.releases:
            self.state.releases = self.across.releases = None
        elif self.serving and self.across.releases is not None:
            self.state.releases = self.across.releases  # read once per serve session
        else:
            from . import releasing

            self.state.releases = self.across.releases = releasing.load(config, self.options, disk)
        # One configuration for MkDocs and Zensical: the standalone extension listed for
        # Zensical gives way to the plugin's own, so nothing is converted twice.
        for name in STANDALONE_NAMES:
            while name in config.markdown_extensions:
                config.markdown_extensions.remove(name)
            config.mdx_configs.pop(name, None)
        extension = CitationExtension(
            self._current_page,
            page_list=self.options.page_references,
            links=self._current_links,
            tables=self._current_tables,
        )
        config.markdown_extensions.append(extension)  # type: ignore[arg-type]  # MkDocs accepts instances
        config.extra_css.append(ASSET)
        config.extra_javascript.append(SCRIPT)
        return config

    def _load_publication(self, config: MkDocsConfig, severities: dict[str, Severity]) -> None:
        """The ``publication:`` block, or PUB001 findings (pointing into mkdocs.yml)."""
        assert self.state is not None
        path = Path(config.config_file_path) if config.config_file_path else None
        text = path.read_text(encoding="utf-8") if path is not None and path.is_file() else ""
        self.state.publication, problems = publication.parse(
            self.options.publication, "mkdocs.yml", lambda value: line_in(text, value)
        )
        for problem in with_severity(problems, severities):
            self._report(problem)

    def _load_flow(self, root: Path) -> None:
        """With ``prisma`` set, the review's PRISMA flow and its findings."""
        assert self.state is not None
        if not self.options.prisma:
            return
        from .core.systematic import review_flow

        path = root / self.options.prisma
        self.state.flow, problems = review_flow.load(path, display_path(path, root))
        for problem in with_severity(problems, self.severities):
            self._report(problem)

    def _load_crosslinks(self, config: MkDocsConfig, root: Path) -> None:
        """With ``review`` and ``taxonomy`` set, load the cross-linker (and only then import it)."""
        assert self.state is not None
        if not (self.options.review and self.options.taxonomy):
            return
        from . import crosslinking
        from .core.project.config import nav_files_of, pages_in_order, review_from

        pages = pages_in_order(Path(config.docs_dir), nav_files_of(config.nav) if config.nav else [])
        try:
            review = review_from({"review": self.options.review}, "mkdocs.yml", pages=pages)
        except ConfigError as exc:
            raise PluginError(f"litreview: {exc.problem.message}") from None
        if review is None:
            return
        taxonomy = Path(self.options.taxonomy)
        linker = crosslinking.load(config, review, taxonomy, display_path(taxonomy, root))
        linker.concepts_page, linker.map_page = self.options.concepts_page, self.options.map_page
        for problem in with_severity(linker.problems, self.severities):
            self._report(problem)
        self.state.crosslinker = linker

    def _load_tables(self, config: MkDocsConfig, root: Path) -> None:
        """With ``studies:`` or ``findings:``, read the tables and report what is wrong with them."""
        assert self.state is not None
        if not (self.options.studies or self.options.findings):
            return
        from .core.systematic import study_tables  # systematic reviews only

        path = Path(config.config_file_path) if config.config_file_path else None
        text = path.read_text(encoding="utf-8") if path is not None and path.is_file() else ""
        self.state.tables = tables = study_tables.load(root, self.options, lambda value: line_in(text, value))
        found = tables.problems(self.state.bibliography, self.state.flow)
        for problem in with_severity(found, self.severities):
            self._report(problem)

    def _current_tables(self) -> PageTables | None:
        return self.state.current_tables if self.state else None

    def _formatter(self, config: MkDocsConfig) -> Formatter:
        """The style; with pymdownx.arithmatex in the site, titles keep their math for it."""
        root = Path(config.config_file_path or ".").resolve().parent
        try:
            return formatter_for(self.options, root, "pymdownx.arithmatex" in config.markdown_extensions)
        except ConfigError as exc:
            raise PluginError(f"litreview: {exc.problem.message}") from None

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., None]
    ) -> LiveReloadServer:
        """Rebuild when the bibliography, template, taxonomy or a systematic review's tables
        change: they live outside docs_dir."""
        for path in bib_paths(config, self.options.bibliography, self.options.lock):
            server.watch(str(path), recursive=False)
        for extra in (self.options.template, self.options.taxonomy):
            if extra:
                server.watch(str(extra), recursive=False)
        root = Path(config.config_file_path or ".").resolve().parent
        for data in (self.options.prisma, self.options.studies, self.options.findings):
            if data:
                server.watch(str(root / data), recursive=False)
        return server

    def _current_page(self) -> PageCitations | None:
        return self.state.current if self.state else None

    def _current_links(self) -> PageLinks | None:
        return self.state.current_links if self.state else None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the References (and Concepts, Map) pages unless the docs hold stubs, and the assets."""
        if files.get_file_from_path(self.options.references_page) is None:
            content = reference_html.references_markdown(self.options.references_title)
            files.append(File.generated(config, self.options.references_page, content=content))
        if self.state is not None and self.state.crosslinker is not None:
            from . import crosslinking

            linker = self.state.crosslinker
            crosslinking.add_pages(linker, files, config, self.options.concepts_title, self.options.map_title)
        if self.state is not None and self.state.releases is not None:
            from . import releasing

            releasing.add_page(files, config, self.options)
        for problem in self._replacing((ASSET, SCRIPT), files):
            self._report(problem)
        for asset in (ASSET, SCRIPT):
            if (own := files.get_file_from_path(asset)) is not None:
                files.remove(own)  # reported above: the page needs the plugin's own
            files.append(File.generated(config, asset, content=(_TEMPLATES / Path(asset).name).read_bytes()))
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep the navigation: it orders the numbering."""
        assert self.state is not None
        self.state.nav = nav
        return nav

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        """Read each page once; one that is not UTF-8 is MD001, as in ``litreview check``."""
        path = page.file.abs_src_path
        if not path or page.file.generated_by is not None:
            return None
        try:
            raw = Path(path).read_bytes()
        except OSError:
            return None  # MkDocs reports it in its own words
        text, problem = decode_page(page_display(self.state.root if self.state else "", page.file), raw)
        if text is not None:  # as MkDocs reads it (text mode: universal newlines), so once, not twice
            return text.replace("\r\n", "\n").replace("\r", "\n")
        for found in with_severity([problem] if problem else [], self.severities):
            self._report(found)
        return raw.decode("utf-8", errors="replace")

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Start the page's record; with a taxonomy, add its cross-links to its Markdown."""
        assert self.state is not None
        state = self.state
        src = page.file.src_uri
        record = PageCitations(src, page_display(state.root, page.file))
        state.pages[src] = record
        state.current = record
        if state.tables is not None:
            from .core.systematic.study_tables import PageTables

            state.current_tables = PageTables(state.tables, downloads=True)
        if state.crosslinker is not None:
            from .core.crosslinks.page import PageLinks

            state.links[src] = state.current_links = PageLinks(src)
            return state.crosslinker.prepare(src, markdown, state.current_links)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The page is converted: remember its title and URL for the lists."""
        assert self.state is not None
        self.state.current = self.state.current_links = self.state.current_tables = None
        record = self.state.pages.get(page.file.src_uri)
        if record is not None:
            record.title = page.title or page.file.src_uri
            record.url = page.url
        if self.state.tables is not None:
            from .core.systematic.study_tables import link_downloads

            html = link_downloads(html, lambda path: relative(page.url, path))
        publication = self.state.publication
        if publication is not None and cite.SLOT in html:
            hrefs = {path: relative(page.url, path) for path in cite.files(publication)}
            plan = self.state.pdf
            pdf = relative(page.url, plan.name) if plan is not None else ""
            html = html.replace(cite.SLOT, str(cite.block(publication, hrefs, pdf)), 1)
        flow = self.state.flow
        if flow is not None and not flow.empty:
            from .core.systematic import flow_figure

            if flow_figure.holds_slot(html):
                html = flow_figure.fill(html, flow, relative(page.url, flow_figure.FILE))
        return html

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Every page is converted: run the site-wide step and write the References page.

        Citations and per-page lists are filled later, in ``on_post_page``, after the search
        plugin has indexed the page; the References page is filled here so that search
        indexes its authors and titles.
        """
        state = self.state
        assert state is not None
        root = Path(config.config_file_path or ".").resolve().parent
        inputs = SiteInputs(
            state.bibliography,
            state.formatter,
            self.across.formatted,  # formatted once per build, and reused across serve rebuilds
            self.options.references_page,
            state.severities,
            state.store,
            state.short_store,
            verdicts_for(self.options, root, state.bibliography.references),
            state.crosslinker,
            state.publication,
            state.texts,
            state.checks,
            BibliographyChecks(state.disk, state.bibliography) if state.disk is not None else None,
        )

        def source(src: str) -> str | None:
            """A page's Markdown; None for a page that is not UTF-8 (MD001 is reported on reading)."""
            file = files.get_file_from_path(src)
            return decode_page(src, file.content_bytes)[0] if file is not None else None

        state.built = built = build_site(inputs, pages_in_nav_order(state), source)
        feed = self.options.feed if state.releases is not None and config.site_url else None
        for problem in [*built.findings, *self._replacing(written_paths(state, built, feed), files)]:
            self._report(problem)
        self._flow_slots(state, config, source)
        state.url, state.file_url = url, _ = url_mapper(files)
        if state.releases is not None:
            self._release_links(state, built, files)
        refs_file = files.get_file_from_path(self.options.references_page)
        if state.crosslinker is not None:
            linker = state.crosslinker
            for src in (linker.concepts_page, linker.map_page):
                file = files.get_file_from_path(src)
                if file is not None and file.page is not None and file.page.content:
                    file.page.content = built.crosslinks_html(file.page.content, src, url, state.links)
        page = refs_file.page if refs_file is not None else None
        if page is not None and page.content:
            # Search indexes the light list; the page shows the full one (see on_post_page).
            state.light_bibliography = str(reference_html.search_text(built.site))
            page.content = reference_html.fill_bibliography(page.content, state.light_bibliography)
            if page.present_anchor_ids is not None:  # links to #ref-<key> are valid anchors
                page.present_anchor_ids.update(anchor(k) for k in state.bibliography.references)
        return env

    def _flow_slots(
        self, state: BuildState, config: MkDocsConfig, source: Callable[[str], str | None]
    ) -> None:
        """SYS012: a page asks for the flow diagram without a ``prisma`` file, or the reverse;
        SYS040, SYS041: a table's slot without its file, a slot twice on a page."""
        from .core.systematic import page_slots, review_flow

        texts = {src: text for src in state.pages if (text := source(src)) is not None}
        displays = {src: record.path for src, record in state.pages.items()}
        path = Path(config.config_file_path) if config.config_file_path else None
        config_text = path.read_text(encoding="utf-8") if path is not None and path.is_file() else ""
        line = line_in(config_text, "prisma") if self.options.prisma else 0
        found = review_flow.slot_problems(texts, displays, bool(self.options.prisma), "mkdocs.yml", line)
        found += page_slots.slot_problems(texts, displays, page_slots.configured(self.options))
        for problem in with_severity(found, self.severities):
            self._report(problem)

    def _release_links(self, state: BuildState, built: BuiltSite, files: Files) -> None:
        """New-in marks for the References page; where each work is cited, from What's new."""
        assert state.releases is not None and state.url is not None
        built.site.new_in = state.releases.new_in()
        page = files.get_file_from_path(self.options.whats_new_page)
        if page is None:
            return
        state.releases.page_url = page.url
        state.release_cited = built.cited_in(self.options.whats_new_page, state.url)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """ "Edit this page" on a generated page opens the file it is generated from, and so
        does it on the stubs Zensical needs (References, Concepts, Map): their entries come from
        the .bib and the taxonomy. What's new, made from git's tags, has no such button."""
        sources = {self.options.references_page: first_path(self.options.bibliography)}
        linker = self.state.crosslinker if self.state else None
        if linker is not None and self.options.taxonomy:
            taxonomy = Path(self.options.taxonomy).resolve()
            root = Path(config.config_file_path or ".").resolve().parent
            if taxonomy.is_relative_to(root):
                sources.update(linker.generated_sources(taxonomy.relative_to(root).as_posix()))
        source = sources.get(page.file.src_uri)
        if source:
            page.edit_url = repo_edit_url(config, source)
        if self.options.releases and page.file.src_uri == self.options.whats_new_page:
            page.edit_url = None  # made from git's tags: there is nothing to edit (a stub, for Zensical)
        return context

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Write the works and the review's citation as files; save the caches; say if the
        cache could not be used."""
        state = self.state
        if state is not None and state.built is not None:
            tables = state.tables.downloads() if state.tables is not None else {}
            for path, text in itertools.chain(state.built.downloads(), tables.items()):
                target = Path(config.site_dir) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        if state is not None and state.flow is not None and not state.flow.empty:
            from .core.systematic import flow_figure, flow_svg

            target = Path(config.site_dir) / flow_figure.FILE
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(flow_svg.svg(state.flow), encoding="utf-8")
        if state is not None and state.texts is not None:
            state.texts.save()
        if state is not None and state.checks is not None:
            state.checks.save()
        if state is not None and state.store is not None:
            state.store.save()
        if state is not None and state.short_store is not None:
            state.short_store.save()
        if state is not None and state.releases is not None and state.site is not None:
            from . import releasing

            author = config.site_author or ""
            releasing.write_feed(state.releases, config, self.options, author, state.site)
        if state is not None and state.pdf is not None and state.nav is not None:
            from . import pdf as pdf_adapter

            pdf_adapter.write(state.pdf, state.nav, config, self.options, state.publication, state.disk)
        if state is not None and state.disk is not None and state.disk.trouble:
            where = self.options.cache_dir
            problem = Problem(where, 0, 0, "CACHE001", f"{state.disk.trouble}; built without the cache")
            for found in with_severity([problem], self.severities):
                self._report(found)

    def _with_full_bibliography(self, state: BuildState, output: str) -> str:
        """The References page with its full list in place of the light one, made when the page
        is written and joined into it in one go (no copy of the list is held besides)."""
        assert state.built is not None and state.url is not None
        before, light, after = output.partition(state.light_bibliography)
        if not light:
            return output
        parts = state.built.bibliography_parts(self.options.references_page, state.url, state.file_url)
        return "".join(itertools.chain((before,), parts, (after,)))

    def _metadata(self, state: BuildState, page: Page, config: MkDocsConfig) -> str:
        """The review's citation, Dublin Core, Open Graph and JSON-LD elements for a page."""
        assert state.publication is not None
        site_url = (config.site_url or "").rstrip("/") + "/"
        page_url = site_url + page.url if config.site_url else ""
        title = state.publication.title if page.is_homepage else str(page.title or "")
        pdf_url = site_url + state.pdf.name if state.pdf is not None and config.site_url else ""
        return meta.head(state.publication, cited_on(state, page), page_url, title, config.site_name, pdf_url)

    def _with_releases(
        self, releases: releasing.Releases, output: str, page: Page, config: MkDocsConfig
    ) -> str:
        """What's new filled, the feed advertised in the head, the footer's stamp."""
        from . import releasing

        if page.file.src_uri == self.options.whats_new_page and self.state and self.state.site:
            state, src = self.state, self.options.whats_new_page
            built, url = state.built, state.url
            assert built is not None and url is not None

            def entry_url(key: str) -> str:
                return built.entry_url(src, url, key)

            output = releasing.fill(releases, output, config, state.release_cited, state.site, entry_url)
        if config.site_url:
            link = releasing.feed_link(relative(page.url, self.options.feed), config.site_name)
            output = meta.into_head(output, link)
        return releasing.with_stamp(output, releasing.stamp(releases, config))

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Fill the page's citations and list (and, under serve, show the build's findings)."""
        state = self.state
        assert state is not None
        if self.serving:
            output = reference_html.with_problems(output, page_display(state.root, page.file), state.reported)
        if state.publication is not None and state.site is not None:
            output = meta.into_head(output, self._metadata(state, page, config))
        if state.pdf is not None:
            output = with_header_link(output, relative(page.url, state.pdf.name))
        if state.releases is not None:
            output = self._with_releases(state.releases, output, page, config)
        if page.file.src_uri == self.options.references_page and state.light_bibliography:
            output = self._with_full_bibliography(state, output)
        record = state.pages.get(page.file.src_uri)
        if record is None or state.built is None or state.url is None:
            return output
        return state.built.page_html(output, page.file.src_uri, record, state.url, state.file_url)


def _report(problem: Problem, to: logging.Logger) -> None:
    """Warnings count under ``--strict``; the text is the same one the CLI prints."""
    if problem.severity is Severity.ERROR:
        to.warning(problem.format())
    elif problem.severity is Severity.WARN:
        to.info(problem.format())

"""The plugin's side of the PDF: which built pages go in, in what order, and when it is made.

The core composes and prints (``core/printing``); this reads MkDocs' navigation and
configuration for it. ``mkdocs serve`` never makes the PDF (a rebuild must stay quick); a
build without Playwright or Chromium goes on without it, saying how to install them.
"""

from __future__ import annotations

import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from . import logs
from .core.printing import engine, kept
from .core.printing.plan import Plan, file_name
from .core.project.config import ConfigError, nav_files_of, pages_in_order, review_from
from .core.project.options import LitreviewOptions
from .core.publication.settings import Publication
from .core.references.cache import DiskCache

log = logs.plugin
_CSS = Path(__file__).resolve().parent / "templates" / "print.css"


def plan(config: MkDocsConfig, options: LitreviewOptions, serving: bool) -> Plan | None:
    """The PDF this build writes, or None (not asked for, serving, or no engine: said at INFO,
    so ``--strict`` builds still pass)."""
    if not options.pdf or serving:
        return None
    found = engine.find()
    if isinstance(found, str):
        log.info(f"litreview: no PDF of the review ({found}); to make one: {engine.INSTALL}")
        return None
    return Plan(found, file_name(config.site_url, config.repo_url, config.site_name), options.pdf_paper)


def parts(nav: Navigation, config: MkDocsConfig, options: LitreviewOptions) -> list[tuple[Page, str]]:
    """The pages the PDF holds, each with the title of the nav section it sits in: the home
    page first, then the review's parts (``review:``) or else every page in the nav but the
    generated ones (References, Concepts, Map), in nav order."""
    wanted = _review_pages(config, options)
    generated = {options.references_page, options.concepts_page, options.map_page}
    chosen: list[tuple[Page, str]] = []
    for page in nav.pages:
        if not isinstance(page, Page):
            continue
        src = page.file.src_uri
        if page.is_homepage or (src in wanted if wanted is not None else src not in generated):
            group = page.parent.title if isinstance(page.parent, Section) else ""
            chosen.append((page, str(group or "")))
    chosen.sort(key=lambda item: not item[0].is_homepage)  # stable: the rest keep nav order
    return chosen


def _review_pages(config: MkDocsConfig, options: LitreviewOptions) -> set[str] | None:
    pages = pages_in_order(Path(config.docs_dir), nav_files_of(config.nav) if config.nav else [])
    try:
        review = review_from({"review": options.review}, "mkdocs.yml", pages=pages)
    except ConfigError:
        return None  # reported by the check and the cross-links already
    if review is None:
        return None
    named = {review.introduction, review.conclusion, *review.sections}
    for _name, _written, got in review.parts:
        named.update(got)
    return named - {""}


def write(
    chosen: Plan,
    nav: Navigation,
    config: MkDocsConfig,
    options: LitreviewOptions,
    publication: Publication | None,
    disk: DiskCache | None = None,
) -> None:
    """Compose the review from the built pages and print it into the site; with the cache
    (``disk``), copy the last print instead while nothing it read has changed. The key is the
    composed document, not the pages: they hold what a print leaves out (a theme's build date)."""
    from .core.printing import compose

    started = time.perf_counter()
    site = Path(config.site_dir)

    def part(page: Page, group: str = "") -> compose.Part:
        return compose.Part(page.url, (site / page.file.dest_uri).read_text(encoding="utf-8"), group)

    references = next((p for p in nav.pages if p.file.src_uri == options.references_page), None)
    document = compose.compose(
        [part(page, group) for page, group in parts(nav, config, options)],
        part(references) if isinstance(references, Page) else None,
        publication=publication,
        site_url=config.site_url or "",
        title=publication.title if publication is not None else config.site_name,
        language=(publication.language if publication is not None else "")
        or config.theme.get("language", "en"),
        css=_CSS.read_text(encoding="utf-8"),
    )
    kept_print = kept.KeptPrint(disk) if disk is not None else None
    key = "" if kept_print is None else kept.print_key(document, chosen.paper, chosen.engine.executable,
                                                        engine.settings())  # fmt: skip
    root = site.resolve()
    printed = kept_print.find(key, lambda url: _answer(root, url)) if kept_print is not None else None
    reused = printed is not None
    if printed is None:
        requests: dict[str, str] = {}
        try:
            printed = engine.print_document(chosen.engine, document, site, chosen.paper, requests)
        except Exception as exc:  # Playwright raises its own Error, and OSError when Chromium won't start
            raise PluginError(f"litreview: the PDF of the review could not be printed: {exc}") from None
        if kept_print is not None:
            kept_print.keep(key, requests, printed)
    pages = engine.write_pdf(site / chosen.name, printed)
    log.info(
        f"litreview: PDF of the review written to {site / chosen.name} "
        f"({pages} pages, {chosen.paper}) in {time.perf_counter() - started:.1f} s"
        + (", unchanged since the last build, not printed again" if reused else "")
    )


def _answer(root: Path, url: str) -> bytes | None:
    """What the print's request of ``url`` would be answered with now (None: refused)."""
    found = engine.site_file(root, url)
    try:
        return None if found is None else found.read_bytes()
    except OSError:
        return None

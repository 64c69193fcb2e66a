"""The site-wide step every generator runs once its pages are converted.

The MkDocs plugin and the standalone extension (Zensical) each convert pages with the one
Markdown engine, then hand this step the pages' citations in navigation order, the pages'
sources and a URL mapper (the shape of mkdocs-autorefs' ``fix_refs(html, url_mapper)``);
they take back the findings and each page's filled HTML. So the works are numbered, checked,
formatted and listed alike whichever generator builds the site, and a fix is made once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..bibliography import loader as bib
from ..bibliography import quality
from ..bibliography.verdicts import Verdict
from ..checks.citation_findings import citation_problems, description_citations
from ..citations.cite_records import PageCitations, number_keys
from ..findings.codes import with_severity
from ..findings.problems import Problem, Severity
from ..findings.waivers import Waiver, page_waiver, split
from ..publication import cite, exports
from ..publication.settings import Publication
from ..publication.work_texts import WorkTexts
from ..references import explore, reference_html
from ..references.anchors import anchor
from ..references.cache import FormattedStore
from ..references.formatting import Formatter, ReferenceCache
from ..references.render_context import site_for
from ..source import frontmatter
from .bib_checks import BibliographyChecks
from .page_checks import PageChecks

if TYPE_CHECKING:
    from ..crosslinks.crosslinker import CrossLinks
    from ..crosslinks.page import PageLinks

UrlMapper = Callable[[str, str], str]
"""``(from page, to page[#fragment])`` → the href between them, by docs-relative source paths,
as the generator lays out its URLs."""

FileUrl = Callable[[str, str], str]
"""``(from page, site file path)`` → the href of a file the build writes (downloads)."""


@dataclass
class SiteInputs:
    """What the step needs besides the pages: the bibliography, the style and the options."""

    bibliography: bib.Bibliography
    formatter: Formatter
    cache: ReferenceCache
    references_page: str
    severities: Mapping[str, Severity] = field(default_factory=dict)
    store: FormattedStore | None = None
    short_store: FormattedStore | None = None
    verdicts: Mapping[str, Verdict] | None = None
    """The committed verdicts shown on the site (None: ``verification_marks`` is off)."""
    crosslinks: CrossLinks | None = None
    publication: Publication | None = None
    texts: WorkTexts | None = None
    """Each work's downloads and COinS, made once per content (None: made per build, in memory)."""
    checks: PageChecks | None = None
    """Each page's citation findings, kept while the page and the keys are unchanged."""
    quality: BibliographyChecks | None = None
    """The bibliography's quality findings, kept while the entries are unchanged."""


@dataclass
class BuiltSite:
    """The numbered, formatted site: what fills every page, and the findings on the way."""

    inputs: SiteInputs
    site: reference_html.RenderContext
    pages: list[PageCitations]
    """Every converted page, in navigation order (the numbering's order)."""
    findings: list[Problem]
    """Citation and bibliography findings, with their severities, waivers applied."""

    @property
    def numbers(self) -> dict[str, int]:
        """Work key → its number (an author–date style's order)."""
        return self.site.numbers

    def cited_in(self, from_src: str, url: UrlMapper) -> dict[str, list[reference_html.CitedIn]]:
        """Where each work is cited, linked from page ``from_src``."""
        titles = {page.src_uri: page.title or page.src_uri for page in self.pages}
        return reference_html.cited_in(
            self.pages,
            lambda src: titles.get(src, src),
            lambda src, block: url(from_src, src + ("#" + block if block else "")),
        )

    def entry_url(self, from_src: str, url: UrlMapper, key: str) -> str:
        """The address of ``key``'s entry on the References page, from page ``from_src``."""
        return url(from_src, self.inputs.references_page + "#" + anchor(key))

    @functools.cached_property
    def download_names(self) -> dict[str, str]:
        """Each citing page's download name, one per page (:func:`.exports.unique_stems`)."""
        return exports.unique_stems([page.src_uri for page in self.pages if page.records])

    def page_html(
        self, html: str, src: str, record: PageCitations, url: UrlMapper, files: FileUrl | None = None
    ) -> str:
        """Page ``src``'s HTML with the slots of its citations (``record``) and its reference
        list filled (with ``files``, the list links to its works as downloads)."""
        if not record.records:
            return html
        downloads = ""
        if files is not None:
            stem = self.download_names.get(src) or exports.stem_of(src)
            downloads = exports.links(lambda path: files(src, path), stem, "these works")

        def to_bibliography(key: str) -> str:
            return self.entry_url(src, url, key)

        return reference_html.fill_page(html, self.site, record, to_bibliography, downloads)

    def bibliography_html(self, from_src: str, url: UrlMapper, files: FileUrl | None = None) -> str:
        """The References page's list, with where each work is cited (with ``files``: the
        downloads and, above the list, the filter, facets and chart)."""
        return "".join(self.bibliography_parts(from_src, url, files))

    def bibliography_parts(
        self, from_src: str, url: UrlMapper, files: FileUrl | None = None
    ) -> Iterator[str]:
        """:meth:`bibliography_html` in pieces, for the page to join into its text once."""
        cited = self.cited_in(from_src, url)
        if files is None:
            yield from reference_html.bibliography_parts(self.site, cited)
            return
        everything = f"all {len(self.site.numbers)} works"
        links = exports.links(lambda path: files(from_src, path), exports.WHOLE, everything)
        yield self._explore(cited)
        yield from reference_html.bibliography_parts(self.site, cited, str(links))

    def _explore(self, cited_in: dict[str, list[reference_html.CitedIn]]) -> str:
        """The References page's filter, facets and chart, over every cited work."""
        site, linker, texts = self.site, self.inputs.crosslinks, self.inputs.texts

        def concepts(key: str) -> list[str]:
            if linker is None:
                return []
            return [label for place in cited_in.get(key, []) for label in linker.concept_labels(place.page)]

        found = explore.works(
            site.numbers,
            site.references,
            lambda ref: reference_html.plain(str(site.formatted(ref))),
            lambda key: [place.title for place in cited_in.get(key, [])],
            concepts,
            explore.facets if texts is None else lambda ref: texts.text(ref, "facets"),
        )
        return str(explore.block(found))

    def crosslinks_html(self, html: str, src: str, url: UrlMapper, links: Mapping[str, PageLinks]) -> str:
        """The Concepts or the Map page's HTML filled (any other page unchanged)."""
        linker = self.inputs.crosslinks
        if linker is None or src not in (linker.concepts_page, linker.map_page):
            return html
        by_src = {page.src_uri: page for page in self.pages}
        places = linker.places(by_src, links, self.numbers)

        def url_of(to: str) -> str:
            return url(src, to)

        if src == linker.concepts_page:
            refs = url(src, self.inputs.references_page)
            return linker.fill_concepts(html, places, url_of, refs, self.numbers)
        return linker.fill_map(html, places, url_of)

    def written(self) -> list[str]:
        """The site paths :meth:`downloads` writes to (their names: nothing is made)."""
        stems = [exports.WHOLE, *self.download_names.values()]
        paths = [path for stem in stems for path in exports.paths_for(stem)]
        return paths + (cite.paths(self.inputs.publication) if self.inputs.publication is not None else [])

    def downloads(self) -> Iterator[tuple[str, str]]:
        """Site path and text: every cited work, each page's own, and the review's citation;
        one file at a time, so the build never holds every page's downloads at once."""
        site = self.site
        text = self.inputs.texts.text if self.inputs.texts is not None else exports.made

        def works(keys: Iterable[str]) -> list[bib.Reference]:
            known = {k for k in keys if k in site.numbers and k in site.references}
            return [site.references[k] for k in sorted(known, key=lambda k: site.numbers[k])]

        lists = [(exports.WHOLE, works(site.numbers))]
        names = self.download_names
        lists += [(names[page.src_uri], works(page.keys_in_order())) for page in self.pages if page.records]
        yield from exports.files_for_lists(lists, text)
        if self.inputs.publication is not None:
            yield from cite.files(self.inputs.publication).items()


def replaced(docs: Mapping[str, str]) -> list[Problem]:
    """OUT001 for each of the docs' own files (site path → its path as shown) at a path the build
    writes a file of its own to: MkDocs copies the file into the site, and the build's replaced
    it without a word."""
    return [
        Problem(shown, 1, 1, "OUT001", f"the build writes its own {path} into the site, over this file; "
                "move or rename it")
        for path, shown in docs.items()
    ]  # fmt: skip


def build_site(
    inputs: SiteInputs, pages: list[PageCitations], source: Callable[[str], str | None]
) -> BuiltSite:
    """Number the works at their first citation in reading order, check the citations and the
    bibliography, and format the works. ``pages`` come from the Markdown engine in navigation
    order; ``source(src)`` is a page's Markdown (None: not readable), read again only where its
    citations show trouble."""
    bibliography = inputs.bibliography
    found = _citation_problems(pages, bibliography, source, inputs.crosslinks, inputs.checks)
    numbers = number_keys(pages, known=set(bibliography.references))
    cited = set(numbers)
    found += inputs.quality.problems(cited) if inputs.quality else quality.check(bibliography, cited)
    waivers = bibliography.waivers() + _page_waivers(pages, source, {p.path for p in found})
    kept, _waived = split(with_severity(found, inputs.severities), waivers)
    site = site_for(
        numbers,
        bibliography.references,
        inputs.formatter,
        inputs.cache,
        inputs.store,
        inputs.short_store,
        inputs.verdicts,
    )
    if inputs.texts is not None:
        texts = inputs.texts
        site.coins_text = lambda ref: texts.text(ref, "coins")
        site.bibtex_text = lambda ref: texts.text(ref, "bib")
        site.links_text = lambda ref: texts.text(ref, "links")
    return BuiltSite(inputs, site, pages, kept)


def _citation_problems(
    pages: list[PageCitations],
    bibliography: bib.Bibliography,
    source: Callable[[str], str | None],
    linker: CrossLinks | None,
    checks: PageChecks | None = None,
) -> list[Problem]:
    """Malformed citations, unknown keys and citations found but never rendered (CIT007), as the
    check reports them, read from each page's source (or kept by ``checks``); the concept
    index's from the taxonomy."""
    problems: list[Problem] = []
    for page in pages:
        text = source(page.src_uri)
        if text is None:  # a page that can't be read (MD001 says so)
            continue

        def scan(page: PageCitations = page, text: str = text) -> list[Problem]:
            return citation_problems(page.src_uri, text, page.path, bibliography, rendered=page)

        problems += scan() if checks is None else checks.problems(page.src_uri, text, page.path, page, scan)
        if linker is not None and page.src_uri == linker.concepts_page:
            problems += description_citations(linker.taxonomy, bibliography)
    return problems


def _page_waivers(
    pages: list[PageCitations], source: Callable[[str], str | None], with_findings: set[str]
) -> list[Waiver]:
    """The ``litreview: {ignore: …}`` front matter of each page with findings."""
    out = []
    for page in pages:
        text = source(page.src_uri) if page.path in with_findings else None
        if text is not None and (w := page_waiver(page.path, frontmatter.parse(text, page.path).data)):
            out.append(w)
    return out

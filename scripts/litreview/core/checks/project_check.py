"""``litreview check``: every source check, without building the site.

The same loader and the same citation finder as the build, so a contributor sees the
same finding, at the same line and column, from ``litreview check`` and ``mkdocs build``.
Each page is read and outlined once; every check below works on that.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from ..bibliography import loader as bib
from ..bibliography import quality as bibcheck
from ..citations.cite_records import PageCitations
from ..citations.unknown_keys import unknown_key_problems
from ..crosslinks import concept_pages as crossrender
from ..crosslinks import sections as crosslinks
from ..crosslinks.taxonomy import load as load_taxonomy
from ..findings import waivers
from ..findings.codes import with_severity
from ..findings.problems import Problem
from ..project.config import Project
from ..publication import cff
from ..publication import settings as publication
from ..references.reference_html import references_markdown
from ..source.outlines import Outline, SlugRules, outline
from ..source.read import read_pages, scan_pages
from ..systematic import page_slots, review_flow
from ..systematic.flow_data import Flow
from . import links, structure
from .citation_findings import citation_problems, description_citations, lost_citations

__all__ = ["CheckResult", "check_project", "citation_problems", "description_citations", "lost_citations"]


@dataclass
class CheckResult:
    """What `litreview check` found, and the pages' citations it read to find it."""

    problems: list[Problem]
    pages: list[PageCitations]
    bibliography: bib.Bibliography
    outlines: dict[str, Outline] = field(default_factory=dict)
    waived: list[Problem] = field(default_factory=list)
    """Findings a ``% litreview: ignore`` comment or a page's ``litreview: {ignore: …}`` waives."""


def _lost_in_conversion(pages: list[PageCitations], texts: dict[str, str], render: Renderer) -> list[Problem]:
    """CIT007 for each citation found that the build's conversion of its page would not render."""
    problems: list[Problem] = []
    for found in (p for p in pages if p.records):  # nothing found, nothing to lose
        rendered = render(found.src_uri, texts[found.src_uri], found.path)
        if rendered is not None:
            problems += lost_citations(found, rendered)
    return problems


def _flow_problems(
    project: Project, texts: dict[str, str], displays: dict[str, str]
) -> tuple[Flow | None, list[Problem]]:
    """The PRISMA flow and its findings, SYS012 for a slot without a flow or the reverse, and
    SYS040-SYS041 for the pages' table slots."""
    config = project.display(project.config_path)
    found = review_flow.slot_problems(
        texts, displays, project.prisma is not None, config, project.line_of("prisma")
    )
    found += page_slots.slot_problems(texts, displays, page_slots.configured(project.options))
    if project.prisma is None:
        return None, found
    flow, problems = review_flow.load(project.prisma, project.display(project.prisma))
    return flow, found + problems


#: A page's citations as the build's Markdown conversion renders them (src, text, display path);
#: None where the page can't be converted here.
Renderer = Callable[[str, str, str], PageCitations | None]


def check_project(
    project: Project, rules: SlugRules, today: datetime.date | None = None, render: Renderer | None = None
) -> CheckResult:
    """All checks, with configured severities, sorted by file and position; with ``render``,
    also the citations found that the conversion would not render (CIT007), as the build."""
    bibliography = bib.load(project.bibliography, display_root=project.root)
    texts, displays, problems = read_pages(project)
    pages, found = scan_pages(texts, displays)
    problems += bibliography.problems + found + unknown_key_problems(pages, bibliography)
    if render is not None:
        problems += _lost_in_conversion(pages, texts, render)
    cited = {key for page in pages for rec in page.records for key in rec.citation.keys}

    outlines = {src: outline(text, displays[src]) for src, text in texts.items()}
    section_pages = set(project.review.sections) if project.review else set()
    nav_titles = {e.file: e.title for e in project.nav or []}
    for src, page in outlines.items():
        problems += structure.front_matter_problems(page, src in section_pages, project.taxonomy is not None)
        problems += structure.page_problems(page, nav_titles.get(src))
    problems += structure.nav_problems(project, displays)
    problems += structure.citations_off_nav(project, pages)
    problems += structure.review_problems(project, outlines, displays)
    config = project.display(project.config_path)
    record, bad = publication.parse(project.options.publication, config, project.line_of)
    problems += bad + cff.problems(project.root, record)

    flow, found = _flow_problems(project, texts, displays)
    problems += found

    taxonomy = None
    if project.taxonomy is not None and project.review is not None:
        taxonomy = load_taxonomy(project.taxonomy, project.display(project.taxonomy))
        sections = crosslinks.sections_from(project.review.sections, outlines)
        problems += taxonomy.problems
        problems += crosslinks.concept_problems(taxonomy, sections, outlines, texts)
        problems += description_citations(taxonomy, bibliography, cited)

    generated = project.generated_pages()
    known = dict(outlines)
    for src, title in generated.items():
        text = texts.get(src)
        if text is None:
            if src == project.references_page:
                text = references_markdown(title)
            elif taxonomy is None:
                continue
            else:
                text = (
                    crossrender.concepts_stub(title)
                    if src == project.concepts_page
                    else crossrender.map_markdown(title)
                )
        if taxonomy is not None and src == project.concepts_page:  # its anchors are the taxonomy's
            known[src] = outline(crossrender.expand_concepts(text, taxonomy), displays.get(src, src))
        elif src not in known:
            known[src] = outline(text, src)
    extra = links.generated_anchors(
        project.references_page,
        bibliography.references,
        [p.src_uri for p in pages if p.records] if project.options.page_references else [],
    )
    if project.options.studies or project.options.findings:
        from ..systematic import study_tables  # systematic reviews only

        tables = study_tables.load(project.root, project.options, project.line_of)
        problems += tables.problems(bibliography, flow)
        cited |= tables.cited()
    problems += bibcheck.check(bibliography, cited, today)  # after every citing source is known
    index = links.AnchorIndex(known, rules, extra)
    problems += links.link_problems(outlines, index, project.docs_dir, generated)
    found_waivers = bibliography.waivers() + [
        w for o in outlines.values() if (w := waivers.page_waiver(o.path, o.front.data)) is not None
    ]
    kept, waived = waivers.split(with_severity(problems, project.severities), found_waivers)
    return CheckResult(sorted(kept), pages, bibliography, outlines, sorted(waived))

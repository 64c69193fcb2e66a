"""Markdown and HTML for the cross-links: concept index, section × concept map, section extras.

Generated pages are Markdown first, so MkDocs converts, validates and indexes them like
any page (search finds a concept by its label or any synonym). What depends on the
converted pages — paragraph anchors and citation numbers — is filled into marked slots
once every page is converted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from ..text.escaping import markdown as md
from ..text.escaping import tooltip, yaml_string
from .sections import Section, neighbours, related, relative
from .taxonomy import KIND_TITLES, Concept, Taxonomy

MATRIX_KINDS = ("mechanism", "treatment")


@dataclass
class ConceptPlace:
    """Where a section discusses a concept: a paragraph anchor and the works cited there."""

    anchor: str
    numbers: list[int] = field(default_factory=list)


def places_slot(concept_id: str) -> str:
    """Where a concept's sections and paragraphs go, filled once anchors are known."""
    return f'<div class="lr-concept-places" data-lr-concept="{escape(concept_id)}"></div>'


def matrix_slot(kind: str) -> str:
    """Where the section × concept map goes, filled once anchors are known."""
    return f'<div class="lr-matrix-slot" data-lr-map="{escape(kind)}"></div>'


#: The line a Concepts page holds where the concept index goes (the generated page and the
#: stub Zensical needs are both just this), so the taxonomy is the one place concepts are written.
CONCEPTS_MARKER = '<div class="lr-concept-index" data-lr-slot="concepts"></div>'


def concepts_stub(title: str) -> str:
    """Source of the Concepts page: a title and the marker the index is expanded into."""
    return f"---\ntitle: {yaml_string(title)}\n---\n\n# {md(title)}\n\n{CONCEPTS_MARKER}\n"


def concepts_body(taxonomy: Taxonomy) -> str:
    """The concept index as Markdown: one entry per concept, grouped by kind, so the table of
    contents and search hold every concept."""
    out = [
        "Each concept of the review, with every section and paragraph that discusses it and "
        "the works cited there. Concepts and their wording come from the article.\n",
    ]
    for kind, concepts in taxonomy.by_kind().items():
        out.append(f"## {KIND_TITLES[kind]}\n")
        for concept in concepts:
            out.append(f"### {md(concept.label)} {{#{concept.anchor} .lr-concept}}\n")
            if concept.synonyms:
                out.append("*Also:* " + ", ".join(md(s) for s in concept.synonyms) + "\n{: .lr-synonyms }\n")
            if concept.description:
                out.append(concept.description + "\n")
            out.append(places_slot(concept.id) + "\n")
    return "\n".join(out)


def expand_concepts(markdown: str, taxonomy: Taxonomy) -> str:
    """A page's Markdown with the concepts marker line, if it holds one, replaced by the index."""
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.strip() == CONCEPTS_MARKER:
            lines[i] = concepts_body(taxonomy)
            return "\n".join(lines)
    return markdown


def map_markdown(title: str) -> str:
    """Source of the generated Map page; the checks read it like any page."""
    return (
        f"---\ntitle: {yaml_string(title)}\n---\n\n# {md(title)}\n\n"
        "Which section discusses which mechanism and which treatment. Each mark links to the "
        "paragraph; the tables scroll inside their frame on narrow screens.\n\n"
        + "".join(f"## {KIND_TITLES[k]}\n\n{matrix_slot(k)}\n\n" for k in MATRIX_KINDS)
    )


def section_block_markdown(
    section: Section,
    sections: Sequence[Section],
    taxonomy: Taxonomy,
    concepts_page: str,
    introduction: str,
    conclusion: str,
) -> str:
    """What ends a section page: its concepts, related sections, previous and next."""

    def to(src: str) -> str:
        return relative(section.src, src)

    lines = ['<nav class="lr-crosslinks" markdown data-search-exclude aria-label="Cross-links">', ""]
    concepts = [taxonomy.concepts[c] for c in section.concepts if c in taxonomy.concepts]
    if concepts:
        links = " · ".join(f"[{md(c.label)}]({to(concepts_page)}#{c.anchor})" for c in concepts)
        lines += [f"**Concepts:** {links}", "{: .lr-concepts }", ""]
    rel = related(section, sections)
    if rel:
        lines += ["**Related sections**", "{: .lr-related-title }", ""]
        for r in rel:
            shared = ", ".join(
                md(taxonomy.concepts[c].label.lower() if c in taxonomy.concepts else c) for c in r.shared
            )
            lines.append(f"- [{md(r.section.title)}]({to(r.section.src)}) — shares {shared}")
        lines.append("")
    prev, nxt = neighbours(section, sections)
    steps: list[str] = []
    if prev or introduction:  # the first section leads back to the Introduction, if there is one
        steps.append(
            f"[← {md(prev.title)}]({to(prev.src)})" if prev else f"[← Introduction]({to(introduction)})"
        )
    if nxt or conclusion:
        steps.append(f"[{md(nxt.title)} →]({to(nxt.src)})" if nxt else f"[Conclusion →]({to(conclusion)})")
    if steps:
        lines += [" ".join(steps), "{: .lr-prev-next }", ""]
    lines += ["</nav>", ""]
    return "\n".join(lines)


def places_html(
    concept: Concept,
    sections: Sequence[Section],
    places: Mapping[str, list[ConceptPlace]],
    url_of: Callable[[str], str],
    cite_url: Callable[[int], str],
) -> str:
    """The list under a concept's entry: each section, each paragraph, its citation numbers."""
    items = []
    for section in sections:
        if concept.id not in section.concepts:
            continue
        found = places.get(section.src, [])
        url = url_of(section.src)
        if not found:
            items.append(f'<li><a href="{escape(url)}">{escape(section.title)}</a></li>')
            continue
        paragraphs = []
        for n, place in enumerate(found, 1):
            label = "paragraph" if len(found) == 1 else f"paragraph {n}"
            cites = "".join(f'<a href="{escape(cite_url(num))}">{num}</a>' for num in place.numbers)
            cited = f' <span class="lr-cite">[{cites.replace("</a><a", "</a>, <a")}]</span>' if cites else ""
            paragraphs.append(f'<a href="{escape(url)}#{escape(place.anchor)}">{label}</a>{cited}')
        items.append(f'<li><a href="{escape(url)}">{escape(section.title)}</a>: {"; ".join(paragraphs)}</li>')
    return '<ul class="lr-places">' + "".join(items) + "</ul>" if items else ""


def matrix_html(
    kind: str,
    sections: Sequence[Section],
    taxonomy: Taxonomy,
    first_place: Callable[[str, str], str | None],
    url_of: Callable[[str], str],
    concept_url: Callable[[Concept], str],
) -> str:
    """Sections × concepts of one kind, as a table whose headers stay put while it scrolls."""
    concepts = [c for c in taxonomy.by_kind().get(kind, []) if any(c.id in s.concepts for s in sections)]
    if not concepts:
        return ""
    caption = f"Sections × {KIND_TITLES[kind].lower()}"
    head = "".join(
        f'<th scope="col"><a href="{escape(concept_url(c))}">{escape(c.label)}</a></th>' for c in concepts
    )
    rows = []
    for s in sections:
        cells = []
        for c in concepts:
            if c.id not in s.concepts:
                cells.append("<td></td>")
                continue
            anchor = first_place(s.src, c.id)
            href = url_of(s.src) + (f"#{anchor}" if anchor else "")
            label = f"{s.short_title}: {c.label}"
            cells.append(
                f'<td class="lr-hit"><a href="{escape(href)}"{tooltip(label)} '
                f'aria-label="{escape(label)}">●</a></td>'
            )
        row_head = f'<th scope="row"><a href="{escape(url_of(s.src))}">{escape(s.short_title)}</a></th>'
        rows.append(f"<tr>{row_head}{''.join(cells)}</tr>")
    return (
        f'<div class="lr-matrix-wrap" tabindex="0" role="region" aria-label="{escape(caption)}">'
        f'<table class="lr-matrix"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">Section</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )

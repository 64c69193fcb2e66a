"""Cross-links derived from the sections' front matter and text: nobody maintains them by hand.

Sections come from the plugin's ``review.sections`` (article order); each lists the
concepts it discusses. From that follow related sections (ranked by shared concepts),
previous/next, the section × concept matrix, and which names link to which section.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..findings.problems import Problem
from ..source import terms
from ..source.outlines import Outline
from .taxonomy import Taxonomy


@dataclass(frozen=True)
class Section:
    """A section page as the cross-linker sees it."""

    src: str
    title: str
    short_title: str
    names: tuple[str, ...]
    """Title, short title, then aliases: the wordings that autolink to this page."""
    concepts: tuple[str, ...]
    order: int


def sections_from(sources: Sequence[str], outlines: Mapping[str, Outline]) -> list[Section]:
    """Sections in article order (the order of ``review.sections``); missing pages are skipped."""
    out = []
    for order, src in enumerate(sources, 1):
        page = outlines.get(src)
        if page is None:
            continue
        data = page.front.data
        title = page.title or src
        short = data.get("short_title") if isinstance(data.get("short_title"), str) else title
        aliases = [a for a in data.get("aliases") or [] if isinstance(a, str)]
        concepts = [c for c in data.get("concepts") or [] if isinstance(c, str)]
        names = tuple(dict.fromkeys(n for n in (title, short, *aliases) if n))
        out.append(Section(src, title, str(short), names, tuple(concepts), order))
    return out


@dataclass(frozen=True)
class Related:
    """A section sharing concepts with another, and which ones (the 'related sections' list)."""

    section: Section
    shared: tuple[str, ...]


def related(section: Section, sections: Sequence[Section], minimum: int = 3) -> list[Related]:
    """Other sections ranked by concepts shared (then article order).

    Lists at least the top ``minimum`` that share anything, and beyond that every section
    sharing two or more concepts.
    """
    ranked = []
    for other in sections:
        if other.src == section.src:
            continue
        shared = tuple(c for c in section.concepts if c in other.concepts)
        if shared:
            ranked.append(Related(other, shared))
    ranked.sort(key=lambda r: (-len(r.shared), r.section.order))
    return [r for i, r in enumerate(ranked) if i < minimum or len(r.shared) >= 2]


def neighbours(section: Section, sections: Sequence[Section]) -> tuple[Section | None, Section | None]:
    """Previous and next section in the article's order."""
    i = next(i for i, s in enumerate(sections) if s.src == section.src)
    return (sections[i - 1] if i > 0 else None), (sections[i + 1] if i + 1 < len(sections) else None)


def relative(from_src: str, to_src: str) -> str:
    """A Markdown link from one docs file to another (MkDocs turns it into a URL)."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


# --- checks ------------------------------------------------------------------------------


def _item_line(text: str, start_line: int, value: str) -> int:
    lines = text.split("\n")
    for number in range(max(start_line, 1), len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped.lstrip("-").strip().strip("'\"") == value or f" {value}" in stripped:
            return number
        if stripped == "---" and number > 1:
            break
    return start_line


def concept_problems(
    taxonomy: Taxonomy, sections: Sequence[Section], outlines: Mapping[str, Outline], texts: Mapping[str, str]
) -> Iterator[Problem]:
    """TAX004 unknown concept, TAX005 concept no page uses, TAX006 listed but never mentioned."""
    if any(p.code == "TAX001" for p in taxonomy.problems):
        return  # no taxonomy to compare with; TAX001 says why
    used: set[str] = set()
    for section in sections:
        page = outlines[section.src]
        start = page.front.lines.get("concepts", 1)
        for cid in section.concepts:
            line = _item_line(texts.get(section.src, ""), start, cid)
            concept = taxonomy.concepts.get(cid)
            if concept is None:
                close = _closest(cid, taxonomy)
                hint = f"; did you mean '{close}'?" if close else ""
                yield Problem(
                    page.path, line, 1, "TAX004", f"unknown concept '{cid}' (not in {taxonomy.path}){hint}"
                )
                continue
            used.add(cid)
            if terms.first_mention(page.masked, concept.names) is None:
                wordings = " or ".join(repr(n) for n in concept.names)
                yield Problem(
                    page.path,
                    line,
                    1,
                    "TAX006",
                    f"concept '{cid}' is listed but the text never mentions {wordings}; "
                    "add the article's wording to its synonyms, or drop it here",
                )
    if any(outlines[s.src].front.problems for s in sections):
        return  # a section's concepts couldn't be read, so "unused" would be a guess
    for concept in taxonomy.concepts.values():
        if concept.id not in used:
            yield Problem(
                taxonomy.path, concept.line, 1, "TAX005", f"concept '{concept.id}' is used by no section"
            )


def _closest(cid: str, taxonomy: Taxonomy) -> str:
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    found = process.extractOne(
        cid, list(taxonomy.concepts), scorer=Levenshtein.normalized_similarity, score_cutoff=0.6
    )
    return found[0] if found else ""


# --- autolinks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """One name in a paragraph's text run that becomes a link to its target."""

    segment: int
    start: int
    end: int
    target: str


_Hit = tuple[int, int, int, int]  # segment, start, end, rank of the name


def _hits(
    segments: Sequence[str], targets: Mapping[str, Sequence[str]], exclude: set[str] | frozenset[str]
) -> dict[str, list[_Hit]]:
    """Every mention of every target's names, by target."""
    found: dict[str, list[_Hit]] = {}
    for target, names in targets.items():
        if target in exclude:
            continue
        for rank, name in enumerate(names):
            for seg, text in enumerate(segments):
                for m in terms.pattern(name).finditer(text):
                    found.setdefault(target, []).append((seg, m.start(), m.end(), rank))
    return found


def _slots(found: dict[str, list[_Hit]]) -> list[tuple[int, int, int]]:
    """Overlapping spans form one slot: at most one link per slot."""
    spans = sorted({(seg, s, e) for hits in found.values() for seg, s, e, _r in hits})
    slots: list[tuple[int, int, int]] = []
    for seg, s, e in spans:
        if slots and slots[-1][0] == seg and s < slots[-1][2]:
            slots[-1] = (seg, slots[-1][1], max(e, slots[-1][2]))
        else:
            slots.append((seg, s, e))
    return slots


def _matching(options: dict[str, list[int]], order: list[str]) -> dict[int, str]:
    """Slot → target, linking as many targets as can be (Kuhn's augmenting paths)."""
    owner: dict[int, str] = {}

    def assign(target: str, seen: set[int]) -> bool:
        for slot in options[target]:
            if slot in seen:
                continue
            seen.add(slot)
            if slot not in owner or assign(owner[slot], seen):
                owner[slot] = target
                return True
        return False

    for target in sorted(options, key=lambda t: (len(options[t]), order.index(t))):
        assign(target, set())
    return owner


def choose_autolinks(
    segments: Sequence[str],
    targets: Mapping[str, Sequence[str]],
    exclude: set[str] | frozenset[str] = frozenset(),
) -> list[Mention]:
    """Which mentions in one paragraph become links, each target at most once.

    ``segments`` are the paragraph's linkable text runs (outside links, code and
    citations); ``targets`` maps a target to its names, best first. Overlapping mentions
    compete for one link; the choice links as many different targets as possible,
    preferring earlier mentions, then better-ranked names, then longer ones.
    """
    found = _hits(segments, targets, exclude)
    if not found:
        return []
    slots = _slots(found)

    def slot_of(seg: int, s: int) -> int:
        return next(i for i, (g, a, b) in enumerate(slots) if g == seg and a <= s < b)

    options = {target: sorted({slot_of(seg, s) for seg, s, _e, _r in hits}) for target, hits in found.items()}
    chosen = []
    for slot, target in _matching(options, list(targets)).items():
        seg, a, b = slots[slot]
        in_slot = [(start, end, rank) for g, start, end, rank in found[target] if g == seg and a <= start < b]
        start, end, _rank = min(in_slot, key=lambda h: (-(h[1] - h[0]), h[2]))  # the longest wording
        chosen.append(Mention(seg, start, end, target))
    return sorted(chosen, key=lambda m: (m.segment, m.start))

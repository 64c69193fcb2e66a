"""The References page as readers explore it at 2,500 works: a filter, facets and a chart.

Built once per build: a JSON index of the works (each entry's element id, from
:func:`.anchors.anchor`, so the script computes none; searchable text, year, type,
sections and concepts citing it) for the page's small script (``litreview.js``), the
form it drives (a labelled search field, facets with counts, a clear button, a live region
saying "N of M works"), and a works-per-year chart as inline SVG with a table for those who
read rather than look. Each year's bar is a link (``?from=Y&to=Y``): with the script it
filters in place, without it the address still says what was meant.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..bibliography.loader import Reference
from ..bibliography.quality import EARLIEST_YEAR
from .anchors import anchor

#: Entry types as readers name them (a preprint is told by its arXiv or repository).
_KINDS = {
    "article": "Article",
    "book": "Book",
    "inbook": "Chapter",
    "incollection": "Chapter",
    "inproceedings": "Conference paper",
    "conference": "Conference paper",
    "proceedings": "Proceedings",
    "phdthesis": "Thesis",
    "mastersthesis": "Thesis",
    "thesis": "Thesis",
    "techreport": "Report",
    "report": "Report",
    "online": "Web page",
    "misc": "Other",
    "unpublished": "Preprint",
}
_VENUES = ("journal", "eprinttype", "archiveprefix", "publisher", "howpublished")
_PREPRINT = re.compile(r"arxiv|biorxiv|medrxiv|ssrn|preprint|chemrxiv|research square", re.I)


@dataclass(frozen=True)
class ExplorerWork:
    """One work as the filter sees it."""

    key: str
    number: int
    text: str
    year: int | None
    kind: str
    sections: tuple[str, ...]
    concepts: tuple[str, ...]


def kind_of(ref: Reference) -> str:
    """Article, Preprint, Book, Chapter, Conference paper, Thesis, Report, Web page or Other."""
    where = " ".join(ref.get(f) for f in _VENUES)
    if (ref.get("eprint") and not ref.get("doi")) or _PREPRINT.search(where):
        return "Preprint"
    kind = _KINDS.get(ref.entry_type.lower(), "Other")
    return "Web page" if kind == "Other" and ref.get("url") and not ref.get("doi") else kind


def _stated_year(ref: Reference) -> str:
    """The first number ``year`` (or ``date``) writes, if it has four digits; else ''."""
    found = re.search(r"-?\d+", ref.get("year") or ref.get("date"))
    return found[0] if found is not None and re.fullmatch(r"\d{4}", found[0]) else ""


def _plausible(stated: str, next_year: int) -> int | None:
    """A stated year from printing (BIB015's bound) to next year. An implausible one (``1e9``,
    ``-5``, ``99999``) would stretch the chart over empty years."""
    year = int(stated) if stated else 0
    return year if EARLIEST_YEAR <= year <= next_year else None


def year_of(ref: Reference) -> int | None:
    """The work's year, if it states a plausible one (``year``, or ``date``'s year)."""
    return _plausible(_stated_year(ref), datetime.date.today().year + 1)


#: What the filter's facets take from an entry alone: its stated year and its kind, as
#: :func:`facets` writes them (a build keeps them per work, :mod:`..publication.work_texts`).
FACETS = re.compile(r"(\d{4})?\t(" + "|".join(sorted({*_KINDS.values(), "Preprint"})) + ")")


def facets(ref: Reference) -> str:
    """``2019<TAB>Article``: the work's stated year (or nothing) and its kind."""
    return f"{_stated_year(ref)}\t{kind_of(ref)}"


def works(
    numbers: dict[str, int],
    references: dict[str, Reference],
    text_of: Callable[[Reference], str],
    sections_of: Callable[[str], Iterable[str]],
    concepts_of: Callable[[str], Iterable[str]],
    facets_of: Callable[[Reference], str] = facets,
) -> list[ExplorerWork]:
    """Every cited work in number order, with what the filter matches and the facets count
    (``facets_of``: each work's :func:`facets`, made or kept)."""
    out = []
    next_year = datetime.date.today().year + 1
    for key, number in sorted(numbers.items(), key=lambda kv: kv[1]):
        ref = references.get(key)
        if ref is None:
            continue
        stated, kind = facets_of(ref).split("\t")
        out.append(
            ExplorerWork(
                key,
                number,
                " ".join(text_of(ref).lower().split()),
                _plausible(stated, next_year),
                kind,
                tuple(dict.fromkeys(sections_of(key))),
                tuple(dict.fromkeys(concepts_of(key))),
            )
        )
    return out


def index_json(found: list[ExplorerWork]) -> str:
    """The index as the script reads it, safe inside ``<script type="application/json">``."""
    sections = sorted({s for w in found for s in w.sections})
    concepts = sorted({c for w in found for c in w.concepts})
    data = {
        "sections": sections,
        "concepts": concepts,
        "works": [
            [
                anchor(w.key),
                w.text,
                w.year or 0,
                w.kind,
                [sections.index(s) for s in w.sections],
                [concepts.index(c) for c in w.concepts],
            ]
            for w in found
        ],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _checkboxes(name: str, legend: str, counts: Counter[str]) -> str:
    if len(counts) < 2:
        return ""
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{escape(value)}"> {escape(value)} '
        f'<span class="lr-count" data-lr-count="{escape(value)}">({n})</span></label>'
        for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    head = f'<fieldset class="lr-facet" data-lr-facet="{name}"><legend>{escape(legend)}</legend>'
    return f"{head}{boxes}</fieldset>"


def form(found: list[ExplorerWork]) -> Markup:
    """The filter: hidden until the script runs (without it, the list is all there is)."""
    years = [w.year for w in found if w.year]
    lo, hi = (min(years), max(years)) if years else (0, 0)
    year_range = (
        '<fieldset class="lr-facet lr-years"><legend>Year</legend>'
        f'<label>From <input type="number" name="from" min="{lo}" max="{hi}" placeholder="{lo}"></label> '
        f'<label>to <input type="number" name="to" min="{lo}" max="{hi}" placeholder="{hi}"></label>'
        "</fieldset>"
        if years
        else ""
    )
    facets = (
        _checkboxes("type", "Type", Counter(w.kind for w in found))
        + _checkboxes("section", "Cited in", Counter(s for w in found for s in w.sections))
        + _checkboxes("concept", "Concept", Counter(c for w in found for c in w.concepts))
    )
    return Markup(
        '<form class="lr-explore" role="search" aria-label="Filter the references" hidden>'
        '<p><label for="lr-filter">Filter works by title, author, venue or year</label> '
        '<input type="search" id="lr-filter" name="filter" autocomplete="off"> '
        '<button type="reset" class="lr-clear">Clear the filter</button></p>'
        '<details class="lr-facets"><summary>Year, type, section, concept</summary>'
        f"{year_range}{facets}</details>"
        f'<p class="lr-shown" role="status" aria-live="polite">{len(found)} of {len(found)} works</p>'
        "</form>"
    )


def chart(found: list[ExplorerWork], width: int = 640, height: int = 160) -> Markup:
    """Works per year: bars (each a link filtering the list), a title, and a table fallback."""
    per_year = Counter(w.year for w in found if w.year)
    if not per_year:
        return Markup("")
    first, last = min(per_year), max(per_year)
    span = list(range(first, last + 1))
    top = max(per_year.values())
    step = width / len(span)
    bars = []
    for i, year in enumerate(span):
        n = per_year.get(year, 0)
        h = round((height - 20) * n / top, 1)
        x = round(i * step, 1)
        label = f"{year}: {n} work{'s' if n != 1 else ''}"
        bars.append(
            f'<a href="?from={year}&amp;to={year}" data-lr-year="{year}" aria-label="{label}">'
            f"<title>{label}</title>"
            f'<rect x="{x}" y="{height - 20 - h}" width="{max(step - 1, 1):.1f}" height="{h}"></rect></a>'
        )
    axis = (
        f'<text x="0" y="{height - 4}">{first}</text>'
        f'<text x="{width}" y="{height - 4}" text-anchor="end">{last}</text>'
    )
    rows = "".join(f"<tr><td>{y}</td><td>{per_year.get(y, 0)}</td></tr>" for y in span)
    return Markup(
        '<figure class="lr-chart">'
        f'<svg viewBox="0 0 {width} {height}" role="group" aria-labelledby="lr-chart-title">'
        f'<title id="lr-chart-title">Works per year, {first}–{last}</title>{"".join(bars)}{axis}</svg>'
        f"<figcaption>Works per year, {first}–{last}; choose a year to list its works.</figcaption>"
        '<details><summary>The same as a table</summary><table><thead><tr><th scope="col">Year</th>'
        f'<th scope="col">Works</th></tr></thead><tbody>{rows}</tbody></table></details></figure>'
    )


def block(found: list[ExplorerWork]) -> Markup:
    """Chart, form and index together, placed above the list."""
    data = index_json(found)
    return Markup(
        f'<div class="lr-explore-block">{chart(found)}{form(found)}'
        f'<script type="application/json" id="lr-works">{data}</script></div>'
    )

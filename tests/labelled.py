"""A labelled set for verification, made from deep-review's recorded metadata.

Each work with a DOI, a title, authors and a year gives one **positive**: its BibTeX entry (as
litreview reads the CSL record) against its own record, with the harmless noise real entries
carry, by turns: a lower-cased title, a title ending in a full stop, the journal's short
name, a year one off (online first), the subtitle left out. And **negatives**, each
against the record of the work it claims to be:
- ``year``: the year moved by three;
- ``page``: another first page;
- ``title``: another work's title (a DOI belonging to another work);
- ``author``: another work's first author;
- ``fabricated``: a reference spliced from two real ones (the title of one, the authors,
  journal and year of another), the kind copied from a reference list or made up by a tool.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from litreview.core.bibliography import loader as bib
from litreview.core.verify.compare import Work, from_csl, from_reference


@dataclass(frozen=True)
class Case:
    """An entry, the record it is checked against, and whether they are one work."""

    kind: str
    entry: Work
    record: Work
    same: bool


def _usable(item: dict[str, Any]) -> bool:
    record = from_csl(item)
    return bool(item.get("DOI") and record.title and record.families and record.year.isdigit())


def _entries(items: list[dict[str, Any]], folder: Path) -> list[Work]:
    """Each item as litreview reads it from BibTeX (through the CSL reader, as a .bib would be)."""
    path = folder / "labelled.json"
    path.write_text(json.dumps([{**item, "id": f"w{i}"} for i, item in enumerate(items)]), encoding="utf-8")
    loaded = bib.load([path])
    return [from_reference(loaded.references[f"w{i}"]) for i in range(len(items))]


def _noise(i: int, entry: Work, item: dict[str, Any]) -> Work:
    turn = i % 5
    if turn == 0:
        return replace(entry, title=entry.title.lower())
    if turn == 1:
        return replace(entry, title=entry.title + ".")
    if turn == 2 and item.get("container-title-short"):
        return replace(entry, journal=str(item["container-title-short"]))
    if turn == 3:
        return replace(entry, year=str(int(entry.year) + 1))
    main, colon, _subtitle = entry.title.partition(": ")
    if colon and len(main) >= 25:  # the subtitle left out, as reference lists often do
        return replace(entry, title=main)
    return entry


def cases(references_json: Path, folder: Path) -> list[Case]:
    """The labelled set, in a fixed order."""
    items = [i for i in json.loads(references_json.read_text(encoding="utf-8")) if _usable(i)]
    entries = _entries(items, folder)
    records = [from_csl(i) for i in items]
    out = [Case("positive", _noise(i, e, items[i]), records[i], True) for i, e in enumerate(entries)]
    n = len(items)
    for i, (entry, record) in enumerate(zip(entries, records, strict=True)):
        other = entries[(i * 7 + 3) % n]
        if other.title.lower() == entry.title.lower() or other.families[:1] == entry.families[:1]:
            continue
        kind = ("year", "page", "title", "author", "fabricated")[i % 5]
        if kind == "year":
            wrong = replace(entry, year=str(int(entry.year) + 3))
        elif kind == "page":
            if not entry.first_page.isdigit():
                continue
            wrong = replace(entry, first_page=str(int(entry.first_page) + 17))
        elif kind == "title":
            wrong = replace(entry, title=other.title)
        elif kind == "author":
            wrong = replace(entry, families=other.families[:1] + entry.families[1:])
        else:
            wrong = replace(other, title=entry.title)
        out.append(Case(kind, wrong, record, False))
    return out

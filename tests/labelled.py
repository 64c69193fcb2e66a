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
from litreview.core.verify.compare import WorkFacts, from_csl, from_reference


@dataclass(frozen=True)
class Case:
    """An entry, the record it is checked against, and whether they are one work."""

    kind: str
    entry: WorkFacts
    record: WorkFacts
    same: bool


def _usable(item: dict[str, Any]) -> bool:
    record = from_csl(item)
    return bool(item.get("DOI") and record.title and record.families and record.year.isdigit())


def _entries(items: list[dict[str, Any]], folder: Path) -> list[WorkFacts]:
    """Each item as litreview reads it from BibTeX (through the CSL reader, as a .bib would be)."""
    path = folder / "labelled.json"
    path.write_text(json.dumps([{**item, "id": f"w{i}"} for i, item in enumerate(items)]), encoding="utf-8")
    loaded = bib.load([path])
    return [from_reference(loaded.references[f"w{i}"]) for i in range(len(items))]


def _noise(i: int, entry: WorkFacts, item: dict[str, Any]) -> WorkFacts:
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


@dataclass(frozen=True)
class Entry:
    """A bibliography entry for ``litreview verify`` end to end, and what it truly is."""

    key: str
    kind: str
    """``positive`` (a true entry, harmless noise), ``retracted`` (a true entry of a retracted
    work), or a negative: ``year``, ``page``, ``title``, ``author`` (one field altered or a
    DOI of another work), ``fabricated`` (spliced, no DOI), ``invented`` (no such work)."""
    item: dict[str, Any]


_IDS = ("DOI", "URL", "PMID", "PMCID", "id", "note")


def _bare(item: dict[str, Any], key: str, keep_doi: bool) -> dict[str, Any]:
    """The item as an entry gives it: the DOI kept or not, no other identifier to look up by."""
    out = {k: v for k, v in item.items() if k not in _IDS}
    if keep_doi:
        out["DOI"] = item["DOI"]
    return {**out, "id": key}


def _year(item: dict[str, Any], shift: int) -> dict[str, Any]:
    year = int(from_csl(item).year) + shift
    return {**item, "issued": {"date-parts": [[year]]}}


def _noisy(i: int, item: dict[str, Any]) -> dict[str, Any]:
    turn = i % 5
    title = str(item["title"])
    if turn == 0:
        return {**item, "title": title.lower()}
    if turn == 1:
        return {**item, "title": title + "."}
    if turn == 2 and item.get("container-title-short"):
        return {**item, "container-title": item["container-title-short"]}
    if turn == 3:
        return _year(item, 1)
    main, colon, _subtitle = title.partition(": ")
    return {**item, "title": main} if colon and len(main) >= 25 else item


def _negative(i: int, item: dict[str, Any], other: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    kind = ("year", "page", "title", "author", "fabricated", "invented")[i % 6]
    if kind == "year":
        return kind, _year(_bare(item, "", True), 3)
    if kind == "page":
        first = from_csl(item).first_page
        return (kind, {**_bare(item, "", True), "page": str(int(first) + 17)}) if first.isdigit() else None
    if kind == "title":
        return kind, {**_bare(item, "", True), "title": other["title"]}
    if kind == "author":
        return kind, {**_bare(item, "", True), "author": other["author"][:1] + item["author"][1:]}
    if kind == "fabricated":  # a title from one work, the rest from another: what tools make up
        return kind, {**_bare(other, "", False), "title": item["title"]}
    words = str(item["title"]).split()
    invented = " ".join([*words[len(words) // 2 :], "in", "zebrafinch", "hyperalgesia", "cohorts"])
    return kind, {**_bare(item, "", False), "title": invented.capitalize()}


def verify_set(references_json: Path, every: int = 1) -> tuple[list[Entry], dict[str, str]]:
    """Entries for ``litreview verify`` from deep-review's works, and the works to mark as
    retracted (DOI → notice DOI). ``every``: take every n-th work (a smaller set for tests).

    Positives alternate between giving their DOI and giving none (found by search); every
    25th work is retracted, cited once with its DOI and once without.
    """
    items = [i for i in json.loads(references_json.read_text(encoding="utf-8")) if _usable(i)]
    items = [i for i in items if i.get("container-title")]
    out: list[Entry] = []
    retracted: dict[str, str] = {}
    for i, n in enumerate(range(0, len(items), every)):
        item = items[n]
        if n % 25 == 0:
            retracted[str(item["DOI"]).lower()] = f"10.9999/retraction.{n}"
            out.append(Entry(f"r{n}", "retracted", _bare(item, f"r{n}", True)))
            out.append(Entry(f"rs{n}", "retracted", _bare(item, f"rs{n}", False)))
            continue
        out.append(Entry(f"p{n}", "positive", _bare(_noisy(i, item), f"p{n}", i % 2 == 0)))
        other = items[(n * 7 + 3) % len(items)]
        if (
            other["title"].lower() == item["title"].lower()
            or from_csl(other).families[:1] == from_csl(item).families[:1]
        ):
            continue
        negative = _negative(i, item, other)
        if negative is not None:
            kind, wrong = negative
            out.append(Entry(f"n{n}", kind, {**wrong, "id": f"n{n}"}))
    return out, retracted

"""``litreview add ID…``: a work's BibTeX entry, fetched by its identifier and appended to the
bibliography under a key in the project's convention, with the citation to paste.

Zotero and Quarto users add a work by DOI or PMID; so can a contributor here, without typing
BibTeX. Identifiers are read as people paste them (``10.1038/…``, ``https://doi.org/…``,
``PMID: 123``, ``PMC123``, ``arXiv:1512.03385``, an ISBN) and the entry is added once: a
DOI already in the bibliography is reported with its key instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..bibliography import cslfile
from ..bibliography.loader import Bibliography
from ..findings.problems import Problem
from ..identifiers.citekey import Identifier, parse
from .http import Client, FetchError
from .sources import INTERVALS, doi_problem, lookup

#: Where a refusal about the command's own arguments is reported.
ARGUMENTS = "litreview add"
_BARE = (
    (re.compile(r"(?i)^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$"), "doi"),
    (re.compile(r"(?i)^(?:pmid:?\s*)?(\d{1,9})$"), "pmid"),
    (re.compile(r"(?i)^(?:pmcid:?\s*)?(PMC\d+)$"), "pmcid"),
    (re.compile(r"(?i)^(?:https?://arxiv\.org/abs/|arxiv:\s*)?(\d{4}\.\d{4,5}(?:v\d+)?)$"), "arxiv"),
    (re.compile(r"(?i)^(?:isbn:?\s*)?([\d-]{9,17}[\dX])$"), "isbn"),
)


def read_identifier(text: str) -> Identifier | None:
    """An identifier as pasted: with or without its prefix, as a URL, in any case."""
    text = text.strip()
    found = parse(text)
    if found is not None and found.prefix != "url":
        return found
    for pattern, prefix in _BARE:
        m = pattern.match(text)
        if m:
            return parse(f"{prefix}:{m.group(1)}")
    return None


def make_key(item: dict[str, Any], taken: set[str], pattern: str = "{family}{year}") -> str:
    """``lecun2015``: the first author's family name and the year, ASCII and lower case, with
    ``a``, ``b``… on a collision (as BibTeX key conventions and Zotero's Better BibTeX do)."""
    authors = item.get("author") or item.get("editor") or [{}]
    first = authors[0] if isinstance(authors, list) and authors and isinstance(authors[0], dict) else {}
    family = str(first.get("family") or first.get("literal") or "anon")
    year, _month = cslfile.date_of(item.get("issued"))
    ascii_name = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    base = pattern.format(
        family="".join(re.findall(r"[a-z0-9]+", ascii_name.lower())) or "anon", year=year or "nd"
    )
    key, n = base, 0
    while key in taken:
        key = base + "abcdefghijklmnopqrstuvwxyz"[n % 26] * (n // 26 + 1)
        n += 1
    return key


@dataclass
class Added:
    """What ``add`` did: entries to append, keys given, and what could not be added."""

    text: str = ""
    keys: list[tuple[str, str]] = field(default_factory=list)
    """(key, identifier) of each new entry."""
    known: list[tuple[str, str]] = field(default_factory=list)
    """(key, identifier) of works already in the bibliography."""
    problems: list[Problem] = field(default_factory=list)


def add(
    identifiers: list[str], bibliography: Bibliography, client: Client, pattern: str = "{family}{year}"
) -> Added:
    """Fetch each identifier and write its entry (nothing is written here)."""
    result = Added()
    taken = set(bibliography.references)
    by_doi = {
        str(found.accession): key
        for key, ref in bibliography.references.items()
        if ref.get("doi") and (found := parse(f"doi:{ref.get('doi')}")) is not None
    }
    client.intervals = {**INTERVALS, **client.intervals}
    for given in identifiers:
        identifier = read_identifier(given)
        if identifier is None:
            result.problems.append(
                Problem(
                    ARGUMENTS,
                    0,
                    0,
                    "FET002",
                    f"'{given}' is not an identifier litreview can look up "
                    "(a DOI, PMID, PMCID, arXiv id or ISBN)",
                )
            )
            continue
        reason = doi_problem(identifier.accession) if identifier.prefix == "doi" else ""
        if reason:  # nothing asked: a DOI no source should be asked for, nor BibTeX hold
            result.problems.append(Problem(ARGUMENTS, 0, 0, "FET002", f"'{given}' is not a DOI: {reason}"))
            continue
        if identifier.prefix == "doi" and identifier.accession in by_doi:
            result.known.append((by_doi[identifier.accession], str(identifier)))
            continue
        try:
            _source, item = lookup(client, identifier)
        except FetchError as exc:
            code = "FET002" if type(exc).__name__ == "NotFound" else "FET001"
            result.problems.append(Problem(ARGUMENTS, 0, 0, code, f"{identifier}: {exc}"))
            continue
        key = make_key(item, taken, pattern)
        taken.add(key)
        if item.get("DOI"):
            by_doi[str(item["DOI"]).lower()] = key
        result.keys.append((key, str(identifier)))
        result.text += "\n" + cslfile.entry_text(item, key)
    return result

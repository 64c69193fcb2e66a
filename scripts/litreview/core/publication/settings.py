"""The review as a publication: what the ``publication:`` block in ``mkdocs.yml`` says.

Machines read it from the pages' heads (Google Scholar's Highwire tags, Dublin Core, Open
Graph, JSON-LD); readers from "How to cite". The values come from configuration, never from
code, so another review states its own::

    publication:
      title: Spinal Neuropathic Pain: Mechanisms, Challenges, and Future Therapies
      authors:
        - name: Natalia V. Ivanova          # or family: / given:
          affiliation: Department of Vertebrology, …
      journal: Journal of Spine
      journal_abbreviation: J Spine
      volume: 14
      first_page: 725
      date: 2025-06-30                      # or a year
      doi: 10.37421/2165-7939.2025.14.725
      license: https://creativecommons.org/licenses/by/4.0/

Anything malformed is a PUB001 finding at its line; a block with findings is not used.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..findings.problems import Problem
from ..identifiers.citekey import bare_doi

_TEXT_FIELDS = (
    *("title", "journal", "journal_abbreviation", "volume", "issue", "first_page", "last_page"),
    *("doi", "license", "publisher", "language", "abstract", "issn", "url"),
)
_KNOWN = {*_TEXT_FIELDS, "authors", "date"}


@dataclass(frozen=True)
class Author:
    """One author, with the name split as citation tags want it (family, given)."""

    family: str
    given: str = ""
    affiliation: str = ""
    orcid: str = ""

    @property
    def display(self) -> str:
        """Given name first: "Natalia V. Ivanova"."""
        return " ".join(p for p in (self.given, self.family) if p)

    @property
    def inverted(self) -> str:
        """Family name first, as Google Scholar asks: "Ivanova, Natalia V."."""
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class Publication:
    """The review's bibliographic record."""

    title: str
    authors: tuple[Author, ...]
    date: str
    """ISO 8601: ``2025-06-30``, ``2025-06`` or ``2025``."""
    journal: str = ""
    journal_abbreviation: str = ""
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    last_page: str = ""
    doi: str = ""
    license: str = ""
    publisher: str = ""
    language: str = ""
    abstract: str = ""
    issn: str = ""
    url: str = ""

    @property
    def year(self) -> str:
        """The year of publication."""
        return self.date[:4]

    @property
    def slash_date(self) -> str:
        """``2025/06/30``: the form Google Scholar's guidelines give for citation_publication_date."""
        return self.date.replace("-", "/")


def _author(value: Any, where: Callable[[str], Problem]) -> Author | None:
    if isinstance(value, str) and value.strip():
        value = {"name": value}
    if not isinstance(value, dict):
        where("an author must be a name or a mapping with name (or family and given)")
        return None
    text = {k: str(v).strip() for k, v in value.items() if isinstance(v, str | int)}
    family, given = text.get("family", ""), text.get("given", "")
    if not family and text.get("name"):
        given, _, family = text["name"].rpartition(" ")
    if not family:
        where("an author needs name, or family and given")
        return None
    return Author(family, given, text.get("affiliation", ""), text.get("orcid", ""))


def _date(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, str | int) else ""
    return text if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) else ""


def parse(
    value: Any, display: str, line_of: Callable[[str], int]
) -> tuple[Publication | None, list[Problem]]:
    """The ``publication:`` block (None if absent), or None and PUB001 findings."""
    if value is None:
        return None, []
    problems: list[Problem] = []

    def problem(message: str, near: str = "publication:") -> Problem:
        line = line_of(near) or line_of("publication:")  # a field not written: the block's line
        found = Problem(display, line, 1, "PUB001", f"publication: {message}")
        problems.append(found)
        return found

    if not isinstance(value, dict):
        problem("must be a mapping of the review's bibliographic fields")
        return None, problems
    for name in sorted(set(map(str, value)) - _KNOWN):
        problem(f"unknown field '{name}' (known: {', '.join(sorted(_KNOWN))})", f"{name}:")
    text = {
        name: str(value[name]).strip()
        for name in _TEXT_FIELDS
        if isinstance(value.get(name), str | int | float)
    }
    if not text.get("title"):
        problem("'title' is required", "title:")
    raw_authors = value.get("authors")
    if not isinstance(raw_authors, list) or not raw_authors:
        problem("'authors' is required: a list of names or mappings", "authors:")
        raw_authors = []
    authors = tuple(a for a in (_author(v, lambda m: problem(m, "authors:")) for v in raw_authors) if a)
    date = _date(value.get("date"))
    if not date:
        problem("'date' is required: a year or an ISO date (2025-06-30)", "date:")
    doi = bare_doi(text.get("doi", ""))
    if doi and not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        problem(f"'{doi}' is not a DOI (10.xxxx/…)", "doi:")
    if problems:
        return None, problems
    fields = {k: v for k, v in text.items() if k not in ("title", "doi")}
    return Publication(title=text["title"], authors=authors, date=date, doi=doi, **fields), []

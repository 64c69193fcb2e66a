"""A LaTeX review's title block (``\\title``, ``\\author``, ``\\affiliation``/``\\affil``,
``\\date``, the abstract) as the new project's ``publication:`` and site metadata.

Authors are written many ways: ``\\author{A \\and B}``, one ``\\author`` each, an affiliation
inside the author (REVTeX's ``\\affiliation``, ``\\thanks``) or after it, numbered by authblk
(``\\author[1]{A}`` ... ``\\affil[1]{Uni}``). Only names go into ``site_author``; affiliations
go to ``publication:``. ``publication:`` needs a title, authors and a date; when one is
missing it is left out and that is said (IMP006) at the title block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Commands in an author's argument that are not the name.
AFFILIATIONS = {"affiliation", "affil", "institute", "address", "altaffiliation"}
NOT_NAMES = {*AFFILIATIONS, "thanks", "email", "orcid", "inst", "footnote", "textsuperscript", "footnotemark"}


@dataclass
class TitleBlockAuthor:
    """One author of the title block: the name and where they work."""

    name: str
    affiliations: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    """authblk's numbers (``\\author[1,2]``), resolved against ``\\affil[1]`` at the end."""


@dataclass
class TitleBlock:
    """What the title block says, as plain one-line text."""

    title: str = ""
    authors: list[TitleBlockAuthor] = field(default_factory=list)
    date: str = ""
    abstract: str = ""
    numbered: dict[str, str] = field(default_factory=dict)
    """authblk's affiliations by number."""
    where: tuple[str, int, int] | None = None
    """The file, line and column of the title block's first command."""

    def affiliation(self, text: str, mark: str | None) -> None:
        """An affiliation given after its authors: numbered (authblk) or of the last author."""
        if mark is not None and mark.strip():
            for one in mark.split(","):
                self.numbered[one.strip()] = text
        elif self.authors:
            self.authors[-1].affiliations.append(text)

    def names(self) -> str:
        """The authors' names, as ``site_author`` shows them."""
        return ", ".join(a.name for a in self.authors if a.name)

    def iso_date(self) -> str:
        """The date as ISO 8601 (a year at least), or empty (``\\today``, none, prose without a year)."""
        full = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", self.date)
        if full:
            return full.group(0)
        year = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", self.date)
        return year.group(1) if year else ""

    def publication(self) -> tuple[dict[str, object] | None, str]:
        """The ``publication:`` block, or None and what it lacks."""
        missing = [
            what
            for what, value in (
                ("\\title", self.title),
                ("\\author", self.names()),
                ("\\date", self.iso_date()),
            )
            if not value
        ]
        if missing:
            return None, " and ".join(missing)
        authors: list[dict[str, str]] = []
        for author in self.authors:
            if not author.name:
                continue
            places = author.affiliations + [self.numbered[m] for m in author.marks if m in self.numbered]
            entry = {"name": author.name}
            if places:
                entry["affiliation"] = "; ".join(dict.fromkeys(places))
            authors.append(entry)
        block: dict[str, object] = {"title": self.title, "authors": authors, "date": self.iso_date()}
        if self.abstract:
            block["abstract"] = self.abstract
        return block, ""

"""Person names in BibTeX's ``von Last, Jr, First`` grammar, split once and decoded."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .latex_text import to_unicode


@dataclass(frozen=True)
class Person:
    """One author or editor; ``family`` includes the particle ("van der Putten")."""

    given: str
    family: str
    suffix: str = ""
    literal: str = ""

    @property
    def display(self) -> str:
        """Given-name-first, as the article's reference list prints authors."""
        if self.literal:
            return self.literal
        name = " ".join(p for p in (self.given, self.family) if p)
        return f"{name}, {self.suffix}" if self.suffix else name

    @property
    def sort_key(self) -> str:
        """Family name, then given names, case-folded: where the name sorts in an author–date list."""
        return f"{self.family} {self.given}".casefold()


_SIMPLE = re.compile(r"\s*([A-Z][^,{}\\]*?)\s*,\s*([^,{}\\]+?)\s*")


def _simple(raw: str) -> Person | None:
    """``Family, Given`` with no braces, particles or suffix: the common case, split directly."""
    m = _SIMPLE.fullmatch(raw)
    if m is None or (" " in m.group(1) and any(w[:1].islower() for w in m.group(1).split())):
        return None
    return Person(given=to_unicode(m.group(2)), family=to_unicode(m.group(1)))


_AND = re.compile(r"[ \t\r\n]+[aA][nN][dD][ \t\r\n]+")


def split_names(value: str) -> list[str]:
    """Split at ``and`` outside braces, as BibTeX does; a regex suffices without braces."""
    value = value.strip(" \r\n\t")
    if not value:
        return []
    if "{" in value or "\\" in value:
        from bibtexparser.middlewares.names import split_multiple_persons_names

        return list(split_multiple_persons_names(value))
    return _AND.split(value)


def parse_names(value: str) -> tuple[list[Person], list[str]]:
    """Split an ``and``-separated name list; return the people and any names that failed."""
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    people: list[Person] = []
    bad: list[str] = []
    for raw in split_names(value):
        simple = _simple(raw)
        if simple is not None:
            people.append(simple)
            continue
        if raw.strip().lower() == "others":
            people.append(Person("", "", literal="et al."))
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=True)
        except InvalidNameError:
            bad.append(raw)
            people.append(Person("", "", literal=to_unicode(raw)))
            continue
        family = " ".join(parts.von + parts.last)
        people.append(
            Person(
                given=to_unicode(" ".join(parts.first)),
                family=to_unicode(family),
                suffix=to_unicode(" ".join(parts.jr)),
            )
        )
    return people, bad

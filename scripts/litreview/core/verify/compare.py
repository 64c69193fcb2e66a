"""Does a bibliography entry say what the registered record says? Field by field.

This is the judgement ``litreview verify`` rests on, kept apart from any network so it can be
measured on a labelled set (``bench/verify_compare.py``). A record found by DOI or by search
is compared with the entry; a difference is reported as the entry's value against the
record's, never guessed away. What counts as the same, and why:

- title: the same words, after case, TeX braces, punctuation and accents go (token-sort
  ratio ≥ 90), or the same title with a subtitle added or dropped;
- first author: the same family name (accents, case and particles aside; a name given whole,
  "Yifan Peng", matches its family name);
- authors: at least half of the shorter list's family names in the other;
- year: at most one apart (a work published online first, in print the next year);
- journal: the same words, or one the ISO 4 abbreviation of the other ("J Spine" for "Journal of
  Spine", "Proc Natl Acad Sci U S A"), word for word; arXiv however it is written; proceedings
  whose own words (three or more) are within the other's name; never two journals of one
  series (Phys. Rev. C and D, Eur. Phys. J. A and C), which read alike but for one letter;
- volume and first page: equal when both are given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from ..bibliography.loader import Reference

_STOP = {"of", "the", "and", "for", "in", "on", "a", "an", "&", "de", "la", "le", "und", "fur"}


@dataclass(frozen=True)
class WorkFacts:
    """What an entry or a record says about a work, as plain text."""

    title: str = ""
    families: tuple[str, ...] = ()
    year: str = ""
    journal: str = ""
    volume: str = ""
    first_page: str = ""


@dataclass(frozen=True)
class Difference:
    """One field on which the entry and the record disagree."""

    field: str
    entry: str
    record: str


@dataclass
class Comparison:
    """The fields that differ; none means the record confirms the entry."""

    differences: list[Difference] = field(default_factory=list)

    @property
    def same(self) -> bool:
        """Every field given on both sides agrees."""
        return not self.differences


def plain(text: str) -> str:
    """Lower case ASCII words: accents, TeX braces and punctuation gone."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", folded.replace("{", "").replace("}", "").lower()))


def first_page(pages: str) -> str:
    """``179--188`` → ``179``; ``e0123`` → ``e0123``."""
    m = re.match(r"\s*([A-Za-z]?\d+)", pages)
    return m.group(1).lower() if m else ""


def _year(item: dict[str, Any]) -> str:
    """The first year the record gives (issued, then print, online, created)."""
    for key in ("issued", "published-print", "published-online", "created"):
        date = item.get(key)
        parts = date.get("date-parts") if isinstance(date, dict) else None
        first = parts[0] if isinstance(parts, list) and parts else None
        year = first[0] if isinstance(first, list) and first else None
        if isinstance(year, int | str) and str(year).strip().isdigit():
            return str(year).strip()
    return ""


def _text(value: Any) -> str:
    """A field as text: the first of a list (Crossref's titles), nothing for anything else."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else ""


def from_csl(item: dict[str, Any]) -> WorkFacts:
    """A CSL-JSON record (Crossref, doi.org, PubMed…) as a :class:`WorkFacts`; a source's answer is
    untrusted, so a field of another shape than CSL's counts as not given."""
    people = item.get("author") or item.get("editor") or []
    families = tuple(
        plain(_text(p.get("family") or p.get("literal") or p.get("name")))
        for p in (people if isinstance(people, list) else [])
        if isinstance(p, dict)
    )
    return WorkFacts(
        title=_text(item.get("title")),
        families=tuple(f for f in families if f),
        year=_year(item),
        journal=_text(item.get("container-title")),
        volume=_text(item.get("volume")),
        first_page=first_page(_text(item.get("page"))),
    )


def from_reference(ref: Reference) -> WorkFacts:
    """A bibliography entry as a :class:`WorkFacts` (LaTeX decoded, names parsed as BibTeX parses them)."""
    people = ref.people.get("author") or ref.people.get("editor") or []
    text = ref.text
    journal = text.get("journal") or text.get("journaltitle") or text.get("booktitle") or ""
    year = text.get("year") or (text.get("date") or "")[:4]
    return WorkFacts(
        title=text.get("title", ""),
        families=tuple(f for f in (plain(p.family or p.literal) for p in people) if f),
        year=year,
        journal=journal,
        volume=text.get("volume", ""),
        first_page=first_page(text.get("pages", "")),
    )


def _same_title(a: str, b: str) -> bool:
    x, y = plain(a), plain(b)
    if not x or not y:
        return True  # nothing to compare on one side
    if fuzz.token_sort_ratio(x, y) >= 90:
        return True
    shorter, longer = sorted((x, y), key=len)
    # a subtitle added or dropped: "Deep learning" vs "Deep learning: a review" is not enough
    return len(shorter) >= 25 and longer.startswith(shorter)


def _contracts(short: str, word: str) -> bool:
    """``natl`` for ``national``, ``j`` for ``journal``: same first letter, letters in order."""
    if not short or short[0] != word[:1]:
        return False
    rest = iter(word)
    return all(ch in rest for ch in short)


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """``short`` is ``full`` abbreviated word for word, as ISO 4 abbreviates journal titles
    (``Proc Natl Acad Sci U S A``): stop words dropped, each word cut or contracted."""
    words = [w for w in full if w not in _STOP]
    abbr = [w for w in short if w not in _STOP]
    return bool(abbr) and len(abbr) == len(words) and all(map(_contracts, abbr, words))


#: Words that name no venue in particular: what proceedings' names add around their core.
_GENERIC = _STOP | {"proceedings", "proc", "advances", "conference", "international", "annual", "workshop"}
_GENERIC |= {"symposium", "meeting", "edition", "journal"}


def _core(venue: str) -> set[str]:
    """A venue's own words: no generic words, numbers or ordinals ("24th")."""
    return {w for w in venue.split() if w not in _GENERIC and not re.fullmatch(r"\d+(st|nd|rd|th)?", w)}


_SERIES_TOKEN = re.compile(r"(?:[A-Za-z]|\d{1,2})")


def series(journal: str) -> str:
    """The letter or number naming one journal of a series (Phys. Rev. **C**, Eur. Phys. J. **A**,
    J. Phys. **G**: Nucl. Part. Phys.): the last word of the name before any subtitle, if it is
    one letter or a small number; else ''."""
    return _series_parts(journal)[1]


def _series_parts(journal: str) -> tuple[str, str]:
    """(the name before the series letter, the letter), or (journal, '') without one."""
    name = re.split(r":|\s[-–—]\s", journal, maxsplit=1)[0]
    words = re.split(r"[\s.,]+", name.strip(" .,"))
    if len(words) > 1 and _SERIES_TOKEN.fullmatch(words[-1]):
        base = words[:-1]
        while len(base) > 1 and base[-1].lower() in ("section", "series", "part", "sect", "ser"):
            base.pop()
        return " ".join(base), words[-1].upper()
    return journal, ""


def _same_journal(a: str, b: str) -> bool:
    x, y = plain(a), plain(b)
    if not x or not y:
        return True
    (base_a, one), (base_b, other) = _series_parts(a), _series_parts(b)
    if one and other:
        if one != other:
            return False  # Phys. Rev. C is not Phys. Rev. D, however close the names read
        if _same_journal(base_a, base_b):  # J. Phys. A and Journal of Physics A: Mathematical…
            return True
    if fuzz.token_sort_ratio(x, y) >= 90:
        return True
    if "arxiv" in x.split() and "arxiv" in y.split():  # "arXiv preprint arXiv:1609.08144 [cs.CL]"
        return True
    if _abbreviates(x.split(), y.split()) or _abbreviates(y.split(), x.split()):
        return True
    # one proceedings named two ways ("Advances in Neural Information Processing Systems (NIPS 24)",
    # "Proceedings of the 24th International Conference on Neural Information Processing
    # Systems"): the shorter core of at least three words within the other ("Nature" is not
    # "Nature Medicine")
    shorter, longer = sorted((_core(x), _core(y)), key=len)
    return len(shorter) >= 3 and shorter <= longer


#: Words of a family name that say nothing alone ("van" Dijk, "de" Silva).
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "y"}


def _words(family: str) -> set[str]:
    return set(family.split()) - _PARTICLES


def same_family(a: str, b: str) -> bool:
    """One person's family name, however given: equal, or sharing a word that is no particle
    ("bryce goodman" given whole vs "goodman"; "garcia marquez" vs "garcia"; not "van dijk"
    vs "van berg")."""
    return a == b or bool(_words(a) & _words(b))


def _authors_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) < 2 or len(b) < 2:
        return True
    shorter, longer = sorted((a, b), key=len)
    matched = sum(1 for name in set(shorter) if any(same_family(name, other) for other in longer))
    return matched * 2 >= len(set(shorter))


def compare(entry: WorkFacts, record: WorkFacts) -> Comparison:
    """The fields on which ``entry`` and ``record`` disagree (those given on both sides)."""
    out = Comparison()

    def differ(name: str, ours: str, theirs: str) -> None:
        out.differences.append(Difference(name, ours, theirs))

    if not _same_title(entry.title, record.title):
        differ("title", entry.title, record.title)
    if entry.families and record.families and not same_family(entry.families[0], record.families[0]):
        differ("first author", entry.families[0], record.families[0])
    if not _authors_overlap(entry.families, record.families):
        differ("authors", ", ".join(entry.families), ", ".join(record.families))
    if entry.year.isdigit() and record.year.isdigit() and abs(int(entry.year) - int(record.year)) > 1:
        differ("year", entry.year, record.year)
    if not _same_journal(entry.journal, record.journal):
        differ("journal", entry.journal, record.journal)
    if entry.volume and record.volume and plain(entry.volume) != plain(record.volume):
        differ("volume", entry.volume, record.volume)
    if entry.first_page and record.first_page and entry.first_page != record.first_page:
        differ("pages", entry.first_page, record.first_page)
    return out

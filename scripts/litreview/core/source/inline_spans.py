"""What a page's inline text holds that is never a citation, as pandoc reads it: comments,
code spans, inline HTML tags and autolinks. Each is masked character for character, so offsets
never shift; the comment and code-span readers look each closer up, so reading stays linear.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from typing import Protocol

from ..citations.syntax import AUTOLINK, HTML_ATTRIBUTE, code_span_at, tick_runs

MASK = "\x03"  # what Python-Markdown's placeholders end with: not a word character
#: A comment as pandoc reads one: closed, and not ``<!-->`` or ``<!--->``; else it is text.
HTML_COMMENT = re.compile(r"(?<!\\)<!--(?!-?>).*?-->", re.S)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
#: An e-mail address's name as pandoc reads one in an autolink: dotted parts, each starting with
#: a letter or digit (``<!--@b>`` and ``<a[@b]>`` are text, and cite).
_LOCAL_PART = r"[^\W_][\w!#$%&'*+/=?^`{|}~-]*(?:\.[^\W_][\w!#$%&'*+/=?^`{|}~-]*)*"
_INLINE_HTML = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?/?>"  # tags
    + r"|"
    + AUTOLINK  # autolinks
    + r"|<"
    + _LOCAL_PART
    + r"@[^<>\s@]+>"  # e-mail autolinks
)
_BACKTICKS = re.compile(r"(?<!\\)`+")


def mask_span(chars: list[str], start: int, end: int) -> None:
    """Mask ``chars[start:end]`` character for character, keeping line breaks: offsets never
    shift, and lines stay where they were."""
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = MASK


def pandoc_comments(text: str) -> list[tuple[int, int]]:
    """Where the comments are, as pandoc reads them (:data:`HTML_COMMENT`), found without the
    pattern: it searched each opener never closed for its ``-->`` to the end (quadratic)."""
    spans: list[tuple[int, int]] = []
    comments = _PandocComments(text)
    while (span := comments.next(spans[-1][1] if spans else 0)) is not None:
        spans.append(span)
    return spans


def without_comments(text: str) -> str:
    """``text`` with its comments (as pandoc reads them) left out."""
    kept, pos = [], 0
    for start, end in pandoc_comments(text):
        kept.append(text[pos:start])
        pos = end
    return "".join(kept) + text[pos:]


class _PandocComments:
    """The comments of a text from any position on, as :data:`HTML_COMMENT` reads them: each
    opener's ``-->`` is looked up, not searched for (linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.closers = [m.start() for m in re.finditer("(?=-->)", text)]

    def next(self, pos: int) -> tuple[int, int] | None:
        """The first comment opening at ``pos`` or after."""
        while (start := self.text.find("<!--", pos)) >= 0:
            if (start and self.text[start - 1] == "\\") or self.text.startswith((">", "->"), start + 4):
                pos = start + 1
                continue
            after = bisect_left(self.closers, start + 4)
            if after == len(self.closers):
                return None  # nor will any later one close
            return start, self.closers[after] + 3
        return None


def markdown_comments(text: str) -> list[tuple[int, int]]:
    """Where the comments are, as Python-Markdown (the build) reads them: ``<!-->`` opens one
    too; one that opens a line (after at most three spaces), or follows such a comment on its
    line, runs to the next ``-->`` past blank lines; one inside a line only within its
    paragraph. One never closed is text."""
    spans: list[tuple[int, int]] = []
    blanks = [m.start() for m in _BLANK_LINE.finditer(text)]
    ends = [m.start() for m in re.finditer("\n", text)] + [len(text)]  # looked up: linear
    pos, rest_of_line = 0, -1  # the rest of a block comment's last line opens blocks too
    while (start := text.find("<!--", pos)) >= 0:
        close = text.find("-->", start + 4)
        if close < 0:
            break  # nor will any later one close
        if start and text[start - 1] == "\\":
            pos = start + 4  # an escaped "<" opens nothing
            continue
        row = bisect_left(ends, start)
        line = ends[row - 1] + 1 if row else 0
        block = start < rest_of_line or (start - line <= 3 and not text[line:start].strip(" "))
        after = bisect_left(blanks, start)
        if not block and after < len(blanks) and blanks[after] < close:
            pos = close + 3  # an inline one ends with its paragraph: text, and nothing in it opens
            continue
        end = close + 3
        spans.append((start, end))
        if block:
            rest_of_line = ends[bisect_left(ends, end)]
        pos = end
    return spans


Comments = Callable[[str], list[tuple[int, int]]]


def mask_inline(chars: list[str], tags: bool = True, comments: Comments | None = None) -> None:
    """Mask code spans, HTML comments, and (``tags``) inline HTML tags and autolinks. Without
    ``comments``, code spans and comments are read as pandoc reads them; with it, the comments
    it finds are masked first."""
    mask_code_spans(chars, comments)
    if tags:
        mask_tags(chars)


def mask_code_spans(chars: list[str], comments: Comments | None = None) -> None:
    """Mask HTML comments and code spans: text a reader sees as written, never as markup.
    Comments are looked for in what is left of the blocks: an opener in code or front matter
    opens nothing. Pandoc's reading (no ``comments``) takes whichever opens first, left to
    right: a ``<!--`` in a code span opens nothing, nor does a backtick in a comment."""
    if comments is not None:
        for start, end in comments("".join(chars)):
            mask_span(chars, start, end)
    current = "".join(chars)
    readers: list[tuple[_SpanReader, bool]] = [(CodeSpans(current), True)]  # (reader, masks)
    if comments is None:
        readers += [(_PandocComments(current), True), (_Markup(current), False)]
    ahead = [reader.next(0) for reader, _masks in readers]
    pos = 0
    while any(ahead):  # each found once, kept till passed: linear
        first = min((span[0], i) for i, span in enumerate(ahead) if span)[1]
        start, pos = ahead[first] or (0, 0)
        if readers[first][1]:
            mask_span(chars, start, pos)
        for i, span in enumerate(ahead):  # the one read, or one opening inside it
            if span and span[0] < pos:
                ahead[i] = readers[i][0].next(pos)


class _SpanReader(Protocol):
    def next(self, pos: int) -> tuple[int, int] | None: ...


#: Markup whose text no code span crosses: a tag or autolink (masked later as such) and a link's
#: address (pandoc reads each before a run of backticks that opens after it).
_MARKUP = re.compile(
    rf"</?[A-Za-z][A-Za-z0-9-]*(?:{HTML_ATTRIBUTE})*+\s*/?>"  # a tag, its attributes as pandoc's
    + r"|"
    + AUTOLINK  # an autolink
    + r"|\[[^\[\]\n]*\](?P<address>\([^()\s]*\))"  # a link's address, after its text
)


class _Markup:
    """The markup of a text from any position on (see :data:`_MARKUP`)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def next(self, pos: int) -> tuple[int, int] | None:
        """The first markup starting at ``pos`` or after; of a link, its address (a code span in
        its text is read first)."""
        m = _MARKUP.search(self.text, pos)
        if m is None:
            return None
        return m.span("address") if m.group("address") else m.span()


class CodeSpans:
    """The code spans of a text from any position on, each within its paragraph: each run of
    backticks's closing run is looked up (:func:`code_span_at`), not searched for (linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.runs = tick_runs(text)
        self.blank = [m.start() for m in _BLANK_LINE.finditer(text)]  # spaces on it too

    def next(self, pos: int, limit: int | None = None) -> tuple[int, int] | None:
        """The first code span opening at ``pos`` or after (and before ``limit``)."""
        end = len(self.text) if limit is None else limit
        while (m := _BACKTICKS.search(self.text, pos, end)) is not None:
            para = bisect_left(self.blank, m.end())
            para_end = self.blank[para] if para < len(self.blank) else len(self.text)
            span = code_span_at(self.runs, m.start(), m.end() - m.start(), para_end)
            if span:
                return span
            pos = m.end()
        return None


def mask_tags(chars: list[str]) -> None:
    """Mask inline HTML tags and autolinks in text masked so far."""
    current = "".join(chars)
    for tag in _INLINE_HTML.finditer(current):
        mask_span(chars, tag.start(), tag.end())

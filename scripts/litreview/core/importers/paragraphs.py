"""A page's paragraphs and quotes as pandoc reads them, for the importers' rewrites.

Python-Markdown starts a block at lines where pandoc's paragraph goes on (a heading, a link
definition, a quote), and reads a quote's markers otherwise. The dollar step and the definition
step (:mod:`.texmath`) ask one reading, made here once per page: which lines continue a
paragraph, and how many of a line's quote markers pandoc takes off it (the rest are text).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..source.inline_spans import MASK
from ..source.scanner import ATTRIBUTES

#: A quote's markers at a line's start (every level, with a space after each).
QUOTE_PREFIX = re.compile(r"(?: {0,3}>[ \t]?)+")
_ONE_MARKER = re.compile(r" {0,3}>[ \t]?")
#: An ATX heading to pandoc (a space after its ``#``s).
PANDOC_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)", re.M)
#: A word of a definition's URL: not one that starts a title or a reference, nor where pandoc
#: reads an attribute block (whatever follows it: ``{.c}x`` ends the URL, and the line is text).
_LINK_ATTRIBUTES = rf"(?!\{{=)(?:{ATTRIBUTES})"  # not a raw format's ({=html}): that is the URL's
_URL_WORD = rf"(?!{_LINK_ATTRIBUTES})[^\s\"'(\[][^\s]*"
#: Pandoc's link definition on one line: a label, a URL in angle brackets or as words (none
#: starting a title, a reference or attributes), a title and the link's attributes.
PANDOC_DEFINITION = re.compile(
    r"(?P<head>[ ]{0,3}\[(?!\^)(?:[^\[\]\n\\]|\\.)+\]:)[ \t]*"
    r"(?:<(?P<angle>[^<>\n]*)>|(?P<url>(?:" + _URL_WORD + r"(?:[ \t]+" + _URL_WORD + r")*)?))"
    r"[ \t]*(?P<title>\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|\([^()\n]*\))?[ \t]*"
    r"(?:(?P<attrs>" + _LINK_ATTRIBUTES + r")[ \t]*)?"
)
#: A line of pandoc's line block (``| text``), which a definition's line does not continue.
_LINE_BLOCK = re.compile(r"\|(?:[ \t]|$)")
#: A list item with no text (only markers pandoc surely reads), after which no paragraph goes on.
_EMPTY_ITEM = re.compile(r"(?:[ ]*(?:>|(?:[-*+]|\d+[.)]|\(\d+\)|#[.)]|[a-z][.)])(?=[ \t]|$)))+[ \t]*")
#: A horizontal rule: a block of its own at a block's start (inside a paragraph, its text).
_RULE = re.compile(r"[ ]{0,3}([-*_])(?:[ ]*\1){2,}[ \t]*$")
#: A setext heading's underline: it ends a paragraph of one line (pandoc's; CommonMark's, any).
UNDERLINE = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*$")


class Paragraphs(NamedTuple):
    """One page's reading (:func:`paragraphs`)."""

    continuing: frozenset[int]
    """The starts of the lines that continue a paragraph."""
    quote_ends: dict[int, int]
    """For each line of a quote, from its start, the end of the markers pandoc takes off it."""


class _ParagraphState:
    """Where the reading is: a paragraph open, at what quote depth; a quote open (to a blank
    line, lazy lines too), how deep."""

    def __init__(self) -> None:
        self.in_para, self.para_depth, self.para_lines = False, 0, 0
        self.quote_open, self.quote_depth = False, 0


def _opens_no_paragraph(content: str, quoted: bool, following: str) -> bool:
    """Whether a line's text at a block's start is a block of its own: a heading, a definition
    (with no URL, only before a blank line or its URL's line: ``[w]:`` then ``[v]: …`` is text),
    a line block's line, an empty item, a rule, or (in a quote) code."""
    definition = PANDOC_DEFINITION.fullmatch(content)
    if definition and not (definition.group("url") or definition.group("angle") is not None):
        definition = None if following.lstrip(" \t>").startswith("[") else definition
    return bool(
        PANDOC_HEADING.match(content)
        or definition
        or _RULE.match(content)
        or _LINE_BLOCK.match(content)
        or _EMPTY_ITEM.fullmatch(content)
        or (quoted and len(content.expandtabs(4)) - len(content.expandtabs(4).lstrip(" ")) >= 4)
    )


def _taken(line: str, markers: re.Match[str] | None, depth: int) -> int:
    """The end of the first ``depth`` quote markers of ``line``."""
    end, taken = 0, 0
    while markers and taken < depth:
        one = _ONE_MARKER.match(line, end)
        if one is None:
            break
        end, taken = one.end(), taken + 1
    return end


def paragraphs(text: str, plain: str, commonmark: bool) -> Paragraphs:
    """Read ``text`` (``plain``: its code and raw blocks masked) as pandoc reads its
    paragraphs: after a paragraph's line, a heading, a definition or a quote's marker is its
    text (in CommonMark, a heading and a deeper quote interrupt it); inside a quote, the
    paragraph goes on over the quote's lines, and only as many markers as its depth are the
    quote's. Linear: one pass."""
    out: set[int] = set()
    ends: dict[int, int] = {}
    state, pos = _ParagraphState(), 0
    lines = text.split("\n")
    for number, line in enumerate(lines):
        markers = QUOTE_PREFIX.match(line)
        count = markers.group().count(">") if markers else 0
        if not line.strip():
            state.in_para = state.quote_open = False
        elif not plain[pos : pos + len(line)].replace(MASK, "").strip():
            state.in_para = False  # a line of a block ends the paragraph
        elif state.in_para and not (commonmark and _interrupts(line, markers, count, state.para_depth)):
            _go_on(line, pos, markers, state, (out, ends), commonmark)
        else:
            following = lines[number + 1] if number + 1 < len(lines) else ""
            _block_start(line, pos, markers, count, state, ends, following)
        pos += len(line) + 1
    return Paragraphs(frozenset(out), ends)


def _interrupts(line: str, markers: re.Match[str] | None, count: int, depth: int) -> bool:
    """In CommonMark, whether a line starts a block inside a paragraph: a deeper quote, or a
    heading in the paragraph's quote."""
    content = line[_taken(line, markers, depth) :]
    return count > depth or bool(
        PANDOC_HEADING.match(content) or (_RULE.match(content) and not UNDERLINE.match(content))
    )


def _go_on(
    line: str,
    pos: int,
    markers: re.Match[str] | None,
    state: _ParagraphState,
    found: tuple[set[int], dict[int, int]],
    commonmark: bool,
) -> None:
    """A line inside the open paragraph: the quote's markers (up to its depth) taken off; an
    empty line of the quote ends the paragraph, and so does a setext heading's underline (in
    pandoc's Markdown, under one line only)."""
    out, ends = found
    end = _taken(line, markers, state.para_depth)
    if end:
        ends[pos] = pos + end
    underline = UNDERLINE.match(line[end:]) and (commonmark or state.para_lines == 1)
    if not line[end:].strip() or underline:
        state.in_para = False
    else:
        out.add(pos)
        state.para_lines += 1


def _block_start(
    line: str,
    pos: int,
    markers: re.Match[str] | None,
    count: int,
    state: _ParagraphState,
    ends: dict[int, int],
    following: str,
) -> None:
    """A line that starts a block: every marker is the quote's; a lazy line of an open quote
    is its text."""
    if markers:
        ends[pos] = pos + markers.end()
        state.quote_open, state.quote_depth = True, count
    content = line[markers.end() :] if markers else line
    depth = count or (state.quote_depth if state.quote_open else 0)
    state.in_para = bool(content.strip()) and not _opens_no_paragraph(content, depth > 0, following)
    state.para_depth, state.para_lines = depth, 1

"""Code in a list item as pandoc reads it, kept text where Python-Markdown would read Markdown.

Pandoc (and CommonMark) indents a list item's blocks from the column its text starts at
(``- a``: column 2), so ``- a\n\n      <b>x</b>`` holds a code block; Python-Markdown indents
them by four spaces a level, and reads the same line as the item's paragraph, its HTML live.
Such a line is written so that Python-Markdown shows what pandoc shows, as text: Markdown's
punctuation escaped, HTML's and a citation's characters as entities. Lines both read as code
are left alone.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .paragraphs import QUOTE_PREFIX, UNDERLINE

#: A list item's marker in pandoc's Markdown, with fancy_lists and example_lists (``a.``, ``(i)``,
#: ``#.``, ``(@x)``): the importers' one pattern.
_ORDINAL = r"\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+"
LIST_MARKER = rf"(?:[-*+]|(?:{_ORDINAL})[.)]|\((?:{_ORDINAL}|@[\w-]*)\))"
#: One at a line's start, and the spaces after it; CommonMark's (MyST) has no letters or numerals.
_ITEM = re.compile(rf"(?P<indent>[ ]*)(?P<marker>{LIST_MARKER})(?P<space>[ ]+|$)")
_COMMONMARK_ITEM = re.compile(r"(?P<indent>[ ]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ ]+|$)")
#: What Python-Markdown reads as markup in a paragraph's text, and how it is shown as text.
_MARKUP = re.compile(r"[\\`*_{}\[\]()#+\-.!>]|[<&@$~^|:]")
#: Characters Python-Markdown does not unescape (``\\$`` shows its backslash), as entities.
_ENTITIES = {char: f"&#{ord(char)};" for char in "<&@$~^|:"}


#: A horizontal rule (``- - -``), no list item.
_RULE = re.compile(r"[ ]*([-*_])(?:[ ]*\1){2,}[ ]*$")
#: An ATX heading: a block of its own, after which a list may start with no blank line.
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")  # at the margin (pandoc's)
#: An underline pandoc reads under a line indented as code in an item (``-`` alone is an item).
_UNDERLINE_ANY = re.compile(r"[ ]{0,2}(?:=+|-{2,})[ ]*$")
_UNDERLINE_FIRST = re.compile(r"[ ]*(?:=+|-+)[ \t]*$")
_PYTHON_MARKDOWN_MARKER = re.compile(r"[-*+]|\d+\.")
#: A fence's opening or closing run (pandoc's lines inside a fence are no indented code).
_FENCE = re.compile(r"[ ]*(`{3,}|~{3,})")


class _Item(NamedTuple):
    column: int
    """The column pandoc indents the item's blocks from."""
    code_at: int
    """The indent from which Python-Markdown reads a line in it as code: four a level, its
    levels counted by four-space steps (inside the quote that holds it) and by its markers on
    one line (``- - a``; ``a.`` is pandoc's only, text to Python-Markdown)."""


def _unquoted(line: str) -> tuple[str, int]:
    """``line`` (tabs expanded) with a quote's markers as spaces, and their width."""
    markers = QUOTE_PREFIX.match(line)  # a quote's markers: pandoc reads its text without them
    if markers is None:
        return line, 0
    return " " * markers.end() + line[markers.end() :], markers.end()


def _closers(lines: list[str]) -> dict[str, list[int]]:
    """For each fence character, the longest closing run on each line or after it: a fence
    pandoc never sees closed opens none (looked up, not searched for: linear)."""
    longest = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
    for j in range(len(lines) - 1, -1, -1):
        run = _FENCE.match(lines[j])
        closing = run is not None and not lines[j][run.end() :].strip()
        for char, runs in longest.items():
            runs[j] = max(
                runs[j + 1], len(run.group(1)) if closing and run and run.group(1)[0] == char else 0
            )
    return longest


class _CodeReader:
    """One page's lines, read for code in list items (:func:`_item_code`)."""

    def __init__(self, lines: list[str], commonmark: bool) -> None:
        self.raw = [line.expandtabs(4) for line in lines]
        self.lines = [_unquoted(line) for line in self.raw]
        self.quote_open = False
        self.item_re = _COMMONMARK_ITEM if commonmark else _ITEM
        self.closers = _closers([line for line, _ in self.lines])
        self.items: list[_Item] = []
        self.code: list[tuple[int, int]] = []
        self.blank, self.in_code, self.after_block = True, False, False
        self.fence, self.fence_at = "", 0

    def container(self, base: int) -> int:
        """The column a line's blocks start at: its item's text, or its quote's."""
        return self.items[-1].column if self.items else base

    def opens_fence(self, number: int, line: str, base: int) -> bool:
        """Whether ``line`` opens a fence pandoc reads: not indented as code, closed later, and
        (backticks) with none in its info."""
        run = _FENCE.match(line)
        if run is None or self.in_code or _indent(line) >= self.container(base) + 4:
            return False
        if run.group(1)[0] == "`" and "`" in line[run.end() :]:
            return False
        return self.closers[run.group(1)[0]][number + 1] >= len(run.group(1))

    def read_fence(self, line: str) -> None:
        """A fence's line: its lines are code to both readers (where fenced_code reads it)."""
        self.fence, self.fence_at = _fence_after(line, self.fence, self.fence_at)
        self.blank = self.after_block = not self.fence  # a block ended: code or a list may follow

    def read(self, number: int) -> None:
        line, base = self.lines[number]
        if base and not (self.blank or self.after_block or self.quote_open):
            line, base = self.raw[number], 0  # a '>' inside a paragraph is its text: no quote
        if base and not self.quote_open:  # a quote less indented than an item's text ends the item
            while self.items and _indent(self.raw[number]) < self.items[-1].column:
                self.items.pop()
        self.quote_open = bool(base) or (self.quote_open and bool(self.raw[number].strip()))
        if self.fence:
            self.read_fence(line)
            return
        if not line.strip():
            self.blank = True
            return
        indent = _indent(line)
        if self.blank:  # a line less indented than an item's text, after a blank line, ends it
            while (
                self.items
                and indent < self.items[-1].column
                and not (self.in_code and indent >= self.items[-1].column + 4)
            ):
                self.items.pop()
        if self.opens_fence(number, line, base):
            self.read_fence(line)
            return
        if self.read_code(number, indent, base):
            return
        self.in_code = False
        heading = number + 1 < len(self.lines) and UNDERLINE.match(self.lines[number + 1][0])
        may_open = self.blank or self.items or self.after_block
        item = self.item_re.match(line) if may_open and not _RULE.match(line) and not heading else None
        while item and self.items and indent < self.items[-1].column:
            self.items.pop()
        opened, first = _opened(line, indent, base, item, self.item_re)
        self.items += opened
        if first and not _heading_text(self.lines, number, self.items[-1], first=True):
            self.code.append((number, first))
            self.in_code = True
        starts = self.blank or self.after_block  # a heading inside a paragraph is its text
        self.after_block = bool(_RULE.match(line) or (starts and _HEADING.match(line[base:])))
        self.blank = False

    def read_code(self, number: int, indent: int, base: int) -> bool:
        """Whether the line is indented code (after a blank line or a block, or more of it):
        outside lists, code to both; in an item, noted where Python-Markdown reads Markdown."""
        if not (self.blank or self.in_code or self.after_block) or indent < self.container(base) + 4:
            return False
        if (
            self.items
            and indent < self.items[-1].code_at
            and not _heading_text(self.lines, number, self.items[-1])
        ):
            self.code.append((number, indent))
        self.blank, self.in_code, self.after_block = False, True, True  # a list may follow code
        return True


def _opened(
    line: str, indent: int, base: int, item: re.Match[str] | None, item_re: re.Pattern[str]
) -> tuple[list[_Item], int]:
    """The items a line's markers open (an item's text may start with another item), and the
    column code starts at on the line (five spaces or more after the last marker), or 0: to
    Python-Markdown always the item's text."""
    opened: list[_Item] = []
    code, levels = 0, 0
    while item:
        start, spaces = item.end("marker"), len(item.group("space"))
        levels += _PYTHON_MARKDOWN_MARKER.fullmatch(item.group("marker")) is not None
        code_at = base + (indent - base) // 4 * 4 + 4 + 4 * levels
        opened.append(_Item(start + (spaces if 1 <= spaces <= 4 else 1), code_at))
        if spaces > 4 and item.end() < len(line):
            code = start + 1
        nested = 1 <= spaces <= 4 and not _RULE.match(line, item.end())
        item = item_re.match(line, item.end()) if nested else None
    return opened, code


def _fence_after(line: str, fence: str, at: int) -> tuple[str, int]:
    """The fence open after ``line``, and its indent: ``fence`` (``""``: none) opened, or closed
    by a run as long of its character with nothing after it, indented less than code, or still
    open."""
    run = _FENCE.match(line)
    if not fence:
        return (run.group(1), _indent(line)) if run else ("", 0)
    if run is None or _indent(line) >= at + 4 or line[run.end() :].strip():
        return fence, at
    closes = run.group(1)[0] == fence[0] and len(run.group(1)) >= len(fence)
    return ("", 0) if closes else (fence, at)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _heading_text(lines: list[tuple[str, int]], number: int, item: _Item, first: bool = False) -> bool:
    """Whether line ``number`` is a setext heading's text to pandoc, not code: underlined by a
    line indented less than code in ``item`` (an item's ``first`` line: by any run of ``-``)."""
    under = lines[number + 1][0] if number + 1 < len(lines) else ""
    underline = _UNDERLINE_FIRST if first else _UNDERLINE_ANY
    return bool(underline.match(under)) and _indent(under) < item.column + 4


def _item_code(lines: list[str], commonmark: bool = False) -> list[tuple[int, int]]:
    return _read(lines, commonmark).code


def _read(lines: list[str], commonmark: bool = False) -> _CodeReader:
    """The lines that pandoc reads as indented code in a list item and Python-Markdown as
    Markdown, by number, with the column (tabs expanded) the code starts at: after a blank line
    or a block (or as an item's first text, five spaces or more after its marker), indented four
    columns past the item's text, outside fences, a quote's markers read as spaces. Loose where
    pandoc's rules are many (a line taken for code here is shown as text, no less)."""
    reader = _CodeReader(lines, commonmark)
    for number in range(len(lines)):
        reader.read(number)
    return reader


def _as_text(line: str) -> str:
    """``line`` as Python-Markdown shows it literally in a paragraph."""
    return _MARKUP.sub(lambda m: _ENTITIES.get(m.group(), "\\" + m.group()), line.strip())


def keep_pandoc_code(text: str, commonmark: bool = False) -> str:
    """``text`` with each line of code in a list item that Python-Markdown would read as Markdown
    written as text (see the module's docstring); its quote's markers and indent kept."""
    lines = text.split("\n")
    for number, column in _read(lines, commonmark).code:
        line = lines[number].expandtabs(4)
        lines[number] = line[:column] + _as_text(line[column:])
    return "\n".join(lines)

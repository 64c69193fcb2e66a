"""Code in a list item, as pandoc reads it, kept text where Python-Markdown would read Markdown.

Pandoc (and CommonMark) indents a list item's blocks from the column its text starts at
(``- a``: column 2), so ``- a\\n\\n      <b>x</b>`` holds a code block; Python-Markdown indents
them by four spaces a level, and reads the same line as the item's paragraph, its HTML live.
Such a line is written so that Python-Markdown shows what pandoc shows, as text: Markdown's
punctuation escaped, HTML's and a citation's characters as entities. Lines Python-Markdown reads
as code too are left alone.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: A list item's marker in pandoc's Markdown, with fancy_lists and example_lists (``a.``, ``(i)``,
#: ``#.``, ``(@x)``): the importers' one pattern.
_ORDINAL = r"\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+"
LIST_MARKER = rf"(?:[-*+]|(?:{_ORDINAL})[.)]|\((?:{_ORDINAL}|@[\w-]*)\))"
#: One at a line's start, and the spaces after it.
_ITEM = re.compile(rf"(?P<indent>[ ]*)(?P<marker>{LIST_MARKER})(?P<space>[ ]+|$)")
#: What Python-Markdown reads as markup in a paragraph's text, and how it is shown as text.
_MARKUP = re.compile(r"[\\`*_{}\[\]()#+\-.!>]|[<&@$~^|:]")
#: Characters Python-Markdown does not unescape (``\\$`` shows its backslash), as entities.
_ENTITIES = {char: f"&#{ord(char)};" for char in "<&@$~^|:"}


#: A horizontal rule (``- - -``), no list item.
_RULE = re.compile(r"[ ]*([-*_])(?:[ ]*\1){2,}[ ]*$")
_UNDERLINE = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*$")
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
    levels counted by four-space steps and by its markers on one line (``- - a``; ``a.`` is
    pandoc's only, text to Python-Markdown)."""


def _opened(line: str, indent: int, item: re.Match[str] | None) -> tuple[list[_Item], int]:
    """The items a line's markers open (an item's text may start with another item), and the
    column code starts at on the line (five spaces or more after the last marker), or 0: to
    Python-Markdown always the item's text."""
    opened: list[_Item] = []
    code, levels = 0, 0
    while item:
        start, spaces = item.end("marker"), len(item.group("space"))
        levels += _PYTHON_MARKDOWN_MARKER.fullmatch(item.group("marker")) is not None
        opened.append(_Item(start + (spaces if 1 <= spaces <= 4 else 1), indent // 4 * 4 + 4 + 4 * levels))
        if spaces > 4 and item.end() < len(line):
            code = start + 1
        nested = 1 <= spaces <= 4 and not _RULE.match(line, item.end())
        item = _ITEM.match(line, item.end()) if nested else None
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


def _heading_text(lines: list[str], number: int, item: _Item, first: bool = False) -> bool:
    """Whether line ``number`` is a setext heading's text to pandoc, not code: underlined by a
    line indented less than code in ``item`` (an item's ``first`` line: by any run of ``-``)."""
    under = lines[number + 1].expandtabs(4) if number + 1 < len(lines) else ""
    underline = _UNDERLINE_FIRST if first else _UNDERLINE_ANY
    return bool(underline.match(under)) and _indent(under) < item.column + 4


def _item_code(lines: list[str]) -> list[tuple[int, int]]:
    """The lines that pandoc reads as indented code in a list item and Python-Markdown as
    Markdown, by number, with the column the code starts at: after a blank line (or as an item's
    first text, five spaces or more after its marker), indented four columns past the item's
    text, outside fences. Loose where pandoc's rules are many (a line taken for code here is
    shown as text, no less)."""
    items: list[_Item] = []
    code: list[tuple[int, int]] = []
    blank, in_code, fence, fence_at = True, False, "", 0
    for number, raw in enumerate(lines):
        line = raw.expandtabs(4)
        run = _FENCE.match(line)
        if fence or (run and not in_code and _indent(line) < (items[-1].column if items else 0) + 4):
            fence, fence_at = _fence_after(line, fence, fence_at)  # a fence's lines are its own, to both
            blank = not fence  # a block ended: indented code may follow
            continue
        if not line.strip():
            blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        if blank:
            while items and indent < items[-1].column and not (in_code and indent >= items[-1].column + 4):
                items.pop()
        if not items and (blank or in_code) and indent >= 4:  # code outside lists, to both
            blank, in_code = False, True
            continue
        if items and (blank or in_code) and indent >= items[-1].column + 4:
            if indent < items[-1].code_at and not _heading_text(lines, number, items[-1]):
                code.append((number, 0))
            blank, in_code = False, True
            continue
        in_code = False
        heading = number + 1 < len(lines) and _UNDERLINE.match(lines[number + 1])  # a setext heading's text
        item = _ITEM.match(line) if (blank or items) and not _RULE.match(line) and not heading else None
        while item and items and indent < items[-1].column:
            items.pop()
        opened, first = _opened(line, indent, item)
        items += opened
        if first and not _heading_text(lines, number, items[-1], first=True):
            code.append((number, first))
            in_code = True
        blank = False
    return code


def _as_text(line: str) -> str:
    """``line`` as Python-Markdown shows it literally in a paragraph."""
    return _MARKUP.sub(lambda m: _ENTITIES.get(m.group(), "\\" + m.group()), line.strip())


def literal_item_code(text: str) -> str:
    """``text`` with each line of code in a list item that Python-Markdown would read as Markdown
    written as text (see the module's docstring)."""
    lines = text.split("\n")
    for number, column in _item_code(lines):
        line = lines[number].expandtabs(4) if column else lines[number]  # columns: tabs expanded
        at = column or len(line) - len(line.lstrip(" \t"))
        lines[number] = line[:at] + _as_text(line[at:])
    return "\n".join(lines)

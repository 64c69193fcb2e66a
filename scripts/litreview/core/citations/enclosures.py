"""What pandoc reads as one inline inside a citation group although it may hold a ``;``:
emphasis, strong emphasis, strikeout, quotes, superscript and subscript (``[@a, *x; y*]`` is
one item, with an emphasised suffix). A ``;`` inside ends no item; an ``@`` inside still
cites, as it does in pandoc.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_DELIMITER = re.compile(r"(?<!\\)(?:\*+|_+|~~|\"|')")
#: Superscript (``^^`` an empty one) and subscript: no unescaped space inside, as pandoc reads them.
_SCRIPT = re.compile(r"(?<!\\)\^(?:[^\s^\\]|\\.)*\^|(?<![\\~])~(?!~)(?:[^\s~\\]|\\.)+~")
_NESTING = re.compile(r"[\[\]{}]")


def enclosed(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that pandoc reads as one inline (:func:`_emphasised`, and
    superscript and subscript), merged where they overlap, in order."""
    scripts = [m.span() for m in _SCRIPT.finditer(text)]
    spans = sorted(_emphasised(text, scripts) + scripts)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _emphasised(text: str, scripts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of ``text`` that emphasis, strikeout or quotes enclose, outside brackets and
    braces, in order: an opener followed by no space (``_``, ``"``, ``'`` not inside a word),
    closed by the next run of the same characters there (``_`` and ``'`` not inside a word).
    What is between may hold whole brackets (``_[y]; x_``), never close one (``*x; [y*]`` is
    none), nor a superscript or subscript (``*~*~*`` is emphasis round a subscript: pandoc reads
    the subscript whole). Each closer is looked up, not searched for (linear)."""
    depth = _Depth(text)
    starts = [a for a, _b in scripts]
    found = [
        m
        for m in _DELIMITER.finditer(text)
        if depth.at(m.start()) == 0 and not _inside(scripts, starts, m.start())
    ]
    if len(found) < 2:
        return []
    closers: dict[str, list[int]] = {}
    for m in found:
        if m.group()[0] not in "_'" or not text[m.end() : m.end() + 1].isalnum():
            closers.setdefault(m.group(), []).append(m.start())
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in found:
        run = m.group()
        if m.start() < pos or not _opens(text, m.start(), m.end()):
            continue
        same = closers.get(run, [])
        after = bisect_right(same, m.start())
        if after < len(same) and same[after] >= m.end():
            pos = same[after] + len(run)
            spans.append((m.start(), pos))
    return spans


def _inside(spans: list[tuple[int, int]], starts: list[int], at: int) -> bool:
    """Whether ``at`` is strictly inside one of ``spans`` (in order, not overlapping)."""
    i = bisect_right(starts, at) - 1
    return i >= 0 and spans[i][0] < at < spans[i][1] - 1


class _Depth:
    """How deep in brackets and braces each position of a text is (read once, then looked up)."""

    def __init__(self, text: str) -> None:
        self.marks = [m.start() for m in _NESTING.finditer(text)]
        self.depths, depth = [], 0
        for at in self.marks:
            depth += 1 if text[at] in "[{" else -1
            self.depths.append(depth)

    def at(self, pos: int) -> int:
        i = bisect_left(self.marks, pos) - 1
        return self.depths[i] if i >= 0 else 0


def _opens(text: str, start: int, end: int) -> bool:
    after = text[end : end + 1]
    if not after or after.isspace():
        return False
    return text[start] not in "_\"'" or not text[start - 1 : start].isalnum()

"""Find citations in Markdown source with their exact 1-based line and column.

Python-Markdown keeps no source positions, so the checks (and the build's error
messages) need this scanner. It follows Python-Markdown's block structure closely enough
to leave out everything that is never a citation: front matter, fenced and indented code,
raw HTML blocks and comments, link reference definitions, code spans, inline HTML and
autolinks. What remains goes through the one citation grammar in :mod:`..citations.syntax`.
Masked text is replaced character for character, so offsets never shift.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..citations.syntax import (
    Citation,
    Malformed,
    find_in_text,
    in_link_texts,
    parse_at,
    unclosed,
)
from ..findings.problems import Problem
from .frontmatter import FRONT_MATTER
from .inline_spans import MASK, CodeSpans, mask_inline, mask_span

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
#: A list item (which may start empty), an admonition or details (with its type), a content tab
#: (with its title), a footnote: what holds indented text that is not code.
_CONTAINER = re.compile(
    r"^(?P<indent> *)(?:(?P<item>[-*+]|\d+[.)])(?:[ \t]+|$)"
    r"|(?:!!! ?[\w-]|\?\?\?\+? ?[\w-]|===[!+]? ?\"|\[\^[^\]]+\]:)[ \t]*)"
)
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S")  # not a footnote ``[^1]:``
#: A line that surely continues a paragraph: not a heading, a setext underline or a rule, a
#: definition, a div's fence, a title line, a grid table's, HTML or a comment, and no table's
#: '|' (a table ends where a fence starts). After any other line a fence opens as before.
_PARA_LINE = re.compile(r"^(?! {0,3}(?:#{1,6}(?:[ \t]|$)|(?:[=*_-][ \t]*)+$|:|%|\+[-=:+]|<))[^|]*$")
#: A setext heading's underline, under a one-line paragraph that starts a block.
_SETEXT = re.compile(r"^(?:=+|-+)[ \t]*$")
_EQUALS = re.compile(r"^ {0,3}(?:=[ \t]*)+$")
_ATTR_LINE = re.compile(r"^[ \t]*\{:?[^{}]*\}[ \t]*$")  # one block, no brace inside
#: Lines that are a block of their own after a blank line (pandoc and Python-Markdown alike), so
#: that indented code may start right after them: a rule as Python-Markdown writes one (at most
#: two spaces between its marks; never a list item), an ATX heading or an HTML comment from the
#: line's start. Right after a paragraph's line pandoc reads them as its text.
_RULE = re.compile(r"^ {0,3}(?:(?:\*+ {0,2}){3,}|(?:-+ {0,2}){3,}|(?:_+ {0,2}){3,})$")
_HEADING_OR_COMMENT = re.compile(r"^(?:#{1,6}(?:[ \t].*)?|<!--.*-->[ \t]*)$")
_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|canvas|center|dd|details|dialog|dir|div|dl|dt|"
    "fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|html|iframe|legend|li|"
    "main|map|menu|nav|noscript|object|ol|p|pre|script|section|style|summary|table|tbody|"
    "td|tfoot|th|thead|tr|ul|video|math|svg"
)
_HTML_BLOCK_OPEN = re.compile(r"^<(?P<tag>" + _BLOCK_TAGS + r")(?=[\s>/])(?P<attrs>[^>]*)>", re.I)
#: Raw HTML blocks whose text pandoc does not read as Markdown.
_OPAQUE_BLOCKS = {"pre", "script", "style", "textarea", "math", "svg"}
_VERBATIM = re.compile(r"<(pre|script|style|textarea)(?=[\s>/]).*?(?:</\1\s*>|\Z)", re.S | re.I)
_UNLINKABLE = re.compile(r"<(a|code|kbd|samp)(?=[\s>/]).*?(?:</\1\s*>|\Z)", re.S | re.I)


@dataclass(frozen=True)
class Found:
    """A citation with the source position of its first character."""

    citation: Citation
    line: int
    col: int


@dataclass(frozen=True)
class ScanResult:
    """A page's citations with positions, and the malformed ones as findings."""

    found: list[Found]
    problems: list[Problem]


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _indent(line: str) -> int:
    """The column of the line's first character that is no space or tab (tab stops of 4, as
    pandoc and Python-Markdown count them: a tab-indented line is code)."""
    col = 0
    for char in line:
        if char == " ":
            col += 1
        elif char == "\t":
            col += 4 - col % 4
        else:
            break
    return col


def mask_blocks(
    text: str,
    keep_ref_defs: bool = False,
    html_blocks: list[tuple[int, int]] | None = None,
    keep_attr_lines: bool = False,
) -> list[str]:
    """Mask block-level regions that never hold citations (or, for the link finder, links).

    With ``html_blocks`` (the citation finder), a raw HTML block's text is read as pandoc reads
    it (markdown_in_html_blocks): only its verbatim elements are masked, and its span is added
    to the list; without, the whole block is masked."""
    chars = list(text)
    fm = FRONT_MATTER.match(text)
    if fm:
        mask_span(chars, 0, fm.end())
    lines = _line_spans(text)
    containers: list[int] = []  # content indent of each open list item / admonition / tab
    prev_blank = True
    after_block = False  # the line before was a block of its own (_RULE, _HEADING_OR_COMMENT)
    in_para = False  # the line before is a paragraph's, outside lists (pandoc's lazy lines)
    opening_line: int | None = None  # the last line to start a block (a setext heading's text)
    para_start, code = 0, _ParagraphCode(text)
    in_code = False
    closers: dict[str, list[int]] | None = None
    i = 0
    while i < len(lines):
        start, end = lines[i]
        line = text[start:end]
        if fm and start < fm.end():
            i += 1
            continue
        if not line.strip():
            prev_blank, in_para = True, False
            i += 1
            continue
        ind = _indent(line)
        if prev_blank:
            _leave(containers, ind)
        base = containers[-1] if containers else 0
        run = _opening_fence(line, base, code, (para_start, start) if in_para else None)
        if run:
            closers = closers if closers is not None else _longest_closers(text, lines)
            if closers[run[0]][i + 1] >= len(run):  # a fence never closed is text
                i = _mask_fence(text, chars, lines, i, run)
                prev_blank, in_para = True, False  # a block ended: indented code may follow
                _leave(containers, ind)  # a fence less indented than an item's text ends the item
                continue
        code_may_start = prev_blank or in_code or after_block
        if ind >= base + 4 and code_may_start and not _setext_text(text, lines, i, in_code):
            mask_span(chars, start, end)  # indented code block
            in_code, in_para = True, False
            i += 1
            continue
        in_code = False
        html = _HTML_BLOCK_OPEN.match(line) if ind == 0 and prev_blank else None
        if html:
            i = _mask_html_block(text, chars, lines, i, html, html_blocks)
            prev_blank = in_para = False
            continue
        ref_def = _REF_DEF.match(line) is not None
        if (ref_def and not keep_ref_defs) or (not keep_attr_lines and _ATTR_LINE.match(line)):
            mask_span(chars, start, end)
        opens = prev_blank or after_block  # the line starts a block
        own_block, setext, container, para_text = _text_line(line, in_para, opening_line == i - 1)
        after_block = not containers and ((opens and own_block) or setext)
        if container:
            containers.append(len(container.group("indent")) + 4)
        para_start = para_start if in_para else start
        in_para = not containers and not ref_def and para_text
        opening_line = i if opens and not containers and not setext else None
        prev_blank = False
        i += 1
    return chars


def _leave(containers: list[int], indent: int) -> None:
    """Close the containers (list items, admonitions, tabs) whose text is indented past ``indent``."""
    while containers and indent < containers[-1]:
        containers.pop()


def _text_line(
    line: str, in_para: bool, under_opening: bool
) -> tuple[bool, bool, re.Match[str] | None, bool]:
    """What a line outside code and HTML is: a block of its own (a rule, a heading, a comment),
    a setext heading's underline (``under_opening``: right under a line that started its block),
    the container it opens, and whether it is a paragraph's text (a heading or a rule right after
    a paragraph's line is, as pandoc reads it, and a line of ``=`` or ``-`` that is none of these)."""
    rule = _RULE.match(line) is not None
    own_block = rule or _HEADING_OR_COMMENT.match(line) is not None
    setext = under_opening and _SETEXT.match(line) is not None
    container = None if rule or setext else _CONTAINER.match(line)  # "* * *" is a rule, or text
    if container and container.group("item") and in_para:
        container = None  # a list never interrupts a paragraph (pandoc and Python-Markdown)
    dashes = _SETEXT.match(line) is not None and not own_block and container is None  # "--"
    para_text = _PARA_LINE.match(line) is not None or (
        not setext and ((in_para and own_block) or dashes or bool(_EQUALS.match(line)))
    )
    return own_block, setext, container, para_text


def _setext_text(text: str, lines: list[tuple[int, int]], i: int, in_code: bool) -> bool:
    """Whether line ``i``, indented as code, is a setext heading's text: pandoc reads a heading
    there (an indented line that starts its block, then an underline); Python-Markdown, code."""
    if in_code or i + 1 >= len(lines):
        return False
    start, end = lines[i + 1]
    return _SETEXT.match(text[start:end]) is not None


def _opening_fence(line: str, base: int, code: _ParagraphCode, para: tuple[int, int] | None) -> str:
    """The run of backticks or tildes that would open a fence on ``line``, or ``""``. After a
    paragraph's line (``para``: where the paragraph and this line start), only a backtick fence
    at the margin interrupts it, as pandoc reads it, and not inside a code span of it."""
    fence = _FENCE_OPEN.match(line)
    if (
        fence is None
        or _indent(fence.group("indent")) >= base + 4
        or not _FENCE_INFO.match(line, fence.end())
    ):
        return ""
    if para and (fence.group("fence")[0] == "~" or fence.group("indent") or code.covers(*para)):
        return ""
    return fence.group("fence")


class _ParagraphCode:
    """Whether a line is inside a code span its paragraph opened before it: pandoc reads the
    span across the line before it asks whether the line interrupts the paragraph. The spans
    are read once per paragraph, up to the last line asked about (linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: CodeSpans | None = None
        self.para, self.pos = -1, 0
        self.span: tuple[int, int] | None = None

    def covers(self, para_start: int, line_start: int) -> bool:
        """Whether a code span of the paragraph at ``para_start`` runs across ``line_start``."""
        if self.spans is None:
            self.spans = CodeSpans(self.text)
        if para_start != self.para:
            self.para, self.pos, self.span = para_start, para_start, None
        while True:
            if self.span is None:
                self.span = self.spans.next(self.pos, line_start)
                if self.span is None:
                    self.pos = line_start  # no run before the line opens one
                    return False
            if self.span[1] > line_start:
                return True
            self.pos, self.span = self.span[1], None


#: What pandoc lets follow an opening fence: one word, one attribute block, or a word and an
#: attribute block (``py x``, ``{.py} x`` and a backtick make no fence: the line is text, or a
#: code span's start).
_NAME = r"[^\W\d_][\w:.-]*"
#: Pandoc's attribute block: ids, classes, keys with values, ``-``; or a raw format (``{=html}``).
ATTRIBUTES = (
    r"\{[ \t]*(?:(?:#[\w:.-]+|\." + _NAME + "|" + _NAME + r"=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}\"']*)|-)"
    r"(?=[\s}])[ \t]*)*\}|\{=[\w-]+\}"
)
_FENCE_INFO = re.compile(rf"[ \t]*(?:{ATTRIBUTES}|[^\s`{{}}]+(?:[ \t]*{ATTRIBUTES})?)?[ \t]*$")
_CLOSER = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*$")


def _longest_closers(text: str, lines: list[tuple[int, int]]) -> dict[str, list[int]]:
    """For each fence character, the longest closing run on each line or after it: whether a
    fence is ever closed is looked up, not searched for to the end each time (linear)."""
    longest = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
    for j in range(len(lines) - 1, -1, -1):
        closer = _CLOSER.match(text[lines[j][0] : lines[j][1]])
        for char, runs in longest.items():
            runs[j] = runs[j + 1]
            if closer and closer.group(1)[0] == char:
                runs[j] = max(runs[j], len(closer.group(1)))
    return longest


def _mask_fence(text: str, chars: list[str], lines: list[tuple[int, int]], i: int, fence: str) -> int:
    j = i
    while j < len(lines):
        start, end = lines[j]
        mask_span(chars, start, end)
        closer = _CLOSER.match(text[start:end]) if j > i else None
        if closer and closer.group(1)[0] == fence[0] and len(closer.group(1)) >= len(fence):
            return j + 1
        j += 1
    return j


def _mask_html_block(
    text: str,
    chars: list[str],
    lines: list[tuple[int, int]],
    i: int,
    opening: re.Match[str],
    html_blocks: list[tuple[int, int]] | None = None,
) -> int:
    """Mask a raw HTML block; with ``markdown`` (md_in_html) only its tag lines are masked; read
    as text (``html_blocks``), only its verbatim elements."""
    tag = opening.group("tag").lower()
    markdown_inside = re.search(r"\bmarkdown\b", opening.group("attrs")) is not None
    if html_blocks is not None and not markdown_inside and tag not in _OPAQUE_BLOCKS:
        j = _html_block_end(text, lines, i, tag)
        start, end = lines[i][0], lines[j - 1][1]
        html_blocks.append((start, end))
        for verbatim in _VERBATIM.finditer(text, start, end):
            mask_span(chars, verbatim.start(), verbatim.end())
        return j
    open_re = re.compile(r"<" + tag + r"(?=[\s>/])", re.I)
    close_re = re.compile(r"</" + tag + r"\s*>", re.I)
    depth = 0
    j = i
    while j < len(lines):
        start, end = lines[j]
        line = text[start:end]
        depth += len(open_re.findall(line)) - len(close_re.findall(line))
        if not markdown_inside or j == i or (depth <= 0 and close_re.search(line)):
            mask_span(chars, start, end)
        if depth <= 0:
            return j + 1
        j += 1
    return j


def _html_block_end(text: str, lines: list[tuple[int, int]], i: int, tag: str) -> int:
    """The line after a raw HTML block that opens at line ``i`` with ``tag``."""
    open_re = re.compile(r"<" + tag + r"(?=[\s>/])", re.I)
    close_re = re.compile(r"</" + tag + r"\s*>", re.I)
    depth = 0
    for j in range(i, len(lines)):
        line = text[lines[j][0] : lines[j][1]]
        depth += len(open_re.findall(line)) - len(close_re.findall(line))
        if depth <= 0:
            return j + 1
    return len(lines)


def unlinkable(text: str, html_blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of raw HTML blocks where HTML can't hold a citation's link (``<a>``, code)."""
    return [(m.start(), m.end()) for a, b in html_blocks for m in _UNLINKABLE.finditer(text, a, b)]


def scan(text: str, path: str) -> ScanResult:
    """All citations and malformed citations in a Markdown file's full text."""
    html_blocks: list[tuple[int, int]] = []
    chars = mask_blocks(text, html_blocks=html_blocks, keep_attr_lines=True)  # text to pandoc
    mask_inline(chars)
    masked = "".join(chars)
    no_link = unlinkable(text, html_blocks) if html_blocks else []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    found: list[Found] = []
    problems: list[Problem] = []
    for block in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", masked):
        text_of_block = block.group(0)
        for item in find_in_text(text_of_block):
            offset = block.start() + item.start
            line = bisect_right(line_starts, offset)
            col = offset - line_starts[line - 1] + 1
            if isinstance(item, Malformed):
                problems.append(Problem(path, line, col, "CIT003", f"malformed citation: {item.message}"))
            else:
                end = block.start() + item.end
                items = item.items
                if MASK in masked[offset:end]:  # inline HTML inside: keep the keys as written
                    written = parse_at(text[offset:end], 0)
                    if isinstance(written, Citation) and written.end == end - offset:
                        items = written.items
                shifted = Citation(items, offset, end, item.narrative)
                if any(a <= offset < b for a, b in no_link):
                    problems += [
                        Problem(path, line, col, "CIT007", _UNRENDERED.format(k)) for k in shifted.keys
                    ]
                    continue
                found.append(Found(shifted, line, col))
        if "@" in text_of_block and ("](" in text_of_block or "][" in text_of_block):
            problems += _in_link_texts(text_of_block, block.start(), line_starts, path)
        if len(text_of_block) > 2000:
            problems.extend(_costly(text_of_block, block.start(), line_starts, path))
    return ScanResult(found, problems)


_UNRENDERED = (
    "citation of '{}' inside a raw HTML link or code element, where HTML can't hold its link: "
    "move it out of the <a>/<code>, or write the element in Markdown"
)


def _in_link_texts(block: str, start: int, line_starts: list[int], path: str) -> list[Problem]:
    """CIT007 for each citation in a link's text, where HTML can't hold its link."""
    out = []
    for cited in in_link_texts(block):
        line = bisect_right(line_starts, start + cited.start)
        col = start + cited.start - line_starts[line - 1] + 1
        for key in cited.keys:
            message = f"citation of '{key}' inside a link's text, where HTML can't hold its link: move it out"
            out.append(Problem(path, line, col, "CIT007", message))
    return out


#: Unclosed brackets × paragraph length above which Python-Markdown needs seconds (about
#: 0.25 s per million on this project's machines): its link patterns rescan per bracket.
COSTLY = 4_000_000


def _costly(block: str, start: int, line_starts: list[int], path: str) -> list[Problem]:
    open_count = unclosed(block)
    if open_count * len(block) <= COSTLY:
        return []
    line = bisect_right(line_starts, start)
    col = start - line_starts[line - 1] + 1
    message = (
        f"this paragraph has {open_count:,} unclosed '[' or '](' in {len(block):,} characters, and "
        "Markdown rescans the paragraph for each, so it builds slowly (minutes at tens of thousands): "
        "close them, escape them as \\[ and \\(, or split the paragraph"
    )
    return [Problem(path, line, col, "MD005", message)]

"""TeX math in pandoc Markdown, made what ``pymdownx.arithmatex`` reads: the importers' shared step.

Pandoc reads ``$…$`` as math only when the opening ``$`` has no space after it, the first unescaped
``$`` after it (outside ``\\text{…}``) closes it with no space before it and no digit after it, and
no blank line comes between but in ``\\text{…}`` ("$20,000 and $30,000" is not math). Arithmatex's
dollars are looser, so every dollar pandoc reads as text is written as ``&#36;`` (``\\$`` too:
Python-Markdown does not unescape it), and ``$$…$$`` inside a paragraph, which arithmatex reads
only as its own block, becomes ``\\(\\displaystyle …\\)``. Code and raw HTML are left alone. Math
that opens before a code span holds it, as in pandoc, and its body is written so that arithmatex
reads it to its own end (:func:`arithmatex_safe`): else what follows would be the page's Markdown
and HTML.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple
from urllib.parse import quote

from ..source.inline_spans import MASK, mask_inline, mask_tags
from ..source.scanner import mask_blocks, scan
from .pandoc_code import LIST_MARKER, keep_pandoc_code
from .paragraphs import PANDOC_DEFINITION, PANDOC_HEADING, QUOTE_PREFIX, paragraphs

#: A dollar pandoc reads as text, as Python-Markdown passes it through and arithmatex ignores it.
DOLLAR = "&#36;"


def _escaped(text: str, at: int) -> bool:
    """Whether ``text[at]`` follows an odd run of backslashes."""
    start = at
    while start and text[start - 1] == "\\":
        start -= 1
    return (at - start) % 2 == 1


def html_safe_tex(tex: str) -> str:
    """TeX whose ``<`` and ``>`` are ``\\lt`` and ``\\gt`` (the same math to KaTeX): math from a
    source that is not HTML (a MyST role or directive) can then make no tag in the page."""
    return tex.replace("<", "\\lt{}").replace(">", "\\gt{}")


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _display_end(masked: str, at: int) -> int | None:
    """The end of ``$$…$$`` opened at ``at``, as pandoc reads it (no blank line, not empty)."""
    close = masked.find("$$", at + 2)
    if close == -1 or close == at + 2:
        return None
    body = masked[at + 2 : close]
    if MASK in body or _BLANK_LINE.search(body):
        return None
    return close + 2


def _inline_end(plain: str, text: str, at: int) -> int | None:
    """The end of ``$…$`` opened at ``at``, read as pandoc reads it, piece by piece: a backslash
    and the character after it; ``\\text{…}``, balanced braces that may hold a ``$`` or a blank
    line (read in ``text``: pandoc reads any character there); spaces and line ends, but not a
    blank line or before the closer. ``plain`` is ``text`` with its code blocks masked."""
    size = len(plain)
    i = at + 1
    if i >= size or plain[i].isspace():
        return None
    while i < size:
        char = plain[i]
        if char == "$":
            if i == at + 1 or plain[i + 1 : i + 2].isdigit():
                return None
            return i + 1
        if char == MASK:
            return None
        if char == "\\":
            group = _group_end(text, i + 5) if plain.startswith("text{", i + 1) else None
            i = group if group is not None else i + 2
        elif char in " \t\n":
            end = i
            while end < size and plain[end] in " \t\n":
                end += 1
            if _BLANK_LINE.search(plain, i, end) or plain[end : end + 1] in ("$", ""):
                return None
            i = end
        else:
            i += 1
    return None


def _group_end(text: str, brace: int) -> int | None:
    """The end of the brace group opening at ``text[brace]``, escaped braces aside, over blank
    lines too (pandoc's ``\\text{…}``, :data:`_BRACE`); ``None`` if it is never closed."""
    depth = 0
    for m in _BRACE.finditer(text, brace):
        depth += 1 if m.group() == "{" else -1 if m.group() == "}" else 0
        if depth == 0:
            return m.end()
    return None


#: In pandoc's ``\\text{…}`` a backslash takes the next character, and a backslash so taken
#: the one after it: a run of backslashes escapes the character after it (``\\\\}`` closes nothing).
_BRACE = re.compile(r"\\+.|[{}]", re.S)


def _alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a block of its own (blank lines, or the text's ends, around it)."""
    before = text[:start].rstrip(" \t")
    after = text[end:].lstrip(" \t")
    return (not before or before.endswith("\n\n") or before == "\n" * len(before)) and (
        not after or after.startswith("\n\n") or after == "\n" * len(after)
    )


#: What ends math early for Python-Markdown and arithmatex where TeX goes on: a run of backticks
#: (Python-Markdown reads code spans first), a dollar (in ``\\text{}``), an odd run of backslashes
#: at the end (it takes the closer) and one before ``)`` (it closes ``\\(``, the author's or ours).
_UNSAFE_IN_MATH = re.compile(r"(?<!\\)((?:\\\\)*)(`|\$|\\(?=\))|\\\Z)")
#: A TeX comment to the end of its line (an unescaped ``%``), which goes when the lines are joined.
_TEX_COMMENT = re.compile(r"(?<!\\)((?:\\\\)*)%.*")


def arithmatex_safe(body: str, block: bool = False) -> str:
    """``body`` as arithmatex reads it to its own closer: but in a ``$$`` block, on one line (a
    line of inline math that starts a block to Python-Markdown, a heading or a quote, would split
    the paragraph first; TeX's comments go); a backtick escaped (TeX's grave accent, where pandoc's
    reading was a backquote); a control space after a lone backslash and, but in a ``$$`` block,
    after one before ``)``."""
    if not block:  # a $$ block is arithmatex's before it is split (but for HTML: no < in it)
        lines = body.split("\n")
        body = " ".join([_TEX_COMMENT.sub(r"\1", line).strip() for line in lines[:-1]] + [lines[-1].strip()])

    def safe(m: re.Match[str]) -> str:
        if m.group(2) in "`$":  # a dollar only in \text{}: the same there escaped
            return m.group(1) + "\\" + m.group(2)
        if m.end() < len(body) and block:  # \) closes nothing in a $$ block
            return m.group(0)
        return m.group(1) + "\\ "

    return _UNSAFE_IN_MATH.sub(safe, body)


def dollars(text: str, commonmark: bool = False) -> tuple[str, int]:
    """``text`` with its math as arithmatex reads it and every other dollar shown as one; and
    how many math elements it holds (pandoc's count). ``commonmark``: the source is MyST, where
    a heading may interrupt a paragraph (in pandoc's Markdown it is the paragraph's text)."""
    text = text.replace(MASK, "")  # a control character Python-Markdown drops; here, the mask
    text = keep_pandoc_code(text, commonmark)  # pandoc's code where Python-Markdown reads Markdown
    # Math opened before a code span or a citation holds it (pandoc reads left to right): its end
    # is looked for in text where neither is masked, nor a line that would be a link definition
    # elsewhere; a '$' in a code span or a citation's key opens nothing.
    html_blocks: list[tuple[int, int]] = []  # Python-Markdown leaves their text as it is
    plain = "".join(mask_blocks(text, keep_ref_defs=True, html_blocks=html_blocks, keep_attr_lines=True))
    # a raw HTML block's Markdown is pandoc's too; an attribute line is text, escaped in _plain
    chars = mask_blocks(text, html_blocks=[], keep_attr_lines=True)
    blocks = "".join(chars)
    for found in scan(text, "").found:  # a key may hold a dollar (pandoc allows it)
        chars[found.citation.start : found.citation.end] = MASK * (found.citation.end - found.citation.start)
    mask_inline(chars, tags=False)
    masked = "".join(chars)
    # A dollar inside a tag opens nothing; but a tag inside math is TeX to pandoc (and arithmatex
    # reads math before HTML), so math is read to its end in text whose tags are not masked.
    mask_tags(chars)
    opening = "".join(chars)
    # a quote's text is read without its lines' markers (pandoc's): as spaces, so positions hold;
    # its paragraph goes on over them
    reading = paragraphs(text, plain, commonmark)
    read = _Read(
        text, masked, blocks, reading.continuing, reading.quote_ends, html_blocks, plain, opening, commonmark
    )
    markers = sorted(reading.quote_ends.items())
    plain, unquoted = _blanked(plain, markers), _blanked(text, markers)
    pieces: list[str] = []
    done = count = 0
    at = opening.find("$")
    while at != -1:
        if _escaped(masked, at):
            pieces += [_plain(read, done, at - 1), DOLLAR]
            done = at + 1
            at = opening.find("$", at + 1)
            continue
        display = masked.startswith("$$", at)
        end = _display_end(plain, at) if display else None
        if end is None:
            end = _inline_end(plain, text, at)
            display = False
        if end is None:
            pieces += [_plain(read, done, at), DOLLAR]
            done = at + 1
            at = opening.find("$", at + 1)
            continue
        count += 1
        pieces += [_plain(read, done, at), _math(text, unquoted, at, end, display)]
        done = end
        at = opening.find("$", end)
    return "".join(pieces) + _plain(read, done, len(text)), count


def _math(text: str, unquoted: str, at: int, end: int, display: bool) -> str:
    """The math ``text[at:end]`` written for arithmatex, with no ``<`` or ``>``: where
    Python-Markdown reads a line of it as HTML (a raw block, which arithmatex never reads) no
    element can come of it. Math on one line is written from ``unquoted`` (a quote's markers as
    spaces); a ``$$`` block keeps its lines' markers, for the quote holds it."""
    if display and not _alone(text, at, end):
        return "\\(\\displaystyle " + html_safe_tex(arithmatex_safe(unquoted[at + 2 : end - 2])) + "\\)"
    if display:  # a block of its own: arithmatex reads it before any code span, after fences
        body = _NO_FENCE.sub(r"\1{}\2", arithmatex_safe(text[at + 2 : end - 2], block=True))
        return "$$" + html_safe_tex(body) + "$$"
    body = html_safe_tex(arithmatex_safe(unquoted[at + 1 : end - 1]))
    # arithmatex's $ wants no space before the closer (a control space ends it here)
    return f"\\({body}\\)" if body[-1:].isspace() else f"${body}$"


#: A line of a $$ block that Python-Markdown's fenced code would read as a fence, before the math.
_NO_FENCE = re.compile(r"(?m)^([ \t]*)(~~~|```)")


#: A run of quote and list markers (pandoc's) before a line's text; loose (a marker pandoc would not read adds
#: nothing: a line like a definition after it is written as the definition pandoc reads, or text).
_CONTAINERS = r"(?:[ \t]*(?:>|" + LIST_MARKER + r"(?=[ \t])))*[ \t]*"  # one way to split it: linear
_CONTAINER_PREFIX = re.compile(_CONTAINERS)

#: Pandoc's ``\\<``, a literal ``<``; and what attr_list (which imported projects enable) reads as
#: attributes after an element or at a block's end.
_PLAIN_MARKUP = re.compile(
    r"(?<!\\)(?P<run>(?:\\\\)*)\\<|(?P<attrs>\{:?[ ]*(?P<inner>[^\}\n ][^\n]*)[ ]*\})"
    r"|(?m:^(?P<definition>" + _CONTAINERS + r"\[(?!\^)(?:[^\[\]\n\\]|\\.)+\]:"
    r"(?:[ \t]*\n[ \t]*(?=\S))?.*))"
    r"|(?m:^(?P<heading> {0,3}(?:(?:[-*+]|\d+[.)])[ \t]+)*#))"  # after list markers too
    r"|(?m:^(?P<quote> {0,3}>(?:[ \t]? {0,3}>)*)"
    r"(?:(?P<hash>[ \t]? {0,3}#)(?P<heading_like>(?=#{0,5}(?:[ \t]|$)))?)?)"
)
_ATTR_KEY = re.compile(r"([^\s=#.{}]+)\s*=")
_ATTR_WORD = re.compile(r"(?:^|[\s{}])([^\s=#.\"'{}][^\s=\"'{}]*)")
#: The attributes an importer may leave to attr_list: an id and classes (no key), a figure's size.
_ALLOWED_KEYS = {"width", "height"}
#: Attributes that run script, load or style something: escaped wherever attr_list might read them.
_RUNS_OR_LOADS = re.compile(
    r"on|href$|src|style$|action$|formaction$|data$|poster$|background$|xlink:|ping$|manifest$|codebase$"
)


class _Read(NamedTuple):
    """A page as the dollar step reads it: its text, with code, citations and blocks masked
    (``masked``), with only blocks masked (``blocks``), and the starts of the lines that continue
    a paragraph."""

    text: str
    masked: str
    blocks: str
    continuing: frozenset[int]
    quote_ends: dict[int, int]
    """For each line of a quote, from its start, the end of the markers pandoc takes off it."""
    raw: list[tuple[int, int]]
    """The raw HTML blocks, in order."""
    plain: str
    """The text with only its code blocks (and raw HTML's verbatim elements) masked."""
    opening: str
    """``masked`` with HTML tags masked too."""

    def in_raw(self, at: int) -> bool:
        """Whether ``at`` is inside a raw HTML block (looked up, not stored per position)."""
        i = bisect_right(self.raw, (at, len(self.text))) - 1
        return i >= 0 and self.raw[i][0] <= at < self.raw[i][1]

    commonmark: bool


def _plain(read: _Read, start: int, stop: int) -> str:
    """``text[start:stop]`` (no math in it) with pandoc's ``\\<``, a literal ``<``, as ``&lt;``:
    Python-Markdown has no such escape, and would read the ``<`` as the start of a tag. A brace
    group that attr_list would read as other attributes (``{: onclick=…}``, text to pandoc) is
    escaped. In code (masked) both stay as written. Two lines pandoc reads as one paragraph stay
    one to Python-Markdown: a code span's (or a comment's) line break is a space, and a line that
    would be a link definition after a paragraph's line has its ``[`` escaped."""
    text, masked, blocks = read.text, read.masked, read.blocks
    segment = list(text[start:stop])
    for at, char in enumerate(segment):
        if char == "\n" and _inline_both_sides(masked, blocks, start + at):
            segment[at] = " "

    def one(m: re.Match[str]) -> str:
        if m.group("definition") is not None:  # a line: what pandoc's reading leaves in it is masked
            at = start + m.start("definition")
            return _definition_line(read, m.group("definition"), at, start + m.end("definition"))
        if m.group("heading") is not None:
            at = start + m.end("heading") - 1  # the '#'
            item = m.group(0).lstrip(" ")[:1] != "#"  # after a list item's markers
            if (
                read.opening[at] == MASK
                or read.in_raw(at)
                or not _text_heading(text, at, read.continuing, item)
            ):
                return m.group(0)
            return m.group(0)[:-1] + "\\#"
        if m.group("quote") is not None:
            at, line_start = start + m.start("quote"), _line_start(text, start + m.start("quote"))
            if masked[start + m.end("quote") - 1] == MASK or read.in_raw(at):
                return m.group(0)
            if line_start not in read.quote_ends:  # no quote's line: inside a paragraph, text (pandoc's)
                return m.group(0).replace(">", "\\>", 1) if line_start in read.continuing else m.group(0)
            heading = m.group("heading_like") is not None
            kept = read.quote_ends[line_start] - at
            return _quote_line(
                m.group(0), kept, m.group("hash") is not None, heading, line_start in read.continuing
            )
        if m.group("attrs") is None:
            return m.group("run") + "&lt;" if masked[start + m.end() - 1] == "<" else m.group(0)
        return _attributes(read, m.group(0), m.group("inner"), start + m.start())

    return _PLAIN_MARKUP.sub(one, "".join(segment))


def _quote_line(group: str, kept: int, hashed: bool, heading: bool, continuing: bool) -> str:
    """A quote's line's markers (the first ``kept`` characters are the quote's to pandoc), and a
    ``#`` right after them: past those, inside the quote's paragraph (``continuing``), a ``>`` or
    a ``#`` is text, where Python-Markdown would open a quote or a heading; a ``#`` with no space
    after it (``#tag``) is text anywhere, and a heading to Python-Markdown."""
    rest = group[kept:].replace(">", "\\>") if continuing else group[kept:]
    if hashed and (continuing or not heading):
        rest = rest[:-1] + "\\#" if rest.endswith("#") else rest
    return group[:kept] + rest


def _definition_line(read: _Read, line: str, at: int, end: int) -> str:
    """A line like a link definition at ``at``: text inside a paragraph, as written in raw HTML,
    text before a line of attributes (pandoc's, which would make it another definition), else
    :func:`_definition`."""
    prefix = _CONTAINER_PREFIX.match(line).group()  # type: ignore[union-attr]  # it matches ""
    line = line[len(prefix) :]
    if read.in_raw(at) or read.plain[at + len(prefix)] == MASK:  # raw HTML or code: as written
        return prefix + line
    line_start = _line_start(read.text, at)
    if line_start in read.continuing and line_start in read.quote_ends:  # the quote's paragraph's text
        kept = read.quote_ends[line_start] - at  # its markers; further ones are text (pandoc's)
        return prefix[:kept] + prefix[kept:].replace(">", "\\>") + _as_text(line)
    if line_start in read.continuing:  # a quote there is text too (pandoc's)
        return prefix.replace(">", "\\>", 1) + _as_text(line)
    if _PANDOC_ONLY_MARKER.search(prefix):  # a paragraph to Python-Markdown: its [y] would link
        inert = PANDOC_DEFINITION.fullmatch(line) is not None  # pandoc's definition: no link in it
        text = _UNESCAPED_BRACKET.sub(r"\1\\[", _as_text(line)) if inert else _as_text(line)
        return prefix + text.replace("<", "&lt;")
    if read.text[end:].lstrip(" \t\n").startswith("{"):
        return prefix + _as_text(line).replace("<", "&lt;")
    if not read.commonmark and "\n" not in line and _is_term(read.text, end, prefix):
        return prefix + _as_text(line)
    return prefix + _definition(line, read.commonmark)


#: A definition's marker in pandoc's definition list: ``:`` or ``~``, then a space or the line end.
_DEFINITION_MARKER = re.compile(r" {0,3}[:~](?:[ \t]|$)")
#: A list marker among a line's container markers.
_LIST_IN = re.compile(r"(?:^|[ \t>])" + LIST_MARKER + r"[ \t]")
#: One that Python-Markdown does not read (it reads ``-``, ``*``, ``+`` and ``1.``).
_PANDOC_ONLY_MARKER = re.compile(r"(?:^|[ \t>])(?![-*+][ \t]|\d+\.[ \t])" + LIST_MARKER + r"[ \t]")


def _is_term(text: str, end: int, prefix: str) -> bool:
    """Whether the line ending at ``end`` (after the containers' markers ``prefix``) is a
    definition list's term to pandoc: the next line, or the one after a blank line, starts with
    a definition's marker (in a quote, after the quote's marker or lazily without it, an empty
    line ending the quote; in a list item, indented as its text may be: loosely, for a term
    written as a definition would be a link pandoc does not make; a lazy line is none)."""
    quoted = ">" in prefix
    tail = prefix[prefix.rfind(">") + 1 :] if quoted else prefix  # the markers inside the last quote
    tail = tail[1:] if quoted and tail[:1] in (" ", "\t") else tail  # as its lines' markers are taken
    indent = len(tail.expandtabs(4)) if _LIST_IN.search(tail) else 0
    for i, line in enumerate(text[end + 1 :].split("\n", 2)[:2] if text[end : end + 1] == "\n" else []):
        marker = QUOTE_PREFIX.match(line) if quoted else None
        if marker:
            line = line[marker.end() :]
        elif quoted and not line.strip():
            return False
        if len(line) - len(line.lstrip(" ")) >= indent and _DEFINITION_MARKER.match(line[indent:]):
            return True  # in an item, a line less indented than its text ends the list
        if i or line.strip():
            return False
    return False


def _attributes(read: _Read, group: str, inner: str, at: int) -> str:
    """A brace group at ``at``, escaped where attr_list would read other attributes than an id,
    classes or a size: a handler or an address wherever it is; else where it would be read."""
    words = {word.lower() for word in _ATTR_WORD.findall(inner)}  # a key with no value is one too
    keys = {key.lower() for key in _ATTR_KEY.findall(inner)} | {w for w in words if _RUNS_OR_LOADS.match(w)}
    if keys <= _ALLOWED_KEYS:
        return group
    end = at + len(group)
    if not any(_RUNS_OR_LOADS.match(key) for key in keys) and (
        MASK in read.masked[at:end] or not _attr_list_reads(read.text, at, end)
    ):
        return group
    # each brace outside code, for the group may hold others (attr_list reads to the last)
    return "".join(
        "\\{" if char == "{" and read.masked[at + i] != MASK and not _escaped(read.text, at + i) else char
        for i, char in enumerate(group)
    )


def _definition(line: str, commonmark: bool) -> str:
    """A link definition pandoc reads on ``line``, written as Python-Markdown reads the same one:
    pandoc takes the whole line (``[y]: x<img …>`` defines ``x%3Cimg…``) where Python-Markdown
    would leave a paragraph, its HTML live, or read another definition. A line pandoc reads as
    text is written as text, with no tag in it. In CommonMark (MyST) a URL is one word, or in
    angle brackets, and no attributes follow. The link's attributes are left out (an address or
    a handler among them would be live)."""
    m = PANDOC_DEFINITION.fullmatch(re.sub(r"[ \t]*\n[ \t]*", " ", line))
    if m is None or (
        commonmark and (m.group("attrs") or (m.group("url") and re.search(r"\s", m.group("url"))))
    ):
        return _as_text(line).replace("<", "&lt;")
    url = m.group("angle") if m.group("angle") is not None else m.group("url")
    encoded = quote(url, safe="/:?#[]@!$&'()*+,;=%~") or "<>"
    return f"{m.group('head')} {encoded}" + (f" {m.group('title')}" if m.group("title") else "")


def _as_text(line: str) -> str:
    """A line like a link definition, as text: its ``[`` escaped, and its braces (attr_list's
    groups; Python-Markdown shows ``\\{`` as ``{``)."""
    line = _LINE_LABEL.sub(r"\1\\[", line.replace("[", "\\[", 1))  # the next line's too (a URL's line)
    return re.sub(r"(?<!\\)\{", r"\\{", line)


#: A ``[`` no backslash escapes (after an even run of them).
_UNESCAPED_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\[")
#: A ``[`` that starts a line (after a quote's markers): a definition's start to Python-Markdown.
_LINE_LABEL = re.compile(r"(?m)(?<=\n)((?:[ \t]*>)*[ \t]*)\[")


def _inline_both_sides(masked: str, blocks: str, i: int) -> bool:
    """Whether the line break at ``i`` is inside inline code or a comment: masked on both sides,
    by an inline mask, not a block's."""
    if not 0 < i < len(masked) - 1:
        return False
    return masked[i - 1] == masked[i + 1] == MASK and MASK not in (blocks[i - 1], blocks[i + 1])


def _line_before(text: str, line_start: int) -> str:
    """The line before the one starting at ``line_start`` ("" for the first)."""
    if line_start == 0:
        return ""
    return text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span as spaces (its length kept)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _text_heading(text: str, at: int, continuing: frozenset[int], item: bool) -> bool:
    """Whether the ``#`` at ``at`` (at a line's start, or after a list ``item``'s markers) is text
    to pandoc (inside a paragraph, or with no space after its ``#``s) where Python-Markdown would
    read a heading. An item's marker starts one in a list, inside a paragraph too (``- a\n- # h``):
    there only ``#tag`` is text."""
    inside = _line_start(text, at) in continuing and not item
    return inside or not PANDOC_HEADING.match(text, at)


def _attr_list_reads(text: str, at: int, end: int) -> bool:
    """Whether attr_list reads the group ``text[at:end]``: right after an element (no space
    before it), at the end of a heading's or a cell's line (a space before it), or on a line of
    its own that ends a block of several lines. (It also reads a group that ends a paragraph's
    text before an element on its last line; so a handler or an address is escaped wherever it
    is, and this judges only the rest.)"""
    line_start = _line_start(text, at)
    ends_line = not text[end : (text.find("\n", end) + 1 or len(text) + 1) - 1].strip()
    before = text[line_start:at]
    if before and not before[-1].isspace():
        return True
    if not ends_line:
        return False
    return bool(before) or bool(_line_before(text, line_start).strip())


def summary(count: int) -> str:
    """The import report's line for a source's math (all importers say it alike)."""
    return f"{count} math element(s): pymdownx.arithmatex, with KaTeX served from the site"

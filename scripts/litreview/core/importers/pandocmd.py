"""Pandoc Markdown as MkDocs reads it: the rewrites that Manubot and Quarto pages share.

Citations are found by the build's own finder (:func:`litreview.core.source.scanner.scan`),
so a key is rewritten exactly where the build will read it, never inside code or comments.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..citations.syntax import Citation, parse_at, read_key
from ..crosslinks.sections import relative
from ..identifiers.citekey import standard
from ..source.inline_spans import MASK, mask_inline, without_comments
from ..source.scanner import mask_blocks, scan
from ..text.escaping import html_code, identifier, safe_url

#: pandoc-crossref (``fig:x``) and Quarto (``fig-x``) cross-reference labels.
CROSSREF = re.compile(r"(fig|tbl|eq|sec|lst)[:-][\w:.-]*\w")
_DEFINITION = re.compile(r"(?:\{#|<span id=\")((?:fig|tbl|eq|sec|lst)[:-][\w:.-]*\w)[\s}\"]")
_KIND = re.compile(r"(fig|tbl|eq|sec|lst)[:-]")
_NAMES = {"fig": "Figure", "tbl": "Table", "eq": "Equation", "lst": "Listing", "sec": "Section"}
_ATX = re.compile(r"^(#{1,6})([ \t]+|$)(.*)$")
_HEADING_ATTRS = re.compile(r"\s*\{[^{}]*\}\s*$")


@dataclass
class Crossrefs:
    """Every labelled figure, table, equation and section of the review, numbered as pandoc-crossref
    numbers them: by kind, in reading order across all pages."""

    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    """label → (page, text shown for a reference to it)."""
    _counts: dict[str, int] = field(default_factory=dict)

    def collect(self, page: str, text: str) -> None:
        """Note the labels a page defines (``{#fig:x}``, ``{#tbl-y}``, ``# Title {#sec-z}``)."""
        for m in _DEFINITION.finditer(text):
            label = m.group(1)
            kind = _KIND.match(label).group(1)  # type: ignore[union-attr]
            if label in self.labels:
                continue
            if kind == "sec":
                start = text.rfind("\n", 0, m.start()) + 1
                heading = _ATX.match(text[start : m.start()])
                shown = heading.group(3).strip() if heading else _NAMES[kind]
            else:
                self._counts[kind] = self._counts.get(kind, 0) + 1
                shown = f"{_NAMES[kind]} {self._counts[kind]}"
            self.labels[label] = (page, shown)

    def link(self, label: str, page: str, word: str = "") -> str | None:
        """A Markdown link from ``page`` to the labelled element, or None for an unknown label;
        ``word``: the text's own name for it ("Fig."), shown before the number instead of ours."""
        if label not in self.labels:
            return None
        target, shown = self.labels[label]
        if word and not label.startswith("sec"):
            shown = f"{word} {shown.rsplit(' ', 1)[-1]}"
        href = ("" if target == page else relative(page, target)) + "#" + label
        return f"[{shown}]({href})"


_LABELLED_MATH = re.compile(
    r"(?P<math>\$\$(?:(?!\$\$)[^"
    + MASK
    + r"])+?\$\$)[ \t]*\{#(?P<label>eq[:-][\w:.-]*\w)\}(?P<end>[ \t]*$)?",
    re.M,
)


def labelled_equations(text: str) -> str:
    """Pandoc's labelled display math (``$$ … $$ {#eq-x}``) with an anchor before it, where
    references link; a block of its own when it stood alone on its lines. Code is left alone."""
    masked = "".join(mask_blocks(text))
    pieces: list[str] = []
    done = 0
    for m in _LABELLED_MATH.finditer(masked):
        anchor = f'<span id="{identifier(m.group("label"))}"></span>'
        start = text.rfind("\n", 0, m.start()) + 1
        alone = not text[start : m.start()].strip() and m.group("end") is not None
        math = text[m.start("math") : m.end("math")]
        pieces += [text[done : m.start()], f"{anchor}\n\n{math}" if alone else f"{math}{anchor}"]
        done = m.end()
    return "".join(pieces) + text[done:]


def shift_headings(text: str) -> tuple[str, str]:
    """Headings moved up so the highest is ``#`` (MkDocs' page title), and that title.

    Manubot and Quarto chapters start at ``##`` (the document title is ``#``); a page needs
    its title as the one ``#`` heading. Headings inside code are left alone.
    """
    masked = mask_blocks(text)
    lines = text.split("\n")
    pos = 0
    found: list[tuple[int, re.Match[str]]] = []
    for i, line in enumerate(lines):
        if line and masked[pos] != MASK:
            m = _ATX.match(line)
            if m:
                found.append((i, m))
        pos += len(line) + 1
    if not found:
        return text, ""
    shift = min(len(m.group(1)) for _, m in found) - 1
    for i, m in found:
        lines[i] = "#" * (len(m.group(1)) - shift) + (m.group(2) or " ") + m.group(3)
    title = next(
        (_HEADING_ATTRS.sub("", m.group(3)).strip() for _, m in found if len(m.group(1)) - shift == 1), ""
    )
    return "\n".join(lines), title


def as_written(key: str) -> str:
    """``@key``, or ``@{key}`` when the key would not read back whole (a URL with ``=``)."""
    got = parse_at(f"[@{key}]", 0)
    if isinstance(got, Citation) and got.keys == (key,):
        return "@" + key
    return "@{" + key + "}"


@dataclass
class Rewritten:
    """A page with its citation keys resolved and its cross-references made links."""

    text: str
    citations: int = 0
    changed: int = 0
    crossrefs: int = 0
    unresolved: list[tuple[int, int, str]] = field(default_factory=list)
    """Cross-reference labels with no target: (line, col, label)."""


def _replace_key(span: str, cursor: int, key: str, new: str) -> tuple[str, int]:
    """The first ``@key`` after ``cursor`` (as written: the finder gives identifiers in their
    standard form) replaced by ``@new``."""
    at = span.find("@", cursor)
    while at != -1:
        got = read_key(span, at + 1)
        if got is not None and standard(got[0]) == key:
            replacement = as_written(new)
            return span[:at] + replacement + span[got[1] :], at + len(replacement)
        at = span.find("@", at + 1)
    return span, cursor


#: The words Manubot's texts name a figure, table or equation by before its number
#: ("Figure @fig:x" reads "Figure 1": pandoc-xnos writes the number alone).
_KIND_WORD = {
    "fig": re.compile(r"(?i)\b(?:supplementary\s+)?(?:figures?|figs?\.)[ \t]+$"),
    "tbl": re.compile(r"(?i)\b(?:supplementary\s+)?(?:tables?|tabs?\.)[ \t]+$"),
    "eq": re.compile(r"(?i)\b(?:equations?|eqs?\.|eqns?\.)[ \t]+$"),
    "lst": re.compile(r"(?i)\b(?:listings?)[ \t]+$"),
}


def _named_span(text: str, start: int, end: int, key: str) -> tuple[int, int, str]:
    """The span a Manubot cross-reference takes (``{@fig:x}``'s braces, and the word before it
    that names its kind), and that word."""
    if text[start - 1 : start] == "{" and text[end : end + 1] == "}":
        start, end = start - 1, end + 1
    kind = _KIND_WORD.get(key[:3].rstrip(":-"))
    word = kind.search(text, max(0, start - 40), start) if kind else None
    if word is None or word.end() != start:
        return start, end, ""
    return word.start(), end, word.group(0).strip()


def rewrite(
    text: str,
    path: str,
    page: str,
    resolve: Callable[[str], str],
    crossrefs: Crossrefs,
    named_in_text: bool = False,
) -> Rewritten:
    """Each cited key replaced by ``resolve(key)``; a citation of cross-reference labels only
    becomes links ("Figure 2") to where they are defined. ``named_in_text`` (Manubot): the
    text names the kind before the reference, which takes it into its link ("Figure 2", not
    "Figure Figure 2"), and ``{@fig:x}`` loses its braces."""
    result = Rewritten(text)
    pieces: list[str] = []
    done = 0
    for item in scan(text, path).found:
        cite = item.citation
        start, end, word = cite.start, cite.end, ""
        if named_in_text and len(cite.keys) == 1 and CROSSREF.fullmatch(cite.keys[0]):
            start, end, word = _named_span(text, cite.start, cite.end, cite.keys[0])
            start = max(start, done)
        span = text[start:end]
        if all(CROSSREF.fullmatch(k) for k in cite.keys):
            links = [crossrefs.link(k, page, word) for k in cite.keys]
            if all(links):
                span = ", ".join(link for link in links if link)
                result.crossrefs += len(links)
            else:
                span = text[cite.start : cite.end]
                start, end = cite.start, cite.end
                result.unresolved.append((item.line, item.col, cite.keys[0]))
        else:
            result.citations += 1
            cursor = 0
            for key in cite.keys:
                new = resolve(key)
                if new != key:
                    span, cursor = _replace_key(span, cursor, key, new)
                    result.changed += 1
        pieces += [text[done:start], span]
        done = end
    result.text = "".join(pieces) + text[done:]
    return result


_FIGURE = re.compile(
    r"(?m)^!\[(?P<cap>(?:[^\[\]\n]|\n(?!\s*\n)|\[[^\[\]]*\])*)\]\((?P<src>[^()\s]+)(?:\s+\"[^\"]*\")?\)"
    r"(?:\{(?P<attrs>[^{}\n]*)\})?[ \t]*$(?=\n\s*\n|\n?\Z)"
)
_ATTR_ID = re.compile(r"#([^\s}]+)")
# A code span as Python-Markdown finds one (after an even run of backslashes): in a <figcaption>
# it is not Markdown but raw HTML, where a "<" between the backticks would be a tag.
_CODE_SPAN = re.compile(r"(?<!\\)((?:\\\\)*)(`+)(.+?)(?<!`)\2(?!`)")
_ATTR_CLASS = re.compile(r"\.([\w-]+)")


def figures(text: str) -> tuple[str, int]:
    """Pandoc's implicit figures (an image alone in its paragraph, its alt text the caption)
    as Material writes figures: ``<figure markdown="span">`` with a ``<figcaption>``, the
    image's id on the figure so cross-references reach it."""
    count = 0

    def figure(m: re.Match[str]) -> str:
        nonlocal count
        caption = " ".join(without_comments(m.group("cap")).split())
        src = safe_url(m.group("src"))
        if not caption or src is None or (m.start() and text[m.start() - 1 : m.start()] != "\n"):
            return m.group(0)
        attrs = m.group("attrs") or ""
        ident = _ATTR_ID.search(attrs)
        classes = _ATTR_CLASS.findall(_ATTR_ID.sub("", attrs))
        rest = _ATTR_CLASS.sub("", _ATTR_ID.sub("", attrs)).strip()
        opening = '<figure markdown="span"'
        opening += f' id="{identifier(ident.group(1))}"' if ident else ""
        opening += f' class="{" ".join(classes)}"' if classes else ""
        shown = _CODE_SPAN.sub(lambda c: c.group(1) + html_code(c.group(3)), caption)
        count += 1
        return (
            f"{opening}>\n  ![]({src})"
            + (f"{{ {rest} }}" if rest else "")
            + f"\n  <figcaption>{shown}</figcaption>\n</figure>"
        )

    return _FIGURE.sub(figure, text), count


_TABLE_CAPTION = re.compile(
    r"(?m)^(?P<indent>[ \t]*):[ \t]+(?P<cap>.*?)[ \t]*\{#(?P<label>(?:tbl|fig)[:-][\w:.-]*\w)\}[ \t]*$"
)


def table_captions(text: str, page: str, crossrefs: Crossrefs) -> str:
    """Pandoc's table captions (``: Caption {#tbl-x}``), and those the import writes for a code
    chunk's table or figure, as a numbered paragraph with the id."""

    def caption(m: re.Match[str]) -> str:
        label = m.group("label")
        shown = crossrefs.labels.get(label, (page, _NAMES[label[:3]]))[1]
        cap = f"**{shown}:** {m.group('cap')}" if m.group("cap") else f"**{shown}**"
        return f"{m.group('indent')}{cap}\n{m.group('indent')}{{: #{label} }}"

    return _TABLE_CAPTION.sub(caption, text)


_TARGET = re.compile(r"\]\(<?([^)\s<>]+)>?(?:\s+\"[^\"]*\")?\)|\bsrc=\"([^\"]+)\"")


def local_files(text: str) -> list[str]:
    """The files a page links to or shows, by relative path (no URLs, anchors or pages)."""
    found = []
    for m in _TARGET.finditer(text):
        target = (m.group(1) or m.group(2)).split("#")[0].split("?")[0]
        if target and not re.match(r"^[a-z][a-z0-9+.-]*:|^/", target, re.I) and not target.endswith(".md"):
            found.append(target)
    return found


_CAPTION_BLOCK = re.compile(
    r"(?:Table)?:[ \t]+(?P<cap>(?:.|\n)*?)\s*\{#(?P<label>tbl[:-][\w:.-]*\w)\}[ \t]*", re.S
)
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_BLOCKS = re.compile(r"(\n[ \t]*\n)")


def _is_table(block: str) -> bool:
    lines = block.split("\n")
    return len(lines) >= 2 and "|" in lines[0] and _TABLE_RULE.match(lines[1]) is not None


def captioned_tables(text: str, page: str, crossrefs: Crossrefs) -> tuple[str, int]:
    """Pandoc's table captions (``Table: Caption {#tbl:x}``, or ``: …``, the id on the caption's
    last line, before or after its pipe table) as Material writes a captioned table: a
    ``<figure>`` with the id, its ``<figcaption>`` numbered ("Table 1: Caption")."""
    blocks = _BLOCKS.split(text)
    masked = _BLOCKS.split("".join(mask_blocks(text)))
    count = 0
    for i in range(0, len(blocks), 2):
        m = _CAPTION_BLOCK.fullmatch(blocks[i])
        if m is None or len(masked) != len(blocks) or masked[i].startswith(MASK):
            continue
        table = next((j for j in (i - 2, i + 2) if 0 <= j < len(blocks) and _is_table(blocks[j])), None)
        if table is None:
            continue
        label = m.group("label")
        shown = crossrefs.labels.get(label, (page, "Table"))[1]
        caption = " ".join(m.group("cap").split())
        opening = f'<figure markdown="1" id="{identifier(label)}" class="table">\n'
        head = f'{opening}<figcaption markdown="span">{shown}: {caption}</figcaption>\n\n'
        blocks[table] = f"{head}{blocks[table]}\n\n</figure>"
        blocks[i] = ""
        count += 1
    return "".join(blocks), count


# pandoc's superscript and subscript: no unescaped space inside, and ``~~`` is strikeout.
_SUPERSCRIPT = re.compile(r"(?<![\^\\])\^(?:[^\s^\\]|\\.)+\^(?!\^)")
_SUBSCRIPT = re.compile(r"(?<![~\\])~(?:[^\s~\\]|\\.)+~(?!~)")


def super_sub_extensions(text: str) -> tuple[str, ...]:
    """The extensions that render pandoc's ``^sup^`` and ``~sub~`` where a page uses them
    (outside code): ``pymdownx.caret``, ``pymdownx.tilde``."""
    chars = mask_blocks(text)
    mask_inline(chars)
    masked = "".join(chars)
    return tuple(
        name
        for name, pattern in (("pymdownx.caret", _SUPERSCRIPT), ("pymdownx.tilde", _SUBSCRIPT))
        if pattern.search(masked)
    )


_GRID_BORDER = re.compile(r"\+(?:[-=:]+\+)+[ \t]*")
#: A simple or multiline table's column rule (two runs of dashes or more) and a full-width rule.
_COLUMN_RULE = re.compile(r"[ \t]*-{2,}(?:[ \t]+-{2,})+[ \t]*")
_FULL_RULE = re.compile(r"-{3,}[ \t]*")
#: How far back a multiline table's header is looked for (a page of rules stays linear).
_MAX_HEADER = 16
_TABLE_MARK = "<!-- litreview: next table -->"
_CITATION_SPAN = re.compile(r'<span class="citation" data-cites="[^"]*">(.*?)</span>', re.S)
# pandoc's column widths come from the grid's character widths: on a page they only narrow it.
_WIDTHS = re.compile(r'\s*<colgroup>.*?</colgroup>|\s+style="width:[^"]*"', re.S)
#: pandoc Markdown without its own table kinds: a pipe table, or HTML when a cell holds blocks.
_TABLE_WRITER = "markdown-grid_tables-multiline_tables-simple_tables"


@dataclass
class GridTables:
    """A text with its grid tables converted, and what could not be (line, message)."""

    text: str
    count: int = 0
    kept: list[tuple[int, str]] = field(default_factory=list)


def _grid_end(lines: list[str], i: int) -> int | None:
    """The line after a grid table whose top border is line ``i``, else None."""
    end = i + 1
    while end < len(lines) and lines[end][:1] in ("+", "|"):
        end += 1
    return end if _GRID_BORDER.fullmatch(lines[end - 1]) and end - i >= 3 else None


def _blank(lines: list[str], i: int) -> bool:
    return i < 0 or i >= len(lines) or not lines[i].strip()


def _dashed_end(lines: list[str], i: int, closings: list[int]) -> tuple[int, int] | None:
    """A simple or multiline table whose column rule (``---  ----``) is line ``i``: its first line
    and the line after it, else None. A heading's underline or a rule has one run of dashes."""
    if _blank(lines, i - 1):  # no header: rows, then a closing rule, then a blank line
        end = i + 1
        while end < len(lines) and lines[end].strip() and not _COLUMN_RULE.fullmatch(lines[end]):
            end += 1
        return (i, end + 1) if end < len(lines) and end > i + 1 and _blank(lines, end + 1) else None
    if _COLUMN_RULE.fullmatch(lines[i - 1]):
        return None
    top = i - 1
    while top > i - _MAX_HEADER and not _blank(lines, top - 1) and not _FULL_RULE.fullmatch(lines[top]):
        top -= 1
    if _FULL_RULE.fullmatch(lines[top]) and _blank(lines, top - 1):  # multiline: to its closing rule
        at = bisect.bisect_right(closings, i)
        return (top, closings[at] + 1) if at < len(closings) else None
    if top != i - 1:  # a simple table's header is one line
        return None
    end = i + 1
    while not _blank(lines, end):
        end += 1
    return (top, end) if end > i + 1 else None


def _table_spans(text: str) -> list[tuple[int, int]]:
    """Each grid, simple or multiline table outside code as (first line, line after it), 0-based."""
    masked = "".join(mask_blocks(text)).split("\n")
    lines = text.split("\n")
    closings = [k for k, line in enumerate(lines) if _FULL_RULE.fullmatch(line) and _blank(lines, k + 1)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        span: tuple[int, int] | None = None
        if masked[i] == lines[i] and _GRID_BORDER.fullmatch(lines[i]) and _blank(lines, i - 1):
            end = _grid_end(lines, i)
            span = (i, end) if end else None
        elif masked[i] == lines[i] and _COLUMN_RULE.fullmatch(lines[i]):
            span = _dashed_end(lines, i, closings)
        if (
            span
            and span[0] >= (spans[-1][1] if spans else 0)
            and all(masked[k] == lines[k] for k in range(*span))
        ):
            spans.append(span)
            i = span[1]
            continue
        i += 1
    return spans


def grid_tables(text: str, source: str) -> GridTables:
    """Grid, simple and multiline tables converted by pandoc (one run for the whole text) to pipe
    tables, or to HTML tables where a cell holds a list or paragraphs, citations kept as written
    (the finder reads them in HTML blocks too). Each converted table takes no more lines than it
    had, so what follows keeps its line numbers."""
    from .imported import ImportRefused
    from .pandoc_run import convert

    spans = _table_spans(text)
    result = GridTables(text)
    if not spans:
        return result
    lines = text.split("\n")
    tables = ["\n".join(lines[a:b]) for a, b in spans]
    try:
        done = convert(f"\n\n{_TABLE_MARK}\n\n".join(tables), source, "markdown", _TABLE_WRITER)
    except ImportRefused as refused:
        result.kept = [(a + 1, f"table kept as written: {refused.problem.message}") for a, _ in spans]
        return result
    made = [_WIDTHS.sub("", _CITATION_SPAN.sub(r"\1", t)).strip("\n") for t in done.text.split(_TABLE_MARK)]
    if len(made) != len(spans):  # pragma: no cover - pandoc keeps an HTML comment as it is
        result.kept = [(a + 1, "table kept as written: pandoc did not keep it apart") for a, _ in spans]
        return result
    for (a, b), table in reversed(list(zip(spans, made, strict=True))):
        new = table.split("\n")
        if new and new[0].startswith("<table") and len(new) > b - a:
            new = [" ".join(line.strip() for line in new)]
        if not new[0].startswith(("<table", "|")) or len(new) > b - a:
            continue  # not a table to pandoc either (dashes that are rules): left as it is
        lines[a:b] = new + [""] * max(0, b - a - len(new))
        result.count += 1
    result.text = "\n".join(lines)
    return result

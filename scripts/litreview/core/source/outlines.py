"""A page's outline from its Markdown source: front matter, headings, ids and links, with positions.

The checks need where things are written, which Python-Markdown does not keep. Code,
raw HTML and autolinks are masked with the citation scanner's own masking, so a link or
heading inside a code block is never seen. Heading ids follow the build's rule exactly:
the slug function and the de-duplication are handed in by the adapter from the
configured ``toc`` extension (:class:`SlugRules`), never re-implemented here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from . import frontmatter
from .inline_spans import MASK, markdown_comments, mask_inline
from .scanner import mask_blocks

_ATX = re.compile(r"^ {0,3}(#{1,6})(?!#)[ \t]*(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HEADING_ATTRS = re.compile(r"[ \t]*\{:?([^}\n]*)\}[ \t]*$")
_ATTR_ID = re.compile(r"(?:^|[ \t])#([^\s}#]+)")
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^}\n]*)\}")
_HTML_ID = re.compile(r"<[A-Za-z][^<>]*?\s(?:id|name)\s*=\s*(?:\"([^\"]+)\"|'([^']+)')", re.S)
_INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\([ \t]*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
)
_REF_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\[([^\[\]]*)\]")
_REF_DEF = re.compile(r"^ {0,3}\[([^\[\]]+)\]:[ \t]*(<[^<>\n]*>|\S+)", re.M)
_MARKUP = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)|`+([^`]*)`+|<[^<>]+>|[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}")


@dataclass(frozen=True)
class SlugRules:
    """How the build turns a heading into an id (from Python-Markdown's ``toc``)."""

    slugify: Callable[[str, str], str]
    unique: Callable[[str, set[str]], str]
    separator: str = "-"


@dataclass(frozen=True)
class Heading:
    """A heading as written: level, text, id, position."""

    level: int
    text: str
    line: int
    col: int
    explicit_id: str = ""


@dataclass(frozen=True)
class Link:
    """A link target written in Markdown, with its position."""

    target: str
    line: int
    col: int
    image: bool = False


@dataclass
class Outline:
    """A page's source read once for every structural check."""

    path: str
    front: frontmatter.FrontMatter
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    explicit_ids: set[str] = field(default_factory=set)
    masked: str = ""
    """The text with code, HTML and front matter masked: prose the checks may search."""
    prose: str = ""
    """``masked`` with HTML comments blanked out, for "is there anything here" questions."""

    @property
    def title(self) -> str:
        """What MkDocs would show, short of a nav title: front matter title, else the first H1."""
        title = self.front.data.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        for h in self.headings:
            if h.level == 1 and h.text:
                return h.text
        return ""

    def anchors(self, rules: SlugRules) -> set[str]:
        """Every id the built page will have for its headings and marked elements."""
        used = set(self.explicit_ids) | {h.explicit_id for h in self.headings if h.explicit_id}
        ids = set(used)
        for h in self.headings:
            if not h.explicit_id:
                ids.add(rules.unique(rules.slugify(plain_text(h.text), rules.separator), used))
        return ids


def plain_text(markdown: str) -> str:
    """Inline Markdown as the reader sees it: the text toc slugifies."""
    return _MARKUP.sub(lambda m: m.group(1) or m.group(2) or "", markdown).strip()


def _positions(text: str) -> Callable[[int], tuple[int, int]]:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(offset: int) -> tuple[int, int]:
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    return at


def outline(text: str, path: str) -> Outline:
    """Parse a page's source once for every structural check."""
    front = frontmatter.parse(text, path)
    chars = mask_blocks(text, keep_ref_defs=True)
    comments = markdown_comments("".join(chars))  # in code or front matter, no opener
    mask_inline(chars, comments=lambda _text: comments)  # the anchors are the build's
    masked = "".join(chars)
    prose = list(masked)
    for start, end in comments:
        for i in range(start, end):
            if prose[i] != "\n":
                prose[i] = " "
    page = Outline(path, front, masked=masked, prose="".join(prose))
    page.headings = _headings(masked, text)
    for m in _ATTR_LIST.finditer(text):
        page.explicit_ids.update(_ATTR_ID.findall(m.group(1)))
    for m in _HTML_ID.finditer(text):
        page.explicit_ids.add(m.group(1) or m.group(2))
    page.links = _links(masked, _positions(text))
    return page


def _links(masked: str, at: Callable[[int], tuple[int, int]]) -> list[Link]:
    """Inline links, reference links (resolved) and definitions, in source order, each once."""
    definitions = {
        _label(m.group(1)): m.group(2).strip("<>") for m in _REF_DEF.finditer(masked) if m.group(1)[0] != "^"
    }
    links: list[tuple[int, Link]] = []
    for m in _INLINE_LINK.finditer(masked):
        line, col = at(m.start())
        links.append((m.start(), Link(m.group(3).strip("<>"), line, col, bool(m.group(1)))))
    for m in _REF_LINK.finditer(masked):
        target = definitions.get(_label(m.group(3) or m.group(2)))
        if target is not None:
            line, col = at(m.start())
            links.append((m.start(), Link(target, line, col, bool(m.group(1)))))
    for m in _REF_DEF.finditer(masked):
        if m.group(1)[0] != "^":
            line, col = at(m.start(2))
            links.append((m.start(2), Link(m.group(2).strip("<>"), line, col)))
    seen: set[tuple[int, int, str]] = set()
    out: list[Link] = []
    for _offset, link in sorted(links, key=lambda item: item[0]):
        if (link.line, link.col, link.target) not in seen and MASK not in link.target:
            seen.add((link.line, link.col, link.target))
            out.append(link)
    return out


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _headings(masked: str, text: str) -> list[Heading]:
    out: list[Heading] = []
    lines = masked.split("\n")
    originals = text.split("\n")
    for i, line in enumerate(lines):
        m = _ATX.match(line)
        level = 0
        if m:
            level, raw, col = len(m.group(1)), originals[i][m.start(2) : m.end(2)], m.start(1) + 1
        elif (
            i > 0
            and _SETEXT.match(line)
            and lines[i - 1].strip()
            and MASK not in lines[i - 1][:1]
            and not _ATX.match(lines[i - 1])
            and (i < 2 or not lines[i - 2].strip() or _ATX.match(lines[i - 2]))
        ):
            level, raw, col = (1 if line.strip()[0] == "=" else 2), originals[i - 1].strip(), 1
            i -= 1
        if not level:
            continue
        explicit = ""
        attrs = _HEADING_ATTRS.search(raw)
        if attrs:
            ids = _ATTR_ID.findall(attrs.group(1))
            explicit = ids[0] if ids else ""
            raw = raw[: attrs.start()]
        out.append(Heading(level, plain_text(raw), i + 1, col, explicit))
    return out

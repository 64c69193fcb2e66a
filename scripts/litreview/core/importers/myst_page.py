"""One MyST page as MkDocs Markdown: directives, targets and roles, line by line.

Code stays code (a fence is copied to its close); a directive's fence is matched to its own
close, so one nested in another is read inside it, to a bounded depth. What the page keeps is
Markdown Material reads: admonitions, ``<figure>``s, anchors, pandoc citations. Whatever is
not carried is a finding at its line and column in the source.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..files import yamlsafe
from ..findings.problems import Problem, Severity
from ..text.escaping import code_block, html_code, identifier, markdown_text, safe_url
from .myst_roles import (
    CROSSREF_ROLES,
    INLINE,
    PARENTHETICAL,
    SUPER_SUB,
    TEXTUAL,
    YEAR,
    Ref,
    citation,
    external,
    other_role,
    titled,
)
from .texmath import html_safe_tex

if TYPE_CHECKING:
    from .myst import Book

#: How deep directives nest before the inner ones are kept as code.
MAX_DEPTH = 32
_DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})\{(?P<name>[^{}\s]+)\}[ \t]*(?P<arg>.*)$"
)
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_TARGET = re.compile(r"^[ \t]*\((?P<label>[^()\s]+)\)=[ \t]*$")
_OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
_ATX = re.compile(r"^#{1,6}[ \t]+(?P<text>.*?)[ \t#]*$")
_CODE = re.compile(r"(?<!\\)((?:\\\\)*)(`+)(.+?)(?<!`)\2(?!`)")
_WIDTH = re.compile(r"\d+(?:\.\d+)?(?:px|%|em|rem)?")
#: MyST's admonitions, as Material names them (Material reads ``important``, ``hint``, ``caution``,
#: ``attention`` and ``error`` as aliases itself).
ADMONITIONS = {
    **{k: k for k in ("note", "tip", "hint", "important", "warning", "caution", "attention", "danger")},
    **{"error": "error", "seealso": "info", "admonition": "note", "dropdown": "note"},
}
_DROPPED = {
    "bibliography": "litreview writes the bibliography on the References page",
    "tableofcontents": "the nav lists the pages",
    "toctree": "the nav lists the pages",
    "nb-exec-table": "a table of the notebooks' execution, which the import does not run",
    "include": "an included file is not followed",
    "literalinclude": "an included file is not followed",
}
_AS_CODE = frozenset({"raw", "eval-rst", "eval-md", "mermaid", "csv-table", "list-table", "graphviz"})
_CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode", "code-cell"})

Lines = list[tuple[int, str]]


@dataclass
class Label:
    """A target a cross-reference can name: where it is, and what a reference to it shows."""

    page: str
    anchor: str
    text: str
    number: str = ""
    """"Figure 3", "Table 1", "(2)" for numbered targets; "" for sections."""


@dataclass
class Page:
    """One page being converted: its source file and name, and the book it belongs to."""

    book: Book
    source: Path
    shown: str
    name: str
    cells: list[int] = field(default_factory=list)
    """The lines of its code cells (reported once, with their number)."""
    dropped: bool = False
    """Whether a directive was left out (a page of only a bibliography is left out whole)."""

    def note(self, code: str, line: int, col: int, message: str) -> None:
        """A finding at a place in this page."""
        self.book.out.note(self.shown, line, code, message, col)

    def once(self, code: str, line: int, col: int, what: str) -> None:
        """``what`` reported at its first place in this page only."""
        if (self.shown, what) not in self.book.out.reported:
            self.book.out.reported.add((self.shown, what))
            self.note(code, line, col, what)

    def convert(self, lines: Lines, depth: int = 0) -> list[str]:
        """The lines as MkDocs Markdown."""
        out: list[str] = []
        i = 0
        while i < len(lines):
            number, line = lines[i]
            directive, fence = _DIRECTIVE.match(line), _FENCE.match(line)
            if directive:
                end = _close(lines, i, directive.group("fence"))
                made = self.directive(directive, lines[i + 1 : end], number, depth)
                out += [directive.group("indent") + m if m else m for m in made]
                i = end + 1
                continue
            if fence:
                end = _close(lines, i, fence.group("fence"))
                out += [text for _, text in lines[i : end + 1]]
                i = end + 1
                continue
            target = _TARGET.match(line)
            if target:
                out.append(self.target(target.group("label"), lines[i + 1 :]))
            elif re.match(r"^\+\+\+(?:\s|$)", line) or line.startswith("%"):
                pass  # a notebook cell break, a MyST comment
            else:
                out.append(self.inline(line, number))
            i += 1
        return out

    def target(self, label: str, after: Lines) -> str:
        """``(label)=``: an anchor here, named in references by the heading that follows."""
        following = next((text for _, text in after if text.strip()), "")
        heading = _ATX.match(following)
        anchor = identifier(label)
        text = heading.group("text") if heading else label
        self.book.labels.setdefault(label, Label(self.name, anchor, text))
        return f'<span id="{anchor}"></span>'

    def inline(self, line: str, number: int) -> str:
        """Roles, links and images of one line."""

        def one(m: re.Match[str]) -> str:
            col = m.start() + 1
            if m.group("code"):
                return m.group(0)
            if m.group("image"):
                return self.image(m.group("alt"), m.group("src"), number, col)
            if m.group("link"):
                if external(m.group("target")):
                    return m.group(0)
                text = self.inline(m.group("text"), number)
                return self.book.placeholder(self, Ref("link", m.group("target"), text, number, col))
            return self.role(m.group("name"), m.group("body"), number, col)

        return INLINE.sub(one, line)

    def role(self, name: str, body: str, number: int, col: int) -> str:
        """A role: a citation, a placeholder for a cross-reference, or code."""
        if name == "cite:empty":
            self.note(
                "IMP009", number, col, "{cite:empty} (a bibliography entry without a citation): left out"
            )
            return ""
        if name == "cite" or name.startswith("cite:"):
            if name not in PARENTHETICAL | TEXTUAL | YEAR:
                self.once("IMP010", number, col, f"role {{{name}}}: read as a parenthetical citation")
            written = citation(name, body)
            if written is None:
                self.note("IMP010", number, col, f"{{{name}}} with a key litreview can't read: kept as code")
                return other_role(name, body)
            self.book.citations += 1
            return written
        if name in CROSSREF_ROLES:
            title, target = titled(body)
            return self.book.placeholder(self, Ref(name, target, markdown_text(title), number, col))
        if name in SUPER_SUB:
            self.book.extensions.add(SUPER_SUB[name][1])
        elif name == "math":
            self.book.counts["math"] += 1
        else:
            self.once("IMP010", number, col, f"role {{{name}}}: kept as inline code (first at this line)")
        return other_role(name, body)

    def image(self, alt: str, src: str, number: int, col: int) -> str:
        """An image, its file copied beside the page; a missing one becomes its alt text."""
        url = self.book.copy(self, src, number, col)
        if url is None:
            self.note(
                "IMP009", number, col, f"image {src} is not in the source: left out (its alt text kept)"
            )
            return markdown_text(alt)
        return f"![{alt}]({url})"

    def directive(self, m: re.Match[str], body: Lines, number: int, depth: int) -> list[str]:
        """A directive's lines as Markdown."""
        name, arg = m.group("name"), m.group("arg").strip()
        col = len(m.group("indent")) + 1
        body = [(n, _dedent(text, m.group("indent"))) for n, text in body]
        options, rest = self.options(body, number)
        if name in _CODE_DIRECTIVES:
            if name == "code-cell":
                self.cells.append(number)
            lang = (
                "python" if re.fullmatch(r"i?python\d*", arg) else re.sub(r"[^\w+-]", "", arg.split(" ")[0])
            )
            return [*code_block("\n".join(t for _, t in rest), lang).split("\n"), ""]
        if name in _DROPPED:
            self.drop(name, number, col)
            return []
        if name in _AS_CODE or depth >= MAX_DEPTH:
            self.note("IMP010", number, col, f"directive {{{name}}}: kept as a code block")
            return [*code_block("\n".join(t for _, t in body), "").split("\n"), ""]
        if name in ("figure", "glue:figure", "image"):
            return self.figure(name, arg, options, rest, number, col, depth)
        if name in ADMONITIONS:
            return self.admonition(name, arg, options, rest, depth)
        if name == "table":
            return self.table(arg, options, rest, depth)
        if name == "math":
            return self.math(options, rest)
        self.once("IMP010", number, col, f"directive {{{name}}}: its content kept, its markup not")
        return self.convert(rest, depth + 1)

    def drop(self, name: str, number: int, col: int) -> None:
        """A directive left out, reported (the bibliography once per import)."""
        self.dropped = True
        what = f"directive {{{name}}} left out: {_DROPPED[name]}"
        if name == "bibliography":
            if not self.book.bibliography_noted:
                self.book.bibliography_noted = True
                self.note("IMP009", number, col, what)
        else:
            self.note("IMP009", number, col, what)

    def options(self, body: Lines, number: int) -> tuple[dict[str, str], Lines]:
        """A directive's ``:key: value`` lines or ``---`` YAML block, and the lines after them."""
        found: dict[str, str] = {}
        if body and body[0][1].strip() == "---":
            end = next((i for i, (_, t) in enumerate(body[1:], 1) if t.strip() == "---"), 0)
            if end:
                try:
                    data = yamlsafe.load("\n".join(t for _, t in body[1:end]))
                except yaml.YAMLError:
                    data = None
                    self.note("IMP010", body[0][0], 1, "directive options are not valid YAML: left out")
                if isinstance(data, dict):
                    found = {str(k): str(v) for k, v in data.items()}
                return found, body[end + 1 :]
        i = 0
        while i < len(body) and (option := _OPTION.match(body[i][1])):
            found[option.group("key")] = option.group("value").strip().strip("\"'")
            i += 1
        return found, body[i:]

    def figure(
        self, name: str, arg: str, options: dict[str, str], rest: Lines, number: int, col: int, depth: int
    ) -> list[str]:
        """A figure as Material writes one: numbered, its caption (citations kept) in <figcaption>."""
        start, caption = _paragraph(rest)
        legend = rest[start + len(caption) :]
        image = ""
        if name == "glue:figure":
            self.once(
                "IMP009", number, col, "{glue:figure} (a notebook output, not executed): its image left out"
            )
        else:
            url = self.book.copy(self, arg, number, col)
            if url is None:
                self.note(
                    "IMP009", number, col, f"image {arg} is not in the source: left out (its caption kept)"
                )
            else:
                width = options.get("width", "")
                alt = markdown_text(options.get("alt", ""))
                size = f'{{ width="{width}" }}' if _WIDTH.fullmatch(width) else ""
                image = f"![{alt}]({url}){size}"
        if name == "image":
            return [image, ""] if image else []
        self.book.counts["figure"] += 1
        shown = f"Figure {self.book.counts['figure']}"
        label = options.get("name", "")
        anchor = identifier(label) if label else ""
        if label:
            self.book.labels.setdefault(label, Label(self.name, anchor, shown, shown))
        text = " ".join(self.inline(t, n).strip() for n, t in caption)
        text = _CODE.sub(lambda c: c.group(1) + html_code(c.group(3)), text)
        opening = '<figure markdown="span"' + (f' id="{anchor}"' if anchor else "") + ">"
        lines = [opening, *([f"  {image}"] if image else [])]
        lines += [
            f'  <figcaption markdown="span">{shown}{": " + text if text else ""}</figcaption>',
            "</figure>",
            "",
        ]
        return lines + self.convert(legend, depth + 1)

    def admonition(self, name: str, arg: str, options: dict[str, str], rest: Lines, depth: int) -> list[str]:
        """An admonition as Material writes one, its content converted."""
        kind = ADMONITIONS[name]
        classes = options.get("class", "").split()
        if name == "admonition" and classes and re.fullmatch(r"[\w-]+", classes[0]):
            kind = classes[0]
        title = arg if name in ("admonition", "dropdown") else ("See also" if name == "seealso" else "")
        title = " ".join(title.replace('"', "&quot;").split())
        opening = ("??? " if name == "dropdown" else "!!! ") + kind + (f' "{title}"' if title else "")
        inner = self.convert(rest, depth + 1)
        return [opening, *("    " + t if t.strip() else "" for t in inner), ""]

    def table(self, arg: str, options: dict[str, str], rest: Lines, depth: int) -> list[str]:
        """A table directive: its caption numbered and anchored, the table as written."""
        self.book.counts["table"] += 1
        shown = f"Table {self.book.counts['table']}"
        label = options.get("name", "")
        caption = f"**{shown}:** {markdown_text(arg)}" if arg else f"**{shown}**"
        lines = [caption]
        if label:
            anchor = identifier(label)
            self.book.labels.setdefault(label, Label(self.name, anchor, shown, shown))
            lines.append(f"{{: #{anchor} }}")
        return [*lines, "", *self.convert(rest, depth + 1), ""]

    def math(self, options: dict[str, str], rest: Lines) -> list[str]:
        """A math directive as display math, numbered, anchored when labelled."""
        self.book.counts["equation"] += 1
        shown = f"({self.book.counts['equation']})"
        label = options.get("label") or options.get("name", "")
        lines = []
        if label:
            anchor = identifier(label)
            self.book.labels.setdefault(label, Label(self.name, anchor, shown, shown))
            lines.append(f'<span id="{anchor}"></span>')
            lines.append("")
        body = [html_safe_tex(t) for _, t in rest if t.strip() and t.strip() != "$$"]
        if any("$" in t for t in body):  # it would end the block early, the rest read as Markdown
            return [*lines, *code_block("\n".join(body), "latex").split("\n"), ""]
        return [*lines, "$$", *body, "$$", ""]


def _close(lines: Lines, start: int, fence: str) -> int:
    """The index of the line closing the fence opened at ``start`` (the last line if none does)."""
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for i in range(start + 1, len(lines)):
        if closing.match(lines[i][1]):
            return i
    return len(lines)


def _dedent(text: str, indent: str) -> str:
    return text[len(indent) :] if indent and text.startswith(indent) else text


def _paragraph(lines: Lines) -> tuple[int, Lines]:
    """Where the first paragraph of a directive's content (its caption) starts, and its lines."""
    found: Lines = []
    for n, t in lines:
        if not t.strip():
            if found:
                break
            continue
        found.append((n, t))
    skipped = next((i for i, (_, t) in enumerate(lines) if t.strip()), 0)
    return skipped, found


def report_cells(page: Page) -> None:
    """A page's code cells, once: kept as code, not executed."""
    if page.cells:
        page.book.out.findings.append(
            Problem(
                page.shown,
                page.cells[0],
                1,
                "IMP003",
                f"{len(page.cells)} code cell(s) kept as code: not executed, their outputs are not "
                "in the page (first at this line)",
                Severity.WARN,
            )
        )


def link_text(ref: Ref, label: Label | None, title: str) -> str:
    """What a resolved reference shows: its own text, else the target's number or title."""
    if ref.title and label is not None and ref.role == "numref":
        number = label.number.split(" ")[-1] if label.number else label.text
        return ref.title.replace("%s", number).replace("{number}", number).replace("{name}", label.text)
    if ref.title:
        return ref.title
    if label is not None:
        return label.number if ref.role in ("numref", "eq") and label.number else markdown_text(label.text)
    return markdown_text(title)


def href(page: str, target: str, anchor: str) -> str:
    """A link from ``page`` to ``target`` (a page under content/), at ``anchor`` if any."""
    path = "" if target == page else posixpath.relpath(target, posixpath.dirname(page) or ".")
    return (safe_url(path) or "") + (f"#{anchor}" if anchor else "")

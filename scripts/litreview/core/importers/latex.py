"""LaTeX reviews (``.tex``, or Markdown with ``\\cite`` in it) as litreview pages.

The source is parsed with pylatexenc's LatexWalker, which gives every macro, group and
environment with its position, so what is not converted is reported at its line. Citations
become what pandoc's LaTeX reader makes of them (``\\citet{a}`` → ``@a``, ``\\citep[p.~5]{a}``
→ ``[@a, p. 5]``); sections become pages; the common markup becomes Markdown; anything else
is kept as written and reported once per command and file.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pylatexenc import latexwalker as lw
from pylatexenc.latex2text import LatexNodes2Text

from ..crosslinks.sections import relative
from ..project.config import display_path
from ..source.inline_spans import MASK, mask_inline
from ..source.scanner import mask_blocks
from ..text.escaping import (
    code_block,
    code_span,
    html_code,
    identifier,
    page_title,
    safe_url,
    title_safe,
    without_controls,
)
from ..tools.starter import NewSiteConfig
from . import latexmath
from .imported import Imported, refuse
from .jail import MISSING, Jail, common_root
from .latexmacros import Expanded, Macro, expand
from .latexmeta import AFFILIATIONS, NOT_NAMES, TitleBlock
from .latexmeta import TitleBlockAuthor as TitleAuthor
from .latexsyntax import (
    CITES,
    DEFINITIONS,
    DROP,
    FLOATS,
    HTML_TAG,
    INLINE,
    MAX_INPUT_DEPTH,
    MAX_LATEX,
    META,
    RULES,
    SECTIONS,
    SPECIALS,
    SWITCHES,
    SYMBOLS,
    argument,
    citation,
    float_content,
    greek_letter,
    is_key,
    is_macro,
    last_argument,
    latex_context,
    page_text,
    raw_argument,
    tex_text,
)


@dataclass
class _Page:
    name: str
    title: str
    parts: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)


@dataclass
class _File:
    """One source file being read: its text, display name and line starts."""

    path: Path
    shown: str
    text: str
    starts: list[int]
    expanded: Expanded | None = None
    """The text after its macros were expanded (what is parsed), mapping back to :attr:`text`."""

    def place(self, pos: int) -> tuple[int, int]:
        """1-based line and column in the source of an offset in the parsed text."""
        return self.in_source(self.expanded.source(pos) if self.expanded is not None else pos)

    def in_source(self, pos: int) -> tuple[int, int]:
        """1-based line and column of an offset in the source."""
        line = bisect_right(self.starts, pos)
        return line, pos - self.starts[line - 1] + 1


#: A pipe a cell's text does not escape already (text is escaped as it is written, math is not).
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
#: Where a main file's body begins: the first ``\begin{document}`` not in a comment.
_BEGIN_DOCUMENT = re.compile(r"^(?:[^%\n\\]|\\.)*?(\\begin\{document\})", re.M)


class _Converter:
    """Walks the parsed source, writing Markdown into pages; notes what it can't convert."""

    def __init__(self, out: Imported, root: Path, jail: Jail) -> None:
        self.out = out
        self.root = root
        self.jail = jail
        self.pages: list[_Page] = [_Page("index.md", "")]
        self.block = TitleBlock()
        self.pending_affiliations: list[str] = []
        self.preamble = False
        """Reading the preamble: its commands set things up, none is text of the review."""
        self.pasted: tuple[str, int, int] | None = None
        """Where a pasted reference list (thebibliography) is, or where the first citation is."""
        self.bibliographies: list[tuple[str, str, int, int]] = []
        """Each .bib named: its name, and the file, line and column that name it."""
        self.citations = 0
        self.first_cite: tuple[str, int, int] | None = None
        self.keys = 0
        self.labels: dict[str, tuple[_Page, str, str]] = {}
        """label → (page, number as LaTeX shows it, what it is: Section, Figure, Table)."""
        self.ids: dict[str, str] = {}
        """label → its id in the pages (:func:`identifier`, made unique)."""
        self.refs: list[tuple[str, str, str, int, int]] = []
        """Each \\ref: its command, label, and the file, line and column it is written at."""
        self.unresolved: set[str] = set()
        self.equations = [0]
        """LaTeX's equation counter."""
        self.has_math = False
        self.flat = 0
        """How deep in text written on one line (a title, a caption): math there is inline."""
        self.title_labels: list[str] | None = None
        """The labels in a section's title, while it is read."""
        self.citing = 0
        """How deep in a citation's prefix or suffix."""
        self.html = 0
        """How deep in text that goes into raw HTML (a caption): code there is ``<code>``."""
        self.quoting = 0
        """How deep in quotations: code there is ``<pre>`` around escaped text."""
        self.numbers = [0, 0, 0, 0, 0]
        self.heading: tuple[_Page, int, str, str] | None = None
        """The last heading, for a \\label after it: its page, part, number and id (once it has one)."""
        self.floating: list[str] | None = None
        self.lists: list[str] = []
        self.first_item = False
        self.page_level = 1
        self.files: list[_File] = []
        self.macros: dict[str, Macro] = {}
        """The source's own macros, as defined so far (in this file and the files before)."""
        self.depth = 0
        self.parsed = 0
        self.counts = {"figure": 0, "table": 0}
        self.text2 = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
        self.handlers = self._handlers()

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def emit(self, text: str) -> None:
        parts = self.page.parts
        if parts and parts[-1].endswith("`") and text.startswith("`"):
            text = " " + text  # two code spans touching would be one run of backticks
        parts.append(text)

    def kept(self, node: lw.LatexNode, what: str) -> None:
        if self.preamble:
            return
        line, col = self.files[-1].place(node.pos)
        self.out.once(self.files[-1].shown, line, what, col)

    # -- files -----------------------------------------------------------------

    def read_file(self, path: Path, shown: str, text: str | None = None) -> None:
        if text is None:
            text = self.jail.read_text(path, shown)
        self.parsed += len(text)
        if self.parsed > MAX_LATEX:
            raise refuse(
                shown,
                f"more LaTeX than an import converts ({MAX_LATEX // 1024**2} MiB in all): not imported",
                1,
            )
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        expanded = expand(text, self.macros, frozenset(self.handlers), MAX_LATEX - self.parsed, shown)
        self.parsed += len(expanded.text) - len(text)
        file = _File(path, shown, text, starts, expanded)
        self.files.append(file)
        begin = _BEGIN_DOCUMENT.search(text)
        body = len(text) if self.preamble else begin.start(1) if begin else 0
        for at, why in [*expanded.skipped, *[(at, what) for at, what in expanded.redefined if at >= body]]:
            line, col = file.in_source(at)
            self.out.once(shown, line, why, col, "not expanded, left out")
        try:
            walker = lw.LatexWalker(expanded.text, latex_context=latex_context(), tolerant_parsing=True)
            nodes, _, _ = walker.get_latex_nodes()
            self.document(nodes)
        except lw.LatexWalkerError as exc:  # pragma: no cover - tolerant parsing reports, not raises
            raise refuse(shown, f"LaTeX that cannot be read: {exc}", 1) from None
        except RecursionError:
            raise refuse(shown, "groups or environments nested too deeply to read", 1) from None
        self.files.pop()

    def document(self, nodes: list[lw.LatexNode]) -> None:
        """A file's nodes; in a main file, those before \\begin{document} only for what they
        define (the title block, the bibliography), not as text of the home page."""
        begins = [
            i
            for i, n in enumerate(nodes or [])
            if isinstance(n, lw.LatexEnvironmentNode) and n.environmentname == "document"
        ]
        if not begins or self.preamble:
            self.nodes(nodes)
            return
        self.preamble = True
        self.captured(nodes[: begins[0]])
        self.preamble = False
        self.nodes(nodes[begins[0] :])

    def include(self, node: lw.LatexMacroNode) -> None:
        name = raw_argument(node, 0).strip()
        here = self.files[-1].path.parent
        target = here / name if name.endswith(".tex") else here / f"{name}.tex"
        outside = self.jail.why_not(target)
        if outside not in (None, MISSING):
            line, col = self.files[-1].place(node.pos)
            self.jail.refused(self.out, self.files[-1].shown, line, col, name, str(outside))
            self.emit(node.latex_verbatim())
            return
        why = outside or self.not_input(target)
        if why is not None:
            self.kept(node, f"\\{node.macroname}{{{name}}} ({why})")
            self.emit(page_text(node.latex_verbatim()))
            return
        self.depth += 1
        self.read_file(target, display_path(target, self.root))
        self.depth -= 1

    def not_input(self, target: Path) -> str | None:
        """Why ``target``, a file of the source, is not read in place of an \\input (a cycle, a bound)."""
        if target.resolve() in [f.path.resolve() for f in self.files]:
            return "it is already being read: a file that inputs itself"
        if self.depth >= MAX_INPUT_DEPTH:
            return "nested too deep"
        if not self.jail.include():
            return f"more than {self.jail.max_includes} inputs and includes in one import"
        return None

    # -- nodes -----------------------------------------------------------------

    def nodes(self, nodes: list[lw.LatexNode] | None) -> None:
        keep_groups = False
        for node in nodes or []:
            if keep_groups and isinstance(node, lw.LatexGroupNode):
                self.emit(page_text(node.latex_verbatim()))
                continue
            keep_groups = isinstance(node, lw.LatexMacroNode) and self.unknown(node)
            self.node(node)

    def unknown(self, node: lw.LatexMacroNode) -> bool:
        """A command neither converted nor known as a symbol: kept as written, with its arguments."""
        name = node.macroname
        return name not in self.handlers and (
            self.text2.latex_context.get_macro_spec(name) is None or name in DEFINITIONS
        )

    def captured(self, nodes: list[lw.LatexNode]) -> str:
        """The Markdown of ``nodes``, without writing it; their footnotes stay on the page. A
        sectioning command among them (``\\textsuperscript{\\section{T}}``) makes no page: what
        it would have held is part of the text, and its labels point at the page it is on."""
        mark = len(self.pages)
        self.pages.append(_Page("", ""))
        self.nodes(nodes)
        inner = self.pages[mark:]
        del self.pages[mark:]
        for made in inner:
            self.page.footnotes += made.footnotes
        for label, (where, number, kind) in list(self.labels.items()):
            if any(where is made for made in inner):
                self.labels[label] = (self.page, number, kind)
        return "".join(part for made in inner for part in made.parts)

    def text_of(self, node: lw.LatexNode | None) -> str:
        """A node's Markdown on one line (a title, a caption, a link text)."""
        if node is None:
            return ""
        self.flat += 1
        text = " ".join(self.captured([node]).split())
        self.flat -= 1
        return text

    def node(self, node: lw.LatexNode) -> None:
        if isinstance(node, lw.LatexCharsNode):
            self.emit(tex_text(node.chars))
        elif isinstance(node, lw.LatexSpecialsNode):
            self.emit(SPECIALS.get(node.specials_chars) or page_text(node.specials_chars))
        elif isinstance(node, lw.LatexGroupNode):
            self.group(node.nodelist or [])
        elif isinstance(node, lw.LatexMathNode):
            self.math(node)
        elif isinstance(node, lw.LatexMacroNode):
            self.macro(node)
        elif isinstance(node, lw.LatexEnvironmentNode):
            self.environment(node)
        # comments are dropped

    def group(self, nodes: list[lw.LatexNode]) -> None:
        """A group; from a font switch in it (``{\\bf text}``) to its end, marked as the switch says."""
        at = next((i for i, n in enumerate(nodes) if is_macro(n, SWITCHES)), None)
        rest = nodes[at + 1 :] if at is not None else []
        if at is None or any(is_macro(n, SECTIONS) or isinstance(n, lw.LatexEnvironmentNode) for n in rest):
            self.nodes(nodes)
            return
        self.nodes(nodes[:at])
        inner = self.captured(rest)
        body = inner.strip()
        if not body or "\n\n" in body:
            self.emit(inner)
            return
        mark = SWITCHES[getattr(nodes[at], "macroname", "")]
        self.emit(
            inner[: len(inner) - len(inner.lstrip())] + mark + body + mark + inner[len(inner.rstrip()) :]
        )

    def math(self, node: lw.LatexMathNode | lw.LatexEnvironmentNode) -> None:
        """Math as arithmatex reads it; a numbered equation's labels as its anchors and numbers."""
        self.has_math = True
        if getattr(node, "displaytype", "") == "inline" or getattr(node, "environmentname", "") == "math":
            self.emit(
                latexmath.inline("".join(n.latex_verbatim() for n in node.nodelist or []), self.html > 0)
            )
            return
        rows = latexmath.rows(node, self.equations)
        anchors = ""
        for row in rows:
            for label in row.labels:
                anchors += f'<span id="{self.anchor(label)}"></span>'
                if row.number:
                    self.labels[label] = (self.page, page_text(row.number), "Equation")
        block = not (self.html or self.lists or self.flat)
        math = latexmath.display(node, rows, block, self.html > 0)
        self.emit(f"\n\n{anchors}{math}" if block else anchors + math)

    def macro(self, node: lw.LatexMacroNode) -> None:
        handler = self.handlers.get(node.macroname, self.other)
        handler(node)

    def _handlers(self) -> dict[str, Callable[[lw.LatexMacroNode], None]]:
        handlers: dict[str, Callable[[lw.LatexMacroNode], None]] = {
            "href": self.link,
            "url": self.link,
            "input": self.include,
            "include": self.include,
            "bibliography": self.bibliography,
            "addbibresource": self.bibliography,
            "footnote": self.footnote,
            "item": self.item,
            "\\": self.line_break,
            "newline": self.line_break,
            "textsuperscript": lambda node: self.emit(f"<sup>{self.text_of(last_argument(node))}</sup>"),
            "textcolor": lambda node: self.emit(self.text_of(last_argument(node))),
            "color": lambda node: self.dropped(node, "\\color (the text's colour)"),
            "textsubscript": lambda node: self.emit(f"<sub>{self.text_of(last_argument(node))}</sub>"),
            "label": self.label,
            "caption": self.caption,
            "includegraphics": self.lone_image,
            "nocite": lambda node: self.kept(node, "\\nocite (a work listed but not cited)"),
        }
        handlers.update((name, self.cite) for name in CITES)
        handlers.update((name, self.section) for name in SECTIONS)
        handlers.update((name, self.inline) for name in INLINE)
        handlers.update((name, self.metadata) for name in META)
        handlers.update((name, self.affiliation) for name in AFFILIATIONS)
        handlers.update((name, lambda node: None) for name in ("thanks", "email", "orcid", "corr"))
        handlers.update((name, self.ref) for name in ("ref", "autoref", "cref", "Cref", "eqref", "pageref"))
        handlers.update((name, self.drop) for name in (*DROP, *SWITCHES))
        handlers.update((name, self.symbol) for name in SYMBOLS)
        return handlers

    def line_break(self, node: lw.LatexMacroNode) -> None:
        self.emit("<br>" + self.space_after(node))

    def dropped(self, node: lw.LatexMacroNode, what: str) -> None:
        """A command left out that changes how the text looks: reported once per file."""
        line, col = self.files[-1].place(node.pos)
        if not self.preamble and (self.files[-1].shown, what) not in self.out.reported:
            self.out.reported.add((self.files[-1].shown, what))
            self.out.note(self.files[-1].shown, line, "IMP002", f"{what}: left out (first at this line)", col)

    def drop(self, node: lw.LatexMacroNode) -> None:
        """A command of layout only: left out, the space after it kept."""
        self.emit(self.space_after(node))

    @staticmethod
    def space_after(node: lw.LatexMacroNode) -> str:
        """The white space the parser read as the end of a command's name."""
        space = getattr(node, "macro_post_space", "") or ""
        return "\n" if "\n" in space else " " if space else ""

    def symbol(self, node: lw.LatexMacroNode) -> None:
        self.emit(tex_text(SYMBOLS[node.macroname]))

    def inline(self, node: lw.LatexMacroNode) -> None:
        mark = INLINE[node.macroname]
        if mark == "`":
            self.emit(self.code_span(self.plain(last_argument(node))))
            return
        inner = self.text_of(last_argument(node))
        self.emit(f"{mark}{inner}{mark}" if inner else "")

    def link(self, node: lw.LatexMacroNode) -> None:
        written = raw_argument(node, 0).strip()
        url = safe_url(written)
        shown = self.text_of(argument(node, 1)) if node.macroname == "href" else page_text(written)
        if url is None:
            self.kept(node, f"\\{node.macroname} to a link that is not http, https or mailto (as text)")
            self.emit(shown)
        else:
            self.emit(f"[{shown}]({url})")

    def bibliography(self, node: lw.LatexMacroNode) -> None:
        names = raw_argument(node, 1 if node.macroname == "addbibresource" else 0)
        line, col = self.files[-1].place(node.pos)
        self.bibliographies += [
            (b.strip(), self.files[-1].shown, line, col) for b in names.split(",") if b.strip()
        ]

    def metadata(self, node: lw.LatexMacroNode) -> None:
        """\\title, \\date and each \\author into the title block (never onto a page)."""
        block = self.block
        block.where = block.where or (self.files[-1].shown, *self.files[-1].place(node.pos))
        if node.macroname != "author":
            setattr(block, node.macroname, self.plain(last_argument(node)))
            return
        marks = (
            [m.strip() for m in raw_argument(node, 0).split(",") if m.strip()] if argument(node, 0) else []
        )
        arg = last_argument(node)
        parts: list[lw.LatexNode] = []
        places: list[str] = []
        for child in [*(arg.nodelist if isinstance(arg, lw.LatexGroupNode) else []), None]:
            if child is None or (isinstance(child, lw.LatexMacroNode) and child.macroname == "and"):
                name = " ".join(" ".join(self.plain(p) for p in parts).split()).strip(" ,")
                block.authors.append(TitleAuthor(name, places, marks))
                parts, places = [], []
            elif isinstance(child, lw.LatexMacroNode) and child.macroname in NOT_NAMES:
                if child.macroname in AFFILIATIONS:
                    places.append(self.plain(last_argument(child)))
            else:
                parts.append(child)

    def affiliation(self, node: lw.LatexMacroNode) -> None:
        """An \\affiliation or \\affil after its author(s), into the title block."""
        mark = raw_argument(node, 0) if node.macroname == "affil" and argument(node, 0) is not None else None
        self.block.affiliation(self.plain(last_argument(node)), mark)

    def plain(self, node: lw.LatexNode | None) -> str:
        """A node's text without markup, on one line (a title, code): for YAML or a code span."""
        text = self.unicode(node) if node is not None else ""
        return " ".join(without_controls(text).split())

    def unicode(self, node: lw.LatexNode) -> str:
        """pylatexenc's text of a node; as written when its converters fail (a \\href whose
        arguments did not parse has none, and they read them regardless)."""
        try:
            return str(self.text2.nodelist_to_text([node]))
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            return str(node.latex_verbatim())

    def ref(self, node: lw.LatexMacroNode) -> None:
        args = node.nodeargd.argnlist if node.nodeargd else []
        label = without_controls(raw_argument(node, len(args) - 1)).strip()
        line, col = self.files[-1].place(node.pos)
        self.refs.append((node.macroname, label, self.files[-1].shown, line, col))
        self.emit(f"\x00REF:{len(self.refs) - 1}\x00")

    def footnote(self, node: lw.LatexMacroNode) -> None:
        self.page.footnotes.append(self.text_of(last_argument(node)))
        self.emit(f"[^{len(self.page.footnotes)}]")

    def other(self, node: lw.LatexMacroNode) -> None:
        """Accents, symbols and escapes as Unicode; any other command kept and reported."""
        if not self.unknown(node):
            self.emit(tex_text(self.unicode(node)))
            return
        if greek_letter(node.macroname):
            self.emit(greek_letter(node.macroname))
            return
        self.kept(node, f"\\{node.macroname}")
        self.emit(page_text(node.latex_verbatim()))

    def cite(self, node: lw.LatexMacroNode) -> None:
        written = [" ".join(without_controls(k).split()) for k in raw_argument(node, 3).split(",")]
        keys = [k for k in written if k and is_key(k)]
        if len(keys) < len([k for k in written if k]):
            self.kept(node, "a citation key that no citation can hold (as text)")
            self.emit(page_text(", ".join(k for k in written if k and not is_key(k))) + " ")
        first, second = argument(node, 1), argument(node, 2)
        self.citing += 1  # code in it is no <code>: a reference's ";" would end the item
        prefix, suffix = (self.text_of(first), self.text_of(second)) if second else ("", self.text_of(first))
        self.citing -= 1
        self.citations += 1
        self.keys += len(keys)
        self.first_cite = self.first_cite or (self.files[-1].shown, *self.files[-1].place(node.pos))
        self.emit(citation(node.macroname, keys, prefix, suffix))

    def section(self, node: lw.LatexMacroNode) -> None:
        level = SECTIONS[node.macroname] - self.page_level
        outer, self.title_labels = self.title_labels, []
        title = self.text_of(argument(node, 2))
        labels, self.title_labels = self.title_labels, outer
        if HTML_TAG.search(title):  # an unclosed brace swallowed a figure or table into the title
            title = page_text(html.unescape(HTML_TAG.sub(" ", title)))  # a heading holds text, no element
        title = title_safe(title)
        number = ""
        if argument(node, 0) is None and node.macroname != "paragraph":  # \section*: unnumbered
            depth = max(level, 0)
            self.numbers[depth] += 1
            self.numbers[depth + 1 :] = [0] * (len(self.numbers) - depth - 1)
            number = ".".join(str(n) for n in self.numbers[: depth + 1])
        if level <= 0:
            self.pages.append(_Page("", title))
            self.emit(f"# {title}\n")
        elif node.macroname == "paragraph":
            self.emit(f"**{title}** ")
            return
        else:
            self.emit(f"\n\n{'#' * (level + 1)} {title}\n")
        self.heading = (self.page, len(self.page.parts) - 1, number or title, "")
        for label in labels:
            self.heading_label(label)

    def label(self, node: lw.LatexMacroNode) -> None:
        """A label: of the float, the title or the equation it is in, else of the last heading
        (LaTeX's last numbered thing); in an equation, :meth:`math` reads it."""
        label = raw_argument(node, 0).strip()
        if self.title_labels is not None:
            self.title_labels.append(label)
        elif self.floating is not None:
            self.floating.append(label)
        elif self.heading is not None:
            self.heading_label(label)

    def heading_label(self, label: str) -> None:
        """The last heading's id is its first label; another label of it links to that id."""
        assert self.heading is not None
        page, index, number, ident = self.heading
        if not ident:
            ident = self.anchor(label)
            page.parts[index] = page.parts[index].rstrip("\n") + f" {{#{ident}}}\n"
            self.heading = (page, index, number, ident)
        else:
            self.ids.setdefault(label, ident)
        self.labels[label] = (page, number, "Section")

    def anchor(self, label: str) -> str:
        """The id a label has in the pages: :func:`identifier`, numbered when two labels map alike."""
        if label not in self.ids:
            base = ident = identifier(label)
            taken = set(self.ids.values())
            n = 2
            while ident in taken:
                ident, n = f"{base}-{n}", n + 1
            self.ids[label] = ident
        return self.ids[label]

    def item(self, node: lw.LatexMacroNode) -> None:
        kind = self.lists[-1] if self.lists else "itemize"
        indent = "    " * max(len(self.lists) - 1, 0)
        term = self.text_of(argument(node, 0))
        bullet = "1. " if kind == "enumerate" else "- "
        while self.page.parts and not self.page.parts[-1].strip():
            self.page.parts.pop()
        if self.page.parts:
            self.page.parts[-1] = self.page.parts[-1].rstrip()
        if self.first_item and not (len(self.lists) > 1):
            self.emit("\n")
        self.first_item = False
        self.emit(f"\n{indent}{bullet}" + (f"**{term}** " if term else ""))

    def environment(self, node: lw.LatexEnvironmentNode) -> None:
        name = node.environmentname
        if name in ("itemize", "enumerate", "description"):
            self.lists.append(name)
            self.first_item = True
            self.nodes(node.nodelist)
            self.lists.pop()
            self.emit("\n\n")
        elif name in ("quote", "quotation", "verse"):
            self.quoting += 1
            inner = self.text_of_block(node.nodelist)
            self.quoting -= 1
            self.emit("\n\n" + "\n".join(f"> {line}".rstrip() for line in inner.split("\n")) + "\n\n")
        elif name == "abstract":
            self.block.abstract = self.plain(
                lw.LatexGroupNode(
                    nodelist=node.nodelist, delimiters=("{", "}"), parsing_state=node.parsing_state
                )
            )
            self.emit("\n\n## Abstract\n\n")
            self.nodes(node.nodelist)
        elif name.rstrip("*") in FLOATS:
            self.float(node, FLOATS[name.rstrip("*")])
        elif name.rstrip("*") in ("tabular", "tabularx", "longtable"):
            self.table(node)
        elif name.rstrip("*") in latexmath.DISPLAY_ENVS or name == "math":
            self.math(node)
        elif name in ("verbatim", "lstlisting", "minted"):
            body = node.latex_verbatim()
            body = body[body.find("}") + 1 : body.rfind("\\end")].strip("\n")
            self.emit(self.code(body))
        elif name == "document":
            self.nodes(node.nodelist)
        elif name == "thebibliography":
            self.pasted = (self.files[-1].shown, *self.files[-1].place(node.pos))
            self.kept(
                node,
                "thebibliography (a pasted reference list, left out: "
                "the References page lists what is cited)",
            )
        else:
            self.kept(
                node, f"environment {name}" + ("" if name == "tabular" else " (its contents converted)")
            )
            self.nodes(node.nodelist)

    def code_span(self, code: str) -> str:
        """Inline code: a code span, or ``<code>`` in text bound for raw HTML; in a citation
        there, its text (a caption's HTML reads no backticks, and ``<code>``'s references end items)."""
        if self.html:
            return page_text(" ".join(code.split())) if self.citing else html_code(code)
        return code_span(code)

    def code(self, body: str, info: str = "") -> str:
        """A code block: fenced; ``<code>`` in a caption; in a quotation, whose "> " lines hide a
        fence and would make its lines quotes, lists or paragraphs, ``<pre>`` around escaped
        text (a line left blank gets a zero-width space, not white space to Python-Markdown)."""
        if self.html:
            return html_code(body)
        if self.quoting:
            lines = [page_text(line) or "\u200b" for line in body.split("\n")]
            return "\n\n<pre><code>" + "\n".join(lines) + "</code></pre>\n\n"
        return f"\n\n{code_block(body, info)}\n\n"

    def text_of_block(self, nodes: list[lw.LatexNode]) -> str:
        """The Markdown of ``nodes`` as paragraphs (a quotation, a figure's other content)."""
        return re.sub(r"\n{3,}", "\n\n", self.captured(nodes).strip())

    def float(self, node: lw.LatexEnvironmentNode, kind: str) -> None:
        """A figure (its image, caption and label) as Material's <figure>; a table's caption and
        label, and its tabular kept as LaTeX."""
        outer, self.floating = self.floating, []  # a figure in a figure keeps the outer's labels
        images: list[str] = []
        caption = ""
        rest: list[lw.LatexNode] = []
        for child in float_content(node):
            if isinstance(child, lw.LatexMacroNode) and child.macroname == "includegraphics":
                images.append(self.image(child))
            elif isinstance(child, lw.LatexMacroNode) and child.macroname == "caption":
                self.html += 1
                caption = self.text_of(argument(child, 1))
                self.html -= 1
            else:
                rest.append(child)
        after = self.text_of_block(rest)
        labels, self.floating = self.floating, outer
        self.counts[kind] += 1
        shown = f"{kind.capitalize()} {self.counts[kind]}"
        number = str(self.counts[kind])
        anchor = f' id="{self.anchor(labels[0])}"' if labels else ""
        for label in labels:
            self.labels[label] = (self.page, number, kind.capitalize())
        body = "".join(f"\n  ![]({safe_url(src) or ''})" for src in images if src)
        caption = f"<figcaption>{shown}: {caption}</figcaption>"
        self.emit(f'\n\n<figure markdown="span"{anchor}>{body}\n  {caption}\n</figure>\n\n{after}\n\n')

    def table(self, node: lw.LatexEnvironmentNode) -> None:
        """A tabular as a pipe table (its first row the header), so what its cells cite stays a
        citation; rules dropped, a \\multicolumn's text kept in its first cell."""
        rows: list[list[str]] = [[]]
        cell: list[lw.LatexNode] = []
        self.html += 1  # code in a cell is <code>: a fence would end the table

        def end_cell() -> None:
            rows[-1].append(_UNESCAPED_PIPE.sub(r"\\|", " ".join(self.captured(cell).split())))
            cell.clear()

        for child in node.nodelist or []:
            if isinstance(child, lw.LatexSpecialsNode) and child.specials_chars == "&":
                end_cell()
            elif isinstance(child, lw.LatexMacroNode) and child.macroname in ("\\", "tabularnewline"):
                end_cell()
                rows.append([])
            elif isinstance(child, lw.LatexMacroNode) and child.macroname in RULES:
                continue
            elif isinstance(child, lw.LatexMacroNode) and child.macroname == "multicolumn":
                self.kept(child, "\\multicolumn (its text in one cell)")
                cell.append(last_argument(child) or child)
            else:
                cell.append(child)
        end_cell()
        self.html -= 1
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        width = max(len(row) for row in rows)
        lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
        lines.insert(1, "|" + " --- |" * width)
        self.emit("\n\n" + "\n".join(lines) + "\n\n")

    def caption(self, node: lw.LatexMacroNode) -> None:
        """A caption outside any figure or table (in a box, a minipage): its text, as a paragraph."""
        self.emit(f"\n\n{self.text_of(argument(node, 1))}\n\n")

    def lone_image(self, node: lw.LatexMacroNode) -> None:
        """An image outside any figure."""
        src = self.image(node)
        if src:
            self.emit(f"![]({safe_url(src) or ''})")

    def image(self, node: lw.LatexMacroNode) -> str:
        name = raw_argument(node, 1).strip()
        here = self.files[-1].path.parent
        for suffix in ("", ".svg", ".png", ".jpg", ".jpeg", ".pdf"):
            path = here / f"{name}{suffix}"
            why = self.jail.why_not(path)
            if why not in (None, MISSING):
                line, col = self.files[-1].place(node.pos)
                self.jail.refused(self.out, self.files[-1].shown, line, col, name, str(why))
                return ""
            if why is None:
                if path.suffix.lower() == ".pdf":
                    self.kept(
                        node, f"PDF figure {name} (browsers don't show PDF images: convert it to SVG or PNG)"
                    )
                rel = "images/" + path.resolve().relative_to(self.jail.root).as_posix()
                self.out.copies[f"content/{rel}"] = path
                return rel
        self.kept(node, f"\\includegraphics{{{name}}} (no such file)")
        return ""


_REF = re.compile("\x00REF:([0-9]+)\x00")
#: References that print a name before the number.
_NAMED = {"autoref", "cref", "Cref", "pageref"}
_CITE_IN_MD = re.compile(
    r"~?\\(?P<cmd>[A-Za-z]*cite[a-z]*\*?|parencite|textcite)(?P<opts>(?:\[[^\]\n]*\]){0,2})\{(?P<keys>[^{}\n]*)\}"
)


def _finish(conv: _Converter) -> None:
    """Name the pages, resolve \\ref to links, write footnotes, fill the report."""
    from ..tools.scaffold import slugify

    taken = {"index.md", "references.md"}
    for n, page in enumerate(conv.pages[1:], 1):
        base = slugify(page.title)[:60].strip("-") or f"section-{n}"
        name, k = f"{base}.md", 2
        while name in taken:
            name, k = f"{base}-{k}.md", k + 1
        taken.add(name)
        page.name = name
    title = conv.block.title or "A literature review"
    conv.pages[0].parts.insert(0, f"# {page_title(title)}\n\n")
    for page in conv.pages:
        text = "".join(page.parts)

        def link(m: re.Match[str], page: _Page = page) -> str:
            command, label, where, line, col = conv.refs[int(m.group(1))]
            target = conv.labels.get(label)
            if target is None:
                if label not in conv.unresolved:
                    conv.unresolved.add(label)
                    message = f"\\{command}{{{label}}} has no \\label to point at: kept as written"
                    conv.out.note(where, line, "IMP002", message, col)
                return page_text(f"\\{command}{{{label}}}")
            href = "" if target[0] is page else relative(page.name, target[0].name)
            number = f"({target[1]})" if command == "eqref" else target[1]
            shown = f"{target[2]} {number}" if command in _NAMED else number
            return f"[{shown}]({href}#{conv.anchor(label)})"

        text = _REF.sub(link, text)
        text = re.sub(r"[ \t]+\n", "\n", re.sub(r"\n{3,}", "\n\n", text)).strip() + "\n"
        if page.footnotes:
            notes = (_REF.sub(link, note) for note in page.footnotes)  # a \ref in a footnote too
            text += "\n" + "".join(f"[^{i}]: {note}\n" for i, note in enumerate(notes, 1))
        conv.out.pages[page.name] = text


def read_latex(sources: list[Path], root: Path) -> Imported:
    """A LaTeX review (one main file that \\input's the rest, or several files in order)."""
    jail = Jail(common_root(sources), root)
    out = Imported("LaTeX", NewSiteConfig(title="A literature review"), jail=jail)
    conv = _Converter(out, root, jail)
    texts = {source: jail.read_text(source, display_path(source, root)) for source in sources}
    if any(re.search(r"\\chapter\b", text) for s, text in texts.items() if s.suffix.lower() == ".tex"):
        conv.page_level = 0
    for source, text in texts.items():
        if source.suffix.lower() == ".tex":
            conv.read_file(source, display_path(source, root), text)
        else:
            _markdown_file(conv, source, text)
    _finish(conv)
    written = {m.group(1) for t in out.pages.values() for m in re.finditer(r"\\ref\{([^}]*)\}", t)}
    for label in sorted(written - conv.unresolved):  # in Markdown pages, kept as they are
        out.note(
            display_path(sources[0], root),
            1,
            "IMP002",
            f"\\ref{{{label}}} has no \\label to point at: kept as written",
        )
    _bibliographies(conv, sources[0], root)
    publication, missing = conv.block.publication()
    if missing and conv.block.where is not None:
        where, line, col = conv.block.where
        out.note(where, line, "IMP006", f"the title block has no {missing}: publication: not written", col)
    out.site = NewSiteConfig(
        title=conv.block.title or "A literature review",
        author=conv.block.names(),
        bibliography=out.site.bibliography,
        publication=publication,
        math=conv.has_math,
    )
    names = ", ".join(p.name for p in conv.pages[1:]) or "none"
    if conv.has_math:
        out.converted.append("math: pymdownx.arithmatex, with KaTeX served from the site")
    out.converted += [
        f"{len(conv.pages) - 1} section(s) became pages: {names}",
        f"{conv.citations} citation command(s) with {conv.keys} key(s) became pandoc citations",
    ]
    return out


def _markdown_file(conv: _Converter, path: Path, text: str) -> None:
    """Markdown that cites with LaTeX: only the \\cite commands change."""
    chars = mask_blocks(text)
    mask_inline(chars)

    def cite(m: re.Match[str]) -> str:
        if chars[m.start()] == MASK:  # in code: an example, not a citation
            return m.group(0)
        opts = re.findall(r"\[([^\]]*)\]", m.group("opts"))
        prefix, suffix = (opts[0], opts[1]) if len(opts) == 2 else ("", opts[0] if opts else "")
        keys = [k.strip() for k in m.group("keys").split(",") if k.strip()]
        if m.group("cmd") == "nocite" or m.group("cmd").rstrip("*") not in CITES:
            return m.group(0)
        conv.citations += 1
        conv.keys += len(keys)
        lead = " " if m.group(0).startswith("~") else ""
        return lead + citation(m.group("cmd"), keys, prefix.replace("~", " "), suffix.replace("~", " "))

    converted = _CITE_IN_MD.sub(cite, text)
    title = re.search(r"^#\s+(.+?)\s*#*$", converted, re.M)
    conv.pages.append(_Page("", title.group(1) if title else path.stem, [converted]))


def _bibliographies(conv: _Converter, main: Path, root: Path) -> None:
    """The .bib files named, copied as they are, found beside the main file (as BibTeX finds them)."""
    out, base = conv.out, main.parent
    names: list[str] = []
    for name, shown, line, col in conv.bibliographies:
        path = base / (name if name.endswith(".bib") else f"{name}.bib")
        why = conv.jail.why_not(path)
        if why == MISSING:
            out.note(shown, line, "IMP002", f"bibliography {name}: no such file, not copied", col)
            continue
        if why is not None:
            conv.jail.refused(out, shown, line, col, name, why)
            continue
        names.append(path.name)
        out.copies[path.name] = path
    if not names and not conv.bibliographies:
        names = _beside(conv, main, root)
    if not names:
        if conv.keys:
            where, line, col = conv.first_cite or (display_path(main, root), 1, 1)
            out.note(
                where,
                line,
                "IMP002",
                "no \\bibliography or \\addbibresource: references.bib starts empty",
                col,
            )
        out.files["references.bib"] = ""
        names = ["references.bib"]
    out.site = NewSiteConfig(title="", bibliography=tuple(names))
    out.converted.append(f"bibliography: {', '.join(names)}")


def _beside(conv: _Converter, main: Path, root: Path) -> list[str]:
    """With no \\bibliography (commented out, or a pasted thebibliography instead), the .bib
    beside the main file that BibTeX would have read: the one named as the main file, else
    every .bib there. Said (IMP005) at the pasted list, else at the first citation."""
    folder = main.parent
    same = folder / f"{main.stem}.bib"
    found = [same] if conv.jail.why_not(same) is None else []
    if not found:
        listed = sorted(p for p in folder.glob("*.bib") if conv.jail.why_not(p) is None)
        found = listed[:16]
    if not found:
        return []
    for path in found:
        conv.out.copies[path.name] = path
    where, line, col = conv.pasted or conv.first_cite or (display_path(main, root), 1, 1)
    what = "a pasted thebibliography" if conv.pasted else "no \\bibliography"
    conv.out.note(
        where,
        line,
        "IMP005",
        f"{what}: took {', '.join(p.name for p in found)} beside {main.name} as the bibliography",
        col,
    )
    return [p.name for p in found]

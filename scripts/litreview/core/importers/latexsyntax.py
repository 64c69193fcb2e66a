"""What the LaTeX importer knows of LaTeX's commands: which it converts, drops or reads as
citations, pylatexenc's specs for their arguments, and the text helpers its pages are written with.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from pylatexenc import latexwalker as lw
from pylatexenc.macrospec import MacroSpec

from ..citations.syntax import Citation, parse_at
from ..text.escaping import markdown_text
from .pandocmd import as_written
from .texmath import DOLLAR

#: Citation commands: parenthetical, narrative (author in text), year only.
PAREN = {"cite", "citep", "citealp", "parencite", "autocite", "footcite", "supercite", "cite*", "citep*"}
NARRATIVE = {"citet", "citet*", "textcite", "citeauthor", "citeauthor*", "citealt", "Citet", "Textcite"}
YEAR = {"citeyear", "citeyearpar", "citeyear*"}
CITES = PAREN | NARRATIVE | YEAR
SECTIONS = {
    **{"part": 0, "chapter": 0, "section": 1, "subsection": 2, "subsubsection": 3},
    **{"subsubsubsection": 4, "paragraph": 5},
}
INLINE = {"textbf": "**", "textit": "*", "emph": "*", "textsl": "*", "texttt": "`", "underline": ""}
DROP = {
    "maketitle",
    "tableofcontents",
    "bibliographystyle",
    "centering",
    "newpage",
    "clearpage",
    "cleardoublepage",
    "pagebreak",
    "nopagebreak",
    "linebreak",
    "nolinebreak",
    "enlargethispage",
    "noindent",
    "usepackage",
    "documentclass",
    "small",
    "footnotesize",
    "vspace",
    "hspace",
    "medskip",
    "bigskip",
    "smallskip",
    "index",
    "linewidth",
    "protect",
    *("mdseries", "upshape", "scshape", "normalfont", "rmfamily", "sffamily", "ttfamily", "sc", "rm", "sf"),
    *("large", "Large", "LARGE", "huge", "Huge", "normalsize", "scriptsize"),
    *("tiny", "raggedright", "raggedleft", "linenumbers", "and"),
}
META = {"title", "author", "date"}
#: Font switches (``{\\bf text}``): the rest of their group, marked.
SWITCHES = {"bf": "**", "bfseries": "**", "it": "*", "itshape": "*", "em": "*", "sl": "*", "slshape": "*"}
#: Symbols pylatexenc does not know (textgreek's ``\\textlambda`` are found by their names).
SYMBOLS = {"ddag": "‡", "ddagger": "‡", "dag": "†", "dagger": "†", "S": "§", "P": "¶", "textgreater": ">"}
SYMBOLS |= {
    "textless": "<",
    "textbar": "|",
    "textasciicircum": "^",
    "textunderscore": "_",
    "textbackslash": "\\",
}
SPECIALS = {"~": " ", "--": "–", "---": "—", "``": "“", "''": "”", "`": "‘", "'": "’"}
MAX_INPUT_DEPTH = 16
#: An HTML tag the converter wrote (a figure's, a caption's, a code element's).
HTML_TAG = re.compile(r"<\u2060?/?[A-Za-z][^>]*>")
#: LaTeX one import converts, in characters: the parser's time and memory grow faster than the
#: text (1 MiB took 14 s and 92 MB, 4 MiB 108 s), and a review is far smaller.
MAX_LATEX = 2 * 1024**2
EXTRA_SPECS = [
    MacroSpec("href", "{{"),
    MacroSpec("url", "{"),
    MacroSpec("input", "{"),
    MacroSpec("include", "{"),
    MacroSpec("addbibresource", "[{"),
    MacroSpec("bibliography", "{"),
    MacroSpec("includegraphics", "[{"),
    *(MacroSpec(name, "*[[{") for name in CITES if not name.endswith("*")),
    MacroSpec("nocite", "{"),
    MacroSpec("autoref", "*{"),
    MacroSpec("cref", "*{"),
    MacroSpec("Cref", "*{"),
    MacroSpec("eqref", "{"),
    MacroSpec("caption", "[{"),
    MacroSpec("author", "[{"),
    MacroSpec("affil", "[{"),
    MacroSpec("affiliation", "{"),
    *(MacroSpec(name, "{") for name in ("thanks", "email", "inst", "institute", "address", "altaffiliation")),
    MacroSpec("corr", "{{"),
    MacroSpec("orcid", "{{"),
    MacroSpec("bibliographystyle", "{"),
    MacroSpec("index", "{"),
    MacroSpec("vspace", "*{"),
    MacroSpec("textsuperscript", "{"),
    MacroSpec("color", "[{"),
    MacroSpec("textcolor", "[{{"),
    MacroSpec("textsubscript", "{"),
    MacroSpec("pagebreak", "["),
    MacroSpec("nopagebreak", "["),
    MacroSpec("linebreak", "["),
    MacroSpec("enlargethispage", "*{"),
    MacroSpec("subsubsubsection", "*[{"),
    MacroSpec("pageref", "*{"),
    MacroSpec("tag", "*{"),
    MacroSpec("hspace", "*{"),
]


class SpecialsByFirstChar:
    """``test_for_specials`` answering as pylatexenc's does (the longest match, the earlier
    category first among equals), trying only the specials that begin with the character at the
    position: pylatexenc tries every one at every position, a third of a large review's import."""

    def __init__(self, db: lw.LatexContextDb) -> None:
        self.index: dict[str, list[tuple[str, object]]] = {}
        for category in db.category_list:
            for chars, spec in db.d[category]["specials"].items():
                self.index.setdefault(chars[:1], []).append((chars, spec))

    def __call__(self, s: str, pos: int, parsing_state: object = None) -> object:
        """The special at ``pos`` in ``s``, or None."""
        best, length = None, 0
        for chars, spec in self.index.get(s[pos : pos + 1], ()):
            if len(chars) > length and s.startswith(chars, pos):
                best, length = spec, len(chars)
        return best


def latex_context() -> lw.LatexContextDb:
    """pylatexenc's commands, with the arguments of those it does not know that the importer reads."""
    db = lw.get_default_latex_context_db()
    db.add_context_category("litreview-import", macros=EXTRA_SPECS, prepend=True)
    db.test_for_specials = SpecialsByFirstChar(db)  # this db only; it is not changed after
    return db


def argument(node: lw.LatexMacroNode, index: int) -> lw.LatexNode | None:
    """A command's argument by its place in the spec (None when not given)."""
    args = node.nodeargd.argnlist if node.nodeargd else []
    return args[index] if index < len(args) else None


def last_argument(node: lw.LatexMacroNode) -> lw.LatexNode | None:
    """The mandatory argument (the last given): ``\\footnote[2]{text}`` → ``{text}``."""
    args = [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]
    return args[-1] if args else None


def raw_argument(node: lw.LatexMacroNode, index: int) -> str:
    """A command's argument as written, without its braces or brackets."""
    arg = argument(node, index)
    if arg is None:
        return ""
    verbatim = arg.latex_verbatim()
    return str(verbatim[1:-1] if verbatim[:1] in "{[" else verbatim)


DEFINITIONS = {"newcommand", "renewcommand", "def", "providecommand"}
#: Floats, by what they hold.
FLOATS = {
    **dict.fromkeys(("figure", "wrapfigure", "SCfigure", "sidewaysfigure", "subfigure"), "figure"),
    **dict.fromkeys(("table", "wraptable", "sidewaystable", "subtable"), "table"),
}
#: What a float's caption and image may sit in.
WRAPPERS = {"center", "flushleft", "flushright", "minipage", "adjustbox", "small", "footnotesize"}
#: How many groups a float or box starts with that are its placement or width, not content.
PLACEMENT = {"wrapfigure": 2, "wraptable": 2, "minipage": 1, "subfigure": 1, "subtable": 1, "adjustbox": 1}
RULES = {"hline", "toprule", "midrule", "bottomrule", "cline", "cmidrule", "noalign", "centering"}


def float_content(node: lw.LatexEnvironmentNode | lw.LatexGroupNode) -> list[lw.LatexNode]:
    """A float's content, with the boxes and groups around its caption and image opened (a
    wrapfigure's placement and width, its first two groups, left out)."""
    found: list[lw.LatexNode] = []
    groups = PLACEMENT.get(getattr(node, "environmentname", ""), 0)
    for child in node.nodelist or []:
        if groups and isinstance(child, (lw.LatexGroupNode, lw.LatexCharsNode)):
            groups -= isinstance(child, lw.LatexGroupNode)
            continue
        groups = 0
        if isinstance(child, lw.LatexGroupNode) or (
            isinstance(child, lw.LatexEnvironmentNode) and child.environmentname in WRAPPERS
        ):
            found += float_content(child)
        else:
            found.append(child)
    return found


_CODE_OR_SEMICOLON = re.compile(r"(`+)[\s\S]*?\1|\$[^$]*\$|;")


def _no_item_end(affix: str) -> str:
    """A ";" in LaTeX's optional arguments is text; in a bracketed citation it would end the item,
    so it is written as a character reference (outside code and math, which hold it whole and
    where it would show as written)."""
    return _CODE_OR_SEMICOLON.sub(lambda m: "&#59;" if m.group(0) == ";" else m.group(0), affix)


def citation(command: str, keys: list[str], prefix: str = "", suffix: str = "") -> str:
    """A LaTeX citation as pandoc's LaTeX reader writes it: narrative ``@a [p. 5]``,
    parenthetical ``[see @a; @b, ch. 2]``, year only ``[-@a]``."""
    if not keys:
        return ""
    written = [as_written(k) for k in keys]
    prefix, suffix = _no_item_end(prefix), _no_item_end(suffix.strip())
    if command in NARRATIVE:
        return "; ".join(written) + (f" [{suffix}]" if suffix else "")
    if command in YEAR:
        written = ["-" + w for w in written]
    body = "; ".join(written)
    return (
        "["
        + (f"{prefix.strip()} " if prefix.strip() else "")
        + body
        + (f", {suffix}" if suffix else "")
        + "]"
    )


def is_key(key: str) -> bool:
    """Whether ``key`` reads back whole from the citation written for it (else the citation
    would stay text, and its key raw Markdown) and holds none of ``<>"`[](){}\\`` (HTML or
    Markdown where a citation is not rendered; pandoc's keys have none of them unbraced)."""
    if set(key) & set('<>"`[](){}\\'):
        return False
    got = parse_at(f"[{as_written(key)}]", 0)
    return isinstance(got, Citation) and got.keys == (key,)


def tex_text(chars: str) -> str:
    """LaTeX text as Markdown text: no indentation (it would be code), Markdown's marks escaped."""
    chars = re.sub(r"\n[ \t]+", "\n", chars)
    chars = re.sub(r"(?<!-)---(?!-)", "—", re.sub(r"(?<!-)--(?!-)", "–", chars)) if "--" in chars else chars
    return page_text(chars)


def page_text(text: str) -> str:
    """Literal text in a page whose dollars arithmatex would read as math: each shown as one;
    a pipe escaped, so two lines of text never read as a table's rows."""
    return markdown_text(text).replace("$", DOLLAR).replace("|", "\\|")


def greek_letter(name: str) -> str:
    """textgreek's letters (``\\textlambda``, ``\\textOmega``) as Unicode, else ""."""
    letter = name.removeprefix("text")
    if letter == name or not letter.isalpha():
        return ""
    case = "CAPITAL" if letter[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {letter.upper().replace('LAMBDA', 'LAMDA')}")
    except KeyError:
        return ""


def is_macro(node: lw.LatexNode, names: Container[str]) -> bool:
    """Whether ``node`` is one of the commands ``names``."""
    return isinstance(node, lw.LatexMacroNode) and node.macroname in names

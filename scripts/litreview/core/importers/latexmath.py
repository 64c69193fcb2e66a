"""LaTeX math as the importers write math (:mod:`.texmath`): what ``pymdownx.arithmatex`` reads
and the KaTeX the imported site serves renders, numbered as LaTeX numbers it.

Inline math becomes ``$…$``; display math a ``$$…$$`` block (in a caption, a table cell or a
list item, where a block can't stand, ``\\(\\displaystyle …\\)``). An equation's number is its
``\\tag``, each numbered row of an ``align`` or ``gather`` its own (KaTeX's ``align*`` and
``gather*`` take one per row); its ``\\label`` is returned, to become an anchor and a number for
``\\ref``. The TeX itself is data: ``<`` and ``>`` become ``\\lt`` and ``\\gt`` (no tag can
start inside math, where Python-Markdown's raw HTML would read one before arithmatex) and no
blank line or indentation is left to end or change the block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from pylatexenc import latexwalker as lw

from ..text.escaping import without_controls

#: Environments of display math, and what KaTeX environment their rows go into ("" one row).
DISPLAY_ENVS = {
    "equation": "",
    "displaymath": "",
    "multline": "gather*",
    "align": "align*",
    "flalign": "align*",
    "eqnarray": "align*",
    "gather": "gather*",
}
_UNNUMBERED = {"displaymath"}
_LABEL = re.compile(r"\\label\s*\{([^{}]*)\}")
_NO_NUMBER = re.compile(r"\\(?:nonumber|notag)(?![A-Za-z])")
#: A TeX escape, or a character that would end the math or start Markdown before arithmatex reads it.
_TOKEN = re.compile(r"\\[\s\S]|[<>$`]")
_NEUTRAL = {
    "<": "\\lt ",
    ">": "\\gt ",
    "\\<": "\\lt ",
    "\\>": "\\gt ",
    "$": "\\$",
    "`": "\\`",
    "\\(": "(",
    "\\)": ")",
    "\\[": "[",
    "\\]": "]",
}
_TAG = re.compile(r"\\tag\*?\s*\{([^{}]*)\}")


@dataclass
class EquationRow:
    """One numbered line of display math: its TeX, labels and the number LaTeX gives it."""

    tex: str
    labels: list[str] = field(default_factory=list)
    number: str = ""


def clean(tex: str) -> str:
    """TeX that no Markdown or HTML reads before arithmatex does: ``<``/``>`` as ``\\lt``/``\\gt``,
    no blank line, no indentation, no lone backslash at the end (it would escape the closing mark)."""
    tex = _TOKEN.sub(_neutral, without_controls(tex))
    lines = [line.strip() for line in tex.split("\n")]
    tex = "\n".join(line for line in lines if line)
    trailing = len(tex) - len(tex.rstrip("\\"))
    return tex[:-1] if trailing % 2 else tex


def _neutral(m: re.Match[str]) -> str:
    return _NEUTRAL.get(m.group(0), m.group(0))


def inline(tex: str, html: bool = False) -> str:
    """``$…$`` on one line (pandoc's rules: no space inside either dollar); in raw HTML (a
    caption), which Python-Markdown leaves alone, the element arithmatex would make of it."""
    flat = " ".join(clean(_LABEL.sub("", tex)).split())
    if not flat.strip("$ "):
        return ""
    return as_html(f"\\({flat}\\)") if html else f"${flat}$"


def as_html(marked: str) -> str:
    """Math as arithmatex's generic mode writes it (math.js typesets it), its TeX escaped."""
    return f'<span class="arithmatex">{escape(marked, quote=False)}</span>'


def _split_rows(nodes: list[lw.LatexNode]) -> list[str]:
    """The TeX of each row of an environment's body, split at its top-level ``\\\\``."""
    rows = [""]
    for node in nodes:
        if isinstance(node, lw.LatexMacroNode) and node.macroname == "\\":
            rows.append("")
        else:
            rows[-1] += node.latex_verbatim()
    return rows


def rows(node: lw.LatexEnvironmentNode | lw.LatexMathNode, counter: list[int]) -> list[EquationRow]:
    """An environment's rows, numbered from ``counter`` (LaTeX's equation counter, advanced)."""
    name = getattr(node, "environmentname", "") or ""
    base = name.rstrip("*")
    numbered = bool(name) and not name.endswith("*") and base not in _UNNUMBERED
    texts = (
        _split_rows(node.nodelist or [])
        if DISPLAY_ENVS.get(base)
        else ["".join(n.latex_verbatim() for n in node.nodelist or [])]
    )
    if DISPLAY_ENVS.get(base) == "" or not name:
        texts = ["\\\\".join(texts)]
    found: list[EquationRow] = []
    for text in texts:
        row = EquationRow(_LABEL.sub("", text), [label.strip() for label in _LABEL.findall(text)])
        tag = _TAG.search(row.tex)
        if tag:
            row.number = " ".join(clean(tag.group(1)).split())
        elif numbered and not _NO_NUMBER.search(row.tex):
            counter[0] += 1
            row.number = str(counter[0])
            row.tex = row.tex.strip() + f" \\tag{{{row.number}}}"
        row.tex = _NO_NUMBER.sub("", row.tex)
        found.append(row)
    _label_numbered(found)
    return found


def _label_numbered(found: list[EquationRow]) -> None:
    """A label on an unnumbered row (``\\label`` first, ``\\nonumber`` on its row) names the
    environment's next numbered row, else its last: what the author points at."""
    numbered = [row for row in found if row.number]
    if not numbered:
        return
    for at, row in enumerate(found):
        if row.labels and not row.number:
            target = next((r for r in found[at:] if r.number), numbered[-1])
            target.labels += row.labels
            row.labels = []


def display(
    node: lw.LatexEnvironmentNode | lw.LatexMathNode, found: list[EquationRow], block: bool, html: bool
) -> str:
    """The math of ``found`` rows: a ``$$`` block, or inline display math where no block can be
    (in raw HTML, the element arithmatex would make of it)."""
    base = (getattr(node, "environmentname", "") or "").rstrip("*")
    env = DISPLAY_ENVS.get(base, "")
    bodies = [clean(row.tex) for row in found]
    tex = f"\\begin{{{env}}}\n" + " \\\\\n".join(bodies) + f"\n\\end{{{env}}}" if env else "\n".join(bodies)
    tex = clean(tex)
    if not tex.strip("$ "):
        return ""
    if not block:
        marked = f"\\(\\displaystyle {' '.join(tex.split())}\\)"
        return as_html(marked) if html else marked
    return f"\n\n$$\n{tex}\n$$\n\n"

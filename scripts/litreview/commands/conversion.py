"""The build's Markdown conversion of a page, for ``litreview check``: which citations would the
page render? MkDocs is not needed; the shared engine and the project's Markdown extensions are.

So ``check`` reports (CIT007) a citation the finder reads but the conversion loses (a footnote
read as a link definition without the footnotes extension), as the build does.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown

from ..core.checks.project_check import Renderer
from ..core.citations.cite_records import PageCitations
from ..core.citations.syntax import unclosed
from ..core.project.config import Project, PythonCall, PythonName
from ..core.source import frontmatter
from ..core.source.scanner import COSTLY
from ..markdown_engine import rendered_citations

#: MkDocs converts every page with these, whatever mkdocs.yml lists.
_MKDOCS_DEFAULTS = ("toc", "tables", "fenced_code")
#: Ours (the engine is added by :func:`rendered_citations`), and toc's options, which name
#: Python functions (``slugify``) and change only heading ids.
_LEFT_OUT = ("litreview", "litreview.markdown_ext")
#: What loading or running another package's Markdown extension may raise on a config it can't use.
_UNUSABLE = (ImportError, AttributeError, TypeError, KeyError, ValueError)


def _names_python(value: Any) -> bool:
    if isinstance(value, PythonName | PythonCall):
        return True
    if isinstance(value, dict):
        return any(_names_python(v) for v in value.values())
    return isinstance(value, list | tuple) and any(_names_python(v) for v in value)


def _costly(text: str) -> bool:
    """Whether Python-Markdown would take seconds on a paragraph: its link patterns rescan per
    open bracket, so nesting depth × paragraph length bounds the work (the scanner's MD005 bound,
    which counts unclosed brackets only; 5,000 nested ones took 19 s), as do the citation
    candidates (``@``) of a paragraph. The build pays it; check
    does not convert such a page."""
    for block in re.split(r"\n\s*\n", text):
        depth = deepest = 0
        for ch in block:
            if ch == "[":
                depth += 1
                deepest = max(deepest, depth)
            elif ch == "]" and depth:
                depth -= 1
        if (
            max(deepest, unclosed(block), block.count("@")) * len(block) > COSTLY
        ):  # each @ restarts the inline scan
            return True
    return False


def renderer(project: Project) -> Renderer | None:
    """The conversion with MkDocs' default extensions and the project's, or None where it can't
    be reproduced here (an extension that doesn't load, or whose options name Python objects:
    ``check`` imports none); the build then reports what its conversion loses."""
    listed = project.markdown_extensions
    names = [n for n in dict.fromkeys([*_MKDOCS_DEFAULTS, *listed]) if n not in _LEFT_OUT]
    configs = {n: c for n, c in listed.items() if n in names and n != "toc" and c}
    if _names_python(configs):
        return None
    try:
        Markdown(extensions=names, extension_configs=configs)
    except _UNUSABLE:
        return None

    def render(src: str, text: str, display: str) -> PageCitations | None:
        if _costly(text):
            return None
        try:
            return rendered_citations(PageCitations(src, display), frontmatter.without(text), names, configs)
        except _UNUSABLE:
            return None

    return render

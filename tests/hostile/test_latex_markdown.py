"""Hostile strings in every LaTeX construct the importer converts, and the Markdown it writes
rendered by Python-Markdown with the imported project's extensions (issue 26).

Whatever the strings, the pages hold no element, attribute or URL from them (the same check as
the end-to-end builds in tests/test_import_escaping.py, without a MkDocs build per example); no
page title can end Material's ``<title>``; and the site's title, author and nav titles, which
Material writes into HTML as they are, hold no ``<``, ``>`` or ``"``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import markdown
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hostile.injection import injected
from litreview.core.importers.project import files, read

PIECES = [
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "</title>", '"', "'", "<", ">", "&",
    "&lt;", "&#60;", "```", "~~~", "`", "[x](javascript:alert(1))", "[x]: javascript:alert(1)",
    "{: onclick=alert(1)}", "{#x onmouseover=alert(1)}", "\n", "\n\n", "    ", "\\", "\\\\", "[", "]",
    "(", ")", "{", "}", "*", "_", "#", "!", "|", "@", "%", "$", "^", "~", "javascript:", "data:text/html,",
    " java\tscript:alert(1)", "\\textless{}", "\\textbackslash{}", "\\{", "\\}", "\x00", "\x02", "\x03",
    "\\end{verbatim}", "\\item ", "$$", "\\[", "\\]", "<div markdown=\"1\">", "-->", "<!--", "é",
]  # fmt: skip
PAYLOAD = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=8).map("".join)
CONSTRUCTS = [
    "{x}", "\\section{{{x}}}", "\\subsection{{{x}}}", "\\paragraph{{{x}}}", "\\emph{{{x}}}",
    "\\textbf{{{x}}}", "\\texttt{{{x}}}", "${x}$", "\\({x}\\)", "\\[{x}\\]",
    "\\begin{{equation}}{x}\\end{{equation}}", "\\begin{{verbatim}}\n{x}\n\\end{{verbatim}}",
    "\\begin{{quote}}{x}\n\n\\begin{{verbatim}}\n{x}\n\n{x}\n\\end{{verbatim}}\\end{{quote}}",
    "\\url{{{x}}}", "\\href{{{x}}}{{{x}}}", "\\footnote{{{x}}}",
    "\\begin{{itemize}}\\item {x}\\item[{x}] {x}\\end{{itemize}}",
    "\\begin{{figure}}\\caption{{{x}}}\\label{{{x}}}{x}\\end{{figure}}", "\\label{{{x}}}", "\\ref{{{x}}}",
    "\\cref{{{x}}}", "\\title{{{x}}}", "\\author{{{x}}}", "\\cite[{x}][{x}]{{{x}}}", "\\mystery{{{x}}}",
    "\\begin{{tabular}}{{l}}{x}\\end{{tabular}}", "\\begin{{mystery}}{x}\\end{{mystery}}",
]  # fmt: skip
DOCUMENT = st.lists(st.tuples(st.sampled_from(CONSTRUCTS), PAYLOAD), min_size=1, max_size=6)


def _renderer(config: dict[str, Any]) -> markdown.Markdown:
    """Python-Markdown as MkDocs runs it for the imported project: its extensions (litreview's own,
    which the plugin runs, aside) and MkDocs' built-in toc, tables and fenced_code."""
    names: list[str] = ["toc", "tables", "fenced_code"]
    options: dict[str, Any] = {}
    for entry in config["markdown_extensions"]:
        name, option = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        if not name.startswith("litreview"):
            names.append(name)
            options[name] = option or {}
    return markdown.Markdown(extensions=list(dict.fromkeys(names)), extension_configs=options)


def _nav_titles(entries: Any) -> list[str]:
    titles: list[str] = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            for title, target in entry.items():
                titles += [str(title), *_nav_titles(target)]
    return titles


@settings(
    max_examples=int(os.environ.get("LITREVIEW_LATEX_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(DOCUMENT)
# found in a fresh clone's run: an unclosed brace swallowed a figure into a section's title, whose
# closing tags the title guard broke, so the rest of the caption read as live Markdown
@example(
    [
        ("\\section{{{x}}}", "{"),
        ("\\begin{{figure}}\\caption{{{x}}}\\label{{{x}}}{x}\\end{{figure}}", "[x](javascript:alert(1))$$"),
    ]
)
# found by make test: a comment ate \end{tabular}, so \texttt became a cell's <code>, whose text
# Python-Markdown reads as Markdown: a live javascript: link
@example(
    [
        ("\\begin{{tabular}}{{l}}{x}\\end{{tabular}}", "%"),
        ("\\texttt{{{x}}}", "[x](javascript:alert(1))"),
    ]
)
# found by make test: a carriage return inside display math in a quote ended the math's line for
# Python-Markdown, whose next line was then outside the quote and the math: a live javascript: link
@example(
    [
        (
            "\\begin{{quote}}{x}\n\n\\begin{{verbatim}}\n{x}\n\n{x}\n\\end{{verbatim}}\\end{{quote}}",
            "[x](javascript:alert(1))$$\r#",
        )
    ]
)
def test_hostile_text_in_any_construct_stays_text(document: list[tuple[str, str]]) -> None:
    source = "\n\n".join(construct.format(x=payload) for construct, payload in document)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.tex"
        path.write_text(source, encoding="utf-8", errors="surrogatepass")
        imported = read([path], Path(folder))
        written = files(imported)
    config = yaml.safe_load(str(written["mkdocs.yml"]))
    md = _renderer(config)
    for name, text in imported.pages.items():
        html = md.reset().convert(text)
        assert not injected(html), (name, text, html)
        for h1 in BeautifulSoup(html, "lxml").find_all("h1"):
            assert "</" not in h1.get_text(), (name, text)
    for value in [config["site_name"], config.get("site_author", ""), *_nav_titles(config["nav"])]:
        assert not set('<>"') & set(value), value

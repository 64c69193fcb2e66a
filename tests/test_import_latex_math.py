"""`litreview import` of LaTeX math and cross-references (issue 29: "nothing of the source's
syntax is left as text"): math becomes what ``pymdownx.arithmatex`` reads (the conventions of
:mod:`litreview.core.importers.texmath`), an equation's ``\\label`` an anchor, and every
``\\ref``, ``\\eqref``, ``\\autoref``, ``\\cref`` a link with the number LaTeX prints, across pages;
a reference with no label is reported where it is written.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hostile.injection import injected
from litreview.core.importers.latex import read_latex
from litreview.core.importers.project import files


def _read(tmp_path: Path, body: str) -> tuple[dict[str, str], list[str], str]:
    source = tmp_path / "review.tex"
    source.write_text(
        f"\\documentclass{{article}}\n\\begin{{document}}\n{body}\n\\end{{document}}\n", encoding="utf-8"
    )
    result = read_latex([source], tmp_path)
    return result.pages, [f.format() for f in result.findings], str(files(result)["mkdocs.yml"])


def _render(config: str, text: str) -> str:
    """A page as MkDocs renders it with the imported project's Markdown extensions."""
    names: list[str] = ["toc", "tables", "fenced_code"]
    options: dict[str, object] = {}
    for entry in yaml.safe_load(config)["markdown_extensions"]:
        name, option = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        if not name.startswith("litreview"):
            names.append(name)
            options[name] = option or {}
    return markdown.Markdown(extensions=list(dict.fromkeys(names)), extension_configs=options).convert(text)


INLINE = {
    "dollars": ("Energy $\\Delta G = -RT\\ln K$ here.", "$\\Delta G = -RT\\ln K$"),
    "parentheses": ("Energy \\( \\lambda_i \\) here.", "$\\lambda_i$"),
    "in a caption": (
        "\\begin{figure}\\caption{At $\\lambda=0$.}\\end{figure}",
        '<figcaption>Figure 1: At <span class="arithmatex">\\(\\lambda=0\\)</span>.</figcaption>',
    ),
    "less than": ("If $a<b$ and $c>d$.", "$a\\lt b$ and $c\\gt d$"),
}


@pytest.mark.parametrize("case", list(INLINE))
def test_inline_math_is_arithmatex_math(tmp_path: Path, case: str) -> None:
    tex, expected = INLINE[case]
    pages, findings, config = _read(tmp_path, tex)
    assert expected in pages["index.md"], pages["index.md"]
    assert "`" not in pages["index.md"] and not [f for f in findings if "math" in f], findings
    assert "pymdownx.arithmatex" in config
    html = _render(config, pages["index.md"])
    assert 'class="arithmatex"' in html, html


DISPLAY = {
    "brackets": ("\\[ x^2 \\]", "$$\nx^2\n$$"),
    "equation*": ("\\begin{equation*} x^2 \\end{equation*}", "$$\nx^2\n$$"),
    "equation": ("\\begin{equation}\n  x^2\n\\end{equation}", "$$\nx^2 \\tag{1}\n$$"),
    "align": (
        "\\begin{align}\n a &= b \\\\\n c &= d \\nonumber \\\\\n e &= f\n\\end{align}",
        "$$\n\\begin{align*}\na &= b \\tag{1} \\\\\nc &= d \\\\\ne &= f \\tag{2}\n\\end{align*}\n$$",
    ),
}


@pytest.mark.parametrize("case", list(DISPLAY))
def test_display_math_is_a_math_block_numbered_as_latex_numbers_it(tmp_path: Path, case: str) -> None:
    tex, expected = DISPLAY[case]
    pages, findings, config = _read(tmp_path, f"Before.\n{tex}\nAfter.")
    assert f"\n\n{expected}\n\n" in pages["index.md"], pages["index.md"]
    assert "```" not in pages["index.md"] and not findings, findings
    assert 'class="arithmatex"' in _render(config, pages["index.md"])


def test_text_dollars_are_not_math(tmp_path: Path) -> None:
    pages, _, _ = _read(tmp_path, "It cost \\$5 and \\$6, or $x$.")
    assert "It cost &#36;5 and &#36;6, or $x$." in pages["index.md"]


REFERENCES = """\\section{Methods}\\label{sec:methods}
\\subsection{Free energy}\\label{sec:fe}
\\begin{equation}\\label{eq:dg}
\\Delta G = -RT \\ln K
\\end{equation}
\\begin{align}
a &= b \\label{eq:a}\\\\
c &= d \\label{eq:c}
\\end{align}
\\begin{figure}\\caption{A plot.}\\label{fig:plot}\\end{figure}
\\begin{table}\\caption{Values.}\\label{tab:values}\\end{table}
\\section{Results}
By \\eqref{eq:dg}, \\ref{eq:c} and \\autoref{eq:a}; see \\cref{fig:plot}, \\Cref{tab:values},
\\autoref{sec:fe}, Section~\\ref{sec:methods} and page~\\pageref{fig:plot}.
"""


def test_references_are_links_with_the_number_latex_prints(tmp_path: Path) -> None:
    pages, findings, _ = _read(tmp_path, REFERENCES)
    methods, results = pages["methods.md"], pages["results.md"]
    for anchor in ("eq:dg", "eq:a", "eq:c"):
        assert f'<span id="{anchor}"></span>' in methods, methods
    for expected in (
        "By [(1)](methods.md#eq:dg), [3](methods.md#eq:c) and [Equation 2](methods.md#eq:a)",
        "see [Figure 1](methods.md#fig:plot), [Table 1](methods.md#tab:values),\n"
        "[Section 1.1](methods.md#sec:fe), Section [1](methods.md#sec:methods) and page",
    ):
        assert expected in results, results
    assert "pageref" not in results and "\\" not in results.replace("\\ln", ""), results
    assert not findings, findings


def test_a_label_on_an_unnumbered_row_names_the_equation(tmp_path: Path) -> None:
    tex = (
        "\\begin{eqnarray}\\label{eq:v}\n a &=& b \\nonumber \\\\\n &=& c\n\\end{eqnarray}\nBy \\eqref{eq:v}."
    )
    pages, findings, _ = _read(tmp_path, tex)
    assert "c \\tag{1}" in pages["index.md"] and "By [(1)](#eq:v)." in pages["index.md"], pages["index.md"]
    assert not findings, findings


def test_a_reference_with_no_label_is_reported_where_it_is_written(tmp_path: Path) -> None:
    _, findings, _ = _read(tmp_path, "\\section{A}\nText.\n\nSee \\ref{nowhere} and \\eqref{gone}.")
    assert findings == [
        "review.tex:6:5: warning[IMP002] \\ref{nowhere} has no \\label to point at: kept as written",
        "review.tex:6:23: warning[IMP002] \\eqref{gone} has no \\label to point at: kept as written",
    ]


HOSTILE = [
    "$<img src=x onerror=alert(1)>$",
    "$[x](javascript:alert(1))$",
    "\\(<script>alert(1)</script>\\)",
    "\\[\n<div onclick=alert(1)>x</div>\n\\]",
    "\\begin{equation}\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\\label{<b onclick=x>}\n\\end{equation}",
    "\\begin{align}<img src=x onerror=alert(1)> \\\\ [x](javascript:alert(1)) \\end{align}",
    "\\begin{figure}\\caption{$<img src=x onerror=alert(1)>$}\\end{figure}",
    "$a`b$ and $c`[x](javascript:alert(1))$",  # a code span from one math into the next
    "\\[ a \\] b \\] [x](javascript:alert(1)) \\[ c \\]",
    "\\begin{itemize}\\item \\[ \\text{\\)} [y](javascript:alert(1)) \\]\\end{itemize}",  # inline: \\) would end it
    "$\\tag{[x](javascript:alert(1))}$ \\begin{equation}\\tag{[x](javascript:alert(1))}\\label{t}\\end{equation} \\ref{t}",
]


@pytest.mark.parametrize("tex", HOSTILE)
def test_hostile_math_stays_math(tmp_path: Path, tex: str) -> None:
    pages, _, config = _read(tmp_path, f"\\section{{S}}\n{tex}\n")
    for text in pages.values():
        assert not injected(_render(config, text)), text


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet="ab$\\()[]{}<>&#`*_ \n^", max_size=30), st.sampled_from(["$", "\\(", "\\["]))
@example(body="<$&<\n&\n", opener="$")  # found by a fresh clone: a stray & became a table's " | "
def test_any_math_imports_as_math_or_text(tmp_path: Path, body: str, opener: str) -> None:
    closer = {"$": "$", "\\(": "\\)", "\\[": "\\]"}[opener]
    pages, _, config = _read(tmp_path, f"Text {opener}{body}{closer} end.")
    html = _render(config, pages["index.md"])
    assert not injected(html)
    assert not re.search(r"<(?!/?(p|span|div|code|h1|br|a|em|strong|sup|sub)\b)", html.replace("&lt;", "")), (
        html
    )


@pytest.mark.parametrize("tex", ["a & b\n& c", "a \\textbar{} b\n-\\textbar{}-", "x | y\n-|-"])
def test_text_never_reads_as_a_table(tmp_path: Path, tex: str) -> None:
    """A stray & (an alignment tab outside a tabular) stays an ampersand, and a pipe in text is
    escaped: two lines of prose never become a pipe table."""
    pages, _, config = _read(tmp_path, f"\\section{{S}}\n{tex}\n")
    assert all("<table>" not in _render(config, text) for text in pages.values())

"""Imported text is data (issue 26): a LaTeX review whose text, math, links, labels, captions
and code carry script imports and builds into pages with no element, attribute or URL from it.

Reported: nine constructs of an imported .tex ran script in Chromium (math, \\url, \\href, a
plain ``<``, captions, \\label through attr_list, code fences broken out of with ```). Each
vector and its siblings is one tiny review, imported and built with MkDocs in this process.
"""

from __future__ import annotations

import contextlib
import io
import logging
from pathlib import Path

import pytest

from hostile.parsed_html import injected
from litreview.cli import main

IMG = "<img src=x onerror=alert(1)>"
VECTORS = {
    "inline math": f"Text ${IMG}$ and \\({IMG}\\).",
    "display math": f"\\[ {IMG} \\]\n\n\\begin{{equation}}\n{IMG}\n\\end{{equation}}\n",
    "url": f"See \\url{{x>{IMG}}} and \\url{{x onmouseover=alert(1) }}.",
    "url scheme in a character reference": "\\href{&#106;avascript:alert(1)}{x} \\url{&#x6A;avascript:alert(1)}",
    "url scheme": "See \\url{javascript:alert(1)} and \\url{ java\tscript:alert(1)}.",
    "href": f"A \\href{{javascript:alert(1)}}{{click}} and \\href{{data:text/html,x}}{{{IMG}}}.",
    "plain text": f"A {IMG} and \\textless{{}}img src=x onerror=alert(1)\\textgreater{{}} here.",
    "markdown link in text": "A [click](javascript:alert(1)) and [x]\n\n[x]: javascript:alert(1)\n",
    "attr_list in text": "A paragraph\n\\{: onmouseover=alert(1)\\}\n\nAnd \\emph{x}\\{: onclick=alert(1)\\}.",
    "caption": f"\\begin{{figure}}\\caption{{{IMG}}}\\label{{fig:a}}\\end{{figure}}",
    "code in a caption": (
        f"\\begin{{figure}}\\caption{{${IMG}$ \\texttt{{{IMG}}} \\url{{https://x/onfocus=alert(1)/autofocus}}"
        f" \\begin{{verbatim}}{IMG}\\end{{verbatim}}}}\\end{{figure}}"
    ),
    "section label": '\\section{S}\\label{x" onmouseover="alert(1)}\nSee \\ref{x" onmouseover="alert(1)}.',
    "figure label": '\\begin{figure}\\caption{C}\\label{x" onmouseover="alert(1)}\\end{figure}\\ref{x" onmouseover="alert(1)}',
    "ref in a footnote": f"Text.\\footnote{{See \\ref{{{IMG}}} and \\ref{{fig:a}}.}}\\begin{{figure}}\\caption{{C}}\\label{{fig:a}}\\end{{figure}}",
    "unresolved ref": f"See \\ref{{{IMG}}} and \\cref{{{IMG}}}.",
    "verbatim fence": f"\\begin{{verbatim}}\n```\n{IMG}\n```\n\\end{{verbatim}}\n",
    "verbatim in quote": f"\\begin{{quote}}\n\\begin{{verbatim}}\na\n\n{IMG}\n\\end{{verbatim}}\n\\end{{quote}}\n",
    "code lines in a quote": f"\\begin{{quote}}\\begin{{verbatim}}\n>{IMG}\n\n- [x](javascript:alert(1))\n    {IMG}\n```\n\\end{{verbatim}}\\end{{quote}}",
    "tabular fence": f"\\begin{{tabular}}{{l}}\n```\n{IMG}\n\\end{{tabular}}\n",
    "tilde fence": f"\\textasciitilde\\textasciitilde\\textasciitilde\n\n\\begin{{verbatim}}\n~~~\n{IMG}\n\\end{{verbatim}}\n",
    "texttt": f"Code \\texttt{{`{IMG}`}} and \\texttt{{a}}\\{{: onclick=alert(1)\\}}.",
    "emphasis": f"\\emph{{{IMG}}} \\textbf{{{IMG}}}",
    "unknown command": f"\\mystery{{{IMG}}} \\mystery\n{{: onclick=alert(1)}}\n\nnext",
    "footnote": f"Note.\\footnote{{{IMG} \\url{{javascript:alert(1)}}}}",
    "item": f"\\begin{{description}}\\item[{IMG}] {IMG}\\end{{description}}",
    "section title": f"\\section{{{IMG}}}\nText.\n\\subsection{{{IMG}}}\nMore.",
    "section title ending the page title": f"\\section{{</title>{IMG}}}\nText.",
    "code in a title ending it": f"\\section{{$</title>{IMG}$ \\texttt{{</title>{IMG}}}}}\nText.",
    "title and author": f'\\title{{</title>{IMG}}}\\author{{{IMG} "q"}}\\begin{{document}}x\\end{{document}}',
    "citation": f"As \\cite{{x{IMG}}} and \\citep[{IMG}][{IMG}]{{y}}.",
    "citation key that is no key": f"As \\cite{{x\n{IMG}}} and \\cite{{a b{IMG}, c}}.",
    "citation key with a link": "As \\cite{x](javascript:alert(1)} and \\cite[x](javascript:alert(1)]{y}.",
    "link without arguments in code": "\\texttt{{}\n\n\\href{$$}{$$}",
    "code spans touching": f"${IMG}```$$$ and \\texttt{{a`}}\\texttt{{`{IMG}}}",
    "nested figures": "\\begin{figure}\\caption{a%\n}\\begin{figure}\\label{x}\\end{figure}\\label{y}\\end{figure}",
    "backslash before escape": "\\textbackslash[click](javascript:alert(1))\\textbackslash",
    "control characters": f"A \x00REF:{IMG}\x00 and \x02wzxhzdk:0\x03.",
}


def _build(config: Path, site: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            build(load_config(config_file=str(config), site_dir=str(site)))
    finally:
        logging.disable(logging.NOTSET)


@pytest.mark.parametrize("vector", list(VECTORS))
def test_imported_latex_builds_with_nothing_from_its_text(
    vector: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "review.tex"
    source.write_text(f"Intro.\n\n{VECTORS[vector]}\n", encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "out")]) == 0
    assert "Traceback" not in capsys.readouterr().err
    _build(tmp_path / "out" / "mkdocs.yml", tmp_path / "site")
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert pages
    found = {
        page.relative_to(tmp_path / "site").as_posix(): injected(page.read_text("utf-8")) for page in pages
    }
    assert not {page: what for page, what in found.items() if what}


FIGURE = '![A `{img}` caption](x.png){{#fig-a"onmouseover="alert(1)}}'
QUARTO = {
    "figure id": FIGURE.format(img="code") + '\n\nSee @fig-a"onmouseover="alert(1).',
    "code in a figure caption": FIGURE.format(img=IMG),
    "figure source": "![Cap](x<img/src=x/onerror=alert&#40;2&#41;>.png)",
    "chunk label": '```{python}\n#| label: fig-b"/onmouseover="alert(3)\n1\n```\n\nSee @fig-b.',
}


@pytest.mark.parametrize("vector", list(QUARTO))
def test_what_the_quarto_importer_makes_holds_nothing_from_its_source(
    vector: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Quarto pages are author Markdown (their own raw HTML stays), but the <figure>s and ids the
    importer writes around them must not let the source's text out (Manubot shares the figures)."""
    source = tmp_path / "page.qmd"
    source.write_text(f"# Page\n\nIntro.\n\n{QUARTO[vector]}\n\nEnd.\n", encoding="utf-8")
    assert main(["import", str(source), "-o", str(tmp_path / "out")]) == 0
    assert "Traceback" not in capsys.readouterr().err
    # the blocks it writes, read as HTML (md_in_html reads a <figure> so; browsers differ from
    # Python-Markdown on a malformed tag, which Python-Markdown 3.11 happens to escape)
    written = (tmp_path / "out" / "content" / "page.md").read_text("utf-8")
    assert not injected(written)
    _build(tmp_path / "out" / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "page" / "index.html").read_text("utf-8")
    assert not injected(html, images=True)

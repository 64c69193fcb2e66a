"""`litreview import` of LaTeX, what issue 29 saw on real reviews: the paper's own macros left
visible (144 commands in one review), its preamble on the home page and ``site_author``
holding ``\\affiliation{…}``, a ``\\caption{… \\citet{k}}`` that lost its citation, and with
``\\bibliography`` commented out the ``.bib`` beside the main file not taken, silently.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from litreview.core.importers.latex import read_latex
from litreview.core.importers.project import files
from litreview.core.source.scanner import scan
from pandoc_oracle import pandoc_cites

DEFINITIONS = {
    "newcommand braced": ("\\newcommand{\\pick}[2]{#2 then #1}", "\\pick{a}{b}", "b then a"),
    "newcommand unbraced": ("\\newcommand\\pick[2]{{#1}}", "\\pick{Software}{http://x}", "Software"),
    "renewcommand": ("\\newcommand{\\pick}{old}\\renewcommand{\\pick}{new}", "\\pick{}", "new"),
    "providecommand default": (
        "\\providecommand{\\pick}[2][dflt]{(#1/#2)}",
        "\\pick{y} \\pick[z]{w}",
        "(dflt/y) (z/w)",
    ),
    "def with parameters": ("\\def\\pick#1#2{#2-#1}", "\\pick{a}{b}", "b-a"),
    "no arguments": ("\\newcommand{\\rref}{{\\bfseries[REFs]}{}}", "see \\rref.", "see **\\[REFs\\]**."),
    "nested": (
        "\\newcommand{\\inner}[1]{*#1*}\\newcommand{\\outer}[1]{\\inner{#1}!}",
        "\\outer{x}",
        "\\*x\\*!",
    ),
    "in math": ("\\newcommand{\\expect}[1]{\\langle{#1}\\rangle}", "$\\expect{x}$", "$\\langle{x}\\rangle$"),
}


def _read(tmp_path: Path, tex: str, name: str = "review.tex") -> tuple[dict[str, str], list[str], str]:
    source = tmp_path / name
    source.write_text(tex, encoding="utf-8")
    result = read_latex([source], tmp_path)
    config = str(files(result)["mkdocs.yml"])
    return result.pages, [f.format() for f in result.findings], config


@pytest.mark.parametrize("case", list(DEFINITIONS))
def test_the_papers_own_macros_are_expanded(tmp_path: Path, case: str) -> None:
    define, use, expected = DEFINITIONS[case]
    tex = f"\\documentclass{{article}}\n{define}\n\\begin{{document}}\n\\section{{S}}\nText {use} end.\n\\end{{document}}\n"
    pages, findings, _ = _read(tmp_path, tex)
    assert expected in pages["s.md"], pages["s.md"]
    assert not [f for f in findings if "pick" in f or "expect" in f or "newcommand" in f], findings
    assert "\\pick" not in pages["s.md"] and "newcommand" not in "".join(pages.values())


def test_a_macro_that_defines_a_section_makes_a_page(tmp_path: Path) -> None:
    tex = "\\newcommand{\\practicesection}[2]{\\section{#1}\\label{#2}}\n\\practicesection{Data}{sec:data}\nSee \\ref{sec:data}.\n"
    pages, _, _ = _read(tmp_path, tex)
    assert pages["data.md"].startswith("# Data {#sec:data}\n")


def test_what_a_macro_leaves_is_reported_where_it_is_used(tmp_path: Path) -> None:
    tex = "\\newcommand{\\odd}[1]{\\mystery{#1}}\n\\def\\loop{\\loop x}\n\\def\\delim#1.{#1}\nText\n  \\odd{a} \\loop.\n"
    _, findings, _ = _read(tmp_path, tex)
    assert "review.tex:5:3: warning[IMP002] \\mystery: kept as written (first at this line)" in findings
    assert any(
        f.startswith("review.tex:5:11: warning[IMP002] \\loop: a macro that expands without end")
        for f in findings
    )
    assert any(
        f.startswith("review.tex:3:1: warning[IMP002] \\def\\delim with delimited parameters")
        for f in findings
    )


NOT_APPLIED = {
    "delimited parameters": ("\\def\\a#1.{x}", "\\def\\a with delimited parameters"),
    "a command litreview converts": (
        "\\renewcommand{\\cite}[1]{X}",
        "\\renewcommand\\cite: litreview reads \\cite itself",
    ),
    "a definer": (
        "\\newcommand\\newcommand{X}",
        "\\newcommand\\newcommand: litreview reads \\newcommand itself",
    ),
    "def of a definer": ("\\def\\def{X}", "\\def\\def: litreview reads \\def itself"),
}


@pytest.mark.parametrize("case", list(NOT_APPLIED))
def test_a_definition_not_applied_is_reported_as_left_out(tmp_path: Path, case: str) -> None:
    """Each is left out of the page (LaTeX prints nothing for a definition) and the finding says
    so: it had said "kept as written", or nothing for a command litreview reads."""
    define, why = NOT_APPLIED[case]
    pages, findings, _ = _read(tmp_path, f"A\n\n{define}\n\nB \\cite{{k}} \\newcommand{{\\b}}{{Y}}\\b.\n")
    assert pages["index.md"].endswith("\n\nA\n\nB [@k] Y.\n"), pages["index.md"]
    assert f"review.tex:3:1: warning[IMP002] {why}: not expanded, left out (first at this line)" in findings
    assert not [f for f in findings if "kept as written" in f], findings


@pytest.mark.parametrize(
    ("define", "kept"),
    [
        ("\\def\\&{and}", "\\def"),  # no name TeX's way: a letter after the backslash
        ("{\\newcommand{\\a}}", "\\newcommand"),  # no body
        ("\\def\\a#1.", "\\def"),  # parameters with no body after them
    ],
)
def test_a_definition_that_cannot_be_read_is_kept_as_written(tmp_path: Path, define: str, kept: str) -> None:
    """Taken out up to where it could be read, it left the rest in the page while the finding
    said "kept as written"; without a body, a \\def's parameters ran to the end of the file."""
    pages, findings, _ = _read(tmp_path, f"A\n\n{define}\n\nB and the rest.\n")
    assert kept in pages["index.md"] and pages["index.md"].endswith("\n\nB and the rest.\n"), pages
    assert (
        f"review.tex:3:{1 + define.index(kept)}: warning[IMP002] {kept}: kept as written (first at this line)"
        in findings
    )
    assert not [f for f in findings if "left out" in f], findings


def test_a_redefinition_in_the_preamble_of_what_litreview_reads_is_not_reported(tmp_path: Path) -> None:
    """As the other commands of the preamble: a style's \\maketitle or \\cite is no loss."""
    tex = "\\documentclass{article}\n% \\begin{document}\n\\renewcommand{\\maketitle}{X}\n\\begin{document}\nA\n\\renewcommand{\\cite}{Y}\n\\end{document}\n"
    _, findings, _ = _read(tmp_path, tex)
    assert [f for f in findings if "itself" in f] == [
        "review.tex:6:1: warning[IMP002] \\renewcommand\\cite: litreview reads \\cite itself: not expanded, left out (first at this line)"
    ]


@pytest.mark.parametrize("define", ["\\def\\R {R}", "\\def\\R  {R}", "\\def\\R\n{R}"])
def test_spaces_after_the_name_of_a_def_are_skipped_as_tex_skips_them(tmp_path: Path, define: str) -> None:
    """They had read as delimited parameters: the macro was not expanded."""
    pages, findings, _ = _read(tmp_path, f"{define}\n\nA \\R{{}} and \\def\\x #1{{(#1)}}\\x{{y}}.\n")
    assert pages["index.md"].endswith("\n\nA R and (y).\n"), pages["index.md"]
    assert not findings or all("IMP005" in f for f in findings), findings


def test_macros_that_expand_without_bound_are_refused(tmp_path: Path) -> None:
    """Each level doubles the text: 2^40 characters unless the expansion is bounded."""
    name = [f"\\m{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(41)]
    levels = "".join(f"\\def{name[i]}{{{name[i + 1]}{name[i + 1]}}}\n" for i in range(40))
    source = tmp_path / "bomb.tex"
    source.write_text(levels + f"\\def{name[40]}{{xxxxxxxx}}\n{name[0]}\n", encoding="utf-8")
    from litreview.core.importers.imported import ImportRefused

    with pytest.raises(ImportRefused, match="macros expand to more LaTeX than an import converts") as refused:
        read_latex([source], tmp_path)
    assert refused.value.problem.format().startswith("bomb.tex:1:1: error[IMP001]")  # about the whole file


PREAMBLE = """\\documentclass{revtex4}
\\setlength{\\parindent}{0pt}
\\hypersetup{colorlinks=true}
\\title{A Review of Things}
\\author{Ann Alpha\\affiliation{Uni One}\\thanks{Funded}}
\\author{Bob Beta}
\\affiliation{Uni Two}
\\date{2021-03-04}
\\begin{document}
\\maketitle
\\begin{abstract}Short \\emph{abstract}.\\end{abstract}
Text.
\\end{document}
"""


def test_the_title_block_goes_to_the_metadata_not_the_home_page(tmp_path: Path) -> None:
    pages, findings, config = _read(tmp_path, PREAMBLE)
    assert pages["index.md"] == "# A Review of Things\n\n## Abstract\n\nShort *abstract*.\nText.\n"
    data = yaml.safe_load(config)
    assert data["site_author"] == "Ann Alpha, Bob Beta"
    assert data["plugins"][1]["litreview"]["publication"] == {
        "title": "A Review of Things",
        "authors": [
            {"name": "Ann Alpha", "affiliation": "Uni One"},
            {"name": "Bob Beta", "affiliation": "Uni Two"},
        ],
        "date": "2021-03-04",
        "abstract": "Short abstract.",
    }
    assert (
        findings
        == [
            "review.tex:5:1: warning[IMP002] no \\bibliography or \\addbibresource: references.bib starts empty"
        ]
        or not findings
    )


def test_authblk_affiliations_and_a_missing_date(tmp_path: Path) -> None:
    tex = "\\title{T}\n\\author[1,2]{Ann Alpha}\n\\author[2]{Bob Beta}\n\\affil[1]{One}\n\\affil[2]{Two}\n\\begin{document}\nX\n\\end{document}\n"
    pages, findings, config = _read(tmp_path, tex)
    assert yaml.safe_load(config)["site_author"] == "Ann Alpha, Bob Beta"
    assert "publication" not in config and "One" not in pages["index.md"]
    assert (
        "review.tex:1:1: warning[IMP006] the title block has no \\date: publication: not written" in findings
    )


CAPTIONS = {
    "caption in center": "\\begin{figure}\\begin{center}\\caption{From \\citet{k}.}\\end{center}\\end{figure}",
    "caption in minipage": "\\begin{figure}\\begin{minipage}{.5\\linewidth}\\caption{From \\citet{k}.}\\end{minipage}\\end{figure}",
    "caption in a group": "\\begin{figure*}{\\centering\\caption{From \\citet{k}.}}\\end{figure*}",
    "wrapfigure": "\\begin{wrapfigure}{r}{0.5\\textwidth}\\caption{From \\citet{k}.}\\end{wrapfigure}",
    "table cell": "\\begin{table}\\begin{tabular}{ll}\\hline A & B\\\\ From & \\citet{k}.\\\\\\end{tabular}\\end{table}",
    "caption outside a float": "\\begin{minipage}{3cm}\\caption{From \\citet{k}.}\\end{minipage}",
    "footnote": "Text.\\footnote{From \\citet{k}.}",
}


@pytest.mark.parametrize("case", list(CAPTIONS))
def test_citations_in_captions_tables_and_footnotes_are_kept(tmp_path: Path, case: str) -> None:
    pages, _, _ = _read(tmp_path, f"\\section{{S}}\n{CAPTIONS[case]}\n")
    assert "@k" in pages["s.md"] and "citet" not in pages["s.md"], pages["s.md"]


def test_a_table_becomes_a_pipe_table(tmp_path: Path) -> None:
    tex = "\\section{S}\n\\begin{tabular}{ll}\\toprule Tool & Source\\\\\\midrule A|B & \\cite{k}\\\\\\bottomrule\\end{tabular}\n"
    pages, _, _ = _read(tmp_path, tex)
    assert "| Tool | Source |\n| --- | --- |\n| A\\|B | [@k] |" in pages["s.md"]


@pytest.mark.parametrize("pasted", [True, False])
def test_the_bib_beside_the_main_file_is_taken_and_said(tmp_path: Path, pasted: bool) -> None:
    (tmp_path / "review.bib").write_text("@misc{k, title={T}}\n", encoding="utf-8")
    bibliography = "\\begin{thebibliography}{1}\n\\bibitem{k} T.\n\\end{thebibliography}\n" if pasted else ""
    tex = f"\\section{{S}}\nSee \\cite{{k}}.\n% \\bibliography{{review}}\n{bibliography}"
    pages, findings, config = _read(tmp_path, tex)
    assert "bibliography: review.bib" in config
    where = "review.tex:4:1" if pasted else "review.tex:2:5"
    what = "a pasted thebibliography" if pasted else "no \\bibliography"
    assert (
        f"{where}: warning[IMP005] {what}: took review.bib beside review.tex as the bibliography" in findings
    )
    assert "bibitem" not in pages["s.md"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "\\newcommand",
                "\\def",
                "\\renewcommand",
                "{\\a}",
                "\\a",
                "\\b",
                "[1]",
                "[2]",
                "[x]",
                "{#1}",
                "#1",
                "#2",
                "{",
                "}",
                "\\a{\\b}",
                "\\def\\b{\\a\\a}",
                "x",
                " ",
                "\n",
                "%",
                "\\section{S}",
            ]
        ),
        max_size=30,
    ).map("".join)
)
@example("\\newcommand\\newcommand\\newcommand\\a{%\\newcommand")  # a definer redefined: was left unsaid
@example("\\renewcommand\\newcommand{x}\\newcommand")
@example("\\newcommand\\renewcommand{")  # \\renewcommand is \\newcommand's argument, kept with it
@example("\\def{\\newcommand")
@example("\\newcommand{\n\\renewcommand")
@example("\\a{\\b}{\\newcommand")
def test_any_macros_import_or_report(tmp_path: Path, text: str) -> None:
    source = tmp_path / "m.tex"
    source.write_text(text, encoding="utf-8")
    from litreview.core.importers.imported import ImportRefused

    try:
        result = read_latex([source], tmp_path)
    except ImportRefused:
        return
    assert "index.md" in result.pages
    named = " ".join(f.message for f in result.findings)
    kept = set(re.findall(r"\\([A-Za-z@]+): kept as written", named))
    for page in result.pages.values():
        page = re.sub("%[^\n]*", "", page)  # a comment kept in an argument is part of it
        for m in re.finditer(r"\\(newcommand|renewcommand)\b", page):
            # what is left is reported: itself, or a command kept before it, whose arguments hold it
            before = set(re.findall(r"\\([A-Za-z@]+)", page[: m.start()]))
            assert m.group(1) in kept or kept & before, (page, named)


@pytest.mark.parametrize(
    "tex",
    [
        "\\begin{tabular}{l}\\citep[][\\texttt{v1.2; x}]{k} \\\\ \\end{tabular}\n",
        "\\begin{figure}\\caption{See \\citep[\\texttt{a<b}][\\texttt{v1.2}]{k}.}\\end{figure}\n",
        "\\begin{figure}\\caption{Fig \\citep[][\\texttt{p;q]}]{k}}\\end{figure}\n",  # an attack pass
        "See \\citep[][a; b]{k}.\n",  # a ";" in LaTeX's optional argument is text
        "See \\citep[x;y][p. 3]{k}.\n",
        "See \\citet[a;b]{k}.\n",
        "See \\citep[$x;y$]{k}.\n",  # math holds its ";": no reference in it
        "\\begin{tabular}{l}\\citep[][\\texttt{x|y}]{k} \\\\ \\end{tabular}\n",
    ],
)
def test_code_in_a_citation_in_raw_html_keeps_the_citation_whole(tmp_path: Path, tex: str) -> None:
    """In a cell or a caption, code is ``<code>`` with character references, whose ";" split the
    citation it was in (found by an attack pass): in a citation it is a code span, as pandoc reads it."""
    pages, _, _ = _read(tmp_path, tex)
    scanned = scan(pages["index.md"], "index.md")  # as litreview check and build read it
    assert [f.citation.keys for f in scanned.found] == [("k",)] and not scanned.problems, pages
    assert pandoc_cites(pages["index.md"]) == [("k",)], pages
    assert "&#59;" not in "".join(re.findall(r"\$[^$]*\$|`[^`]*`", pages["index.md"])), pages


def test_a_title_that_swallowed_code_shows_its_text(tmp_path: Path) -> None:
    """An unclosed brace puts a table's ``<code>`` into a heading, whose tags are taken out: its
    character references stayed, and showed as written (``a&#95;b``)."""
    pages, _, _ = _read(tmp_path, "\\section{A \\begin{tabular}{l}\\texttt{a_b<c}\\end{tabular}\n")
    (name,) = [n for n in pages if n != "index.md"]
    assert "95" not in pages[name] + name and "amp" not in pages[name] + name, (name, pages[name])

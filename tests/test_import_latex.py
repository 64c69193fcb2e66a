"""`litreview import` of a LaTeX review (issue 14), on a review written from LaTeX's and
natbib's documentation (tests/fixtures/import/latex) with pandoc's LaTeX reader as the oracle.

Reported: a LaTeX living review needed hand conversion. Every \\cite key of the source must
appear as a pandoc citation in the output, in the same number.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_in_process
from importing import cited_keys, import_copy
from litreview.cli import main
from litreview.core.importers.latex import read_latex
from pandoc_oracle import pandoc_latex_keys

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "latex"
_SOURCE_CITE = re.compile(r"\\(?!nocite)[A-Za-z]*cite[a-z]*\*?(?:\[[^\]]*\]){0,2}\{([^}]*)\}")


@pytest.fixture
def imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, str]:
    return import_copy(FIXTURE, "src", "src/review.tex", tmp_path, monkeypatch, capsys)


def test_every_cite_key_is_a_pandoc_citation_as_often(imported: tuple[Path, str]) -> None:
    out, _ = imported
    source = Counter(
        key.strip()
        for tex in FIXTURE.rglob("*.tex")
        for m in _SOURCE_CITE.finditer(re.sub(r"(?<!\\)%.*", "", tex.read_text(encoding="utf-8")))
        for key in m.group(1).split(",")
    )
    assert sum(source.values()) == 16
    assert cited_keys(out / "content") == source == Counter(pandoc_latex_keys(FIXTURE / "review.tex"))


def test_constructs_become_markdown(imported: tuple[Path, str]) -> None:
    out, err = imported
    pages = sorted(p.name for p in (out / "content").glob("*.md"))
    assert pages == ["conclusion.md", "index.md", "introduction.md", "methods.md", "references.md"]
    intro = (out / "content" / "introduction.md").read_text(encoding="utf-8")
    for expected in (
        "# Introduction {#sec:intro}\n",
        "system [@treede2008; @finnerup2015].\n@kumar2007 randomised",
        "@kumar2007 report relief in\n[-@kumar2007]",
        "[@kumar2007, p. 5]",
        "[see @finnerup2015; @treede2008, ch. 2]",
        "in [@deer2014].",
        "**bold**, *italic* and *emphasis*; a dash—like this—and\na range 1–2; “double” quotes",
        "[a registry](https://example.org/scs) and\n[https://example.org](https://example.org).",
        "See Section [2](methods.md#sec:methods) and Figure [1](#fig:trend).[^1]",
        "\n\n- one, after @treede2008 [Table 2]\n- two\n    1. nested first\n    1. nested second\n",
        "> Pain is an unpleasant sensory and emotional experience.",
        '<figure markdown="span" id="fig:trend">\n  ![](images/figures/trend.png)\n'
        "  <figcaption>Figure 1: Trials per year [@deer2014].</figcaption>",
        "[^1]: A footnote that cites [@deer2014].",
    ):
        assert expected in intro, expected
    index = (out / "content" / "index.md").read_text(encoding="utf-8")
    assert "## Abstract\n\nSpinal cord stimulation relieves some neuropathic pain [@kumar2007]." in index
    assert (out / "content" / "images" / "figures" / "trend.png").read_bytes() == (
        FIXTURE / "figures" / "trend.png"
    ).read_bytes()
    assert (out / "refs.bib").read_bytes() == (FIXTURE / "refs.bib").read_bytes()
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'site_name: "Spinal Cord Stimulation: A Small Review"' in config
    assert "bibliography: refs.bib" in config and 'site_author: "A. Writer and B. Reader"' in config
    assert err.splitlines() == [
        "src/review.tex:57:1: warning[IMP002] \\mysterymacro: kept as written (first at this line)",
    ]
    methods = (out / "content" / "methods.md").read_text(encoding="utf-8")
    assert "The model is $y = a x + b$.\n\n$$\nE = m c^2 \\tag{1}\n$$\n" in methods, methods
    assert "pymdownx.arithmatex" in config


def test_the_imported_review_checks_and_builds(
    imported: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = imported
    monkeypatch.chdir(out)
    assert main(["check", "--strict"]) == 0
    build_in_process(out / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "introduction" / "index.html").read_text(encoding="utf-8")
    assert 'id="fig:trend"' in html and 'href="../methods/#sec:methods"' in html
    methods = (tmp_path / "site" / "methods" / "index.html").read_text(encoding="utf-8")
    assert '<div class="arithmatex">\\[\nE = m c^2 \\tag{1}\n\\]</div>' in methods, methods
    assert (tmp_path / "site" / "assets" / "katex" / "katex.min.js").is_file()


def test_markdown_that_cites_with_latex(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "living.md"
    page.write_text(
        "# Living review\n\n* **A paper**~\\cite{a,b}\n* see \\citet[p.~3]{c}; `\\cite{code}`\n",
        encoding="utf-8",
    )
    assert main(["import", str(page), "-o", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "content" / "living-review.md").read_text(encoding="utf-8")
    assert text == "# Living review\n\n* **A paper** [@a; @b]\n* see @c [p. 3]; `\\cite{code}`\n"
    assert "imported a LaTeX review" in capsys.readouterr().out


def test_bad_input_is_refused_or_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tex"
    bad.write_bytes(b"\\section{A}\xff\xfe\n")
    assert main(["import", str(bad), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "bad.tex:0:0: error[IMP001] cannot read:" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    assert main(["import", str(FIXTURE / "review.tex"), "-o", str(blocker / "out")]) == 2
    err = capsys.readouterr().err
    assert "error[IMP001] cannot write the review: Not a directory" in err and "Traceback" not in err
    loop = tmp_path / "loop.tex"
    loop.write_text("\\section{Loop}\n\\input{loop}\n\\input{missing}\n\\cite{x}\n", encoding="utf-8")
    result = read_latex([loop], tmp_path)
    messages = [f.format() for f in result.findings]
    assert (
        "loop.tex:2:1: warning[IMP002] \\input{loop} (it is already being read: a file that inputs "
        "itself): kept as written (first at this line)" in messages
    )
    assert any("\\input{missing} (no such file)" in m for m in messages)
    assert any("references.bib starts empty" in m for m in messages)


def test_what_expands_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that inputs itself twice would expand 2^16 times under a depth limit alone; groups
    nested thousands deep exhaust the parser's recursion."""
    twice = tmp_path / "twice.tex"
    twice.write_text("\\section{T}\n\\input{twice}\n\\input{twice}\n\\cite{a}\n", encoding="utf-8")
    result = read_latex([twice], tmp_path)
    assert result.pages["t.md"] == "# T\n\n\\input\\{twice\\}\n\\input\\{twice\\}\n[@a]\n"
    deep = tmp_path / "deep.tex"
    deep.write_text("{" * 5000 + "x" + "}" * 5000, encoding="utf-8")
    assert main(["import", str(deep), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "deep.tex:1:1: error[IMP001] groups or environments nested too deeply to read" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("\\{}[]%$&~#^_ \nabcite,sectionitemizbgd*")), max_size=200))
def test_any_latex_imports_or_reports(tmp_path: Path, text: str) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        path = Path(folder) / "x.tex"
        path.write_text(text, encoding="utf-8")
        result = read_latex([path], Path(folder))
    assert "index.md" in result.pages

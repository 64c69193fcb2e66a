"""`litreview import` of Manubot reviews as they are kept (issue 29 §2, §7): Manubot's output on the
repository's ``output`` branch or in ``output/``, both generations of ``citations.tsv``,
cross-references numbered as Manubot numbers them, table captions, and math rendered offline.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_in_process
from litreview.core.identifiers.citekey import standard
from litreview.core.importers.manubot import read_manubot
from litreview.core.importers.texmath import dollars
from litreview.core.source.scanner import scan

SHORT_DOI = "doi:10/bm8dnf"
ITEM = {
    "id": "Wk1Qx0Xz",
    "type": "article-journal",
    "title": "A work",
    "container-title": "J",
    "author": [{"family": "Doe", "given": "A"}],
    "issued": {"date-parts": [[2010]]},
}
# each generation of Manubot's citations.tsv, with the row for a shortDOI citation
TABLES = {
    "2018": (
        "string\tcitation\tstandard_citation\tcitation_id",
        f"@{SHORT_DOI}\t{SHORT_DOI}\tdoi:10.1/a\tWk1Qx0Xz",
    ),
    "0.3": (
        "manuscript_citekey\tdetagged_citekey\tstandard_citekey\tshort_citekey",
        f"{SHORT_DOI}\t{SHORT_DOI}\tdoi:10.1/a\tWk1Qx0Xz",
    ),
    "now": (
        "input_id\tdealiased_id\tstandard_id\tshort_id",
        f"{SHORT_DOI}\t{SHORT_DOI}\tdoi:10.1/a\tWk1Qx0Xz",
    ),
}


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def _source(folder: Path, chapter: str) -> Path:
    (folder / "content").mkdir(parents=True)
    (folder / "content" / "metadata.yaml").write_text("title: A review\n", encoding="utf-8")
    (folder / "content" / "01.intro.md").write_text(chapter, encoding="utf-8")
    return folder


def _output_files(generation: str = "now") -> dict[str, str]:
    header, row = TABLES[generation]
    return {"references.json": json.dumps([ITEM]), "citations.tsv": f"{header}\n{row}\n"}


def _cited_keys(pages: dict[str, str]) -> set[str]:
    return {k for name, text in pages.items() for f in scan(text, name).found for k in f.citation.keys}


def _resolved(result_files: dict[str, str], pages: dict[str, str]) -> bool:
    """Every key the pages cite is the id of a work in the new references.json."""
    ids = {item["id"] for item in json.loads(result_files["references.json"])}
    return bool(ids) and _cited_keys(pages) <= ids


@pytest.mark.parametrize("generation", list(TABLES))
def test_every_generation_of_citations_tsv_is_read(tmp_path: Path, generation: str) -> None:
    """A shortDOI citation is found through the table's columns, whichever generation wrote it
    (before: the 2018 and 0.3 columns were not read, and the citation was unknown)."""
    source = _source(tmp_path / "src", f"## Intro\n\nShort [@{SHORT_DOI}].\n")
    (source / "output").mkdir()
    for name, text in _output_files(generation).items():
        (source / "output" / name).write_text(text, encoding="utf-8")
    result = read_manubot(source, tmp_path)
    assert _resolved(result.files, result.pages), result.files["references.json"]
    assert _cited_keys(result.pages) == {standard(SHORT_DOI)}


@pytest.mark.parametrize("branch", ["local", "remote-tracking"])
def test_the_output_branch_is_read_and_named(tmp_path: Path, branch: str) -> None:
    """Manubot's CI commits references.json and citations.tsv to the repository's ``output``
    branch; the import reads them there (never checking it out) and says where it found them."""
    origin = _source(tmp_path / "origin", f"## Intro\n\nShort [@{SHORT_DOI}].\n")
    _git(origin, "init", "-q", "-b", "main")
    _git(origin, "add", ".")
    _git(origin, "commit", "-q", "-m", "text")
    _git(origin, "checkout", "-q", "--orphan", "output")
    _git(origin, "rm", "-q", "-r", "--cached", ".")
    for name, text in _output_files().items():
        (origin / name).write_text(text, encoding="utf-8")
    _git(origin, "add", "references.json", "citations.tsv")
    _git(origin, "commit", "-q", "-m", "output")
    _git(origin, "checkout", "-q", "-f", "main")
    source = origin
    if branch == "remote-tracking":
        _git(tmp_path, "clone", "-q", str(origin), "clone")
        source = tmp_path / "clone"
    assert not (source / "references.json").exists()
    result = read_manubot(source, tmp_path)
    assert _resolved(result.files, result.pages)
    where = "output" if branch == "local" else "origin/output"
    assert any(f"git branch {where}:references.json" in line for line in result.converted), result.converted


def test_where_it_looked_is_said_when_nothing_is_found(tmp_path: Path) -> None:
    source = _source(tmp_path / "src", "## Intro\n\nText [@doi:10.1/x].\n")
    result = read_manubot(source, tmp_path)
    [note] = [f for f in result.findings if "no references.json" in f.message]
    for place in ("src/content/", "src/", "src/output/", "git branch output"):
        assert place in note.message, note.message


CROSSREFS = [
    ("Figure @fig:a shows", "[Figure 1](#fig:a) shows"),
    ("Figure {@fig:a}B shows", "[Figure 1](#fig:a)B shows"),
    ("see {@fig:a}.", "see [Figure 1](#fig:a)."),
    ("Fig. @fig:a shows", "[Fig. 1](#fig:a) shows"),
    ("as @fig:a shows", "as [Figure 1](#fig:a) shows"),
    ("as [@fig:a] shows", "as [Figure 1](#fig:a) shows"),
    ("in Table @tbl:t.", "in [Table 1](#tbl:t)."),
    ("in table {@tbl:t}.", "in [table 1](#tbl:t)."),
    ("in @tbl:t.", "in [Table 1](#tbl:t)."),
]


@pytest.mark.parametrize(("written", "shown"), CROSSREFS, ids=[w for w, _ in CROSSREFS])
def test_cross_references_read_as_manubot_numbers_them(tmp_path: Path, written: str, shown: str) -> None:
    """ "Figure @fig:a" is "Figure 1" (Manubot's pandoc-xnos writes the number; the text names the
    kind), never "Figure Figure 1" or "Figure {Figure 1}"."""
    chapter = f"## A\n\n{written}\n\n![A figure.](a.png){{#fig:a}}\n\n| a |\n|---|\n| 1 |\n\nTable: A table. {{#tbl:t}}\n"
    result = read_manubot(_source(tmp_path / "src", chapter), tmp_path)
    assert f"\n{shown}\n" in result.pages["intro.md"], result.pages["intro.md"]


@pytest.mark.parametrize(
    "caption",
    [
        "Table: A table [@doi:10/bm8dnf]. {#tbl:t}",
        "Table: A table [@doi:10/bm8dnf].\n{#tbl:t}",
        ": A table [@doi:10/bm8dnf]. {#tbl:t}",
    ],
    ids=["one-line", "id-on-next-line", "colon"],
)
def test_a_table_caption_is_a_caption_with_its_anchor(tmp_path: Path, caption: str) -> None:
    """``Table: caption {#tbl:x}`` is the table's numbered caption, and the anchor that its
    cross-references link to is on the page (before: a literal paragraph and two broken links)."""
    chapter = f"## A\n\nAs Table @tbl:t shows.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{caption}\n\nAfter.\n"
    source = _source(tmp_path / "src", chapter)
    (source / "output").mkdir()
    for name, text in _output_files().items():
        (source / "output" / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    from litreview.cli import main

    assert main(["import", str(source), "-o", str(out)]) == 0
    build_in_process(out / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "intro" / "index.html").read_text(encoding="utf-8")
    assert 'href="#tbl:t"' in html
    table = re.search(
        r'<figure class="table" id="tbl:t">\s*<figcaption[^>]*>(.*?)</figcaption>\s*<table>', html, re.S
    )
    assert table is not None, html
    assert table.group(1).startswith(
        'Table 1: A table <span class="lr-cite"'
    ) and 'data-lr-key="doi:10/bm8dnf"' in table.group(1)
    assert "Table:" not in html and "{#tbl:t}" not in html


MATH_CHAPTER = (
    "## A\n\nInline $x^2 + y_1$ and a price of $5 or \\$6 and $7 [@doi:10/bm8dnf].\n\n"
    "$$\n\\sum_{i=1}^n i = \\frac{n(n+1)}{2}\n$$\n\nCode `$a$` stays.\n"
)


def test_math_renders_offline(tmp_path: Path) -> None:
    """A source with math imports with pymdownx.arithmatex and KaTeX served from the site itself:
    the built page holds arithmatex's markup and loads no script from another host."""
    from litreview.cli import main

    source = _source(tmp_path / "src", MATH_CHAPTER)
    (source / "output").mkdir()
    for name, text in _output_files().items():
        (source / "output" / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import", str(source), "-o", str(out)]) == 0
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "pymdownx.arithmatex" in config and "generic: true" in config
    build_in_process(out / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "intro" / "index.html").read_text(encoding="utf-8")
    assert '<span class="arithmatex">\\(x^2 + y_1\\)</span>' in html
    assert '<div class="arithmatex">\\[' in html and "\\frac{n(n+1)}{2}" in html
    assert html.count('class="arithmatex"') == 2, "a price is not math"
    assert "$5 or $6 and $7" in html.replace("&#36;", "$")
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html) + re.findall(r'<link[^>]*href="([^"]+)"', html)
    assert not [s for s in scripts if re.match(r"(?:https?:)?//", s)], scripts
    assert any(s.endswith("assets/katex/katex.min.js") for s in scripts)
    assert (tmp_path / "site" / "assets" / "katex" / "katex.min.js").stat().st_size > 100_000
    assert list((tmp_path / "site" / "assets" / "katex" / "fonts").glob("KaTeX_Main-Regular.woff2"))


def test_a_source_without_math_gets_no_math_assets(tmp_path: Path) -> None:
    source = _source(tmp_path / "src", "## A\n\nA price of $5 and $6.\n")
    result = read_manubot(source, tmp_path)
    assert not result.site.math
    root = Path(__file__).resolve().parents[1]  # the review's own site stays free of math assets
    assert "arithmatex" not in (root / "mkdocs.yml").read_text(encoding="utf-8")


DOLLAR_CASES = [
    ("$x$", 1),
    ("$5 and $6", 0),
    ("$x $", 0),
    ("$ x$", 0),
    ("$x$5", 0),
    ("\\$x$", 0),
    ("$$x$$", 1),
    ("$a\n\nb$", 0),
    ("`$x$` $y$", 1),
    ("a $$x$$ b", 1),
    # a quote's text is read without its lines' markers (the suite's generated test found these)
    (">$1\n>$", 0),  # a line end before the closer
    (">\n$1\n>$", 0),  # a lazy line is the quote's too
    (">$a\n>b$", 1),
    (">$a\n>\n>b$", 0),  # a blank line of the quote
    ("a\n>$1\n>$", 1),  # inside a paragraph, '>' is text: no quote
    ("> a $x\n> >$", 1),  # a '>' past the paragraph's depth is its text (the attack pass on c2c0b71)
]


@pytest.mark.parametrize(("text", "count"), DOLLAR_CASES, ids=[t for t, _ in DOLLAR_CASES])
def test_dollars_are_math_where_pandoc_reads_math(text: str, count: int) -> None:
    from pandoc_oracle import pandoc_math

    assert pandoc_math(text) == count
    assert dollars(text)[1] == count


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("$$$ x1\\\n*<>-")), max_size=40))
def test_dollars_agree_with_pandoc(text: str) -> None:
    """Whatever the text, math is found where pandoc finds it. (No backticks: where a code span
    starts inside math, pandoc reads the math and Python-Markdown the code, which comes first
    there; code beside math is a case above.)"""
    from pandoc_oracle import pandoc_math

    _made, count = dollars(text)
    assert count == pandoc_math(text)

"""`litreview import` of a Jupyter Book / MyST project (issue 29 §5).

Reported: `litreview import` refused Jupyter Book and MyST sources (`IMP001 not a review
litreview can import`). Each construct is a row below; the shared nimare-paper corpus is the
real book, its citation roles counted without pandoc and compared with the built site.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_in_process
from litreview.cli import main
from litreview.core.importers.myst import read_myst
from litreview.core.importers.project import files

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "nimare-paper" / "content"
ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")


def _book(folder: Path, pages: dict[str, str], toc: str = "", config: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    first = next(iter(pages)).rsplit(".", 1)[0]
    (folder / "_toc.yml").write_text(toc or f"format: jb-book\nroot: {first}\n", encoding="utf-8")
    if config:
        (folder / "_config.yml").write_text(config, encoding="utf-8")
    return folder


def _page(tmp_path: Path, body: str) -> tuple[str, list[str]]:
    """One page imported: its Markdown and its findings as the report prints them."""
    result = read_myst(_book(tmp_path / "book", {"intro.md": body}), tmp_path)
    return result.pages.get("index.md", ""), [
        f"{p.line}:{p.col} {p.code} {p.message}" for p in result.findings
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("# T\n\nAs {cite:p}`a,b` said.\n", "As [@a; @b] said.", id="cite-p-several"),
        pytest.param("# T\n\n{cite}`a`\n", "[@a]", id="cite"),
        pytest.param("# T\n\n{cite:t}`smith2020` found.\n", "@smith2020 found.", id="cite-t"),
        pytest.param("# T\n\n{cite:ts}`a, b` found.\n", "@a, @b found.", id="cite-ts-several"),
        pytest.param("# T\n\n{cite:ps}`a`\n", "[@a]", id="cite-ps"),
        pytest.param("# T\n\n{cite:alp}`a`\n", "[@a]", id="cite-alp"),
        pytest.param("# T\n\n{cite:year}`a`\n", "[-@a]", id="cite-year"),
        pytest.param("# T\n\n{cite:p}`{see}a{p. 3}`\n", "[see @a, p. 3]", id="cite-notes"),
        pytest.param("# T\n\n{cite:p}`doi:10.1/x=y`\n", "[@{doi:10.1/x=y}]", id="cite-braced-key"),
        pytest.param("# T\n\n`{cite:p}`a``\n", "`{cite:p}`a``", id="role-in-code-span"),
        pytest.param("# T\n\n```\n{cite:p}`a`\n```\n", "```\n{cite:p}`a`\n```", id="role-in-code-block"),
        pytest.param("# T\n\nUse {py:class}`~nimare.Dataset`.\n", "Use `nimare.Dataset`.", id="py-class"),
        pytest.param("# T\n\n{py:func}`f <nimare.f>`\n", "`f`", id="py-func-titled"),
        pytest.param("# T\n\n{math}`x^2`\n", "\\(x^2\\)", id="math-role"),
        pytest.param("# T\n\nAs $a+b$ shows.\n", "As $a+b$ shows.", id="dollar-math"),
        pytest.param("# T\n\n```{note}\nA *note*.\n```\n", "!!! note\n    A *note*.", id="note"),
        pytest.param("# T\n\n```{warning}\nW.\n```\n", "!!! warning\n    W.", id="warning"),
        pytest.param("# T\n\n:::{important}\nI.\n:::\n", "!!! important\n    I.", id="colon-fence"),
        pytest.param(
            '# T\n\n```{admonition} On "nulls"\n:class: tip\nText {cite:p}`a`.\n```\n',
            '!!! tip "On &quot;nulls&quot;"\n    Text [@a].',
            id="admonition-titled",
        ),
        pytest.param("# T\n\n```{seealso}\nS.\n```\n", '!!! info "See also"\n    S.', id="seealso"),
        pytest.param(
            "# T\n\n````{note}\n```{warning}\nIn.\n```\n````\n",
            "!!! note\n    !!! warning\n        In.",
            id="nested",
        ),
        pytest.param(
            "# T\n\n```{code-cell} ipython3\n:tags: [hide-cell]\nimport os\n```\n",
            "```python\nimport os\n```",
            id="code-cell",
        ),
        pytest.param("# T\n\n```{code-block} r\nx <- 1\n```\n", "```r\nx <- 1\n```", id="code-block"),
        pytest.param(
            "# T\n\n```{bibliography} references.bib\n```\n\nEnd.\n", "# T\n\n\nEnd.", id="bibliography"
        ),
        pytest.param("# T\n\n+++\n\n% a comment\nText.\n", "# T\n\n\nText.", id="cell-break-comment"),
        pytest.param(
            "# T\n\n(sec-a)=\n## Part A\n\nSee {ref}`sec-a` and [](sec-a).\n",
            '<span id="sec-a"></span>\n## Part A\n\nSee [Part A](#sec-a) and [Part A](#sec-a).',
            id="target-ref-link",
        ),
        pytest.param(
            "# T\n\n```{table} Modules\n:name: tbl-m\n\n| a |\n|---|\n| 1 |\n```\n\nSee {numref}`tbl-m`.\n",
            "**Table 1:** Modules\n{: #tbl-m }\n\n\n| a |\n|---|\n| 1 |\n\n\nSee [Table 1](#tbl-m).",
            id="table-numref",
        ),
        pytest.param(
            "# T\n\n```{math}\n:label: eq-one\ne = mc^2\n```\n\nBy {eq}`eq-one`.\n",
            '<span id="eq-one"></span>\n\n$$\ne = mc^2\n$$\n\n\nBy [(1)](#eq-one).',
            id="math-eq",
        ),
        pytest.param(
            "# T\n\n```{glue:figure} g\n:name: fig-g\n\nA map {cite:p}`a`.\n```\n\n{numref}`Fig. %s <fig-g>`\n",
            '<figure markdown="span" id="fig-g">\n  <figcaption markdown="span">Figure 1: A map [@a].</figcaption>'
            "\n</figure>\n\n\n[Fig. 1](#fig-g)",
            id="glue-figure-numref-title",
        ),
    ],
)
def test_each_construct_becomes_markdown_material_reads(tmp_path: Path, body: str, expected: str) -> None:
    page, _ = _page(tmp_path, body)
    assert expected in page, page


def test_a_figure_keeps_its_image_caption_and_citations(tmp_path: Path) -> None:
    book = _book(
        tmp_path / "book",
        {
            "intro.md": "# T\n\n```{figure} img/a.png\n:name: fig-a\n:width: 300px\n\nTrend `x<y` {cite:t}`k`.\n```\n"
        },
    )
    (book / "img").mkdir()
    (book / "img" / "a.png").write_bytes(b"\x89PNG")
    result = read_myst(book, tmp_path)
    assert (
        '<figure markdown="span" id="fig-a">\n  ![](img/a.png){ width="300px" }\n'
        '  <figcaption markdown="span">Figure 1: Trend <code>x&#60;y</code> @k.</figcaption>\n</figure>'
    ) in result.pages["index.md"]
    assert result.copies == {"content/img/a.png": book / "img" / "a.png"}


@pytest.mark.parametrize(
    ("body", "finding"),
    [
        pytest.param(
            "# T\n\nA {py:mod}`m`.\n", "3:3 IMP010 role {py:mod}: kept as inline code", id="py-role"
        ),
        pytest.param(
            "# T\n\n```{bibliography}\n```\n\nX.\n", "3:1 IMP009 directive {bibliography} left out", id="bib"
        ),
        pytest.param(
            "# T\n\nx {ref}`nowhere`\n", "3:3 IMP010 ref target 'nowhere' not found", id="unknown-ref"
        ),
        pytest.param("# T\n\n![a](gone.png)\n", "3:1 IMP009 image gone.png is not in the source", id="image"),
        pytest.param(
            "# T\n\n```{figure} gone.png\nC.\n```\n", "3:1 IMP009 image gone.png", id="figure-image"
        ),
        pytest.param(
            "# T\n\n```{epigraph}\nQ.\n```\n", "3:1 IMP010 directive {epigraph}: its content kept", id="epi"
        ),
        pytest.param(
            "# T\n\n```{mermaid}\ngraph\n```\n", "3:1 IMP010 directive {mermaid}: kept as a code", id="mer"
        ),
        pytest.param("# T\n\n```{code-cell}\nx\n```\n", "3:1 IMP003 1 code cell(s) kept as code", id="cell"),
        pytest.param("# T\n\n{cite:empty}`a`\n", "3:1 IMP009 {cite:empty}", id="cite-empty"),
        pytest.param(
            "# T\n\n  {cite:p}`a b]`\n", "3:3 IMP010 {cite:p} with a key litreview can't read", id="bad-key"
        ),
        pytest.param(
            "---\nkernelspec: {}\n---\n# T\n",
            "2:1 IMP002 front matter kernelspec: means nothing",
            id="front-matter",
        ),
    ],
)
def test_what_is_not_carried_is_reported_at_its_place(tmp_path: Path, body: str, finding: str) -> None:
    _, findings = _page(tmp_path, body)
    assert any(f.startswith(finding) for f in findings), findings


def test_jupyter_book_parts_sections_and_glob_become_the_nav(tmp_path: Path) -> None:
    pages = {
        "intro.md": "# Intro\n",
        "a.md": "# A\n\nSee {doc}`b`.\n",
        "b.md": "# B\n",
        "more/x.md": "# X\n",
        "more/y.md": "# Y\n\nBack to [the start](../intro.md).\n",
        "16_bibliography.md": "# Bibliography\n\n```{bibliography}\n```\n",
    }
    toc = (
        "format: jb-book\nroot: intro\nparts:\n  - caption: First part\n    chapters:\n"
        "    - file: a\n      sections:\n      - file: b\n  - caption: Second\n    chapters:\n"
        "    - glob: more/*\n    - file: 16_bibliography.md\n"
    )
    book = _book(
        tmp_path / "book", pages, toc, "title: My book\nauthor: A. B\nbibtex_bibfiles:\n  - refs.bib\n"
    )
    (book / "refs.bib").write_text("@misc{k, title={T}}\n", encoding="utf-8")
    result = read_myst(book, tmp_path)
    assert result.nav() == (
        ("", "index.md"),
        ("First part", (("A", (("", "a.md"), ("", "b.md"))),)),
        ("Second", (("", "more/x.md"), ("", "more/y.md"))),
    )
    assert result.pages["a.md"] == "# A\n\nSee [B](b.md).\n"
    assert "Back to [the start](../index.md)." in result.pages["more/y.md"]
    assert result.files["references.bib"] == "@misc{k, title={T}}\n"
    assert (result.site.title, result.site.author) == ("My book", "A. B")


def test_a_myst_project_toc_and_bibliography(tmp_path: Path) -> None:
    folder = tmp_path / "proj"
    _book(folder, {"index.md": "# Home\n", "ch/one.md": "# One\n", "ch/two.md": "# Two\n"})
    (folder / "_toc.yml").unlink()
    (folder / "myst.yml").write_text(
        "version: 1\nproject:\n  title: P\n  authors: [{name: C. D}]\n  bibliography: [lib.bib]\n"
        "  toc:\n    - file: index.md\n    - title: Chapters\n      children:\n        - pattern: ch/*.md\n",
        encoding="utf-8",
    )
    (folder / "lib.bib").write_text("@misc{z,}\n", encoding="utf-8")
    result = read_myst(folder, tmp_path)
    assert result.nav() == (("", "index.md"), ("Chapters", (("", "ch/one.md"), ("", "ch/two.md"))))
    assert (result.site.title, result.site.author, result.files["references.bib"]) == (
        "P",
        "C. D",
        "@misc{z,}\n",
    )


def test_the_cli_imports_a_book_it_refused_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _book(
        tmp_path / "book", {"intro.md": "# Intro\n\nSee {cite:p}`k`.\n"}, config="bibtex_bibfiles: [r.bib]\n"
    )
    (tmp_path / "book" / "r.bib").write_text("@misc{k, title={T}, year={2020}}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["import", "book", "-o", "out"]) == 0
    assert "imported a MyST review" in capsys.readouterr().out
    config = (tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - admonition\n" in config and "bibliography: references.bib" in config
    build_in_process(tmp_path / "out" / "mkdocs.yml", tmp_path / "site")
    assert 'data-lr-key="k"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_a_path_outside_the_book_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.bib").write_text("@misc{s,}\n", encoding="utf-8")
    book = _book(tmp_path / "book", {"intro.md": "# I\n"}, config="bibtex_bibfiles: [../secret.bib]\n")
    result = read_myst(book, tmp_path)
    assert result.files["references.bib"] == ""
    assert [p.code for p in result.findings] == ["IMP004"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("{}`:()=#-+%$[]!<>,~ \nacdefiprtnoglu")), max_size=300))
def test_any_myst_page_imports_or_reports(tmp_path: Path, text: str) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        result = read_myst(_book(Path(folder), {"intro.md": text}), Path(folder))
        assert set(result.pages) <= {"index.md"}
        assert all("\x00" not in page for page in result.pages.values())


def _rendered(site: Path) -> int:
    """Citation keys the built pages render or show as unknown (a numeric range "3–5" counts 3)."""
    count = 0
    for html in site.rglob("index.html"):
        if html.parent.name == "references":
            continue
        for cite in BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select("span.lr-cite"):
            count += len(cite.select("a.lr-cite-link, span.lr-cite-missing"))
            for low, high in re.findall(r">(\d+)</a>–<a[^>]*>(\d+)<", str(cite)):
                count += int(high) - int(low) - 1
    return count


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus nimare-paper is not beside the repository")
def test_nimare_paper_imports_every_citation_and_builds_strictly(tmp_path: Path) -> None:
    keys = Counter(
        key.strip()
        for page in CORPUS.rglob("*.md")
        for m in ROLE.finditer(page.read_text(encoding="utf-8"))
        for key in m.group(1).split(",")
    )
    result = read_myst(CORPUS, CORPUS.parent)
    out = tmp_path / "out"
    for rel, data in files(result).items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    text = "\n".join(result.pages.values())
    assert "{cite" not in text and "\x00" not in text
    build_in_process(out / "mkdocs.yml", tmp_path / "site")
    assert _rendered(tmp_path / "site") == sum(keys.values()) == 105
    assert len(result.pages) == 18 and len(keys) == 87

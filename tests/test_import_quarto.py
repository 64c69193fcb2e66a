"""`litreview import` of a Quarto book (issue 14), written from Quarto's documentation
(tests/fixtures/import/quarto), with pandoc's Markdown reader as the oracle for citations.

Reported: a Quarto review needed hand conversion, and showed false alarms (Quarto's
cross-references `@fig-x` read as unknown citations).
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
from litreview.core.importers.quarto import read_quarto
from litreview.core.source.frontmatter import without
from pandoc_oracle import pandoc_keys

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "quarto"
CROSSREF = re.compile(r"(fig|tbl|sec|eq)-")


@pytest.fixture
def imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, str]:
    return import_copy(FIXTURE, "book", "book", tmp_path, monkeypatch, capsys)


def test_citations_are_kept_and_cross_references_are_not_citations(imported: tuple[Path, str]) -> None:
    out, _ = imported
    source = Counter(
        key
        for qmd in sorted(FIXTURE.glob("*.qmd"))
        for key in pandoc_keys(without(qmd.read_text(encoding="utf-8")))
        if not CROSSREF.match(key)
    )
    assert cited_keys(out / "content") == source and sum(source.values()) == 7


def test_the_book_becomes_pages_nav_and_markdown(imported: tuple[Path, str]) -> None:
    out, err = imported
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'site_name: "Neuropathic Pain: A Quarto Review"' in config
    assert 'site_author: "A. Writer, B. Reader"' in config and "bibliography: references.bib" in config
    assert config.endswith(
        "nav:\n  - index.md\n  - Mechanisms and treatment:\n      - mechanisms.md\n      - treatment.md\n"
        "  - References: references.md\n"
    )
    mechanisms = (out / "content" / "mechanisms.md").read_text(encoding="utf-8")
    for expected in (
        "---\ntitle: Mechanisms\ndescription: How nerve injury sensitises the spinal cord.\n---\n",
        "see [Figure 1](#fig-trend) and [Trials](treatment.md#sec-trials).",
        '!!! note "Definition"\n\n    Neuropathic pain is caused',
        '!!! warning "Caveat"\n    The trials are small.\n',
        '<figure markdown="span" id="fig-trend">\n  ![](figures/trend.png)\n  <figcaption>Trials per year',
        "**Figure 2:** Cases per year\n{: #fig-cases }\n\n```python\n#| label: fig-cases\n",
        "See [Figure 2](#fig-cases). More in [Treatment](treatment.md#sec-trials).",
        "\nA margin note.\n",
    ):
        assert expected in mechanisms, expected
    assert ":::" not in mechanisms and "execute" not in mechanisms
    treatment = (out / "content" / "treatment.md").read_text(encoding="utf-8")
    assert "see [Table 1](#tbl-trials)." in treatment
    assert "| PROCESS | 2007 |\n\n**Table 1:** Included trials\n{: #tbl-trials }\n" in treatment
    assert "```r\nsummary(cars)\n```" in treatment
    assert "[the mechanisms](mechanisms.md)" in (out / "content" / "index.md").read_text(encoding="utf-8")
    assert not (out / "content" / "references-page.md").exists()
    assert (out / "content" / "figures" / "trend.png").is_file()
    assert err.splitlines() == [
        "book/mechanisms.qmd:4:1: warning[IMP002] front matter 'execute' means nothing to MkDocs: left out",
        "book/mechanisms.qmd:25:1: warning[IMP003] python code chunk kept as code: it is not executed, "
        "and its output is not in the page",
        "book/mechanisms.qmd:34:1: warning[IMP002] fenced div {.column-margin} (its contents kept): "
        "kept as written (first at this line)",
        "book/references.qmd:1:1: warning[IMP002] only the bibliography: the References page takes its place",
        "book/treatment.qmd:9:1: warning[IMP003] r code chunk kept as code: it is not executed, "
        "and its output is not in the page",
        "book/treatment.qmd:13:1: warning[IMP002] Quarto shortcode {{< … >}}: kept as written "
        "(first at this line)",
    ]


def test_the_imported_book_checks_and_builds(
    imported: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = imported
    monkeypatch.chdir(out)
    assert main(["check", "--strict"]) == 0
    build_in_process(out / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "mechanisms" / "index.html").read_text(encoding="utf-8")
    assert 'id="fig-trend"' in html and 'id="fig-cases"' in html and "admonition note" in html


def test_qmd_files_without_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "b-first.qmd", tmp_path / "a-second.qmd"
    a.write_text("---\ntitle: First\nbibliography: refs.bib\n---\n\nSee [@x].\n", encoding="utf-8")
    b.write_text("# Second\n\n::: {.callout-tip}\nTip.\n:::\n", encoding="utf-8")
    assert main(["import", str(a), str(b), "-o", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "bibliography named but not there" in captured.err
    config = (tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - b-first.md\n  - a-second.md\n" in config
    assert (tmp_path / "out" / "content" / "a-second.md").read_text(encoding="utf-8") == (
        "# Second\n\n!!! tip\n    Tip.\n"
    )


def test_a_broken_project_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "_quarto.yml").write_text("book:\n  chapters: [a.qmd\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "book"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "_quarto.yml:3:" in err and "error[IMP001] not valid YAML" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_includes_never_include_themselves(tmp_path: Path) -> None:
    page = tmp_path / "a.qmd"
    page.write_text("# A\n\n{{< include b.qmd >}}\n", encoding="utf-8")
    (tmp_path / "b.qmd").write_text(
        "B\n\n{{< include b.qmd >}}\n{{< include b.qmd >}}\n{{< include a.qmd >}}\n", encoding="utf-8"
    )
    result = read_quarto([page], tmp_path)
    assert result.pages["a.md"] == (
        "# A\n\nB\n\n{{< include b.qmd >}}\n{{< include b.qmd >}}\n{{< include a.qmd >}}\n"
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list(':{}#.-@[]`<>!\n abcfigtlout-="|')), max_size=300))
def test_any_qmd_imports_or_reports(tmp_path: Path, text: str) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        path = Path(folder) / "x.qmd"
        path.write_text(text, encoding="utf-8")
        result = read_quarto([path], Path(folder))
    assert list(result.pages) == ["x.md"]

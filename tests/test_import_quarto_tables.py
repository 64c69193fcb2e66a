"""Quarto tables and what cites them (issue 29 §4, what was left).

Reported: `@tbl-x` naming a table a code chunk makes (`{r tbl-x}` or `#| label: tbl-x`, with
`#| tbl-cap:`) came out as an unknown citation (CIT005) and an unresolved cross-reference
(IMP002); pandoc's simple and multiline tables stayed as dashed text; a `.qmd` link inside a
table converted to HTML still pointed at the `.qmd`.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_in_process
from litreview.cli import main
from litreview.core.importers.quarto import read_quarto


def _project(folder: Path, pages: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    chapters = "".join(f"    - {name}\n" for name in pages)
    (folder / "_quarto.yml").write_text(f"project:\n  type: book\nbook:\n  chapters:\n{chapters}")
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


CHUNKS = (
    "# Results\n\nKept: @tbl-kept; agreed: @tbl-agreed; plotted: @fig-plot.\n\n"
    '```{r tbl-kept}\n#| tbl-cap: "Articles **kept** per reviewer."\nknitr::kable(x)\n```\n\n'
    '```{r}\n#| label: tbl-agreed\n#| tbl-cap: !expr glue::glue("{n} agreed")\nknitr::kable(y)\n```\n\n'
    "```{python}\n#| label: fig-plot\n#| fig-cap: A plot.\nplot()\n```\n"
)


@pytest.mark.parametrize(
    ("label", "shown", "caption"),
    [
        ("tbl-kept", "Table 1", "**Table 1:** Articles **kept** per reviewer."),
        ("tbl-agreed", "Table 2", "**Table 2**\n"),
        ("fig-plot", "Figure 1", "**Figure 1:** A plot."),
    ],
)
def test_a_chunk_label_is_a_numbered_anchor(tmp_path: Path, label: str, shown: str, caption: str) -> None:
    result = read_quarto([_project(tmp_path / "src", {"index.qmd": CHUNKS})], tmp_path)
    page = result.pages["index.md"]
    assert f"[{shown}](#{label})" in page
    assert f"{caption}" in page and f"{{: #{label} }}" in page
    assert not [f for f in result.findings if "cross-reference" in f.message]


def test_a_computed_caption_is_reported(tmp_path: Path) -> None:
    result = read_quarto([_project(tmp_path / "src", {"index.qmd": CHUNKS})], tmp_path)
    found = [f"{f.line} {f.code} {f.message}" for f in result.findings if "tbl-cap" in f.message]
    assert found and found[0].startswith("12 IMP008"), found


def test_chunk_crossrefs_build_with_no_unknown_citation(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = _project(tmp_path / "src", {"index.qmd": CHUNKS})
    assert main(["import", str(source), "-o", str(tmp_path / "out")]) == 0
    build_in_process(tmp_path / "out" / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'id="tbl-kept"' in html and 'href="#tbl-kept"' in html and 'id="fig-plot"' in html
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


SIMPLE = """\
  Right     Left     Center     Default
-------     ------ ----------   -------
     12     12        12            12
    123     123       123          123

Table: Simple [@smith2020].
"""
HEADERLESS = """\
-------     ------ ----------   -------
     12     12        12            12
    123     123       123          123
-------     ------ ----------   -------
"""
MULTILINE = """\
-------------------------------------------------------------
 Centered   Default           Right Left
  Header    Aligned         Aligned Aligned
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here's another one [@lee2021].
-------------------------------------------------------------
"""


@pytest.mark.parametrize(
    ("table", "cells"),
    [
        (SIMPLE, ("123", "Center")),
        (HEADERLESS, ("123", "12")),
        (MULTILINE, ("spans multiple lines", "@lee2021")),
    ],
    ids=["simple", "headerless", "multiline"],
)
def test_simple_and_multiline_tables_become_tables(
    tmp_path: Path, table: str, cells: tuple[str, ...]
) -> None:
    text = (
        f"# T\n\nBefore.\n\n{table}\nAfter, a rule and a heading stay:\n\nHeading\n-------\n\n---\n\nEnd.\n"
    )
    result = read_quarto([_project(tmp_path / "src", {"index.qmd": text})], tmp_path)
    page = result.pages["index.md"]
    assert "---------- " not in page and "-------------\n" not in page.split("Heading")[0], page
    assert all(cell in page for cell in cells)
    assert "|" in page or "<table>" in page
    assert "Heading\n-------\n\n---\n\nEnd." in page
    assert page.index("After,") > page.index("123" if "123" in cells else cells[0])


def test_tables_inside_code_stay(tmp_path: Path) -> None:
    text = f"# T\n\n```\n{SIMPLE}```\n"
    page = read_quarto([_project(tmp_path / "src", {"index.qmd": text})], tmp_path).pages["index.md"]
    assert SIMPLE.split("\n\n")[0] in page


def test_links_in_html_tables_point_at_the_pages(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs leaves links in raw HTML as written: they are written as the site's URLs."""
    grid = (
        "+------------------------+------------------------+\n"
        "| Page                   | Notes                  |\n"
        "+========================+========================+\n"
        "| [Other](sub/other.qmd) | - a list               |\n"
        "|                        | - [b](sub/other.qmd#x) |\n"
        "+------------------------+------------------------+\n"
    )
    pages = {"index.qmd": f"# T\n\n{grid}", "sub/other.qmd": "# Other\n\n## X {#x}\n\n[back](../index.qmd)\n"}
    source = _project(tmp_path / "src", pages)
    page = read_quarto([source], tmp_path).pages["index.md"]
    assert "<table>" in page and ".qmd" not in page
    assert main(["import", str(source), "-o", str(tmp_path / "out")]) == 0
    build_in_process(tmp_path / "out" / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="sub/other/"' in html and 'href="sub/other/#x"' in html
    assert (tmp_path / "site" / "sub" / "other" / "index.html").is_file()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(["", "a b", "---", "--- ---", "-- --  --", "+--+", "| x |", "+==+", "```", "  1  2"]),
        max_size=14,
    )
)
def test_any_dashed_text_gives_tables_or_stays(lines: list[str]) -> None:
    """Whatever the lines, each table found is whole and apart, and the text keeps its length
    in lines or fewer (what follows a table keeps its line numbers)."""
    from litreview.core.importers.pandocmd import _table_spans, grid_tables

    text = "\n".join(lines)
    spans = _table_spans(text)
    assert all(0 <= a < b <= len(lines) for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in pairwise(spans))
    done = grid_tables(text, "page.qmd")
    assert len(done.text.split("\n")) == len(lines) or not lines

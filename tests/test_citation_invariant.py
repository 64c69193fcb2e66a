"""The invariant of issue 28 §1: every citation pandoc finds on a page is rendered (a link, or an
unknown key shown as such) or reported (CIT007) by the build, in every Markdown and raw HTML
context.

The builds run in process (conftest.build_outcome): the subject is the page and the findings,
which tests/test_inprocess_build.py shows are the same as ``mkdocs build --strict``'s.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cli_process import base_project, with_extensions
from conftest import build_outcome
from litreview.core.checks.project_check import lost_citations
from litreview.core.citations.cite_records import PageCitations
from litreview.core.source.read import scan_page
from pandoc_oracle import pandoc_keys

CONTEXTS = [
    "Para {c} text.",
    "- item {c}\n    - nested {c}",
    "> quote {c}",
    "| a | b |\n|---|---|\n| {c} | x |",
    "Term\n:   definition {c}",
    "Text[^{n}].\n\n[^{n}]: A note {c}.",
    "## Heading {n} {c}",
    "*emphasis {c}* and **strong {c}**",
    '<figure>\n<img src="fig.svg" alt="x">\n<figcaption>Adapted from {c}.</figcaption>\n</figure>',
    "<table><tr><td>Cell {c}</td></tr></table>",
    "<details>\n<summary>Why {c}</summary>\nMore.\n</details>",
    '<div markdown="1">\nInside {c}.\n</div>',
    '<figure markdown="span">\n  ![](fig.svg)\n  <figcaption>Caption {c}.</figcaption>\n</figure>',
    "<div>\nRaw {c}.\n</div>",
    '<p><a href="https://x.org">see {c}</a></p>',
    "<div><code>{c}</code></div>",
    "A [link text {c}](https://x.org) here.",
]
CITES = [
    "[@ada2020]",
    "[@bob2019, p. 3]",
    "@ada2020",
    "[@nokey1; @bob2019]",
    "[@ada2020, @bob2019; @ada2020]",
]


def _page(placed: list[tuple[int, int]]) -> str:
    blocks = [CONTEXTS[ctx].format(c=CITES[cite], n=n) for n, (ctx, cite) in enumerate(placed)]
    return "\n\n".join(blocks) + "\n"


@settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example is a build
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(st.integers(0, len(CONTEXTS) - 1), st.integers(0, len(CITES) - 1)), min_size=3, max_size=10
    )
)
def test_every_citation_pandoc_finds_is_rendered_or_reported(
    tmp_path_factory: pytest.TempPathFactory, placed: list[tuple[int, int]]
) -> None:
    tmp_path = tmp_path_factory.mktemp("invariant")
    project = base_project(tmp_path)
    config = with_extensions(project, "footnotes", "tables", "def_list", "md_in_html")
    page = project / "docs" / "conclusion.md"
    text = page.read_text(encoding="utf-8") + "\n" + _page(placed)
    page.write_text(text, encoding="utf-8")
    built = build_outcome(config, tmp_path / "site")
    html = (tmp_path / "site" / "conclusion" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    rendered = len(soup.select("span.lr-cite a.lr-cite-link, span.lr-cite span.lr-cite-missing"))
    reported = sum(1 for x in built.log.splitlines() if "docs/conclusion.md:" in x and "[CIT007]" in x)
    assert rendered + reported == len(pandoc_keys(text)), built.log


def test_all_contexts_at_once(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every context with every citation form, so no context depends on hypothesis drawing it."""
    test_every_citation_pandoc_finds_is_rendered_or_reported.hypothesis.inner_test(  # type: ignore[attr-defined]
        tmp_path_factory, [(ctx, (ctx + i) % len(CITES)) for ctx in range(len(CONTEXTS)) for i in range(2)]
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(CITES), min_size=1, max_size=8),
    st.data(),
)
def test_the_build_reports_each_citation_found_but_not_rendered_at_its_place(
    cites: list[str], data: st.DataObject
) -> None:
    text = "\n\n".join(f"Para {c}." for c in cites) + "\n"
    found, _ = scan_page("page.md", text, "docs/page.md")
    kept = data.draw(st.lists(st.booleans(), min_size=len(found.records), max_size=len(found.records)))
    rendered = PageCitations("page.md", "docs/page.md")
    for record, keep in zip(found.records, kept, strict=True):
        if keep:
            rendered.add(record.citation)
    lost = lost_citations(found, rendered)
    dropped = [r for r, keep in zip(found.records, kept, strict=True) if not keep]
    assert len(lost) == sum(len(r.citation.keys) for r in dropped)
    assert {(p.line, p.col) for p in lost} <= {(r.line, r.col) for r in found.records}
    assert all(p.code == "CIT007" for p in lost)


def test_a_citation_the_engine_loses_fails_the_strict_build_at_its_place(tmp_path: Path) -> None:
    """Without the footnotes extension Python-Markdown reads ``[^1]: url "title"`` as a link
    definition and drops its title; pandoc (and the finder) read a footnote citing a work."""
    project = base_project(tmp_path)
    page = project / "docs" / "conclusion.md"
    body = '\nText[^1].\n\n[^1]: https://x.org "A note [@ada2020]"\n'
    text = page.read_text(encoding="utf-8") + body
    page.write_text(text, encoding="utf-8")
    assert "ada2020" in pandoc_keys(body)
    line = len(text.splitlines())
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert built.failed
    assert f"docs/conclusion.md:{line}:29: error[CIT007] citation of 'ada2020'" in built.log, built.log

"""Citations in raw HTML blocks (issue 28 §1): pandoc reads a raw HTML block's text as Markdown
(markdown_in_html_blocks), so it finds citations in ``<figcaption>``, ``<td>``, ``<summary>``…
They are rendered where HTML can hold a link, and reported (CIT007) where it can't (in ``<a>``);
the text of ``<pre>``, ``<script>``, ``<style>``, ``<textarea>``, comments and attributes is
never read, by pandoc or here.

The check and the builds run in process (``main``, conftest.build_in_process/build_outcome):
the subject is the page and the findings, which tests/test_inprocess_build.py shows are the
CLI's."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_process import base_project, check_text, with_extensions
from conftest import build_in_process, build_outcome
from litreview.core.source.scanner import scan
from pandoc_oracle import pandoc_keys

# (opening, closing) of raw HTML blocks whose text pandoc reads
HOLDERS = [
    ('<figure>\n<img src="fig.svg" alt="x">\n<figcaption>', "</figcaption>\n</figure>"),
    ("<table><tr><td>", "</td></tr></table>"),
    ("<details>\n<summary>", "</summary>\nMore.\n</details>"),
    ("<div><span>", "</span></div>"),
    ("<p>", "</p>"),
    ('<div class="note">\n', "\n</div>"),
]
SILENT = [("<pre>", "</pre>"), ("<div><script>", "</script></div>"), ("<!-- ", " -->")]
CITES = st.sampled_from(["[@a]", "[@b, p. 3]", "@c", "[see @a; @b]", "[-@c]"])


def _keys(markdown: str) -> list[str]:
    return [k for f in scan(markdown, "page.md").found for k in f.citation.keys]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(HOLDERS + SILENT), st.lists(CITES, min_size=1, max_size=3))
def test_the_finder_reads_raw_html_blocks_as_pandoc_does(holder: tuple[str, str], cites: list[str]) -> None:
    text = "Before.\n\n" + holder[0] + "Text " + " and ".join(cites) + "." + holder[1] + "\n\nAfter.\n"
    assert _keys(text) == pandoc_keys(text)


def test_an_attribute_never_holds_a_citation() -> None:
    text = '<div title="[@a]">x</div>\n'
    assert _keys(text) == pandoc_keys(text) == []


BODY = (
    '<figure>\n<img src="fig.svg" alt="a figure">\n<figcaption>Adapted from [@bob2019, p. 3].</figcaption>\n'
    "</figure>\n\n<table><tr><td>Cell [@ada2020]</td></tr></table>\n\n"
    "<details>\n<summary>Why [@bob2019]</summary>\nBecause.\n</details>\n"
)


def test_citations_in_raw_html_are_rendered_and_count(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    page = project / "docs" / "conclusion.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + BODY, encoding="utf-8")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "conclusion" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    for selector in ("figcaption", "td", "summary"):
        element = soup.select_one(selector)
        assert element is not None and "@" not in element.get_text(), selector
        assert element.select_one("a.lr-cite-link") is not None, selector
    assert "lr-cite-slot" not in html


@pytest.mark.parametrize("inside", ['<p><a href="https://x.org">see [@nokey3]</a></p>'])
def test_a_citation_where_html_cannot_hold_a_link_is_reported_in_check_and_build(
    tmp_path: Path, inside: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    page = project / "docs" / "conclusion.md"
    text = page.read_text(encoding="utf-8") + "\n" + inside + "\n"
    page.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    col = inside.index("[@") + 1
    expected = f"docs/conclusion.md:{line}:{col}: error[CIT007]"
    _status, checked, _err = check_text(project, monkeypatch, capsys)
    assert any(x.startswith(expected) for x in checked.splitlines()), checked
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert any(expected in x for x in built.log.splitlines()), built.log


def test_a_caption_in_a_markdown_span_figure_is_rendered(tmp_path: Path) -> None:
    """md_in_html keeps a nested raw element's text as is (the importers write figures so)."""
    project = base_project(tmp_path)
    config = with_extensions(project, "md_in_html")
    (project / "docs" / "fig.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>\n", encoding="utf-8")
    page = project / "docs" / "conclusion.md"
    figure = (
        '<figure markdown="span">\n  ![](fig.svg)\n  <figcaption>Trials [@bob2019].</figcaption>\n</figure>\n'
    )
    page.write_text(page.read_text(encoding="utf-8") + "\n" + figure, encoding="utf-8")
    build_in_process(config, tmp_path / "site")
    html = (tmp_path / "site" / "conclusion" / "index.html").read_text(encoding="utf-8")
    caption = BeautifulSoup(html, "html.parser").select_one("figcaption")
    assert caption is not None and caption.select_one('a.lr-cite-link[data-lr-key="bob2019"]') is not None

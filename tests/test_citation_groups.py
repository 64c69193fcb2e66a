"""Citation groups as pandoc reads them (issue 28 §1): a citation nested in another's suffix
(``[@a, @b; @c]`` is three citations to pandoc) and a key repeated in one group."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_process import base_project, with_extensions
from conftest import build_in_process
from litreview.core.identifiers.citekey import standard
from litreview.core.source.scanner import scan
from pandoc_oracle import pandoc_keys

KEYS = st.sampled_from(["a", "b", "c", "doi:10.1/x", "k.2"])
PREFIXES = st.sampled_from(["", "see ", "e.g. "])
SUFFIXES = st.sampled_from(["", ", p. 3", ", pp. 1-2", " and more"])


@st.composite
def _item(draw: st.DrawFn) -> str:
    """One ``;``-separated item: ``prefix @key suffix``, its suffix perhaps citing again."""
    text = f"{draw(PREFIXES)}@{draw(KEYS)}{draw(SUFFIXES)}"
    for _ in range(draw(st.integers(0, 2))):
        text += f"{draw(st.sampled_from([', ', ' ', ' and ']))}@{draw(KEYS)}{draw(SUFFIXES)}"
    return text


GROUPS = st.lists(_item(), min_size=1, max_size=4).map(lambda items: "[" + "; ".join(items) + "]")


def _ours(markdown: str) -> list[str]:
    return [k for f in scan(markdown, "page.md").found for k in f.citation.keys]


@settings(max_examples=60, deadline=None)
@given(GROUPS)
def test_every_key_of_a_generated_group_is_found_as_pandoc_reads_it(group: str) -> None:
    text = f"Text {group} more."
    assert _ours(text) == [standard(k) for k in pandoc_keys(text)]


def test_a_citation_in_a_suffix_and_a_repeated_key_are_rendered(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    page = project / "docs" / "index.md"
    body = "\nNested [@ada2020, @bob2019; @ada2020] and twice [@bob2019; @bob2019].\n"
    page.write_text(page.read_text(encoding="utf-8") + body, encoding="utf-8")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    home = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    paragraph = next(p for p in home.select("p") if p.get_text().startswith("Nested"))
    cites = paragraph.select(".lr-cite")
    assert "@" not in paragraph.get_text()
    assert [a["href"].rsplit("#", 1)[1] for a in cites[0].select("a")] == [
        "ref-ada2020",
        "ref-bob2019",
        "ref-ada2020",
    ]
    assert [a["href"].rsplit("#", 1)[1] for a in cites[1].select("a")] == ["ref-bob2019", "ref-bob2019"]


#: A ";" inside what pandoc reads whole: each is one item, and its text is the reader's.
WHOLE = {
    "code": ("[@ada2020, `x;y`]", "x;y"),
    "math": ("[@ada2020, $x;y$]", "x;y"),
    "a character reference": ("[@ada2020, p. 3 &amp; 4; @bob2019]", "p. 3 & 4"),
    "a tag": ('[@ada2020, <span title="x;y">s</span>]', "s"),
}


@pytest.mark.parametrize("case", list(WHOLE))
def test_a_semicolon_pandoc_reads_whole_neither_splits_nor_leaks(tmp_path: Path, case: str) -> None:
    """They were CIT003, a false error in check and build; and a suffix Markdown had set aside
    (code, math) showed its placeholder (``klzzwxh:0005``) once it could not be read again."""
    cited, shown = WHOLE[case]
    project = base_project(tmp_path)
    config = with_extensions(project, "pymdownx.arithmatex")
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nCase {cited} end.\n", encoding="utf-8")
    build_in_process(config, tmp_path / "site")
    home = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    paragraph = next(p for p in home.select("p") if p.get_text().startswith("Case"))
    (cite,) = paragraph.select(".lr-cite")
    assert shown in cite.get_text() and "klzzwxh" not in cite.get_text() and "wzxhzdk" not in cite.get_text()
    assert cite.get_text().startswith("[1") and paragraph.get_text().endswith("] end."), paragraph

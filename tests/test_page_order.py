"""One reading order for every generator: pages the ``nav`` does not list come where MkDocs
puts them, so works are numbered alike under MkDocs, Zensical and ``litreview check``."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.core.project.config import in_navigation_order

_NAMES = st.sampled_from(["index", "README", "a", "b", "z", "Zeta", "_x", "a-b", "a_b", "A", "0"])
_PATHS = st.lists(
    st.lists(_NAMES, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".md"),
    min_size=1,
    max_size=8,
    unique=True,
)


def _mkdocs_order(pages: list[str], listed: list[str]) -> tuple[list[str], list[str]]:
    """The pages MkDocs finds, and its own navigation of them (``nav`` = ``listed``, none when empty)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for page in pages:
            (root / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
            (root / "docs" / page).write_text("# Page\n", encoding="utf-8")
        nav = "".join(f"  - '{p}'\n" for p in listed)
        (root / "mkdocs.yml").write_text("site_name: t\n" + (f"nav:\n{nav}" if nav else ""), encoding="utf-8")
        config = load_config(str(root / "mkdocs.yml"))
        files = get_files(config)
        found = [f.src_uri for f in files.documentation_pages()]
        return found, [p.file.src_uri for p in get_navigation(files, config).pages]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PATHS, st.data())
def test_pages_come_in_mkdocs_order(pages: list[str], data: st.DataObject) -> None:
    """Without a ``nav``, MkDocs' navigation is every page; with one, it starts ours."""
    listed = data.draw(st.lists(st.sampled_from(pages), unique=True, max_size=3))
    found, navigation = _mkdocs_order(pages, listed)
    ours = in_navigation_order(found, listed)
    assert ours[: len(navigation)] == navigation
    assert sorted(ours) == sorted(found)


@pytest.mark.parametrize(
    "pages",
    [
        pytest.param(["README/index.md", "a/index.md", "A/index.md"], id="folders-differing-in-case"),
        pytest.param(["a-b/x.md", "b/y.md", "a_b/z.md", "index.md"], id="folders-with-one-title"),
    ],
)
def test_folders_with_one_title_are_one_section(pages: list[str]) -> None:
    """MkDocs names a section by its folder's title (``a`` and ``A`` are both "A"), so such
    folders are one section, placed where its first page is (found by the hypothesis test)."""
    found, navigation = _mkdocs_order(pages, [])
    assert in_navigation_order(found, []) == navigation

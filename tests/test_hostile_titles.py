"""A page title holding markup is an error of the check (issue 26).

MkDocs themes put a page's title into the navigation, the tab bar and the page's head
unescaped (Material's templates do): ``title: <img src=x onerror=…>`` runs on every page of
the site. litreview can't escape what the theme writes, so ``litreview check`` refuses the
title (FM002, at its line) and says why; a title with a ``<`` that is no tag is fine.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.core.source.frontmatter import parse, validate

MARKUP = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "</a>",
    "<!--x-->",
    "<svg/onload=alert(1)>",
    "<?x?>",
    "<B>b</B>",
]
TEXT = ["p < 0.05", "a <= b", "x<1", "1 <2", "A & B", "&lt;img&gt;", "Pain > 3", "<", "< b"]


def _findings(title: str, key: str = "title") -> list[str]:
    fm = parse(f"---\n{key}: {json.dumps(title)}\n---\n\n# Page\n", "docs/a.md")
    return [p.format() for p in validate(fm, "docs/a.md", section=False)]


@pytest.mark.parametrize("markup", MARKUP)
@pytest.mark.parametrize("key", ["title", "short_title"])
def test_a_title_with_markup_is_refused_at_its_line(markup: str, key: str) -> None:
    found = _findings(f"Spinal tumors {markup}", key)
    assert len(found) == 1 and found[0].startswith("docs/a.md:2:1: error[FM002]"), found
    assert "markup" in found[0] and "navigation" in found[0]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(TEXT)
        | st.text(st.characters(blacklist_characters="<", blacklist_categories=["Cs"]), max_size=5),
        min_size=1,
        max_size=4,
    )
    .map(" ".join)
    .filter(str.strip)
)
def test_a_title_without_tags_is_fine(title: str) -> None:
    assert _findings(title) == []

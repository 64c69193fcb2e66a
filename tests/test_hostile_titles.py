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

from litreview.core.crosslinks import concept_pages as crosslinks_render
from litreview.core.history import whatsnew
from litreview.core.references import reference_html
from litreview.core.source.frontmatter import parse, validate, without
from litreview.core.text.escaping import without_controls

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


GENERATED = {
    "references": lambda t: reference_html.references_markdown(t),
    "whats-new": lambda t: whatsnew.markdown(t),
    "concepts": lambda t: crosslinks_render.concepts_stub(t),
    "map": lambda t: crosslinks_render.map_markdown(t),
}


@settings(max_examples=100, deadline=None)
@given(
    page=st.sampled_from(sorted(GENERATED)),
    title=st.lists(
        st.sampled_from(["W", "é", ":", "#", "'", '"', "<b>", "&", "*", "\n", "- ", "{", "[", "%", "\x1b"]),
        min_size=1,
        max_size=8,
    )
    .map("".join)
    .filter(lambda t: without_controls(t).strip()),
)
def test_a_generated_pages_title_option_is_its_title_as_written(page: str, title: str) -> None:
    """The titles set in mkdocs.yml (references_title, whats_new_title…) head their generated
    page as text: its front matter reads back as the title, its heading holds no markup."""
    source = GENERATED[page](title)
    fm = parse(source, f"{page}.md")
    assert fm.problems == [] and fm.data["title"] == without_controls(title)
    heading = next(line for line in without(source).splitlines() if line.startswith("# "))
    assert "<" not in heading and "\n" not in heading

"""A page's outline (its headings, for anchors and links) reads HTML comments as the build's
Python-Markdown does: ``<!-->`` and ``<!--->`` open a comment to the next ``-->``, and one never
closed is text. (The citation scanner reads them as pandoc does, where those two are text.)"""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.core.source.outlines import outline


def ours(text: str) -> list[str]:
    return [h.text for h in outline(text, "page.md").headings]


def markdowns(text: str) -> list[str]:
    return re.findall(r"<h2[^>]*>(.*?)</h2>", markdown.markdown(text))


CASES = {
    "short-comment": "<!-->\n\n## Hidden\n\nMore -->\n\n## Shown\n",
    "shorter-comment": "<!--->\n\n## Hidden\n\nMore -->\n\n## Shown\n",
    "never-closed": "<!-- never closed\n\n## Shown\n",
    "closed": "<!-- closed\n\n## Hidden\n\n-->\n\n## Shown\n",
    "in-code": "Text.\n\n    <!-- in code\n\n## Shown\n\n-->\n",
    "escaped": "\\<!-- escaped\n\n## Shown\n\n-->\n",
}


@pytest.mark.parametrize("name", list(CASES))
def test_headings_in_and_after_comments_are_markdowns(name: str) -> None:
    assert ours(CASES[name]) == markdowns(CASES[name]) == ["Shown"]


PIECES = st.sampled_from(
    ["<!--", "-->", "<!-->", "<!--->", "\n\n", "\n\n## Ha\n\n", "\n\n## Hb\n\n", "x", " "]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=12).map("".join))
def test_generated_comments_hide_the_headings_markdown_hides(text: str) -> None:
    assert ours(text) == markdowns(text)

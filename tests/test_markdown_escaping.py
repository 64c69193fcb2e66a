"""The escapes imported text goes through (issue 26), against Python-Markdown itself: whatever
the value, it renders as exactly that text, that code or that link, and nothing else."""

from __future__ import annotations

import re

import markdown
from bs4 import BeautifulSoup
from hypothesis import example, given
from hypothesis import strategies as st

from litreview.core.text.escaping import (
    URL_SCHEMES,
    code_block,
    code_span,
    html_code,
    identifier,
    markdown_text,
    safe_url,
    without_controls,
)

#: The imported project's extensions and MkDocs' built-in ones.
EXTENSIONS = ["toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "footnotes", "md_in_html"]
SPECIAL = st.sampled_from([*"\\`*_{}[]()<>#+-.!|&~^=:\"'$%@/; ", "&lt;", "&#60;", "</", "```", "~~~"])
LINE = st.lists(st.one_of(SPECIAL, st.text(max_size=3)), max_size=20).map("".join)


def _html(text: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(text, extensions=EXTENSIONS), "lxml")


def _flat(value: str) -> str:
    return " ".join(without_controls(value).split())


@given(LINE.filter(lambda s: "\n" not in s and "\r" not in s))
def test_text_renders_as_itself(value: str) -> None:
    soup = _html("x " + markdown_text(value))
    assert [e.name for e in soup.find_all(True)] == ["html", "body", "p"]
    assert _flat(soup.get_text()) == _flat("x " + value)


@given(LINE)
def test_a_code_span_holds_the_value(value: str) -> None:
    soup = _html("x " + code_span(value))
    codes = soup.find_all("code")
    assert len(codes) == (1 if _flat(value) else 0)
    assert not codes or codes[0].get_text() == _flat(value)


@given(st.lists(st.one_of(LINE, st.just("\n"), st.just("\n\n")), max_size=8).map("".join))
@example("\r")  # found by CI: a final \r and the fence's line end read as one \r\n
def test_a_code_block_holds_the_value(value: str) -> None:
    soup = _html("Before.\n\n" + code_block(value, "latex") + "\n\nAfter.")
    assert [e.name for e in soup.find_all(True)] == ["html", "body", "p", "pre", "code", "p"]
    code = soup.find("code")
    assert code is not None
    # Python-Markdown reads \r as a line end, expands tabs and empties lines of spaces
    body = re.sub(
        r"(?m)^ +$", "", without_controls(value).replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    )
    assert re.sub(r"(?m)^ +$", "", code.get_text()) == body + "\n"


@given(
    st.lists(
        st.one_of(
            SPECIAL,
            st.sampled_from(["javascript:", "data:", "JaVa\tScRiPt:", " \x01", "http://", "mailto:"]),
            st.text(max_size=3),
        ),
        max_size=12,
    ).map("".join)
)
def test_a_link_goes_where_it_says_or_nowhere(value: str) -> None:
    url = safe_url(value)
    if url is None:
        return
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", url)
    assert scheme is None or scheme.group(1).lower() in URL_SCHEMES
    links = _html(f"x [t]({url})").find_all("a")
    assert [a.get("href") for a in links] == [url]


@given(st.text())
def test_an_id_is_plain(label: str) -> None:
    assert re.fullmatch(r"[\w:.-]+", identifier(label))


#: Inline extensions a project may add: each reads text between tags as Markdown too.
INLINE_EXTENSIONS = [
    *EXTENSIONS,
    "pymdownx.arithmatex",
    "pymdownx.magiclink",
    "pymdownx.tilde",
    "pymdownx.caret",
    "pymdownx.mark",
    "pymdownx.emoji",
    "pymdownx.critic",
]
#: Where an importer puts ``<code>`` (issue 26's captions; a LaTeX table's cells).
HTML_PLACES = [
    "| {} |\n| --- |\n",
    '<figure markdown="span">\n  <figcaption>Figure 1: {}</figcaption>\n</figure>\n',
    '<figure markdown="span">\n  <figcaption markdown="span">Figure 1: {}</figcaption>\n</figure>\n',
    "Text {} text.\n",
]


@given(LINE, st.sampled_from(HTML_PLACES))
@example("[x](javascript:alert(1))", HTML_PLACES[0])  # a LaTeX \\texttt in a tabular: a live link
@example("~~s~~ {: #id} https://a.b www.c.org :smile: {++a++} $x$", HTML_PLACES[1])  # text changed
def test_html_code_holds_the_value_wherever_markdown_reads_it(value: str, place: str) -> None:
    """``<code>`` in raw HTML is not a code span to Python-Markdown: it reads what is between the
    tags as Markdown (a table's cell, a span-level ``markdown`` block, a paragraph)."""
    html = markdown.markdown(place.format(html_code(value)), extensions=INLINE_EXTENSIONS)
    soup = BeautifulSoup(html, "lxml")
    codes = soup.find_all("code")
    assert len(codes) == 1 and not codes[0].find_all(True), html
    assert codes[0].get_text() == _flat(value), html

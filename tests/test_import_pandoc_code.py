"""Code in a list item, as pandoc reads it (indented from the item's text column), stays text
when Python-Markdown, which indents by four spaces a level, would read the line as Markdown."""

from __future__ import annotations

import json

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from litreview.core.importers.pandoc_code import _item_code, _unquoted, keep_pandoc_code
from pandoc_oracle import pandoc_json


def _code_texts(tree: object) -> list[str]:
    """The texts of pandoc's code blocks, anywhere in its tree."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "CodeBlock":
                found.append(node["c"][1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return found


def _rendered(text: str) -> str:
    return markdown.Markdown(extensions=["attr_list", "md_in_html"]).convert(keep_pandoc_code(text))


@pytest.mark.parametrize(
    "text",
    [
        "- a\n\n      <b>x</b> *y* [t](javascript:alert(1)) [@k] $m$",  # code from column 6
        "-     <b>x</b> *y*",  # five spaces after the marker: code on the item's first line
        "a. a\n\n       <b>x</b> *y*",  # a fancy marker: its text at column 3
        "- - a\n\n        <b>x</b> *y*",  # two markers on a line: two levels to Python-Markdown
        "> - a\n>\n>       <b>x</b> *y*",  # in a quote
        "# h\n- a\n\n      <b>x</b> *y*",  # a list right after a heading
    ],
)
def test_code_in_an_item_is_shown_as_pandoc_shows_it(text: str) -> None:
    code = "".join(_code_texts(pandoc_json(text))).strip()
    assert code  # pandoc reads code there
    html = _rendered(text)
    assert "<b>" not in html and "<em>" not in html and "<a " not in html, html
    assert code in BeautifulSoup(html, "lxml").get_text(), html  # shown as written


@pytest.mark.parametrize(
    "text",
    [
        "1.  a\n\n        x = f(a) <b>",  # code to Python-Markdown too: left as written
        "- a\n\n    x = f(a)",  # the item's paragraph to both
        "    x = f(a)",  # code outside a list
        "~~~ {.py}\nx <b>\n~~~",  # a fence both read
        "```\nx <b>\n```",
        # code both read, which f01a3ae's rewrite of fences (withdrawn) changed: the attack pass
        "- Run in R:\n```r\n> x <- c(1, 2)\n> mean(x)\n[1] 1.5\n```",
        "1. step\n```py\n>>> x = 1\n```\n2. next",
        # found by the attack pass on d6339ef: a marker inside code, a fence's line indented as code
        "p\n\n    - a\n\n          <b>x</b> [l](u)",
        "~~~\n    ~~~\n- a\n\n      <b>x</b>\n~~~",
        "> - a\n>\n>         x = f(a)",  # code to Python-Markdown too, in a quote
    ],
)
def test_text_both_read_alike_is_left_as_written(text: str) -> None:
    assert keep_pandoc_code(text) == text


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.sampled_from(["- ", "1. ", "a. ", " ", "  ", "    ", "x", "```", "\n", "\n\n", "> ", "# "]),
        max_size=14,
    ).map("".join)
)
@example("- a\n\n      x")
def test_a_line_taken_for_code_is_code_to_pandoc(text: str) -> None:
    """Every line written as text here is (part of) a code block to pandoc. (Not where pandoc
    reads a code span: it reads one across a heading's line end, ``# ```\\n-     ```.)"""
    if '"t": "Code"' in json.dumps(pandoc_json(text)):
        return
    lines = text.split("\n")
    code = "\n".join(_code_texts(pandoc_json(text)))
    for number, column in _item_code(lines):
        line = _unquoted(lines[number].expandtabs(4))[0][column:].strip()  # its quote's markers aside
        assert line in code, (text, number, json.dumps(pandoc_json(text)))

"""The pandoc citation grammar, form by form, and everything that is not a citation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.core.citations.syntax import (
    CANDIDATE,
    Citation,
    CiteItem,
    Malformed,
    find_in_text,
    parse_at,
    parse_at_in,
)
from litreview.core.source.scanner import Found, scan


def _items(text: str) -> list[tuple[str, ...] | str]:
    """Each citation as (key, prefix, locator, suppress) tuples; malformed ones as 'MALFORMED'."""
    out: list[tuple[str, ...] | str] = []
    for found in find_in_text(text):
        if isinstance(found, Malformed):
            out.append("MALFORMED")
        else:
            for item in found.items:
                out.append((item.key, item.prefix, item.locator, "-" if item.suppress_author else ""))
    return out


CITATIONS = [
    ("single", "text [@deandres2020].", [("deandres2020", "", "", "")]),
    ("group", "[@a; @b]", [("a", "", "", ""), ("b", "", "", "")]),
    ("group-no-space", "[@a;@b]", [("a", "", "", ""), ("b", "", "", "")]),
    ("prefix-and-locator", "[see @key, pp. 33-35]", [("key", "see", "pp. 33-35", "")]),
    ("locator-then-other", "[@key, ch. 2; @other]", [("key", "", "ch. 2", ""), ("other", "", "", "")]),
    ("suppress-author", "[-@key]", [("key", "", "", "-")]),
    ("narrative", "@key says", [("key", "", "", "")]),
    ("narrative-locator", "@key [p. 33] says", [("key", "", "p. 33", "")]),
    ("narrative-sentence-end", "as shown by @Smith2020.", [("Smith2020", "", "", "")]),
    ("doi-key", "[@10.1000/xyz.123]", [("10.1000/xyz.123", "", "", "")]),
    ("punctuation-key", "[@a:b.c#d$e%f&g-h+i?j<k>l~m/n]", [("a:b.c#d$e%f&g-h+i?j<k>l~m/n", "", "", "")]),
    ("braced-key-trailing-dot", "@{key.}.", [("key.", "", "", "")]),
    ("braced-in-group", "[@{a,b}; @c]", [("a,b", "", "", ""), ("c", "", "", "")]),
    ("spans-line-break", "[@a;\n@b]", [("a", "", "", ""), ("b", "", "", "")]),
    ("trailing-punct-not-key", "see @key, and", [("key", "", "", "")]),
    ("case-kept", "[@DeAndres2020]", [("DeAndres2020", "", "", "")]),
    ("underscore", "[@smith_jones_2020]", [("smith_jones_2020", "", "", "")]),
    ("unicode-key", "[@müller2023]", [("müller2023", "", "", "")]),
    ("in-parens", "(@key)", [("key", "", "", "")]),
    ("two-citations", "[@a] and [@b]", [("a", "", "", ""), ("b", "", "", "")]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CITATIONS], ids=[c[0] for c in CITATIONS])
def test_citation_forms(text: str, expected: list[tuple[str, ...]]) -> None:
    assert _items(text) == expected


NOT_CITATIONS = [
    ("email", "write to n.ivanova@mrit.ru today"),
    ("email-in-brackets", "[write to n.ivanova@mrit.ru]"),
    ("url-with-at", "see https://example.org/@user/post"),
    ("www-url", "see www.example.org/@user"),
    ("escaped-at", "a literal \\@key here"),
    ("bare-at", "meet @ noon"),
    ("link-text", "[@key](https://example.org)"),
    ("link-with-at-in-url", "[profile](https://example.org/@key)"),
    ("reference-link", "[text][@label]"),
    ("brackets-without-at", "[just text; more]"),
    ("at-after-word", "price@2020"),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_CITATIONS], ids=[c[0] for c in NOT_CITATIONS])
def test_not_citations_in_text(text: str) -> None:
    assert _items(text) == []


MARKDOWN_NOT_CITATIONS = [
    ("code-span", "Use `[@key]` in text."),
    ("double-backtick-span", "Use ``a ` [@key]`` in text."),
    ("fenced-code", "```python\n@decorator\ndef f(): [@key]\n```\n"),
    ("tilde-fence", "~~~\n[@key]\n~~~\n"),
    ("indented-code", "Para.\n\n    [@key] code\n"),
    ("inline-html-attr", 'A <span title="[@key]">x</span> b'),
    ("html-pre-block", "<pre>\n[@key]\n</pre>\n"),  # a <div>'s text is read, as pandoc does
    ("html-comment", "<!-- [@key] -->"),
    ("multiline-comment", "<!--\n[@key]\n-->"),
    ("autolink", "<https://example.org/@key>"),
    ("email-autolink", "<someone@example.org>"),
    ("link-definition", "[ref]: https://example.org/@key"),
    ("front-matter", "---\ntitle: '[@key]'\n---\nText.\n"),
    ("code-in-list", "- item\n\n        [@key] code in list\n"),
]


@pytest.mark.parametrize(
    "text", [c[1] for c in MARKDOWN_NOT_CITATIONS], ids=[c[0] for c in MARKDOWN_NOT_CITATIONS]
)
def test_markdown_structure_is_never_a_citation(text: str) -> None:
    result = scan(text, "page.md")
    assert result.found == [] and result.problems == []


MARKDOWN_CITATIONS = [
    ("after-code-span", "Use `x` then [@key].", (1, 14)),
    ("in-list", "Intro.\n\n- item [@key]\n", (3, 8)),
    ("in-admonition", '!!! note "N"\n\n    Body [@key]\n', (3, 10)),
    ("in-md-in-html", "<div markdown>\n\nText [@key]\n\n</div>\n", (3, 6)),
    ("after-front-matter", "---\ntitle: T\n---\n\nText [@key]\n", (5, 6)),
    ("in-table", "| a | b |\n|---|---|\n| x [@key] | y |\n", (3, 5)),
    ("in-heading", "# Title [@key]\n", (1, 9)),
    ("in-blockquote", "> Quote [@key]\n", (1, 9)),
    ("second-line", "First line\nsecond [@key] line\n", (2, 8)),
]


@pytest.mark.parametrize(
    ("text", "position"), [c[1:] for c in MARKDOWN_CITATIONS], ids=[c[0] for c in MARKDOWN_CITATIONS]
)
def test_markdown_citations_have_exact_positions(text: str, position: tuple[int, int]) -> None:
    result = scan(text, "page.md")
    assert [(f.line, f.col) for f in result.found] == [position]
    assert result.found[0].citation.keys == ("key",)


MALFORMED = [
    ("group-item-without-at", "[@a; b]", (1, 1), "'b' in a citation group has no @key"),
    ("empty-key", "text [@] here", (1, 6), "no valid citation key"),
    ("unclosed", "text [@a and more", (1, 6), "never closed"),
]


@pytest.mark.parametrize(
    ("text", "position", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_citations_are_problems_at_their_position(
    text: str, position: tuple[int, int], message: str
) -> None:
    result = scan(text, "page.md")
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.line, problem.col, problem.code) == (*position, "CIT003")
    assert message in problem.message


def test_citation_records_offsets() -> None:
    [found] = find_in_text("ab [@k, p. 1] cd")
    assert isinstance(found, Citation)
    assert (found.start, found.end) == (3, 13)
    assert found.items == (CiteItem("k", "", ", p. 1"),)


# --- one paragraph of thousands of citations (issue 13) ---------------------------------------

_PIECES = st.sampled_from(
    [
        "[",
        "]",
        "@",
        "-@",
        " ",
        "\n",
        ";",
        "{",
        "}",
        "(",
        ")",
        "\\",
        "a",
        "b1",
        "x.y",
        ":",
        "p. 3",
        "see ",
        "www.",
        "://",
        "_",
    ]
)


@given(st.lists(_PIECES, max_size=40).map("".join), st.integers(min_value=1, max_value=8))
def test_a_windowed_parse_equals_the_whole_texts(text: str, window: int) -> None:
    """The inline processor reads around each candidate; what it finds must be what a parse
    of the whole text finds, however small the first window."""
    for m in CANDIDATE.finditer(text):
        if m.group(0) != "\\@":
            assert parse_at_in(text, m.start(), window) == parse_at(text, m.start()), (text, m.start())


def _counted(monkeypatch: pytest.MonkeyPatch, read: Callable[[], object]) -> int:
    """Characters the bracket index took in while ``read`` ran."""
    from litreview.core.citations import syntax

    total = 0
    original = syntax._Index.__init__

    def counting(self: syntax._Index, text: str) -> None:
        nonlocal total
        total += len(text)
        original(self, text)

    with monkeypatch.context() as patched:
        patched.setattr(syntax._Index, "__init__", counting)
        read()
    return total


def _indexed(n: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Characters indexed while converting one paragraph of ``n`` citations, and its length."""
    import markdown

    from litreview.core.citations.cite_records import PageCitations
    from litreview.markdown_engine import CitationExtension

    paragraph = ", ".join(f"claim {i} [@key{i}; see @other{i}, p. {i}] as @third{i} says" for i in range(n))
    page = PageCitations("p.md", "p.md")
    html: list[str] = []
    total = _counted(
        monkeypatch,
        lambda: html.append(
            markdown.Markdown(extensions=[CitationExtension(lambda: page)]).convert(paragraph)
        ),
    )
    assert len(page.records) == 2 * n and html[0].count("lr-cite-slot") == 2 * n
    return total, len(paragraph)


def test_one_paragraph_of_many_citations_is_read_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reported: work grew with the square of the citations in one paragraph (4,000 took 41 s),
    because every citation indexed the whole paragraph again. Counted, not timed."""
    small, _ = _indexed(500, monkeypatch)
    large, large_length = _indexed(1000, monkeypatch)
    assert large <= 20 * large_length  # a bounded window per citation, not the paragraph
    assert large / small < 2.5  # doubling the citations about doubles the work


def test_citations_nested_in_suffixes_past_a_depth_are_text_not_a_crash() -> None:
    """200 brackets, each citing in the one before's suffix, raised RecursionError (a traceback
    from check and build; an attack pass). Past 16 levels a suffix's citations are its text."""
    from litreview.core.source.scanner import scan

    found = scan("[@a, " * 200 + "x" + "]" * 200, "p.md").found
    assert len(found) == 1 and found[0].citation.keys == ("a",) * 17


def test_images_nested_in_alt_texts_any_depth_cite_without_a_crash() -> None:
    """An image in an image's alt text was read by recursion: 1,000 deep raised RecursionError
    (an attack pass); each level also read the rest again. They are read in one pass now, as
    deep as pandoc reads them."""
    found = scan("![" * 1000 + "@a" + "](u)" * 1000, "p.md").found
    assert [f.citation.keys for f in found] == [("a",)]
    text = "![x [@a] ![y @b](i.png) z [@c]](o.png) [@d] ![@e](p)"
    assert [k for f in scan(text, "p.md").found for k in f.citation.keys] == ["a", "b", "c", "d", "e"]


def test_a_suffix_citing_again_and_again_is_read_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reported (an attack pass): ``[@a, [@b, [@c]] [@b, [@c]] …]`` took 10 s at 44 KB, because
    each citation in the suffix pushed the suffix's own index out of the few kept, and it was
    made again. Counted, not timed: the characters indexed stay within a few times the text's."""
    text = "[@a, " + "[@b, [@c]] " * 2000 + "]"
    found: list[Found] = []
    total = _counted(monkeypatch, lambda: found.extend(scan(text, "p.md").found))
    assert len(found) == 1 and len(found[0].citation.keys) == 1 + 2 * 2000
    assert total <= 5 * len(text)

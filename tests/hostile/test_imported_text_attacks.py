"""Text pandoc reads as text stays text through every importer of pandoc Markdown (Quarto,
Manubot): generated, across the two families the last attack passes found by hand.

- ``attr_list``, which imported projects enable, reads ``{: onclick=…}`` after an element, at a
  heading's or a block's end as attributes; pandoc reads it as text.
- Python-Markdown splits a paragraph where pandoc does not: a line inside a code span that starts
  like a heading, a line like a link definition after a paragraph's line.

Each generated text is imported, rendered with the imported project's Markdown extensions and
parsed: no event handler and no element a payload would make, unless pandoc itself reads raw
HTML or a link there (then it is the author's own, as in pandoc).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hostile.injection import injected
from hostile.test_latex_markdown import _renderer
from hostile.test_myst_attacks import _book, _pages_are_clean
from litreview.core.importers.imported import Imported
from litreview.core.importers.manubot import read_manubot
from litreview.core.importers.myst import read_myst
from litreview.core.importers.project import files, read
from pandoc_oracle import pandoc_json


def _quarto(folder: Path, body: str) -> Imported:
    path = folder / "review.qmd"
    path.write_text(f"---\ntitle: T\n---\n\n# Intro\n\n{body}\n", encoding="utf-8")
    return read([path], folder)


def _manubot(folder: Path, body: str) -> Imported:
    content = folder / "src" / "content"
    content.mkdir(parents=True)
    (content / "metadata.yaml").write_text("title: T\n", encoding="utf-8")
    (content / "01.intro.md").write_text(f"## Intro\n\n{body}\n", encoding="utf-8")
    return read_manubot(folder / "src", folder)


IMPORTERS: dict[str, Callable[[Path, str], Imported]] = {"quarto": _quarto, "manubot": _manubot}

PIECES = [
    "{: onclick=alert(1)}",
    "{onclick=alert(1)}",
    "{ .c }",
    "{#i}",
    "*a*",
    "`b`",
    "`",
    "$m$",
    "[t](https://x)",
    "# ",
    "[y]: javascript:alert(1)",
    "[z][y]",
    "> ",
    "<img src=x onerror=alert(1)>",
    "x",
    " ",
    "\n",
    "\n\n",
    "|",
    ": ",
    "- ",
    "a. ",
    "  ",
]


def _authors_own(markdown: str) -> bool:
    """Whether pandoc reads raw HTML or a link in ``markdown``: then the page has it as written."""
    tree = json.dumps(pandoc_json(markdown), separators=(",", ":"))
    return any(f'"t":"{kind}"' in tree for kind in ("RawInline", "RawBlock", "Link", "Image"))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(IMPORTERS)), st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
@example("quarto", "`a\n# <img src=x onerror=alert(1)>`")  # the paragraph split (847e8cf)
@example("manubot", "*a*{: onclick=alert(1)}")  # attr_list (67780c8), through Manubot's importer
# found by its first runs: a link definition pandoc reads whole and Python-Markdown does not
# (its <img> live); attr_list reading a group that ends a paragraph's text before an element
@example("manubot", "[y]: javascript:alert(1)<img src=x onerror=alert(1)>")
@example("manubot", "{: onclick=alert(1)}\n{: onclick=alert(1)}*a*")
# a line like a heading inside a paragraph is its text to pandoc, and so is a definition after it
@example("quarto", "{: onclick=alert(1)}[y]: javascript:alert(1)\n# \n[y]: javascript:alert(1)")
@example(
    "manubot",
    "{: onclick=alert(1)}[y]: javascript:alert(1)\n\n[y]: javascript:alert(1)# [y]: javascript:alert(1)",
)
# a second definition whose URL holds a word starting with a brace (not attributes): pandoc's
@example(
    "manubot",
    "[y]: javascript:alert(1)\n[y]: javascript:alert(1)> {: onclick=alert(1)}[y]: javascript:alert(1)",
)
def test_generated_text_stays_text_through_every_importer(importer: str, text: str) -> None:
    if _authors_own(text):
        return
    with tempfile.TemporaryDirectory() as made:
        imported = IMPORTERS[importer](Path(made), text)
        config = yaml.safe_load(str(files(imported)["mkdocs.yml"]))
    md = _renderer(config)
    for name, page in imported.pages.items():
        html = md.reset().convert(page)
        assert not [f for f in injected(html) if "arithmatex" not in f], (importer, text, name, page, html)


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
@pytest.mark.parametrize(
    "text", ["Text\n# not a heading", "#hashtag is text", "Text\n\n#tag", "Text\n> # quoted"]
)
def test_a_line_pandoc_reads_as_text_is_no_heading(tmp_path: Path, importer: str, text: str) -> None:
    """Pandoc reads a heading only at a block's start with a space after its ``#``s;
    Python-Markdown reads one at any line's start."""
    imported = IMPORTERS[importer](tmp_path, text)
    md = _renderer(yaml.safe_load(str(files(imported)["mkdocs.yml"])))
    html = "".join(md.reset().convert(page) for page in imported.pages.values())
    soup = BeautifulSoup(html, "lxml")
    line = text.split("\n")[-1]  # "# not a heading", "#hashtag is text", "#tag"
    assert line in soup.get_text(), html
    headings = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    assert not [h for h in headings if line.lstrip("# ") in h.get_text()], html


#: Found by the attack pass on 31da043: definitions and attributes Python-Markdown read otherwise.
CONSTRUCTS = [
    "*a*{onclick}",  # a key with no value
    '*a*{width="}" onclick=alert(1)}',  # attr_list reads on to the line's last brace
    "[a\\]: x\n[w]: javascript:alert(1)\n\n[z][w]",  # no definition: the next line is its text
    "[a[b]: x\n[w]: javascript:alert(1)\n\n[z][w]",
    "x[^1]\n\n[^1]: n\n[w]: javascript:alert(1)\n\n[z][w]",  # a footnote's text
    "[a]:\n<img src=x onerror=alert(1)>",  # the URL on the next line
    "[a]:\n  x<img src=x onerror=alert(1)>",
    # a blockquote never interrupts a paragraph in pandoc's Markdown (the second attack pass)
    "a\n> [w]: javascript:alert(1)\n\n[z][w]",
    "> [y]: javascript:alert(1)<img src=x onerror=alert(1)>",  # pandoc's definition, in a quote
    "|\n[y]: javascript:alert(1)<img src=x onerror=alert(1)>",  # after a line block: a definition
    "a\n> # h\n> [w]: javascript:alert(1)\n\n[z][w]",
    # found by the generated test while these were mended
    "{: onclick=alert(1)}*a*{: onclick=alert(1)}",  # one group to the line's last brace
    "{: onclick=alert(1)}`b`{: onclick=alert(1)}",  # code inside that group
    "{ .c }*a*{onclick=alert(1)}",
    "[y]: javascript:alert(1)*a*{: onclick=alert(1)} {: onclick=alert(1)}",  # text, not a definition
    "[y]: javascript:alert(1)\n{onclick=alert(1)}{: onclick=alert(1)}\n\n[z][y]",  # then attributes
    # a definition list's term to pandoc (a `:` or `~` line after it), a definition to Python-Markdown
    "[y]: javascript:alert(1)\n: [z][y]",
    "[y]: javascript:alert(1)\n\n~ [z][y]",
    "[y]: javascript:alert(1)\n   :\t[z][y]",
    "> [y]: javascript:alert(1)\n>\n> : [z][y]",
    "> [y]: javascript:alert(1)\n: [z][y]",
    # a definition in a list item (pandoc's, with its fancy markers): its <img> was live
    "- [y]: x<img src=x onerror=alert(1)>",
    "1. [y]: x<img src=x onerror=alert(1)>",
    "a. [y]: x<img src=x onerror=alert(1)>",
    "(1) [y]: x<img src=x onerror=alert(1)>",
    "- > [y]: x<img src=x onerror=alert(1)>",
    "1.  a\n\n    [y]: x<img src=x onerror=alert(1)>",
    "- a\n\n      [y]: x<img src=x onerror=alert(1)>",  # code to pandoc, the item's text to Python-Markdown
    "- [y]: javascript:alert(1)\n  : [z][y]",  # a term in the item
    # code in an item that pandoc_code (then listcode) missed (the attack pass on d6339ef; each live before it too)
    "> - a\n>\n>       <img src=x onerror=alert(1)>",  # in a quote
    "- a\n\n      ~~~\n      <img src=x onerror=alert(1)>\n      ~~~",  # a fence's line, as code
    "    ```\n- a\n\n      <img src=x onerror=alert(1)>",  # no fence: code
    "```x```\n\n- a\n\n      <img src=x onerror=alert(1)>",  # no fence: a code span
    "p\n```\n\n- a\n\n      <img src=x onerror=alert(1)>",  # no fence: never closed
    "# h\n- a\n\n      <img src=x onerror=alert(1)>",  # a list right after a heading
    "***\n- a\n\n      <img src=x onerror=alert(1)>",
    "- \n[y]: javascript:alert(1)<img src=x onerror=alert(1)>",  # an empty item: a definition after it
    # a definition with no URL before a line that starts with '[': text to pandoc (the attack
    # pass on 04a056b; old)
    "[w]:\n[v]: javascript:alert(1)\n\n[z][v]",
    "> [w]:\n> [v]: javascript:alert(1)\n\n[z][v]",
    "- [w]:\n  [v]: javascript:alert(1)\n\n[z][v]",
    "[w]:\n[v]: x\n[u]: javascript:alert(1)\n\n[z][u]",
    # a fence's extent read otherwise than pandoc's (the attack pass on 4695d95: live with f01a3ae's
    # rewrite of fences, which is withdrawn)
    "> ```\n> a\n\n```\n<img src=x onerror=alert(1)>\n```",
    "- a\n\n  ~~~\n  x\n\n~~~\n<img src=x onerror=alert(1)>\n~~~",
    "~~~ x y\ntext\n\n~~~\n<img src=x onerror=alert(1)>\n~~~",
    "> 1.\n[y]: javascript:alert(1)<img src=x onerror=alert(1)>",
    # found by the attack pass on d6339ef: a marker pandoc does not read (A. needs two spaces)
    "[z][y]\n\nA. # x\n[y]: javascript:alert(1)",
    "[y]: javascript:alert(1)\na. [y]: javascript:alert(1)[y]: javascript:alert(1)",  # the generated test; old
    # a definition's attributes (the generated test; old)
    "[y]: javascript:alert(1)\n[y]: javascript:alert(1)[y]: javascript:alert(1)# {onclick=alert(1)}",
    # found by the fifth attack pass: a label's second definition stays a definition (pandoc's
    # Markdown keeps the last, as Python-Markdown does), and a '[' after an escaped backslash
    "[a]: https://x\n[a]: https://y\n    <img src=x onerror=alert(1)>",
    "[a]: javascript:alert(1)\n[a]: https://x\n\n[a]",
    "a. [y]: y\\\\[z](javascript:alert(1))",
    "> - [y]: javascript:alert(1)\n>   : [z][y]",  # a term in an item in a quote
    # the URL ends where pandoc reads attributes, what follows them or not: then text, not a
    # definition (the suite's generated test found the first)
    "[y]: javascript:alert(1)# {onclick=alert(1)}{: onclick=alert(1)}\n*a*[y]: javascript:alert(1)",
    "[y]: javascript:alert(1) {.c}x\n\n[z][y]",
    # a quote's own paragraph goes on over its lines: a definition there is its text (pandoc's)
    "> a\n> [w]: javascript:alert(1)\n\n[z][w]",
    "> a\n> > [w]: javascript:alert(1)\n\n[z][w]",
    "> > a\n> [w]: javascript:alert(1)\n\n[z][w]",
]


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
@pytest.mark.parametrize("text", CONSTRUCTS)
def test_a_construct_stays_text_through_every_importer(tmp_path: Path, importer: str, text: str) -> None:
    imported = IMPORTERS[importer](tmp_path, text)
    md = _renderer(yaml.safe_load(str(files(imported)["mkdocs.yml"])))
    for page in imported.pages.values():
        html = md.reset().convert(page)
        assert not [f for f in injected(html) if "arithmatex" not in f], (text, page, html)


@pytest.mark.parametrize(
    ("importer", "text", "link"),
    [
        ("quarto", "[t][a]\n\n[a]:\n  https://x", '<a href="https://x">t</a>'),
        ("quarto", '[t][a]\n\n[a]: https://x "T \\"q\\""', '<a href="https://x"'),
        ("manubot", "[t][a]\n\n[a]: <https://x/a b>", '<a href="https://x/a%20b">t</a>'),
        ("quarto", "[t][a]\n\n[a]: https://x 'T'", '<a href="https://x" title="T">t</a>'),
        # a definition, not a term: a code line, two blank lines, a marker with no space after it
        ("quarto", "[t][a]\n\n[a]: https://x\n    : code", '<a href="https://x">t</a>'),
        ("manubot", "[t][a]\n\n[a]: https://x\n\n\n: d", '<a href="https://x">t</a>'),
        ("quarto", "[t][a]\n\n[a]: https://x\n:d", '<a href="https://x">t</a>'),
        ("quarto", "[t][a]\n\n> [a]: https://x\n\n> : d", '<a href="https://x">t</a>'),
        ("manubot", "[t][a]\n\n- [a]: https://x/a b", '<a href="https://x/a%20b">t</a>'),  # in an item
        # a ':' line less indented than the item's text ends the list: no term (the attack pass)
        ("quarto", "[t][a]\n\n- [a]: https://x\n: x", '<a href="https://x">t</a>'),
        # a quote's block of its own ends no paragraph there is none (the attack pass on c2c0b71)
        ("quarto", "[t][a]\n\n> > [w]: http://x\n> > [a]: https://x", '<a href="https://x">t</a>'),
        ("manubot", "[t][a]\n\n> | b\n> [a]: https://x", '<a href="https://x">t</a>'),
        ("quarto", "[t][a]\n\n>     code\n> [a]: https://x", '<a href="https://x">t</a>'),
        # a setext heading or a rule ends no paragraph there is none (the attack pass on 04a056b)
        ("quarto", "[t][a]\n\nb\n---\n[a]: https://x", '<a href="https://x">t</a>'),
        ("manubot", "[t][a]\n\n***\n[a]: https://x", '<a href="https://x">t</a>'),
        ("quarto", "[t][a]\n\n> b\n> ===\n> [a]: https://x", '<a href="https://x">t</a>'),
        ("quarto", "[t][a]\n\n[w]:\n\n[a]: https://x", '<a href="https://x">t</a>'),  # an empty URL
        ("manubot", "[t][a]\n\n[a]: https://x {onclick=alert(1)}", '<a href="https://x">t</a>'),  # no handler
        ("quarto", "[t][A]\n\n[a]: https://x\n\n[A]: https://y", '<a href="https://y">t</a>'),  # the last
        ("quarto", "[t][a]\n\n[a]:\n\n[a]: https://y", '<a href="https://y">t</a>'),
        (
            "manubot",
            "[t][a]\n\n[a]: https://x {=html}",
            '<a href="https://x%20%7B=html%7D">t</a>',
        ),  # no attributes
        ("manubot", "[t][a]\n\n- [a]: https://x\n\n: x", '<a href="https://x">t</a>'),
    ],
)
def test_a_definition_pandoc_reads_still_links(tmp_path: Path, importer: str, text: str, link: str) -> None:
    imported = IMPORTERS[importer](tmp_path, text)
    md = _renderer(yaml.safe_load(str(files(imported)["mkdocs.yml"])))
    assert link in "".join(md.reset().convert(page) for page in imported.pages.values())


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("> a\n> # b", "a # b"),  # a quote's paragraph goes on: no heading (pandoc's)
        ("> a\n> > b", "a > b"),  # nor a quote inside it
        ("> #tag", "#tag"),  # no space after '#': no heading anywhere
        ("> # h", "h"),  # a heading at the quote's start
        ("a\n> # b", "a > # b"),  # '>' inside a plain paragraph: text
        # found by the attack pass on c2c0b71: blocks after a quote's block of its own
        ("> > # A\n> > # B", "B"),
        ("> > [w]: http://x\n> > # H", "H"),
        (">   [w]: http://x\n> # H", "H"),
        ("> | a\n> # B", "B"),
        # '#tag' after a list item's marker (the second attack pass on c2c0b71; old)
        ("- #tag", "#tag"),
        ("1. #tag x", "#tag x"),
        ("- # h", "h"),
        ("- a\n- # h", "h"),  # a tight list's next item (the fifth attack pass)
        ("2. a\n10. # h", "h"),
    ],
)
def test_a_quotes_lines_are_read_as_pandoc_reads_them(
    tmp_path: Path, importer: str, text: str, shown: str
) -> None:
    """As many quotes and headings as pandoc reads, and the text shown."""
    imported = IMPORTERS[importer](tmp_path, text)
    md = _renderer(yaml.safe_load(str(files(imported)["mkdocs.yml"])))
    soup = BeautifulSoup("".join(md.reset().convert(page) for page in imported.pages.values()), "lxml")
    tree = json.dumps(pandoc_json(text), separators=(",", ":"))
    assert shown in " ".join(soup.get_text().split()), soup
    headings = soup.find(id="intro").find_all_next(["h1", "h2", "h3", "h4", "h5", "h6"])
    assert len(headings) == tree.count('"t":"Header"'), soup
    assert len(soup.find_all("blockquote")) == tree.count('"t":"BlockQuote"'), soup


@pytest.mark.parametrize(
    "text",
    [
        "[t][a]\n\nb\n> [a]: https://x",  # CommonMark's quote interrupts a paragraph
        "[t][a]\n\n- b\n  > [a]: https://x",
        "[t][a]\n\n> b\n> > [a]: https://x",  # and a deeper quote a quote's paragraph
        "[t][a]\n\n>     code\n> [a]: https://x",
    ],
)
def test_a_myst_definition_commonmark_reads_still_links(tmp_path: Path, text: str) -> None:
    folder = _book(tmp_path / "book", text)
    imported = read_myst(folder, folder)
    md = _renderer(yaml.safe_load(str(files(imported)["mkdocs.yml"])))
    assert '<a href="https://x">t</a>' in "".join(
        md.reset().convert(page) for page in imported.pages.values()
    )


@pytest.mark.parametrize(
    "text",
    [
        "<div>\n#tag\n</div>",
        '<span title="a\n#b">x</span>',  # inside a tag (the sixth attack pass; old)
        '<span title="a\n- #b">x</span>',  # after a list marker there (new with 0c856f7)
    ],
)
def test_a_line_in_raw_html_is_left_as_written(tmp_path: Path, text: str) -> None:
    imported = _quarto(tmp_path, text)
    assert text in "".join(imported.pages.values())


@pytest.mark.parametrize(
    "text", ["[y]: javascript:alert(1) //\n\n[z][y]", "[a]:\n<img src=x onerror=alert(1)>"]
)
def test_a_myst_definition_is_read_as_commonmark_reads_it(tmp_path: Path, text: str) -> None:
    """CommonMark's URL is one word: ``[y]: javascript:alert(1) //`` is text, not a link."""
    _pages_are_clean(_book(tmp_path / "book", text))


@pytest.mark.parametrize(
    "text",
    [
        "- a\n\n      <img src=x onerror=alert(1)>",  # CommonMark's code in the item, as pandoc's
        "-     <img src=x onerror=alert(1)>",
        "- [y]: x<img src=x onerror=alert(1)>",  # a definition (its URL one word) before text
        "[z][y]\n\na) # x\n[y]: javascript:alert(1)",  # no letter list in CommonMark (the attack pass)
        "> a\n> [w]: javascript:alert(1)\n\n[z][w]",  # a quote's paragraph: its text (CommonMark's)
        "- a. x\n\n       <img src=x onerror=alert(1)>",  # no letter list: code to CommonMark
        "> - a\n>\n>       <img src=x onerror=alert(1)>",
    ],
)
def test_a_myst_list_item_is_read_as_commonmark_reads_it(tmp_path: Path, text: str) -> None:
    _pages_are_clean(_book(tmp_path / "book", text))

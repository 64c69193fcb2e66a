"""Math holding what would be HTML elsewhere, through the importers that carry TeX math (the
round's attack on core/importers/texmath.py and the imported sites' KaTeX).

Inside ``$…$`` pandoc reads TeX, never HTML: ``$<img src=x onerror=alert(1)>$`` is math to
Quarto. Found: the dollar step masked the tag first, so it judged the dollars text and the tag
was left live in the page; and the Quarto import did not mark math at all (no arithmatex, so
any math's ``<`` was HTML). Now math is read as pandoc reads it and arithmatex escapes it.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hostile.injection import injected
from hostile.test_latex_markdown import _renderer
from litreview.core.importers.project import files, read
from litreview.core.importers.texmath import dollars
from pandoc_oracle import pandoc_json, pandoc_math

MATH = [
    "$<img src=x onerror=alert(1)>$",
    "$$</script><script>alert(1)</script>$$",
    "a $$<svg onload=alert(1)>$$ b",
    "$a<b>c$ and $<iframe src=javascript:alert(1)>$",
    '$<a title="x$">y$',
    "[$5](https://x) and [link $<img src=x onerror=alert(1)>$](https://x)",
    "$`<img src=x onerror=alert(1)>`$",
    # found by a local run: display math inside a paragraph is written \(\displaystyle …\), and
    # a body ending in a backslash or holding \) ended it elsewhere for arithmatex
    "x $$<img src=x onerror=alert(1)>\\$$ y",
    "x $$a\\)<img src=x onerror=alert(1)>$$ y",
    "$$ <img src=x onerror=alert(1)>\\$$",
    # a code span opening inside math: pandoc reads the math, whose first '$' comes first
    "x $`a`<img src=x onerror=alert(1)>$ y",
    "x $$`a`<img src=x onerror=alert(1)>$$ y",
    "$`a`[x](javascript:alert(1))$",
    # found by an attack pass: math over lines, one of which starts a block to Python-Markdown
    "$a\n<div><img src=x onerror=alert(1)></div>$",
    "$a\n# <img src=x onerror=alert(1)>$",
    "x $$a\n# <img src=x onerror=alert(1)>$$ y",
    "$$\n<div><img src=x onerror=alert(1)></div>\n$$",
    "$a\n[x]: javascript:alert(1)\nb$ and [y][x]",
    # a citation inside math (pandoc reads the math, whose '$' comes first)
    "$[@k]<img src=x onerror=alert(1)>$",
    "x $@k <img src=x onerror=alert(1)>$ y",
    # the mask character in the source; a \( of the text paired with a \) in the math
    "$<img src=x onerror=alert(1)>\x03$",
    "\\(a $b\\)<img src=x onerror=alert(1)>$",
    # found by a second attack pass: \text{} holding a '$', a control space before the closer,
    # a ~~~ line in a $$ block (Python-Markdown's fences come first), a line of braces in math
    "$\\text{a$ [x](javascript:alert(1)) $b}$",
    "$[x](javascript:alert(1))\\ $",
    "$$\n~~~\n$$\n\n$$\n~~~\n[x](javascript:alert(1))\n$$",
    "$\\frac\n{1}\n{[x](javascript:alert(1))}$",
    # \text{} may hold blank lines: pandoc reads one math across them
    "$\\text{a\n\n[x](javascript:alert(1))\n\nb}$",
    "$\\text{a\n\n<div><img src=x onerror=alert(1)></div>\n\nb}$",
    "$\\text{a\n\n    code\n\n[x](javascript:alert(1))}$",
    # in \text{}, a run of backslashes escapes the character after it (found by an attack pass)
    "$\\text{a\\\\}$ [x](javascript:alert(1)) }$",
    "$\\text{a\\\\}$ <img src=x onerror=alert(1)> }$",
    "$\\text{\\\\}$[x](javascript:alert(1))}$",
    "$[x](javascript:alert(1))\\text{$\\\\}",
]
#: Math pandoc reads with other ends than a first reading would: an escaped backslash before
#: ``text{`` opens no group, an unclosed ``\text{`` is TeX's text, a backslash escapes a line end.
COUNTED = [
    *MATH,
    "$\\\\text{a$ [x](javascript:alert(1)) $b}$",
    "$\\text{a$ and $b$",
    "$a\\\n\nb$",
    "$\\text{a}\n\nb$",
    "$\\text{\n\n\\\\}$",
]


@pytest.mark.parametrize("text", COUNTED)
def test_math_with_tags_is_counted_as_pandoc_counts_it(text: str) -> None:
    assert dollars(text)[1] == pandoc_math(text)


def _imported_quarto(folder: Path, body: str) -> tuple[dict[str, str], dict[str, object]]:
    path = folder / "review.qmd"
    path.write_text(f"---\ntitle: T\n---\n\n# Intro\n\n{body}\n", encoding="utf-8")
    imported = read([path], folder)
    config = yaml.safe_load(str(files(imported)["mkdocs.yml"]))
    return imported.pages, config


def _findings(folder: Path, text: str) -> list[tuple[str, str, str, list[str]]]:
    """Each imported page of ``text``, rendered: its name, text, HTML and what it injected."""
    pages, config = _imported_quarto(folder, text)
    md = _renderer(config)
    rendered = [(name, page, md.reset().convert(page)) for name, page in pages.items()]
    return [(name, page, html, injected(html)) for name, page, html in rendered]


@pytest.mark.parametrize("text", MATH)
def test_math_in_a_quarto_page_makes_no_element(tmp_path: Path, text: str) -> None:
    for name, page, html, found in _findings(tmp_path, text):
        assert not found, (name, page, html)


#: Text pandoc reads as text that the imported project's attr_list would read as attributes of
#: the element before it, or of its block (found by the second attack pass).
ATTRIBUTES = [
    "*a*{: onclick=alert(1)}",
    "$a${onclick=alert(1)}",
    "[x](https://x){: href=javascript:alert(1)}",
    "a `b`{ onmouseover=alert(1) } c",
    "para\n{: onclick=alert(1)}",
    "# H {: onclick=alert(1)}",
    "![x](https://x/p.png){ width=50% onerror=alert(1) }",
    "![x](https://x/p.png){ width=50% }",  # left to attr_list: no finding either way
    # lines pandoc reads as a paragraph's text and Python-Markdown as a block of their own: a
    # heading inside a code span over two lines, a link definition inside a paragraph
    "`a\n# <img src=x onerror=alert(1)>`",
    "a\n[x]: javascript:alert(1)\n[y][x]",
    "`a\n[x]: javascript:alert(1)`\n[y][x]",
]


@pytest.mark.parametrize("text", ATTRIBUTES)
def test_text_like_attributes_in_a_quarto_page_makes_no_attribute(tmp_path: Path, text: str) -> None:
    """Only an id, classes and a figure's size are left to attr_list; nothing of a code span or a
    paragraph's line becomes a block (an image written as Markdown is the author's)."""
    for name, page, html, found in _findings(tmp_path, text):
        made = [f for f in found if "=" in f or ("<img" in text and "<img> element" in f)]
        assert not made, (name, page, html)


def _tree(markdown: str) -> str:
    return json.dumps(pandoc_json(markdown), separators=(",", ":"))


def _raw_html(markdown: str) -> bool:
    """Whether pandoc reads raw HTML in ``markdown`` (the author's own: not what is tested), or
    raw TeX, which pandoc drops from HTML and the import keeps as text: a family of its own, not
    yet made safe (``\\foo{<img …>}``)."""
    return '"t":"Raw' in _tree(markdown)


PIECES = [
    "$",
    "$$",
    "<img src=x onerror=alert(1)>",
    "</script>",
    " ",
    "x",
    "\n",
    "<b>",
    "1",
    "\\",
    "`",
    ")",
    "[@k]",
    "\\(",
    "\\text{",
    "}",
    "\n\n",
]


_CUT_CODE_SPAN = re.compile(r"\$[^$]*`[^`]*\$")


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
@example("\\<img src=x onerror=alert(1)>")  # pandoc's escaped <, a live tag to Python-Markdown
@example("$$<img src=x onerror=alert(1)>\\$$$")  # found by a local run
def test_generated_math_agrees_with_pandoc_and_makes_no_element(text: str) -> None:
    # A code span that opens inside math is the math's; one the math's end cuts in two is not
    # read again after it (``$`$$`$`` is two maths to pandoc, one here): counted apart. So is
    # raw TeX (``\text{$x$}`` outside math), whose dollars pandoc drops with it, and which is
    # written here as text, its math inert
    if not _CUT_CODE_SPAN.search(text) and '"c":["tex",' not in _tree(text):
        assert dollars(text)[1] == pandoc_math(text), text
    if _raw_html(text):
        return
    with tempfile.TemporaryDirectory() as made:
        pages, config = _imported_quarto(Path(made), text)
    md = _renderer(config)
    for page in pages.values():
        html = md.reset().convert(page)
        assert not [f for f in injected(html) if "arithmatex" not in f], (text, page, html)

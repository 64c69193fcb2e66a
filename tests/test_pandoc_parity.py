"""Citation keys as pandoc reads them (issue 12): a snippet table, generated Markdown, and every page
of deep-review, a Manubot review with ~840 citations by identifier."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpora import corpus
from litreview.core.citations.syntax import unclosed
from litreview.core.identifiers.citekey import standard
from litreview.core.source.inline_spans import HTML_COMMENT, pandoc_comments, without_comments
from litreview.core.source.scanner import scan
from pandoc_oracle import pandoc_cites, pandoc_keys, pandoc_modes


def ours(markdown: str) -> list[str]:
    return [k for f in scan(markdown, "page.md").found for k in f.citation.keys]


def theirs(markdown: str) -> list[str]:
    """pandoc's keys, identifiers in their standard form as the finder gives them (issue 15:
    ``doi:10.1007/BF02478259`` and ``doi:10.1007/bf02478259`` are one work)."""
    return [standard(k) for k in pandoc_keys(markdown)]


SNIPPETS = [
    "See [@url:https://github.com/fchollet/keras].",
    "See [@doi:10.1038/nature14539; @arxiv:1512.03385].",
    "As @smith2020 says, and @a//b.",
    "[@{k.}] and @{weird key}",
    "Trailing @smith2020. And [@a.] [@a:]",
    "Unicode [@müller2019] and @Łukasz_2020.",
    "![Adapted from [@que2025].](x.png)",
    "Inline ![@alt](img.png) image, as pandoc reads its alt text.",
    "Text[^1].\n\n[^1]: A note [@bob2019].",
    "| a | b |\n|---|---|\n| [@t1] | x |",
    "# Heading [@h1]",
    "> quote [@q1]",
    "Term\n:   definition [@d1]",
    "- item [@l1]\n    - nested [@l2]",
    "mail a@b.com, @fig:x, @fig-y and [@sec-z]",
    "[@smith2020, p. 3] [see @a, pp. 1-2; also @b] @a [p. 4] [-@a]",
    "`[@code]` and <span>[@html]</span>",
    "[link](http://x.org/@a) and <http://x.org/@b>",
    "\\@esc",
    "path/@scope/pkg, x:@a, x-@a, _@b, w+@c but not a.@b or x@y",
    "@0@0, [@a]@b, @c[@d], @e,@f",  # an @ right after a citation starts another
    "[@a;; @b] [@c;] [; @d]",  # an empty item: no bracketed citation, each key cited alone
    "[@a; ;@b] [@c;;] [see;; @d] [@e, p. 3;; @f] [@g;\n; @h] [@i; ]",
    # a ";" inside what pandoc reads whole does not end an item: it was CIT003, a false error
    "[@a, `x;y`; @b] [@c, ``x;`y``] [see `a;b` @d]",
    "[@a, $x;y$; @b] [@c, $$x;y$$] [@d, $x\\$;y$]",
    "[@a, p. 3 &amp; 4; @b] [@c, &#59;] [@d, &#x3B; x]",
    '[@a, a\\; b; @b] [@c, <span title="x;y">s</span>] [@d, <http://x.org/a;b>; @e]',
    # nor does an "@" in it cite (an attack pass: b was cited)
    '[@a, $x @b$] [@c, `x @d`] [@e, <span title="@f">s</span>] [$x; @g$ @h]',
    '[@a, <b x="1; @c>; @b] [@d, <?php ; ?> x; @e] [@f, $$y;$] [@g, <!-- ; --> x]',  # not tags; $$ no math
    # a run of backticks with no closing run of its length opens a shorter one, as pandoc reads it
    "[@a, ``see y;z`; @b]",
    "[@c, x``y;z`]",
    "[@d, ```x; '``; @e]",
    "[@a, <!--->; @e -->] [@f, <?php ; ?>] and @c&amp; [@g, @h&amp; x]",  # a short comment; a key's end
    # a comment never closed is text to the end of the page, as are <!--> and <!---> (the check
    # read each as a comment to the next --> or the page's end, so what came after went unseen)
    "A note <!-- never closed\n\nLater [@a].",
    "<!-- never closed\n\nLater [@b].\n\n# Heading [@c]",
    "A <!--> x [@d] y --> [@e]",
    "<!---> x [@f] y -->\n\nz [@g]",
    "A <!-- x --- y --> [@h] <!----> [@i]",
    "<!--[@a]> and x <b[@c]> and <[@d]>, but <y@e.org>",  # no e-mail: a '[' is not in its name
    # an opener in code, in front matter or escaped opens no comment (one hid [@a] to its -->)
    "```\n<!--\n```\n\n[@a]\n\n-->",
    "    <!--\n\n[@b] -->",
    '---\ntitle: "<!--"\n---\n\n[@c] -->',
    "\\<!-- [@d] -->",
    # a fence never closed is text, as is what follows it (the scanner masked to the page's end)
    "Para.\n\n```\nUnfenced [@a].\n\n## Heading [@b]",
    "~~~~\n[@c]\n~~~\n[@d]\n~~~~\n[@e]\n\n```\n[@f]",
    # a code span and a comment are read left to right, whichever opens first (an opener in a
    # code span hid every citation up to the next -->)
    "`<!--` [@a] --> [@b]",
    "``<!--`` [@c] -->",
    "<!-- `x --> [@d]` [@e]",
    "x `a` <!-- `b --> [@f] `",
    "`a <!-- ` [@g] --> [@h]",
    "A ``x [@a]` y [@b]",  # a run with no closing run opens a shorter one: [@a] is code
    "```x [@c]`` z [@d]",
    # a tilde fence, or an indented one, right after a paragraph's line is text to pandoc (the
    # build's superfences makes it code: found here, the check's conversion reports CIT007)
    "Para\n~~~\n[@a]\n~~~",
    "> q\n~~~\n[@b]\n~~~\n\nPara\n  ```\n[@c]\n```",
    "Para\n```\n[@d]\n```\n\n- item\n~~~\n[@e]\n~~~\n\n# H\n~~~\n[@f]\n~~~",
    "| a |\n|---|\n~~~\n[@g]\n~~~\n\nPara\n---\n~~~\n[@h]\n~~~",
    # nor inside a code span the paragraph opened before it: the fence's run closes the span
    "````\n[@a] x\n```\n[@b] y\n```\n[@c]\n```",
    # nor one in emphasis, strikeout or quotes: pandoc reads each as one inline (was CIT003)
    "[@a, *x; y*] [@b, **x; y**; @c] [@d, _x; y_]",
    "[@e, ~~x; y~~] [@f, \"x; y\"] [@g, 'x; y']",
    "[@h, _[y]; x_] [see *a; b* @i]",
    "[@a, ^;^] [@b, ~x;y~z] [@c, ^\\ ;^] [@d, *x ^;^ y*]",  # superscript, subscript (no space)
    # only one word or one attribute block may follow an opening fence: else it opens none
    "~~~ py x\n[@a]\n~~~\n\n~~~{.py} x\n[@b]\n~~~",
    "~~~py`x\n[@c]\n~~~\n\n```py x\n[@d]\n```\n\n~~~=html\n[@e]\n~~~",
    "{[@f]{.py}\n\n{.x}\n\n{: #y}",  # a line of attributes holds one block (it hid [@f])
    # an attack pass on the above: a blank line of spaces ends a code span's paragraph; a tag,
    # an autolink or a link's address is read before a run of backticks in it; only a plain
    # text line is a paragraph's that a ~~~ fence cannot interrupt; a block ends before code
    "He said ``hello'' [@a].\n \nSee `x` [@b].",
    '<span title="``">[@c]` <http://x.org/``> [@d] ` [x](http://e.com/``) [@e] `',
    "<!-- note -->\n~~~\n```\n~~~\n\n[@f]\n\n```\n\n_ _ _\n~~~\n[@g]\n~~~",
    "[r]: http://example.com\n~~~\n[@h]\n~~~\n\n```\n```\n    ``\n[@i]\n\n\t```\n[@j]\n```\n```",
    # and on those mends: a "<b" in prose is no tag, nor "](…)" without a link's text before it
    "If a <b then `x` holds. See [@a] and `y > z`.\n\n<a b`>` [@b] `",
    "](`) x` [@c] `\n\n](`) [@d] `\n\n[`[@e]`](u) [@f]",
    # a tab indents by four columns: a tab-indented line after a blank one is code
    "Para\n\n\tcode [@a]\n\n[@b]",
    "Para\n\n  \tcode [@c]\n\n- item\n\n\tmore [@d]\n\n\t\tcode [@e]\n\nPara\n\tmore [@f]",
    # indented code right after a heading, a rule or a comment (a decorator read as a key)
    "# Example\n    @property\n    def f(): [@a]\n\n[@b]",
    "Text [@a].\n\n* * *\n\t@b code\n\n<!-- note -->\n    [@c] code\n\n[@d]",
    # right after a paragraph's line, pandoc reads a heading or a rule as the paragraph's text
    "Text\n# not a heading\n    [@a]\n\nText\n* * *\n    [@b]",
    # a setext heading: its underline ends a one-line paragraph, and indented code may follow
    "Example\n-------\n    @property [@a]\n\n# H\nExample\n=\n\tcode @b\n\n[@c]",
    "Two\nlines\n---\n    [@a]\n\nText\n  ---\n    [@b]\n\nText\n- - -\n    [@c]",
    # a line of braces is text to pandoc (and the build renders its citations)
    "{[@a]}\n\nText\n{: [@b]}\n\n{ x @c }",
    "=\n    [@a]\n\n-\n    [@b]",  # no text above: an underline's own paragraph (found by a run)
    # an indented line that starts its block, then an underline: a heading to pandoc (found by a run)
    "    [@a]# h\n---\n\n    [@b]\n    c\n---\n\n# h\n    [@c]\n===",
    "# h\n=\n    [@a]\n\n* * *\n===\n    [@b]\n\n- x\n---\n    [@c]",  # any line may be a setext's text
    # an underline of '=' is not a content tab, nor '!!!' alone an admonition: code follows
    "Title\n=====\n\n    @property [@a]\n\n===\n\n    [@b]\n\n!!!\n\n    [@c]\n\n[@d]",
    "-\n\n    [@a]\n\n1.\n\n    [@b]",  # a list item may start empty (found by a run)
    "# h\n===\n===\n    [@a]",  # an underline is no heading's text (found by a run)
    # no list starts inside a paragraph, even after a line like a heading (found by a run)
    "x\n- z\n\n    [@a]\n\n#h\n# h\n-\n\n    [@b]\n\n===\n# h\n-\n\n    [@c]\n\n[@d]",
    # a line of '-' or '--' in a paragraph is its text, and a fence at the margin ends a list
    # item (found by an attack pass on the lines above)
    "x\ny\n-\n-\n\n    @c [@a]\n\n-\n```\n```\n    [@c]\n\n- x\n```\n```\n    [@d]\n\n[@e]",
    "--\n1.\n\n    [@b]",  # apart: a later line of '-' would make a table of it, to pandoc
    # a fence's word may carry an attribute block (found by a run)
    "```[@a]{.py}\nx\n```\n\n```{.py}[@b]\n\n```\n\n```}[@c]\n\n```\n\n``` x {.py}\n[@d]\n```",
    # and only what pandoc reads as attributes is an attribute block (found by a run)
    "```{[@a]}\n\n```\n\n```{.py@b}\n\n```\n\n```{k='x y' .c #i -}\n[@c]\n```\n\n[@d]",
]


def our_cites(markdown: str) -> list[tuple[str, ...]]:
    return [f.citation.keys for f in scan(markdown, "page.md").found]


def their_cites(markdown: str) -> list[tuple[str, ...]]:
    return [tuple(standard(k) for k in cite) for cite in pandoc_cites(markdown)]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=range(len(SNIPPETS)))
def test_snippets(snippet: str) -> None:
    assert ours(snippet) == theirs(snippet)


#: ``@a [@b]``: one citation to pandoc (a narrative one with a bracketed one after it, shown
#: "A (2020; B 2019)"), two here; the keys are the same.
_NARRATIVE_THEN_BRACKET = re.compile(r"@[^\s\[\]]+ ?\[[^\]]*@")


@pytest.mark.parametrize("snippet", SNIPPETS, ids=range(len(SNIPPETS)))
def test_snippets_cite_as_pandoc_groups_them(snippet: str) -> None:
    """The same citations, not only the same keys: deep-review's ``[@a;; @b; @c]`` is three
    citations to pandoc (its brackets are text), and was one here (657 citations became 655)."""
    if _NARRATIVE_THEN_BRACKET.search(snippet):
        assert ours(snippet) == theirs(snippet)
    else:
        assert our_cites(snippet) == their_cites(snippet)


def test_a_narrative_citation_then_a_bracketed_one_stays_a_known_difference() -> None:
    assert our_cites("@b [@a]") == [("b",), ("a",)] and their_cites("@b [@a]") == [("b", "a")]


# Where the two Markdowns part: Python-Markdown (the build's) reads these as reference links or
# link definitions; pandoc reads them as citations when no such reference is defined.
# And an ``@`` inside a bare URL is never a citation here; pandoc cites ``user/post`` in it.
# A word with two @ (``x@a@b``) follows pandoc's e-mail rules, which are not copied here.
KNOWN_DIFFERENCES = [
    "[@a]: http://x.org",
    "[@a][b]",
    "[text][@a]",
    "see https://example.org/@user/post",
    "x@a@b",
    "text [@a and more",  # never closed: here CIT003 (surely a bracket citation), in pandoc @a
    "<!--x [@a]<!-- >-->",  # a comment holding an opener and " >": pandoc's first opener is text
]


@pytest.mark.parametrize("snippet", KNOWN_DIFFERENCES)
def test_known_differences_stay_known(snippet: str) -> None:
    assert ours(snippet) == [] and pandoc_keys(snippet) != []


WORDS = st.sampled_from(
    ["see", "pain", "[@a]", "@b", "[@c; @d, p. 2]", "[-@e]", "@url:https://x.org/f", "[@doi:10.1/g]",
     "a@b.org", ",", ".", "(", ")", ";", "-", "*em*", "@{h.}", "[@i].", "[@j;; @k]", "[@l;]",
     "[@m, `x;y`]", "[@n, $x;y$; @o]", "[@p, &amp; q]", "[@r, a\\; b]", "$", "`", "&amp;", "\\;"]
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=14).map(" ".join))
def test_generated_prose(text: str) -> None:
    assert ours(text) == theirs(text)
    if not _NARRATIVE_THEN_BRACKET.search(text):
        assert our_cites(text) == their_cites(text)


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + " @[];:.-_/", max_size=60))
def test_generated_noise(text: str) -> None:
    if re.search(r"\[[^\]]*\]\[|\]:|[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|\w@[^\s@]*@", text) or unclosed(text):
        return  # reference links, bare URLs, a word with two @, unclosed '[': see KNOWN_DIFFERENCES
    assert ours(text) == theirs(text)
    if not _NARRATIVE_THEN_BRACKET.search(text):
        assert our_cites(text) == their_cites(text)


COMMENT_PIECES = st.sampled_from(
    ["<!--", "-->", "<!-->", "<!--->", "--", ">", "[@a]", "@b", "x", " ", "\n", "\n\n", "`", "``"]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(COMMENT_PIECES, min_size=1, max_size=12).map("".join))
def test_generated_comments_hide_what_pandoc_hides(text: str) -> None:
    if "][" in text or re.search(r"\w@[^\s@]*@", text) or text.count("<!--") > 1:
        return  # a reference link, a word with two @, openers in a comment: see KNOWN_DIFFERENCES
    assert ours(text) == theirs(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(COMMENT_PIECES | st.sampled_from(["\\", "-", "<!", "<"]), max_size=16).map("".join))
def test_comments_are_found_where_the_pattern_finds_them(text: str) -> None:
    """The linear reader against the pattern it replaces (which was quadratic in openers never
    closed): the same comments, and the same text without them."""
    assert pandoc_comments(text) == [m.span() for m in HTML_COMMENT.finditer(text)]
    assert without_comments(text) == HTML_COMMENT.sub("", text)


ENCLOSING = st.sampled_from(
    ["*", "**", "_", "~~", "~", "^", '"', "'", ";", " ", "x", "y", "it's", "[y]", "`;`", "$x;y$"]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(ENCLOSING, min_size=1, max_size=10).map("".join))
@example("*~*~~;*")  # a fresh clone's run: the * in a subscript closed no emphasis
@example("^*^*;^^*^")  # a run by hand: ^^ is an empty superscript
def test_a_group_pandoc_reads_is_never_malformed(suffix: str) -> None:
    """Emphasis, strikeout and quotes in a suffix, generated: where pandoc reads a bracketed
    citation, the check reads it too, with pandoc's keys (runs of more than two ``*`` or ``~``
    and doubled quotes, where pandoc's reading is its own, are left out: ``~~~~;~~`` is an empty
    subscript and a strikeout to pandoc)."""
    text = f"[@a, {suffix}]"
    if "***" in text or "~~~" in text or '""' in text or "''" in text:
        return
    result = scan(text, "page.md")
    if any(mode == "NormalCitation" for _key, mode in pandoc_modes(text)):
        assert [p.code for p in result.problems] == [] and ours(text) == theirs(text)


#: Block pieces, each set generated and read against pandoc. Each fence is a line of its own:
#: runs of backticks inside a line are code spans. No line of '-' under a line: that is a simple
#: table to pandoc, which the scanner does not read.
BLOCK_PIECES = {
    "fences": ["\n\n```\n", "\n\n````\n", "\n\n~~~\n", "\n```\n", "\n~~~\n", "\n  ```\n", "\n", "\n\n", "[@a]", "@b", "x", " "],
    "fence-info": ["\n\n```", "\n\n~~~", "\n\n````", "py", " ", "x", "{.py}", "{", "}", "`", "=html", "\n", "\n\n", "[@a]", "\n```\n"],
    "indents": ["\t", "  ", " ", "\n", "\n\n", "x", "[@a]", "\n\t", "\n\n\t", "\n    "],
    "after-blocks": ["# h\n", "## h ##\n", "#h\n", "* * *\n", "***\n", "<!-- c -->\n", "x\n",
                     "\n", "\n\n", "    ", "\t", "[@a]", "@b", " ", "===\n", "=\n"],
}  # fmt: skip


@pytest.mark.parametrize("pieces", BLOCK_PIECES.values(), ids=list(BLOCK_PIECES))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_generated_blocks_hide_what_pandoc_hides(pieces: list[str], data: st.DataObject) -> None:
    text = data.draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=14).map("".join))
    if "][" in text or re.search(r"\w@[^\s@]*@", text):
        return  # a reference link, a word with two @: see KNOWN_DIFFERENCES
    assert ours(text) == theirs(text)


def _deep_review_pages() -> list[str]:
    folder = corpus("deep-review", "content")
    return sorted(p.name for p in folder.glob("0*.md"))


def test_every_deep_review_page() -> None:
    folder = corpus("deep-review", "content")
    total = 0
    for page in sorted(folder.glob("0*.md")):
        text = page.read_text(encoding="utf-8")
        found, expected = ours(text), theirs(text)
        assert found == expected, page.name
        assert our_cites(text) == their_cites(text), page.name
        total += len(found)
    assert total > 800


@pytest.mark.parametrize(
    "snippet",
    ["[@a, b;c]", "[@d, $ x;y$]", "[@e, $5;6$7]", "[@f, a &bogus; b]", "[@g, a\\\\;b]", "[@a; $x; @b$]",
     "[@a, *x; y]", "[@a, x_y; z_]", "[@a, it's; y's]", "[@a, *x; [y*]]", "[@a, * x; y*]", "[@a, ^x; y^]",
     "[@a, \\^;^]"],
)  # fmt: skip
def test_a_semicolon_in_text_still_ends_an_item(snippet: str) -> None:
    """Not math (a space after the ``$``, a digit after the last), not a reference, an escaped
    backslash, not emphasis (never closed, inside a word, closed inside a bracket, a space after
    the opener): the ``;`` ends the item, whose missing key is CIT003 (pandoc cites the key
    alone)."""
    assert [p.code for p in scan(snippet, "page.md").problems] == ["CIT003"]

"""The LaTeX importer's specials lookup (``--``, ``~``, ``&``, ``` `` ```…) answers as pylatexenc's.

pylatexenc tries every special of every category at each position of the source, which was a
third of a large review's import (alchemical-best-practices: 488,773 tries, 4.3 s of 12.8 s
profiled); the importer's context only tries those that begin with the character there.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.macrospec import LatexContextDb

from corpora import corpus
from litreview.core.importers.latexsyntax import latex_context


def _both(text: str) -> None:
    ours = latex_context()
    for pos in range(len(text)):
        mine = ours.test_for_specials(text, pos)
        theirs = LatexContextDb.test_for_specials(ours, text, pos)
        assert mine is theirs, (text, pos)


def test_only_specials_that_begin_with_the_character_are_tried() -> None:
    db = latex_context()
    index = db.test_for_specials.index
    assert "a" not in index and " " not in index and {"--", "---"} <= {c for c, _ in index["-"]}
    listed = [(chars, spec) for specs in index.values() for chars, spec in specs]
    assert all(chars[:1] == first for first, specs in index.items() for chars, _ in specs)
    every = [(c, spec) for cat in db.category_list for c, spec in db.d[cat]["specials"].items()]
    assert sorted(map(repr, listed)) == sorted(map(repr, every))


SOURCE = "~ -- --- `` '' ` ' & # !` ?` \\\\ {}[]$ a--b x~y <<>> ,, ' \n\n %"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([*SOURCE, "--", "``", "''", "!`", "?`", "<<", ">>"]), max_size=30).map("".join)
)
def test_generated_text_finds_the_same_special_everywhere(text: str) -> None:
    _both(text)


def test_a_whole_review_finds_the_same_special_everywhere() -> None:
    tex = sorted(corpus("alchemical-best-practices").rglob("*.tex"))
    assert tex
    _both("".join(p.read_text(encoding="utf-8", errors="replace") for p in tex)[:60_000])

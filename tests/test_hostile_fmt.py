"""``litreview fmt`` never moves a waiver off its entry (issue 26).

A ``% litreview: ignore …`` comment waives codes for the entry below it. Above the file's
first entry it was taken for the file's header: it stayed on top after sorting and waived
the entry sorted there instead. Files are generated (header comments, waivers anywhere,
blank lines, every order); the loader's waivers by key are the same before and after.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.core.bibliography import loader
from litreview.core.tools.fmt import ORDERS, format_bib


def _waived(text: str) -> dict[str, tuple[str, ...]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "refs.bib"
        path.write_text(text, encoding="utf-8")
        return {k: r.waived for k, r in loader.load([path]).references.items()}


TOP = "% litreview: ignore BIB013\n@article{zeta2019, title = {Z}, year = {2019}}\n\n@article{alpha2021, title = {A}, year = {2021}}\n"


def test_a_waiver_above_the_first_entry_travels_with_it_when_sorted() -> None:
    before = _waived(TOP)
    assert before == {"zeta2019": ("BIB013",), "alpha2021": ()}
    for order in ORDERS:
        assert _waived(format_bib(TOP, "refs.bib", order).text) == before, order


_ENTRY = st.tuples(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "zeta", "mid"]),
    st.integers(1990, 2030),
    st.sampled_from(["", "% litreview: ignore BIB013\n", "% litreview: ignore BIB010 BIB016\n",
                     "% a note\n", "% litreview: ignore BIB013\n\n", "% a note\n% litreview: ignore BIB021\n"]),
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    header=st.sampled_from(
        [
            "",
            "% My papers\n",
            "% My papers\n\n",
            "% litreview: ignore BIB016\n",
            "@string{j = {J}}\n",
            "% My papers\n@string{j = {J}}\n\n",
            "@string{j = {J}}\n% litreview: ignore BIB016\n",
        ]
    ),
    entries=st.lists(_ENTRY, min_size=1, max_size=5, unique_by=lambda e: e[0]),
    order=st.sampled_from(ORDERS),
)
def test_every_entry_keeps_its_waivers_in_every_order(
    header: str, entries: list[tuple[str, int, str]], order: str
) -> None:
    text = header + "\n".join(
        f"{lead}@article{{{key}{year}, title = {{T}}, year = {{{year}}}}}\n" for key, year, lead in entries
    )
    before = _waived(text)
    formatted = format_bib(text, "refs.bib", order)
    assert not formatted.problems
    assert _waived(formatted.text) == before
    assert format_bib(formatted.text, "refs.bib", order).text == formatted.text  # idempotent


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["BIB010", "BIB013", "BIB016", "BIB021"]), min_size=1, max_size=4),
    st.sampled_from(["\n", "\n\n", "\n% a note\n"]),
)
def test_every_waiver_line_above_an_entry_counts(codes: list[str], between: str) -> None:
    """Two waiver lines above one entry waive both lists (only the first was read)."""
    lead = between.join(f"% litreview: ignore {code}" for code in codes) + "\n"
    assert _waived(lead + "@article{a2020, title = {T}, year = {2020}}\n") == {
        "a2020": tuple(sorted(set(codes)))
    }

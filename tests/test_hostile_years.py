"""Only plausible years reach the References page's chart and year filter (issue 26).

A year the check calls implausible (BIB015: before printing, after next year, ``1e9``,
``-5``, ``99999``) drew thousands of empty bars and stretched the filter's range; such a work
is listed, without a year. Years are generated; the chart and the form are read back.
"""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.core.bibliography.loader import Reference
from litreview.core.bibliography.quality import EARLIEST_YEAR
from litreview.core.references import explore

LATEST = datetime.date.today().year + 1


def _works(years: list[str]) -> list[explore.ExplorerWork]:
    refs = {
        f"k{n}": Reference(f"k{n}", "article", {"title": "T", "year": y}, "refs.bib", 1)
        for n, y in enumerate(years)
    }
    numbers = {key: n for n, key in enumerate(refs, 1)}
    return explore.works(numbers, refs, lambda ref: ref.get("title"), lambda _k: (), lambda _k: ())


@pytest.mark.parametrize("year", ["1e9", "-5", "-2020", "99999", "0001", "1000", "3000", "20200", "2.02e3"])
def test_an_implausible_year_is_no_year(year: str) -> None:
    found = _works([year, "2020"])
    assert [w.year for w in found] == [None, 2020]
    assert explore.chart(found).count("<rect") == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(st.sampled_from("0123456789-e.+ {}ac"), max_size=8) | st.integers(-(10**9), 10**9).map(str),
        max_size=6,
    )
)
def test_the_chart_and_the_filter_span_plausible_years_only(years: list[str]) -> None:
    found = _works(years)
    chart, form = str(explore.chart(found)), str(explore.form(found))
    shown = [int(y) for y in re.findall(r'data-lr-year="(-?\d+)"', chart)]
    bounds = [int(y) for y in re.findall(r'(?:min|max)="(-?\d+)"', form)]
    assert all(EARLIEST_YEAR <= y <= LATEST for y in shown + bounds)
    assert len(shown) <= LATEST - EARLIEST_YEAR + 1


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.sampled_from("0123456789-e.+ {}ac/"), max_size=12),
    st.sampled_from(["article", "book", "misc", "unpublished", "online", "Weird"]),
    st.sampled_from([{}, {"eprint": "2101.00001"}, {"url": "https://x.org"}, {"journal": "bioRxiv"}]),
)
def test_the_kept_facets_have_their_form_and_give_the_year_and_kind(
    year: str, entry_type: str, extra: dict[str, str]
) -> None:
    """What a build keeps per work for the explorer (issue 30) always reads back: the cached
    text matches the form the cache checks, and gives the year and kind made afresh."""
    ref = Reference("k", entry_type, {"title": "T", "date": year, **extra}, "refs.bib", 1)
    kept = explore.facets(ref)
    assert explore.FACETS.fullmatch(kept) is not None
    [work] = explore.works({"k": 1}, {"k": ref}, lambda r: "t", lambda _k: (), lambda _k: (), lambda r: kept)
    assert (work.year, work.kind) == (explore.year_of(ref), explore.kind_of(ref))

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

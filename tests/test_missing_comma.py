"""A missing comma between two fields is a syntax error at its place, and the entry reads right.

Reported (issue 28 §3): ``journal = {Journal of Pain}`` with no comma before ``title = {…}``
came out as "BIB013 has no title" though the title is there, and the entry rendered with
``Journal of Pain} title = {Alpha…`` as its journal: the parser took the next field for part
of the value. Every way of writing the value before and the field after is covered, and a
hypothesis test drops any one comma of any entry.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.core.bibliography import loader, quality

_VALUES = {
    "braced": "{Journal of Pain}",
    "nested-braces": "{The {DNA} of {P}ain}",
    "quoted": '"Journal of Pain"',
    "quoted-with-braces": '"The {DNA} of pain"',
    "number": "2020",
    "macro": "jan",
    "concatenated": '{Journal} # " of " # {Pain}',
    "empty": "{}",
}


def _load(tmp_path: Path, text: str) -> loader.Bibliography:
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    return loader.load([path])


def _expected(raw: str) -> str:
    return loader.bibtex_values.resolve(raw, {}).value


@pytest.mark.parametrize("before", [pytest.param(v, id=k) for k, v in _VALUES.items()])
@pytest.mark.parametrize("after", [pytest.param(v, id=k) for k, v in _VALUES.items()])
@pytest.mark.parametrize("space", [pytest.param("\n  ", id="newline"), pytest.param(" ", id="same-line")])
def test_a_missing_comma_is_reported_where_it_is_missing(
    tmp_path: Path, before: str, after: str, space: str
) -> None:
    head = "@article{ada2020,\n  author = {Lovelace, Ada},\n  note   = "
    text = f"{head}{before}{space}title  = {after},\n  year   = {{2020}},\n}}\n"
    bib = _load(tmp_path, text)
    offset = len(head) + len(before)
    line = text.count("\n", 0, offset) + 1
    col = offset - text.rfind("\n", 0, offset)
    assert [(p.code, p.line, p.col) for p in bib.problems] == [("BIB009", line, col)]
    assert "'note'" in bib.problems[0].message and "'title'" in bib.problems[0].message
    ref = bib.references["ada2020"]
    assert ref.fields == {
        "author": "Lovelace, Ada",
        "note": _expected(before),
        "title": _expected(after),
        "year": "2020",
    }
    if "\n" in space:  # findings on the swallowed field point at its own line
        assert ref.field_line("title") == line + 1


def test_the_reported_entry_has_its_title(tmp_path: Path) -> None:
    """The example as reported: no BIB013, and the journal is the journal."""
    bib = _load(
        tmp_path,
        "@article{ada2020,\n  author  = {Lovelace, Ada},\n  journal = {Journal of Pain}\n"
        "  title   = {Alpha pain and inflammation},\n  year    = {2020},\n}\n",
    )
    assert [(p.code, p.line, p.col) for p in bib.problems] == [("BIB009", 3, 30)]
    ref = bib.references["ada2020"]
    assert ref.get("journal") == "Journal of Pain" and ref.get("title") == "Alpha pain and inflammation"
    assert quality.check(bib, {"ada2020"}, datetime.date(2026, 1, 1)) == []


_NAMES = st.sampled_from(["title", "journal", "year", "volume", "pages", "doi", "note", "publisher"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(_NAMES, min_size=2, max_size=6, unique=True),
    values=st.lists(st.sampled_from(list(_VALUES.values())), min_size=6, max_size=6),
    dropped=st.integers(min_value=0, max_value=4),
    data=st.data(),
)
def test_any_one_comma_dropped_reads_the_same_entry(
    tmp_path: Path, names: list[str], values: list[str], dropped: int, data: st.DataObject
) -> None:
    dropped = dropped % (len(names) - 1)
    sep = data.draw(st.sampled_from(["\n  ", " ", "\n\n\t"]))
    parts = [f"{name} = {value}" for name, value in zip(names, values, strict=False)]
    good = "@misc{k,\n  " + ",\n  ".join(parts) + "\n}\n"
    bad = (
        "@misc{k,\n  "
        + "".join(
            p + ("" if i == dropped else ",") + (sep if i == dropped else "\n  ")
            for i, p in enumerate(parts[:-1])
        )
        + parts[-1]
        + "\n}\n"
    )
    expected = _load(tmp_path, good)
    got = _load(tmp_path, bad)
    assert [p.code for p in got.problems] == ["BIB009"]
    assert got.references["k"].fields == expected.references["k"].fields


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('{}"#=, \n\\abt1')), max_size=40))
def test_splitting_any_value_never_crashes_and_keeps_its_text(raw: str) -> None:
    own, swallowed = loader.bibtex_values.split_swallowed(raw)
    assert raw.startswith(own)
    for ran_on in swallowed:
        assert ran_on.raw in raw[ran_on.missing_comma :]

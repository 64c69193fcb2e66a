"""COinS for every reference, so Zotero's connector offers to save the works a page lists (issue 16).

Zotero reads Highwire tags for the page itself and COinS (``span.Z3988``) for lists; it does not
read JSON-LD. Each span's ``rft.*`` keys are read back and checked against the entry.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import GENERATORS, ROOT, built_by
from litreview.core.bibliography import loader as bib
from litreview.core.references.coins import coins, context_object

_SPAN = re.compile(r'<li[^>]* id="ref-([^"]+)">.*?<span class="Z3988" title="([^"]*)"></span>', re.S)


def _read(title: str) -> dict[str, list[str]]:
    return parse_qs(title.replace("&amp;", "&"), strict_parsing=True)


@pytest.fixture(params=GENERATORS)
def site(request: pytest.FixtureRequest) -> Path:
    return built_by(request)


def test_every_reference_on_the_site_carries_its_context_object(site: Path) -> None:
    references = bib.load([ROOT / "references.bib"]).references
    page = (site / "references" / "index.html").read_text(encoding="utf-8")
    found = dict(_SPAN.findall(page))
    assert sorted(found) == sorted(references)
    for key, title in found.items():
        ref, kev = references[key], _read(title)
        first, _, last = ref.fields["pages"].partition("--")
        people = ref.people["author"]
        pages = {"rft.spage": [first]} | ({"rft.epage": [last]} if last else {})  # e0123: one page
        assert kev == pages | {
            "ctx_ver": ["Z39.88-2004"],
            "rft_val_fmt": ["info:ofi/fmt:kev:mtx:journal"],
            "rft.genre": ["article"],
            "rft.atitle": [ref.get("title")],
            "rft.jtitle": [ref.get("journal")],
            "rft.aulast": [people[0].family],
            "rft.aufirst": [people[0].given],
            "rft.au": [f"{p.family}, {p.given}" for p in people],
            "rft.date": [ref.get("year")],
            "rft.volume": [ref.get("volume")],
        }, key
    section = (site / "description" / "spinal-tumors" / "index.html").read_text(encoding="utf-8")
    assert _SPAN.search(section)  # a page's own list carries them too


def _entry(tmp_path: Path, text: str) -> bib.Reference:
    path = tmp_path / "one.bib"
    path.write_text(text, encoding="utf-8")
    [ref] = bib.load([path]).references.values()
    return ref


@pytest.mark.parametrize(
    ("bibtex", "expected"),
    [
        (
            "@book{b, author={Doe, Jane}, title={Neuromodulation}, publisher={Spine Press},"
            " address={Boston}, year={2018}, isbn={9780262035613}}",
            {"rft_val_fmt": "info:ofi/fmt:kev:mtx:book", "rft.genre": "book", "rft.btitle": "Neuromodulation"}
            | {"rft.pub": "Spine Press", "rft.place": "Boston", "rft.isbn": "9780262035613"},
        ),
        (
            "@inproceedings{p, author={Lee, Kim}, title={Fast pain maps}, booktitle={Proc. NeurIPS},"
            " year={2020}, pages={1--9}, doi={10.1000/x}}",
            {"rft.genre": "proceeding", "rft.atitle": "Fast pain maps", "rft.btitle": "Proc. NeurIPS"}
            | {"rft_id": "info:doi/10.1000/x", "rft.spage": "1", "rft.epage": "9"},
        ),
        (
            "@phdthesis{t, author={Wu, Li}, title={Glia}, school={MIT}, year={2019}}",
            {"rft_val_fmt": "info:ofi/fmt:kev:mtx:dissertation", "rft.title": "Glia", "rft.inst": "MIT"},
        ),
        (
            "@misc{w, author={{World Health Organization}}, title={Pain \\& {TeX}}, year={2021},"
            " url={https://who.int/pain}}",
            {"rft_val_fmt": "info:ofi/fmt:kev:mtx:dc", "rft.title": "Pain & TeX"}
            | {"rft.creator": "World Health Organization", "rft_id": "https://who.int/pain"},
        ),
    ],
)
def test_each_kind_of_work_in_its_own_format(tmp_path: Path, bibtex: str, expected: dict[str, str]) -> None:
    kev = dict(context_object(_entry(tmp_path, bibtex)))
    assert {k: kev.get(k) for k in expected} == expected


@given(
    st.dictionaries(
        st.sampled_from(["author", "title", "journal", "year", "pages", "doi", "url", "booktitle"]),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
        max_size=6,
    ),
    st.sampled_from(["article", "book", "inproceedings", "misc", "phdthesis"]),
)
def test_any_entry_gives_a_span_that_reads_back(fields: dict[str, str], kind: str) -> None:
    ref = bib.Reference("k", kind, {k: v for k, v in fields.items()}, "x.bib", 1)
    span = coins(ref)
    title = re.fullmatch(r'<span class="Z3988" title="([^"<>]*)"></span>', span)
    assert title is not None, span
    assert _read(title.group(1))["ctx_ver"] == ["Z39.88-2004"]

"""Citation keys that are identifiers, in one standard form (issue 15).

Manubot's users cite `[@doi:10.1038/nature14539]`; the same work cited as
`doi:10.1007/BF02478259` on one page and `doi:10.1007/bf02478259` on another is one work, with
one number. deep-review's `citations.tsv` (what Manubot made of each cited identifier) is the
oracle for the standard form.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import build_in_process
from corpora import corpus
from litreview.core.bibliography import loader as bib
from litreview.core.identifiers.citekey import parse, standard
from litreview.core.source.scanner import scan


def test_every_deep_review_identifier_reads_as_manubot_standardised_it() -> None:
    with (corpus("deep-review") / "citations.tsv").open(encoding="utf-8") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    assert len(rows) == 635
    assert [r["dealiased_id"] for r in rows if standard(r["dealiased_id"]) != r["standard_id"]] == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("doi:10.1038/NATURE14539", "doi:10.1038/nature14539"),
        ("doi:https://doi.org/10.1038/nature14539", "doi:10.1038/nature14539"),
        ("DOI:http://dx.doi.org/10.1016/S0140-6736(13)61752-3", "doi:10.1016/s0140-6736(13)61752-3"),
        ("pmcid:pmc5119627", "pmc:PMC5119627"),
        ("pmid:26017442", "pmid:26017442"),
        ("arxiv:https://arxiv.org/abs/1512.03385v2", "arxiv:1512.03385v2"),
        ("arxiv:hep-th/9901001", "arxiv:hep-th/9901001"),
        ("isbn:978-0-262-03561-3", "isbn:9780262035613"),
        ("url:https://github.com/greenelab/deep-review", "url:https://github.com/greenelab/deep-review"),
        # not identifiers, or malformed ones: as written (the check says they are unknown)
        ("smith2020", "smith2020"),
        ("doi:nonsense", "doi:nonsense"),
        ("pmid:12ab", "pmid:12ab"),
        ("tag:Abe", "tag:Abe"),
    ],
)
def test_standard_forms(written: str, expected: str) -> None:
    assert standard(written) == expected


@given(st.text(max_size=60))
def test_standard_is_idempotent_and_never_fails(key: str) -> None:
    once = standard(key)
    assert standard(once) == once
    if parse(key) is None:
        assert once == key


def test_two_spellings_of_one_doi_are_one_work(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# A\n\nFirst [@doi:10.1007/BF02478259], again [@doi:https://doi.org/10.1007/bf02478259].\n",
        encoding="utf-8",
    )
    (tmp_path / "refs.json").write_text(
        '[{"id": "doi:10.1007/BF02478259", "type": "article-journal", "title": "A logical calculus",'
        ' "author": [{"family": "McCulloch", "given": "Warren S."}], "container-title": "Bull. Math. Biophys.",'
        ' "issued": {"date-parts": [[1943]]}}]',
        encoding="utf-8",
    )
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\nplugins:\n  - litreview:\n      bibliography: refs.json\n", encoding="utf-8"
    )
    keys = [
        k
        for f in scan((tmp_path / "docs" / "index.md").read_text(encoding="utf-8"), "i").found
        for k in f.citation.keys
    ]
    assert keys == ["doi:10.1007/bf02478259", "doi:10.1007/bf02478259"]
    assert list(bib.load([tmp_path / "refs.json"]).references) == ["doi:10.1007/bf02478259"]
    build_in_process(tmp_path / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert html.count('data-lr-key="doi:10.1007/bf02478259"') == 2 and "[2]" not in html


def test_one_identifier_under_two_keys_is_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        "@article{doi:10.1/X, title={A}, author={B, C}, journal={J}, year={2020}}\n"
        "@article{doi:10.1/x, title={A}, author={B, C}, journal={J}, year={2020}}\n",
        encoding="utf-8",
    )
    loaded = bib.load([path], display_root=tmp_path)
    assert list(loaded.references) == ["doi:10.1/x"]
    assert [p.format() for p in loaded.problems] == [
        "refs.bib:2:1: error[BIB005] duplicate entry key 'doi:10.1/x' (the identifier 'doi:10.1/x')"
    ]

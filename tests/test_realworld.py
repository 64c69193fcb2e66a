"""Issue 28 §1 on every shared corpus: imported and built in process, each citation the finder
reads in the imported Markdown is rendered (a link, or an unknown key shown as such) or reported
(CIT007) at its place; none is lost. ``make realworld`` prints the same account as a table."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora import corpus
from realworld import CORPUS_LIST, Corpus, measure


@pytest.mark.build
@pytest.mark.parametrize("case", CORPUS_LIST, ids=[c.name for c in CORPUS_LIST])
def test_no_citation_is_lost(case: Corpus, tmp_path: Path) -> None:
    corpus(case.name)  # skips when ../shared is absent
    row = measure(case, tmp_path, oracle=False)
    if row.refused:
        pytest.skip(f"{case.name}: refused by the importer: {row.refused}")
    assert row.lost == []
    assert row.found == row.rendered + row.unknown + row.reported

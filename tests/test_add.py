"""`litreview add ID…`: a work's entry by its identifier, in the project's key convention (issue 15).

Reported: contributors must type BibTeX by hand; Zotero and Quarto users add a work by DOI
or PMID. The sources are local stand-ins answering from deep-review's recorded metadata.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_process import base_project, check_json
from corpora import corpus
from litreview.cli import main
from litreview.core.bibliography import loader as bib
from litreview.core.fetch.add import make_key, read_identifier
from metaserver import Works, serving


@pytest.fixture(scope="module")
def works() -> Works:
    return Works.from_csl(json.loads((corpus("deep-review") / "references.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("pasted", "read"),
    [
        ("10.1038/nature14539", "doi:10.1038/nature14539"),
        ("https://doi.org/10.1038/NATURE14539", "doi:10.1038/nature14539"),
        ("doi: 10.1038/nature14539", "doi:10.1038/nature14539"),
        ("PMID: 27898976", "pmid:27898976"),
        ("27898976", "pmid:27898976"),
        ("PMC5278791", "pmc:PMC5278791"),
        ("arXiv:1106.5730", "arxiv:1106.5730"),
        ("https://arxiv.org/abs/1512.03385v2", "arxiv:1512.03385v2"),
        ("978-0-262-03561-3", "isbn:9780262035613"),
        ("not an id", None),
    ],
)
def test_identifiers_are_read_as_people_paste_them(pasted: str, read: str | None) -> None:
    found = read_identifier(pasted)
    assert (str(found) if found else None) == read


def test_keys_follow_the_convention_with_a_suffix_on_collision() -> None:
    item = {"author": [{"family": "Müller-Lüdenscheidt", "given": "A."}], "issued": {"date-parts": [[2015]]}}
    assert make_key(item, set()) == "mullerludenscheidt2015"
    assert make_key(item, {"mullerludenscheidt2015"}) == "mullerludenscheidt2015a"
    assert make_key(item, {"mullerludenscheidt2015", "mullerludenscheidt2015a"}) == "mullerludenscheidt2015b"
    assert make_key({"title": "x"}, set()) == "anonnd"
    assert make_key(item, set(), "{year}-{family}") == "2015-mullerludenscheidt"


def test_add_appends_entries_and_prints_the_citation(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    bib_path = project / "refs.bib"
    before = bib_path.read_text(encoding="utf-8")
    with serving(works, monkeypatch) as _log:
        monkeypatch.chdir(project)
        assert main(["add", "https://doi.org/10.1038/nature14539", "PMID: 27898976", "arXiv:1106.5730"]) == 0
        out = capsys.readouterr().out
        assert main(["add", "10.1038/NATURE14539"]) == 0  # already there: nothing appended
        again = capsys.readouterr().out
    text = bib_path.read_text(encoding="utf-8")
    assert text.startswith(before) and text.count("@") == before.count("@") + 3
    assert (
        "added lecun2015 (doi:10.1038/nature14539)" in out and "[@lecun2015; @gulshan2016; @niu2011]" in out
    )
    assert "already in refs.bib as lecun2015" in again
    loaded = bib.load([bib_path])
    assert loaded.problems == []
    lecun = loaded.references["lecun2015"]
    assert lecun.get("title") == "Deep learning" and lecun.get("doi").lower() == "10.1038/nature14539"
    assert loaded.references["niu2011"].get("eprint") == "1106.5730"
    page = project / "docs" / "sections" / "beta.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nSee [@lecun2015; @gulshan2016; @niu2011].\n", encoding="utf-8"
    )
    _status, findings = check_json(project, monkeypatch, capsys)
    assert [f for f in findings if f["severity"] == "error"] == [], findings


def test_what_cannot_be_added_is_said(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    before = (project / "refs.bib").read_text(encoding="utf-8")
    with serving(works, monkeypatch) as _log:
        monkeypatch.chdir(project)
        assert main(["add", "10.5555/no-such-work", "nonsense"]) == 1
    err = capsys.readouterr().err
    assert (
        "litreview add:0:0: error[FET002] doi:10.5555/no-such-work: doi.org knows no DOI 10.5555/no-such-work"
        in err
    )
    assert "litreview add:0:0: error[FET002] 'nonsense' is not an identifier litreview can look up" in err
    assert (project / "refs.bib").read_text(encoding="utf-8") == before


def test_a_doi_written_as_a_url_in_the_bibliography_is_known(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    with (project / "refs.bib").open("a", encoding="utf-8") as out:
        out.write(
            "\n@article{lecun, author={LeCun, Yann}, title={Deep learning}, journal={Nature},"
            " year={2015}, doi={https://doi.org/10.1038/NATURE14539}}\n"
        )
    with serving(works, monkeypatch) as log:
        monkeypatch.chdir(project)
        assert main(["add", "10.1038/nature14539"]) == 0
        assert log.requests == []
    assert "doi:10.1038/nature14539 is already in refs.bib as lecun" in capsys.readouterr().out


@pytest.mark.parametrize("pattern", ["{title}", "{family", "{family} {year}", ""])
def test_a_key_pattern_that_cannot_make_keys_is_refused(
    pattern: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      bibliography: refs.bib\n",
            f"      bibliography: refs.bib\n      key_pattern: {json.dumps(pattern)}\n",
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    assert main(["add", "10.1038/nature14539"]) == 2
    assert (
        "error[CFG005] litreview 'key_pattern' must be a pattern of {family} and {year}"
        in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("doi:10.9999/any a b", "error[FET002] 'doi:10.9999/any a b' is not a DOI: "),
        ("doi:10.9999/any\x07", "error[FET002] 'doi:10.9999/any\\x07' is not a DOI: "),
        ('doi:10.9999/any"q', "error[FET002] 'doi:10.9999/any\"q' is not a DOI: "),
        ("doi:10.9999/any{x}", "error[FET002] 'doi:10.9999/any{x}' is not a DOI: "),
        ("doi:10.9999/any\\x", "error[FET002] 'doi:10.9999/any\\x' is not a DOI: "),
        ("doi:10.9/any", "error[FET002] 'doi:10.9/any' is not a DOI: "),
        (
            "10.9999/other",
            "error[FET001] doi:10.9999/other: doi.org answered for another DOI, 10.9999/someone-else",
        ),
        ("10.9999/bad-answer", "error[FET001] doi:10.9999/bad-answer: doi.org answered with a malformed DOI"),
    ],
)
def test_a_doi_is_checked_as_given_and_as_answered_before_anything_is_written(
    works: Works,
    given: str,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Reported: a DOI with spaces, control characters, quotes or braces, or a server answering
    another or a malformed DOI, landed in references.bib."""
    project = base_project(tmp_path)
    before = (project / "refs.bib").read_bytes()
    with serving(works, monkeypatch) as _log:
        monkeypatch.chdir(project)
        assert main(["add", given]) == 1
    err = capsys.readouterr().err
    assert said in err, err
    assert (project / "refs.bib").read_bytes() == before


def test_a_doi_as_the_server_gives_it_back_is_added(
    works: Works, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check refuses only what is wrong: URL syntax and Unicode are a DOI's own."""
    project = base_project(tmp_path)
    with serving(works, monkeypatch) as _log:
        monkeypatch.chdir(project)
        assert main(["add", "doi:10.9999/any-<1::y>;2-n#z?q", "doi:10.9999/any-ü"]) == 0
    text = (project / "refs.bib").read_text(encoding="utf-8")
    assert "10.9999/any-<1::y>;2-n\\#z?q" in text or "10.9999/any-<1::y>;2-n#z?q" in text
    assert "10.9999/any-ü" in text

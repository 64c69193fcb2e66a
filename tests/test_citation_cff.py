"""CITATION.cff stays in step with the publication: block (issue 16).

GitHub shows "Cite this repository" from CITATION.cff; the site's How to cite and metadata
come from `publication:`. When the two disagree, readers copy citations of different works,
so `litreview check` reports each difference (PUB002). `make test` validates the file with
cffconvert (`make cff`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli_process import check_json
from conftest import ROOT


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "review"
    shutil.copytree(ROOT / "content", project / "content")
    for name in ("mkdocs.yml", "references.bib", "taxonomy.yml", "CITATION.cff"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    return project


def test_our_citation_file_agrees_with_the_publication_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, findings = check_json(_project(tmp_path), monkeypatch, capsys)
    assert [f for f in findings if f["code"] == "PUB002"] == [] and status == 0


def test_each_difference_is_a_finding_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    cff = project / "CITATION.cff"
    text = cff.read_text(encoding="utf-8")
    cited = text.split("preferred-citation:")[1]
    text = text.replace(
        cited, cited.replace("volume: 14", "volume: 15").replace("given-names: Natalia V.", "given-names: N.")
    )
    cff.write_text(text, encoding="utf-8")
    status, findings = check_json(project, monkeypatch, capsys)
    found = [(f["path"], f["line"], f["message"]) for f in findings if f["code"] == "PUB002"]
    lines = text.splitlines()
    assert status == 1 and found == [
        (
            "CITATION.cff",
            next(i for i, line in enumerate(lines, 1) if line == "  authors:"),  # the cited work's
            "authors: 'N. Ivanova' here, 'Natalia V. Ivanova' in mkdocs.yml's publication:",
        ),
        (
            "CITATION.cff",
            next(i for i, line in enumerate(lines, 1) if "volume: 15" in line),
            "volume: '15' here, '14' in mkdocs.yml's publication:",
        ),
    ]


def test_a_damaged_citation_file_is_a_finding_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    (project / "CITATION.cff").write_text("title: [unclosed\n", encoding="utf-8")
    status, findings = check_json(project, monkeypatch, capsys)
    [found] = [f for f in findings if f["code"] == "PUB002"]
    assert status == 1 and found["message"].startswith("cannot read CITATION.cff")

"""The flow diagram and the studies table agree (SYS027): the studies the diagram says were
included are the rows of the table, in ``litreview check``, the MkDocs build and Zensical's
session alike, reported at the diagram's count."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import build_in_process
from litreview.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "systematic"
INCLUDED = 11  # total_studies in the worked example's prisma.csv (its line 28)
_TOPICS = [f"{a} for {b}" for a in ("Exercise", "Acupuncture", "Gabapentin", "Yoga", "Surgery")
           for b in ("back pain", "neck pain", "sciatica")]  # fmt: skip


def _review(tmp_path: Path, rows: int) -> Path:
    project = tmp_path / "review"
    shutil.copytree(FIXTURE, project)
    keys = [f"study{n}" for n in range(rows)]
    with (project / "references.bib").open("a", encoding="utf-8") as bib:
        for key in keys:
            bib.write(
                f"\n@article{{{key},\n  author = {{Author{key}, Jane}},\n  title = {{{_TOPICS[int(key[5:])]}}},\n"
            )
            bib.write("  journal = {Trials},\n  year = {2020},\n  volume = {1},\n  pages = {1--2},\n}\n")
    (project / "studies.csv").write_text(  # in place of the worked example's table
        "key,design\n" + "".join(f"{k},RCT\n" for k in keys), encoding="utf-8"
    )
    return project


def test_check_reports_a_table_that_disagrees_with_the_diagram(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _review(tmp_path, INCLUDED - 1)
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 1
    out = capsys.readouterr().out
    assert "prisma.csv:28:" in out and "error[SYS027]" in out
    assert f"says {INCLUDED} studies were included but studies.csv lists {INCLUDED - 1}" in out


def test_check_is_clean_when_they_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _review(tmp_path, INCLUDED)
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 0, capsys.readouterr().out


def test_the_build_fails_on_it_and_builds_when_they_agree(tmp_path: Path) -> None:
    with pytest.raises(
        AssertionError,
        match=r"SYS027\] the flow diagram says 11 studies were included but studies.csv lists 13",
    ):
        build_in_process(_review(tmp_path / "a", INCLUDED + 2) / "mkdocs.yml", tmp_path / "site-a")
    build_in_process(_review(tmp_path / "b", INCLUDED) / "mkdocs.yml", tmp_path / "site-b")
    assert (tmp_path / "site-b" / "studies.csv").read_text(encoding="utf-8").count("RCT") == INCLUDED

"""`litreview diff` a team can read (issue 12): formatting and LaTeX-vs-UTF-8 are no change, a long
field shows the part that differs, and a revision before litreview was set up is an empty base."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.cli import main
from test_contributing import BASE, git, repo_from

MESSY = """@article{long2020,
  author = {M{\\"u}ller, Anna},
  title = {A very long title about spinal neuropathic pain,   its mechanisms and the many treatments
           that have been tried over the years},
  journal = {J}, year = 2020,
}
"""


def _diff(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["diff", *args]) == 0
    return capsys.readouterr().out


def _with_messy_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose last commit adds MESSY; the working directory is the repository."""
    project = repo_from(BASE, tmp_path / "p")
    bib = project / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n" + MESSY, encoding="utf-8")
    git(project, "commit", "-qam", "messy entry")
    monkeypatch.chdir(project)
    return bib


def test_fmt_alone_is_no_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = _with_messy_entry(tmp_path, monkeypatch)
    assert main(["fmt", "--order", "key"]) == 0
    capsys.readouterr()
    assert "Müller" in bib.read_text(encoding="utf-8")  # fmt did rewrite it
    assert "No reference was added, removed or changed." in _diff(capsys, "main")


def test_a_long_field_shows_what_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bib = _with_messy_entry(tmp_path, monkeypatch)
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("over the years", "over the decades"), encoding="utf-8"
    )
    out = _diff(capsys, "main")
    line = next(x for x in out.splitlines() if x.startswith("  - `title`"))
    assert "years" in line and "decades" in line
    old, new = line.split(" → ")
    assert old != new


def test_across_the_commit_that_sets_litreview_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = repo_from(BASE, tmp_path / "p")
    config = project / "mkdocs.yml"
    set_up = config.read_text(encoding="utf-8")
    config.write_text("site_name: before litreview\n", encoding="utf-8")
    git(project, "commit", "-qam", "plain MkDocs")
    config.write_text(set_up, encoding="utf-8")
    git(project, "commit", "-qam", "litreview")
    monkeypatch.chdir(project)
    out = _diff(capsys, "main~1", "main")
    assert "- **added** `ada2020`" in out and "- **added** `bob2019`" in out

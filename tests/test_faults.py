"""Faults while writing (issue 11): a failed write leaves every file whole, a name can't leave
the docs folder, and a file changed meanwhile is never overwritten."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from cli_process import base_project, litreview
from litreview.cli import main
from litreview.core.files import atomic

BASE = Path(__file__).parent / "checks" / "base"
IRIDIA = Path(__file__).parent / "fixtures" / "iridia" / "articles.bib"


# --- litreview new ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Escape", "--slug", "../../../../tmp/litreview-escape"], "is not a plain file name"),
        (["Escape", "--slug", "/tmp/litreview-escape"], "is not a plain file name"),
        (["Spaces", "--slug", "a b: c"], "is not a plain file name"),
        (["x" * 32_000], "more than a file name may hold"),
        (["Two\nlines"], "one line of text"),
        (["Nul\x01title"], "one line of text"),
    ],
    ids=["dot-dot", "absolute", "yaml-special", "too-long", "newline", "control"],
)
def test_new_refuses_names_outside_the_docs_or_the_filesystem(
    tmp_path: Path, args: list[str], message: str
) -> None:
    project = base_project(tmp_path)
    config_before = (project / "mkdocs.yml").read_bytes()
    files_before = sorted(p for p in project.rglob("*"))
    proc = litreview(project, "new", *args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert message in proc.stderr
    assert (project / "mkdocs.yml").read_bytes() == config_before
    assert sorted(p for p in project.rglob("*")) == files_before
    assert not Path("/tmp/litreview-escape.md").exists()


def test_new_under_a_full_disk_leaves_mkdocs_yml_whole(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "#" * 4000 + "\n", encoding="utf-8")
    before = config.read_bytes()
    proc = litreview(project, "new", "Gamma pain", file_size=2048)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "unchanged" in proc.stderr
    assert config.read_bytes() == before
    assert not (project / "docs" / "sections" / "gamma-pain.md").exists()
    assert [p.name for p in project.rglob("*.tmp")] == []


def test_new_keeps_the_mode_of_mkdocs_yml(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    os.chmod(project / "mkdocs.yml", 0o640)
    assert litreview(project, "new", "Gamma pain").returncode == 0
    assert stat.S_IMODE((project / "mkdocs.yml").stat().st_mode) == 0o640


# --- litreview fmt ------------------------------------------------------------------------------


def _bib_project(tmp_path: Path, bib_text: str) -> Path:
    project = base_project(tmp_path)
    (project / "refs.bib").write_text(bib_text, encoding="utf-8")
    return project


def test_fmt_under_a_full_disk_leaves_the_bibliography_whole(tmp_path: Path) -> None:
    text = IRIDIA.read_text(encoding="utf-8")[:300_000]
    text = text[: text.rfind("\n@")]
    project = _bib_project(tmp_path, text)
    before = (project / "refs.bib").read_bytes()
    proc = litreview(project, "fmt", file_size=64 * 1024)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "unchanged" in proc.stderr
    assert (project / "refs.bib").read_bytes() == before
    assert [p.name for p in project.rglob("*.tmp")] == []


def test_fmt_keeps_the_mode(tmp_path: Path) -> None:
    project = _bib_project(tmp_path, "@article{b, title={B}, author={X, Y}, journal={J}, year=2020}\n")
    os.chmod(project / "refs.bib", 0o600)
    assert litreview(project, "fmt").returncode == 0
    assert stat.S_IMODE((project / "refs.bib").stat().st_mode) == 0o600


def test_fmt_never_drops_an_entry_appended_while_it_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from litreview.core.tools import fmt as bibformat

    project = _bib_project(tmp_path, "@article{b, title={B}, author={X, Y}, journal={J}, year=2020}\n")
    bib_path = project / "refs.bib"
    real = bibformat.format_bib
    appended = "\n@article{late, title={Added meanwhile}, author={Z, Q}, journal={J}, year=2021}\n"

    def slow_format(text: str, path: str, order: str = "keep") -> bibformat.Formatted:
        with bib_path.open("a", encoding="utf-8") as out:  # a contributor's editor saves meanwhile
            out.write(appended)
        return real(text, path, order)

    monkeypatch.setattr(bibformat, "format_bib", slow_format)
    monkeypatch.chdir(project)
    assert main(["fmt"]) == 2
    assert "changed while litreview was working on it" in capsys.readouterr().err
    assert bib_path.read_text(encoding="utf-8").endswith(appended)


def test_fmt_on_an_immutable_file_is_a_message(tmp_path: Path) -> None:
    project = _bib_project(tmp_path, "@article{b, title={B}, author={X, Y}, journal={J}, year=2020}\n")
    bib_path = project / "refs.bib"
    if subprocess.run(["chattr", "+i", str(bib_path)], capture_output=True, check=False).returncode != 0:
        pytest.skip("this filesystem has no immutable flag (chattr +i)")
    try:
        proc = litreview(project, "fmt")
    finally:
        subprocess.run(["chattr", "-i", str(bib_path)], check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "refs.bib" in proc.stderr and "nothing was written" in proc.stderr


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.txt"
    path.write_text("old", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(atomic.WriteError, match="unchanged"):
        atomic.write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]

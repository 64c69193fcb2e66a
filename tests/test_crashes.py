"""Inputs that crashed with a traceback (issue 11) now give a finding or a clear message, and
`litreview check` and the build agree on them.

Where a test is about the finding, the build runs in process (conftest.build_outcome: a raised
exception fails the test, a logged one's traceback is in its log) and ``check`` through
``main`` (its return is the exit status); the process itself, exit status and no traceback on
stderr, stays a subprocess in one test per kind of input (a bad option, a page not UTF-8, diff).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_process import litreview
from conftest import build_outcome, mkdocs_build
from litreview.cli import main
from test_contributing import git, repo_from

BASE = Path(__file__).parent / "checks" / "base"


def _project(tmp_path: Path, option: str = "") -> Path:
    project = tmp_path / "p"
    shutil.copytree(BASE, project)
    if option:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        key = option.split(":")[0]
        lines = text.splitlines()
        at = next(i for i, line in enumerate(lines) if line.strip().startswith("bibliography:"))
        lines.insert(at + 1, f"      {option}")
        lines = [
            line for i, line in enumerate(lines) if i == at + 1 or not line.strip().startswith(f"{key}:")
        ]
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


def _check(project: Path) -> subprocess.CompletedProcess[str]:
    return litreview(project, "check")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("taxonomy: [a, b]", "litreview 'taxonomy' must be a file path, not ['a', 'b']"),
        ("cache: yes please", "litreview 'cache' must be true or false, not 'yes please'"),
        ("bibliography: null", "litreview 'bibliography' must be a path or a list of paths, not null"),
        ("colour: blue", "unknown litreview option 'colour'"),
    ],
)
def test_check_and_build_agree_on_option_types(
    tmp_path: Path,
    option: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = _project(tmp_path, option)
    monkeypatch.chdir(project)
    status, checked = main(["check"]), capsys.readouterr().err
    assert status == 2 and message in checked and "CFG005" in checked
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert built.failed and message in built.log
    assert "Traceback" not in checked + built.log


def test_a_bad_option_type_ends_both_processes_without_a_traceback(tmp_path: Path) -> None:
    project = _project(tmp_path, "taxonomy: [a, b]")
    checked = _check(project)
    assert checked.returncode == 2 and "CFG005" in checked.stderr
    built = mkdocs_build(project / "mkdocs.yml", tmp_path / "site", check=False)
    assert built.returncode != 0 and "litreview 'taxonomy' must be a file path" in built.stderr
    assert "Traceback" not in checked.stderr + built.stderr


def test_an_unknown_key_with_markup_is_reported_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    page = project / "docs" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nBad [@{k<script>}] and [@k<b>x].\n", encoding="utf-8"
    )
    line = len(page.read_text(encoding="utf-8").splitlines())
    expected = [
        f"docs/index.md:{line}:5: error[CIT001] unknown citation key 'k<script>'",
        f"docs/index.md:{line}:24: error[CIT001] unknown citation key 'k<b>x'",
    ]
    monkeypatch.chdir(project)
    main(["check"])
    assert [x for x in capsys.readouterr().out.splitlines() if "CIT001" in x] == expected
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert [x.split(": ", 1)[1] for x in built.log.splitlines() if "CIT001" in x] == expected
    assert "klzzwxh" not in built.log and "\x02" not in built.log


def test_a_page_that_is_not_utf8_is_md001_in_the_build_too(tmp_path: Path) -> None:
    project = _project(tmp_path)
    page = project / "docs" / "index.md"
    page.write_bytes(page.read_bytes() + b"\nCaf\xe9 au lait.\n")
    built = mkdocs_build(project / "mkdocs.yml", tmp_path / "site", check=False)
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert "error[MD001] file is not valid UTF-8; save it as UTF-8" in built.stderr
    assert "docs/index.md:" in built.stderr


@pytest.mark.parametrize("citing", ["", "\nCites a missing work [@nosuch2020].\n", "\nA bad one [@].\n"])
def test_a_page_that_is_not_utf8_and_cites_is_md001_without_a_traceback(tmp_path: Path, citing: str) -> None:
    """The site-wide step reads a page's source again where its citations show trouble: a
    page that is not UTF-8 crashed it (UnicodeDecodeError) instead of staying MD001."""
    project = _project(tmp_path)
    page = project / "docs" / "index.md"
    page.write_bytes(page.read_bytes() + citing.encode() + b"\nCaf\xe9 au lait.\n")
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert built.failed and "Traceback" not in built.log
    assert "error[MD001] file is not valid UTF-8; save it as UTF-8" in built.log


def test_diff_against_a_revision_whose_docs_dir_leaves_the_repository(tmp_path: Path) -> None:
    project = repo_from(BASE, tmp_path / "repo")
    config = project / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("docs_dir: docs", "docs_dir: /etc"), encoding="utf-8")
    assert "docs_dir: /etc" in config.read_text(encoding="utf-8")
    git(project, "commit", "-qam", "docs elsewhere")
    config.write_text(good, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "litreview.cli", "diff", "HEAD"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "docs_dir outside the repository" in proc.stderr

"""`litreview check`: exact output and exit status, on the real review and on faults."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from litreview.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "site"


def _fixture(tmp_path: Path, extra_line: str = "") -> Path:
    project = tmp_path / "fixture"
    shutil.copytree(FIXTURE, project)
    if extra_line:
        page = project / "docs" / "index.md"
        lines = page.read_text(encoding="utf-8").splitlines()
        lines.insert(6, extra_line)
        page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project / "mkdocs.yml"


def test_real_review_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-f", str(ROOT / "mkdocs.yml")]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "0 error(s), 0 warning(s)\n"


def test_unknown_key_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _fixture(tmp_path, "Cited [@smith202].")
    assert main(["check", "-f", str(config)]) == 1
    out, err = capsys.readouterr()
    assert out == (
        "docs/index.md:7:7: error[CIT001] unknown citation key 'smith202'; did you mean 'smith2020'?\n"
        "refs.bib:44:1: warning[BIB020] entry 'uncited2000' is never cited\n"
    )
    assert err.endswith("1 error(s), 1 warning(s)\n")


def test_same_finding_as_the_build(tmp_path: Path) -> None:
    """The CLI and the strict build report one finding in one form."""
    from conftest import mkdocs_build

    config = _fixture(tmp_path, "Cited [@smith2020; doe2018].")
    proc = mkdocs_build(config, tmp_path / "site", check=False)
    cli = subprocess.run(
        [sys.executable, "-m", "litreview.cli", "check", "-f", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 1
    line = cli.stdout.splitlines()[0]
    assert (
        line
        == "docs/index.md:7:7: error[CIT003] malformed citation: 'doe2018' in a citation group has no @key"
    )
    assert line in proc.stderr


def test_github_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _fixture(tmp_path, "Cited [@Smith2020].")
    assert main(["check", "-f", str(config), "--format", "github"]) == 1
    out, _ = capsys.readouterr()
    assert out == (
        "::error file=docs/index.md,line=7,col=7,title=CIT002::citation key 'Smith2020' "
        "differs only in case from entry 'smith2020'; keys are case-sensitive\n"
        "::warning file=refs.bib,line=44,col=1,title=BIB020::entry 'uncited2000' is never cited\n"
    )


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _fixture(tmp_path, "Cited [@smith202].")
    assert main(["check", "-f", str(config), "--format", "json"]) == 1
    out, _ = capsys.readouterr()
    assert json.loads(out) == [
        {
            "path": "docs/index.md",
            "line": 7,
            "col": 7,
            "code": "CIT001",
            "severity": "error",
            "message": "unknown citation key 'smith202'; did you mean 'smith2020'?",
        },
        {
            "path": "refs.bib",
            "line": 44,
            "col": 1,
            "code": "BIB020",
            "severity": "warning",
            "message": "entry 'uncited2000' is never cited",
        },
    ]


@pytest.mark.parametrize(
    ("config_text", "message"),
    [
        ("site_name: x\nplugins:\n  - search\n", "error[CFG004] the 'litreview' plugin is not enabled"),
        ("site_name: [x\n", "mkdocs.yml:2:1: error[CFG002] invalid YAML"),
        ("plugins:\n  - litreview:\n      bibliography: 3\n", "error[CFG005]"),
        ("- just\n- a list\n", "mkdocs.yml:1:1: error[CFG003] configuration must be a mapping"),
        (
            "plugins:\n  - litreview:\n      review: [a.md]\n",
            "mkdocs.yml:3:1: error[CFG005] litreview 'review' must be a mapping of the review's parts",
        ),
    ],
    ids=["plugin-missing", "bad-yaml", "bad-bibliography-option", "not-a-mapping", "bad-review-option"],
)
def test_configuration_errors_exit_2_without_traceback(
    tmp_path: Path, config_text: str, message: str
) -> None:
    (tmp_path / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "litreview.cli", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_config_exits_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "litreview.cli", "check", "-f", "nope.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("nope.yml:0:0: error[CFG001] cannot read configuration")


def test_usage_error_exits_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "litreview.cli", "frobnicate"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr


def test_fmt_reports_an_unreadable_bibliography_as_a_finding(tmp_path: Path) -> None:
    from cli_process import base_project, litreview

    project = base_project(tmp_path)
    (project / "refs.bib").write_bytes("@misc{a, title={Caf\xe9}}\n".encode("latin-1"))
    proc = litreview(project, "fmt", "--check")
    assert proc.returncode == 1
    assert proc.stderr.startswith("refs.bib:0:0: error[BIB002] cannot read as UTF-8: ")
    (project / "refs.bib").unlink()
    proc = litreview(project, "fmt", "--check")
    assert proc.stderr.startswith("refs.bib:0:0: error[BIB001] cannot read bibliography: ")

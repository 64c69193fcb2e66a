"""`litreview check` on a corpus of bad inputs: one fault per case, exact output and exit status.

Each folder under tests/checks/cases holds the files that differ from tests/checks/base
and an expected.txt:

    # what the fault is
    delete: path/to/remove            (optional)
    $ litreview check [arguments]
    <stdout, exactly>
    --- stderr
    <stderr, exactly>
    exit N

Run with UPDATE_EXPECTED=1 to rewrite the expected output after a deliberate change, then
read the diff: the expected files are the specification.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from litreview.cli import main

CHECKS = Path(__file__).parent / "checks"
CASES = sorted(p for p in (CHECKS / "cases").iterdir() if p.is_dir())


@dataclass
class Expected:
    header: list[str]
    args: list[str]
    deletes: list[str]
    stdout: str
    stderr: str
    status: int | None


def parse_expected(path: Path) -> Expected:
    lines = path.read_text(encoding="utf-8").splitlines()
    header: list[str] = []
    while lines and not lines[0].startswith("$ "):
        header.append(lines.pop(0))
    command = lines.pop(0)
    header.append(command)
    args = shlex.split(command[2:])[1:]
    deletes = [h.split(":", 1)[1].strip() for h in header if h.startswith("delete:")]
    status = None
    if lines and lines[-1].startswith("exit "):
        status = int(lines.pop().split()[1])
    out, err = lines, []
    if "--- stderr" in lines:
        cut = lines.index("--- stderr")
        out, err = lines[:cut], lines[cut + 1 :]
    return Expected(
        header, args, deletes, "".join(x + "\n" for x in out), "".join(x + "\n" for x in err), status
    )


def make_project(case: Path, tmp_path: Path, expected: Expected) -> Path:
    project = tmp_path / "project"
    shutil.copytree(CHECKS / "base", project)
    for src in case.rglob("*"):
        if src.is_file() and src.name != "expected.txt":
            dest = project / src.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    for rel in expected.deletes:
        (project / rel).unlink()
    return project


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = parse_expected(case / "expected.txt")
    project = make_project(case, tmp_path, expected)
    monkeypatch.chdir(project)
    status = main(expected.args)
    out, err = capsys.readouterr()
    if os.environ.get("UPDATE_EXPECTED"):
        body = expected.header + out.splitlines() + ["--- stderr"] + err.splitlines() + [f"exit {status}"]
        (case / "expected.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
        return
    assert (out, err, status) == (expected.stdout, expected.stderr, expected.status)


def test_every_case_names_one_code_or_format() -> None:
    """The corpus covers every finding code that a project can trigger."""
    from litreview.core.findings.codes import CODES

    covered = {c.name.split("-")[0].upper() for c in CASES}
    untested = {code for code in CODES if code not in covered}
    # CFG001 (unreadable mkdocs.yml), CFG003/CFG005 and BIB001 are covered in test_cli.py;
    # the built site's codes (SITE*, EXT*) in test_linkcheck.py.
    linkcheck = {"SITE001", "SITE002", "EXT001", "EXT002", "EXT003"}
    # CACHE001 is the build's alone (the check keeps no cache): tested in test_cache.py, and OUT001
    # (a docs file where the build writes its own) in test_exports.py; CFG007 in
    # test_fixture_site.py; the tools' refusals in test_init.py (INIT001) and test_contributing.py,
    # the import's report in test_import_*.py, litreview fetch's in test_fetch.py, litreview
    # verify's (VER*) in test_verify.py.
    tools = {
        "CFG007",
        "INIT001",
        "NEW001",
        "GIT001",
        "FET001",
        "FET002",
    }
    tools |= {f"VER00{n}" for n in range(1, 9)}
    # the import's codes: each named by a test of the importers
    imports = {code for code in CODES if code.startswith("IMP")}
    named = " ".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_import_*.py"))
    assert {code for code in imports if code not in named} == set()
    tools |= imports
    # SYS027 compares the flow diagram with the studies table: test_systematic_agreement.py
    tools.add("SYS027")
    assert untested <= {"CFG001", "CFG003", "CFG005", "BIB001", "CACHE001", "OUT001"} | linkcheck | tools


def test_base_is_clean_and_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The base project passes the checks and a strict MkDocs build: each case adds one fault."""
    from conftest import build_in_process

    project = tmp_path / "project"
    shutil.copytree(CHECKS / "base", project)
    assert main(["check", "-f", str(project / "mkdocs.yml"), "--strict"]) == 0
    assert capsys.readouterr().out == ""
    build_in_process(project / "mkdocs.yml", tmp_path / "site")


@pytest.mark.parametrize(
    "name", ["bib003-parse-failure", "fm001-yaml-syntax", "cfg002-bad-yaml", "md001-page-not-utf8"]
)
def test_no_traceback_from_the_command(name: str, tmp_path: Path) -> None:
    """As a real process: the message and the exit status, never a Python traceback."""
    case = CHECKS / "cases" / name
    expected = parse_expected(case / "expected.txt")
    project = make_project(case, tmp_path, expected)
    proc = subprocess.run(
        [sys.executable, "-m", "litreview.cli", *expected.args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == expected.status
    assert proc.stdout == expected.stdout

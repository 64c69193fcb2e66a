"""Committed files are untrusted input: a tampered lock file or verdict cache is a finding in
every tool that reads it, never a crash (issue 26).

Reported: a deeply nested ``references.lock.json`` crashed check, fetch and the build with a
RecursionError; a verdict whose ``status`` is a list crashed ``verify --offline`` and the build
with a TypeError. Each tool runs here as a real process on each damaged file; nothing is asked
of the network (every source points where nothing listens).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_process import base_project, litreview
from conftest import mkdocs_build

DEAD = {
    f"LITREVIEW_{s}_URL": "http://127.0.0.1:9"
    for s in ("DOI", "PUBMED", "IDCONV", "ARXIV", "OPENLIBRARY", "CROSSREF", "OPENALEX")
}
DEEP = 100_000
_WORK = '"doi:10.1038/nature14539": {"source": "doi.org", "retrieved": "2024-01-01", "csl": '
#: Each damaged file: (its name, its text, the finding the tools that read it give).
DAMAGED = {
    "lock-deep": (
        "references.lock.json",
        '{"format": "litreview-lock/1", "works": {' + _WORK + '{"title": "Deep", "note": '
        + "[" * DEEP + "]" * DEEP + "}}}}\n",
        "nested deeper than",
    ),
    "lock-deep-keys": (
        "references.lock.json",
        '{"format": "litreview-lock/1", "works": {' + _WORK + '{"title": "Deep"}}, "x": '
        + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}}\n",
        "nested deeper than",
    ),
    "verdicts-deep": (
        "references.verified.json",
        '{"format": "litreview-verified/1", "entries": ' + "[" * DEEP + "]" * DEEP + "}\n",
        "nested deeper than",
    ),
    "verdicts-status-list": (
        "references.verified.json",
        json.dumps(
            {
                "format": "litreview-verified/1",
                "entries": {"0" * 20: {"key": "ada2020", "status": ["verified"], "checked": "2024-01-01"}},
            }
        ),
        "malformed verdicts left out",
    ),
}  # fmt: skip


def _damaged(tmp_path: Path, case: str) -> tuple[Path, str]:
    project = base_project(tmp_path)
    name, text, said = DAMAGED[case]
    if name.endswith("lock.json"):  # cite the work the lock file holds
        page = project / "docs" / "sections" / "beta.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nBy identifier: [@doi:10.1038/nature14539].\n")
    (project / name).write_text(text, encoding="utf-8")
    return project, said


def _no_crash(output: str) -> None:
    assert "Traceback" not in output and "RecursionError" not in output and "TypeError" not in output, output[
        -3000:
    ]


@pytest.mark.parametrize("case", list(DAMAGED))
@pytest.mark.parametrize("command", [["check"], ["fetch"], ["verify", "--offline"]])
def test_a_damaged_committed_file_is_a_finding_in_every_command(
    case: str, command: list[str], tmp_path: Path
) -> None:
    project, said = _damaged(tmp_path, case)
    proc = litreview(project, *command, env_extra=DEAD, timeout=120)
    output = proc.stdout + proc.stderr
    _no_crash(output)
    assert proc.returncode in (0, 1), output[-3000:]
    name = DAMAGED[case][0]
    # check and fetch report the lock file, verify the verdicts (the bibliography is check's)
    if name.endswith("lock.json") != (command[0] == "verify"):
        assert f"{name}:" in output and said in output, output[-3000:]


@pytest.mark.parametrize("case", list(DAMAGED))
def test_a_damaged_committed_file_does_not_crash_the_build(case: str, tmp_path: Path) -> None:
    project, _said = _damaged(tmp_path, case)
    proc = mkdocs_build(project / "mkdocs.yml", tmp_path / "site", extra_env=DEAD, check=False)
    _no_crash(proc.stderr)
    if DAMAGED[case][0].endswith("lock.json"):  # --strict: the finding fails the build, cleanly
        assert proc.returncode == 1 and "references.lock.json" in proc.stderr, proc.stderr[-3000:]
    else:  # the build shows every work as not yet verified; verify reports the file (VER007)
        assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.parametrize(("command", "code"), [("check", "BIB003"), ("fetch", "LOCK001")])
def test_too_deep_is_reported_where_it_goes_too_deep(command: str, code: str, tmp_path: Path) -> None:
    project, _said = _damaged(tmp_path, "lock-deep")
    text = DAMAGED["lock-deep"][1]
    col = text.index("[") + 60 + 1  # four objects, then the 61st bracket is the 65th level
    proc = litreview(project, command, env_extra=DEAD, timeout=120)
    assert f"references.lock.json:1:{col}: error[{code}] " in proc.stdout + proc.stderr, proc.stdout

"""`litreview` as a real process, as CI and contributors run it, optionally under limits."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).parent / "checks" / "base"


def base_project(tmp_path: Path) -> Path:
    """A copy of the checks' clean base project."""
    project = tmp_path / "p"
    shutil.copytree(BASE, project)
    return project


def with_extensions(project: Path, *names: str) -> Path:
    """Add Markdown extensions to a copied project's mkdocs.yml; its path."""
    config = project / "mkdocs.yml"
    listed = "".join(f"  - {name}\n" for name in names)
    text = config.read_text(encoding="utf-8").replace(
        "markdown_extensions:\n", "markdown_extensions:\n" + listed
    )
    config.write_text(text, encoding="utf-8")
    return config


def litreview(
    cwd: Path,
    *args: str,
    file_size: int | None = None,
    memory: int | None = None,
    timeout: float | None = None,
    env_extra: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``litreview ARGS`` in ``cwd``; ``file_size`` acts as a full disk, ``memory`` caps it."""

    def limits() -> None:
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so write() fails with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {**os.environ, **(env_extra or {})}
    if file_size is not None or memory is not None:
        # not measured by coverage: its data file would be the write that fails, or the memory
        env.pop("COVERAGE_PROCESS_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "litreview.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        preexec_fn=limits,
        env=env,
    )


def check_json(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, object]]]:
    """``litreview check --format json`` in ``project``, in-process: the status and the findings."""
    from litreview.cli import main

    monkeypatch.chdir(project)
    status = main(["check", "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def check_text(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """``litreview check ARGS`` in ``project``, in-process, for tests about its findings (``main``'s
    return is the process's exit status): the status, stdout and stderr."""
    from litreview.cli import main

    monkeypatch.chdir(project)
    status = main(["check", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err

"""site/ is always a complete build (issue 11): kills at any moment, at the swap itself, and two
builds at once leave the old tree or the new one, never a partial or a missing site."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from litreview.core.site import swap as sitedir

FIXTURE = Path(__file__).parent / "fixtures" / "site"
LITREVIEW = [sys.executable, "-m", "litreview.cli"]


def _copy(dest: Path) -> Path:
    """The fixture project, served from the root (linkcheck of sub-paths is issue 12's)."""
    shutil.copytree(FIXTURE, dest)
    config = dest / "mkdocs.yml"
    config.write_text(
        "".join(
            line
            for line in config.read_text(encoding="utf-8").splitlines(True)
            if not line.startswith("site_url")
        ),
        encoding="utf-8",
    )
    return dest


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The fixture project with one complete site/ built, and that site's file list."""
    work = _copy(tmp_path_factory.mktemp("swap") / "project")
    proc = subprocess.run([*LITREVIEW, "build"], cwd=work, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return work, _files(work / "site")


def _assert_complete(site: Path, expected: list[str]) -> None:
    assert site.is_dir(), "site/ is missing"
    assert _files(site) == expected
    assert (site / "index.html").stat().st_size > 0


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.6, 0.9, 1.2, 1.6])
def test_a_build_killed_at_any_moment_leaves_a_complete_site(
    project: tuple[Path, list[str]], delay: float
) -> None:
    work, expected = project
    proc = subprocess.Popen(
        [*LITREVIEW, "build"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)  # the build and the mkdocs process it runs
    proc.wait()
    _assert_complete(work / "site", expected)


_KILL_AT_SWAP = """
import os, signal, sys
from pathlib import Path
from litreview.core.site import swap as sitedir

site, when = Path(sys.argv[1]), sys.argv[2]
version = sitedir.new_version(site)
for name in sys.argv[3:]:
    (version / name).parent.mkdir(parents=True, exist_ok=True)
    (version / name).write_text("new", encoding="utf-8")
real_replace, real_rename = os.replace, os.rename

def replace(src, dst):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)
    os.kill(os.getpid(), signal.SIGKILL)

def rename(src, dst):
    real_rename(src, dst)
    if when == "migrating":
        os.kill(os.getpid(), signal.SIGKILL)

os.replace, os.rename = replace, rename
sitedir.swap_in(site, version)
"""


@pytest.mark.parametrize("when", ["before", "after"])
def test_killed_at_the_swap_itself(tmp_path: Path, when: str) -> None:
    site = tmp_path / "site"
    old = sitedir.new_version(site)
    (old / "index.html").write_text("old", encoding="utf-8")
    (old / "a" / "index.html").parent.mkdir()
    (old / "a" / "index.html").write_text("old", encoding="utf-8")
    sitedir.swap_in(site, old)
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_AT_SWAP, str(site), when, "index.html", "a/index.html"], check=False
    )
    assert proc.returncode == -signal.SIGKILL
    assert _files(site) == ["a/index.html", "index.html"]
    texts = {(site / f).read_text(encoding="utf-8") for f in _files(site)}
    assert texts == ({"old"} if when == "before" else {"new"})


def test_two_builds_at_once_queue_and_both_succeed(project: tuple[Path, list[str]]) -> None:
    work, expected = project
    procs = [
        subprocess.Popen(
            [*LITREVIEW, "build"], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert any("waiting for another build of site" in err for _out, err in outputs)
    _assert_complete(work / "site", expected)
    builds = [p for p in (work / ".site.versions").iterdir()]
    assert len(builds) <= 2  # the live one and the one before it; older ones are removed


def test_a_plain_site_folder_is_taken_over_once(tmp_path: Path) -> None:
    work = _copy(tmp_path / "project")
    (work / "site").mkdir()
    (work / "site" / "old.txt").write_text("old", encoding="utf-8")
    proc = subprocess.run([*LITREVIEW, "build"], cwd=work, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (work / "site").is_symlink() and (work / "site" / "index.html").is_file()
    assert not (work / "site" / "old.txt").exists()


def test_a_file_named_site_is_refused(tmp_path: Path) -> None:
    work = _copy(tmp_path / "project")
    (work / "site").write_text("not a site", encoding="utf-8")
    proc = subprocess.run([*LITREVIEW, "build"], cwd=work, capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "is a file" in proc.stderr
    assert (work / "site").read_text(encoding="utf-8") == "not a site"

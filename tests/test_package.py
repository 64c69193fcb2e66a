"""The package a user installs: built by `python -m build`, installed from the wheel alone.

Reported (issue 14): the README said "`pip install` this package", but `litreview` on PyPI
is an unrelated project; the distribution is mkdocs-litreview.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, check=False, timeout=600
    )
    assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and, built from it, the wheel (offline: the lock holds the build backend)."""
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT, cwd=out)
    return out


def test_build_makes_a_wheel_and_an_sdist_named_mkdocs_litreview(dists: Path) -> None:
    wheels = list(dists.glob("mkdocs_litreview-*.whl"))
    sdists = list(dists.glob("mkdocs_litreview-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    for needed in (
        "litreview/templates/litreview.css",
        "litreview/templates/litreview.js",
        "litreview/py.typed",
    ):
        assert needed in names
    assert any(n.startswith("litreview/schemas/") and n.endswith(".json") for n in names)
    metadata = (
        zipfile.ZipFile(wheels[0]).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    )
    assert "Name: mkdocs-litreview" in metadata
    assert "Classifier: Framework :: MkDocs" in metadata
    assert "Provides-Extra: csl" in metadata and "License-Expression: MIT" in metadata
    entry_points = (
        zipfile.ZipFile(wheels[0])
        .read(next(n for n in names if n.endswith(".dist-info/entry_points.txt")))
        .decode()
    )
    assert "litreview = litreview.plugin:LitreviewPlugin" in entry_points
    assert "litreview = litreview.cli:main" in entry_points
    with tarfile.open(sdists[0]) as sdist:
        members = sdist.getnames()
    assert any(m.endswith("/README.md") for m in members) and any(m.endswith("/LICENSE") for m in members)


def test_the_wheel_alone_starts_a_review_that_builds_and_checks(dists: Path, tmp_path: Path) -> None:
    """A fresh venv holds the wheel and nothing of this repository; its dependencies are the
    locked ones, reached through a path file (no download, and no editable install)."""
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
        ).stdout.strip()
    )
    # the dependencies: this environment's site-packages, appended after the venv's own, so the
    # wheel's litreview comes first and the editable install's path file is never read
    (purelib / "locked-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    wheel = next(dists.glob("mkdocs_litreview-*.whl"))
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--quiet",
        wheel,
        cwd=tmp_path,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "COVERAGE_"))}
    env["NO_MKDOCS_2_WARNING"] = "1"
    where = _run(python, "-c", "import litreview; print(litreview.__file__)", cwd=tmp_path, env=env).stdout
    assert where.startswith(str(venv)), where  # the wheel's copy, not the repository's
    litreview = venv / "bin" / "litreview"
    _run(litreview, "init", "demo", "--title", "A demo review", cwd=tmp_path, env=env)
    demo = tmp_path / "demo"
    built = _run(python, "-m", "mkdocs", "build", "--strict", cwd=demo, env=env)
    assert "WARNING -" not in built.stderr, built.stderr
    _run(litreview, "check", "--strict", cwd=demo, env=env)
    home = (demo / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-lr-key="ivanova2025"' in home
    assert (demo / "site" / "assets" / "litreview" / "litreview.css").is_file()  # packaged templates
    # and the importers are in it: a Quarto book becomes a review that builds and checks
    shutil.copytree(Path(__file__).parent / "fixtures" / "import" / "quarto", tmp_path / "book")
    _run(litreview, "import", "book", "-o", "imported", cwd=tmp_path, env=env)
    _run(python, "-m", "mkdocs", "build", "--strict", cwd=tmp_path / "imported", env=env)
    _run(litreview, "check", "--strict", cwd=tmp_path / "imported", env=env)

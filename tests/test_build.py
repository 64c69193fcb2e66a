"""The build itself: strict, never writing into content/, and reproducible."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REVIEW_EPOCH, ROOT, mkdocs_build, valid_workflow


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _clean_copy(tmp_path: Path) -> Path:
    """A copy of the project's sources, as a fresh clone has them."""
    dest = tmp_path / "project"
    dest.mkdir()
    for name in ("mkdocs.yml", "references.bib", "taxonomy.yml"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def test_strict_build_writes_nothing_into_content(tmp_path: Path) -> None:
    project = _clean_copy(tmp_path)
    before = _tree_digest(project / "content")
    proc = mkdocs_build(project / "mkdocs.yml", tmp_path / "site")
    assert "WARNING" not in proc.stderr
    assert _tree_digest(project / "content") == before
    assert sorted(p.name for p in (project / "content").iterdir()) == sorted(before_names(before))


def before_names(digest: dict[str, str]) -> set[str]:
    return {k.split("/", 1)[0] for k in digest}


def test_two_builds_with_the_same_source_date_epoch_are_byte_identical(
    built_site: Path, tmp_path: Path
) -> None:
    """The session's build of the review (at REVIEW_EPOCH) and one more, with its PDF."""
    mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "b", extra_env=REVIEW_EPOCH)
    a, b = _tree_digest(built_site), _tree_digest(tmp_path / "b")
    assert a.keys() == b.keys()
    differing = sorted(k for k in a if a[k] != b[k])
    assert differing == []


def test_site_opens_on_the_introduction_and_links_every_page(built_site: Path) -> None:
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="introduction">Introduction' in index
    for page in ["conclusion", "references"] + [
        f"description/{s}" for s in ("lumbar-spinal-stenosis", "neuromodulation")
    ]:
        assert (built_site / page / "index.html").is_file()


def test_site_loads_nothing_from_other_hosts(built_site: Path) -> None:
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for attr in ("src", "href"):
            for bad in ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr", "unpkg.com"):
                assert f'{attr}="https://{bad}' not in text, (html, bad)
        assert 'data-md-component="source"' not in text, "Material would fetch repo facts from GitHub"


def test_the_release_workflow_builds_and_publishes_with_trusted_publishing() -> None:
    text = valid_workflow(ROOT / ".github" / "workflows" / "release.yml")
    for needed in (
        'tags: ["v*"]',
        "python -m build",
        "tests/test_package.py",
        "id-token: write",
        "pypa/gh-action-pypi-publish",
    ):
        assert needed in text


def test_workflow_is_a_valid_github_workflow() -> None:
    text = valid_workflow(ROOT / ".github" / "workflows" / "ci.yml")
    for needed in (
        "make site",
        "make test",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
        "pull_request",
    ):
        assert needed in text


def test_ci_entry_point_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_setup_does_nothing_while_the_lock_is_unchanged() -> None:
    """`make -q` exits 0 only when the target is up to date, i.e. set-up would do nothing."""
    proc = subprocess.run(["make", "-q", "setup"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, "set-up would run again although requirements.lock is unchanged"


@pytest.mark.parametrize(
    ("fault", "stage"),
    [
        ("Cited [@nosuchkey2020].", "error[CIT001] unknown citation key 'nosuchkey2020'"),
        ('<a href="nowhere/">a raw HTML link</a>', "broken link → nowhere/ (no such file)"),
    ],
    ids=["caught-by-check", "caught-by-linkcheck"],
)
def test_failed_make_site_keeps_the_last_good_site(tmp_path: Path, fault: str, stage: str) -> None:
    """`make site` = check, strict build, linkcheck; any failure leaves site/ as it was."""
    project = tmp_path / "p"
    project.mkdir()
    for name in (
        "Makefile",
        "mkdocs.yml",
        "references.bib",
        "taxonomy.yml",
        "requirements.lock",
        "pyproject.toml",
    ):
        shutil.copy(ROOT / name, project / name)
    for folder in ("content", "overrides"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "site").mkdir()
    (project / "site" / "last-good.txt").write_text("kept\n", encoding="utf-8")
    page = project / "content" / "conclusion.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{fault}\n", encoding="utf-8")
    proc = subprocess.run(
        ["make", "--no-print-directory", "site", f"VENV={ROOT / '.venv'}"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert stage in proc.stdout + proc.stderr
    assert sorted(p.name for p in (project / "site").iterdir()) == ["last-good.txt"]
    versions = project / ".site.versions"
    assert not versions.exists() or list(versions.iterdir()) == []  # the failed build is gone too


def test_make_test_says_how_to_get_chromium_when_it_cannot_install_it(tmp_path: Path) -> None:
    """Not root and no Chromium: a clear message and a failure, not a mysterious test error."""
    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "id").write_text("#!/bin/sh\necho 1000\n", encoding="utf-8")
    (stub / "id").chmod(0o755)
    proc = subprocess.run(
        ["make", "--no-print-directory", "-s", "browser", "LITREVIEW_CHROMIUM=/nonexistent/chromium"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": f"{stub}:{os.environ['PATH']}"},
    )
    assert proc.returncode != 0
    assert (
        "The browser and PDF tests need Chromium at /nonexistent/chromium, which is missing." in proc.stdout
    )
    assert "sudo apt-get install chromium\n" in proc.stdout  # the package its path names
    # make site goes on without it: the site is built without its PDF, and says so
    site = subprocess.run(
        ["make", "--no-print-directory", "-s", "chromium", "LITREVIEW_CHROMIUM=/nonexistent/chromium"],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "PATH": f"{stub}:{os.environ['PATH']}"},
    )  # fmt: skip
    assert site.returncode == 0
    assert "no Chromium at /nonexistent/chromium, so no PDF of the review" in site.stdout

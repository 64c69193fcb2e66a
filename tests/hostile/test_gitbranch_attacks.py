"""A Manubot source whose git repository leads outside it (the round's attack on the output
branch reader).

The import reads Manubot's ``references.json`` from the source repository's ``output`` branch
when it is not beside the text. A source's ``.git`` can be a file (``gitdir: …``) or a symlink
naming another repository on the machine, or borrow another repository's objects
(``objects/info/alternates``, a worktree's ``commondir``): the import would then copy another
project's bibliography into the new one. Each is refused: the branch is read only from a
repository that is the source's own folder, its objects and refs inside it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from litreview.core.importers.gitbranch import branches, read
from litreview.core.importers.manubot import read_manubot

CANARY = "CANARY-git-9d2"
ITEM = {"id": "doi:10.1/a", "type": "article-journal", "title": CANARY, "DOI": "10.1/a"}


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env, text=True)
    return done.stdout.strip()


def _secret(base: Path) -> Path:
    """Another project on the machine, its output branch holding its bibliography."""
    secret = base / "secret"
    secret.mkdir()
    _git(secret, "init", "-q", "-b", "main")
    (secret / "x").write_text("x\n", encoding="utf-8")
    _git(secret, "add", "x")
    _git(secret, "commit", "-q", "-m", "x")
    _git(secret, "checkout", "-q", "--orphan", "output")
    _git(secret, "rm", "-q", "-r", "--cached", ".")
    (secret / "references.json").write_text(json.dumps([ITEM]), encoding="utf-8")
    _git(secret, "add", "references.json")
    _git(secret, "commit", "-q", "-m", "output")
    _git(secret, "checkout", "-q", "-f", "main")
    return secret


def _source(base: Path) -> Path:
    src = base / "src"
    (src / "content").mkdir(parents=True)
    (src / "content" / "metadata.yaml").write_text("title: A review\n", encoding="utf-8")
    (src / "content" / "01.intro.md").write_text("## Intro\n\nAs [@doi:10.1/a].\n", encoding="utf-8")
    return src


def _gitdir_file(src: Path, secret: Path) -> None:
    (src / ".git").write_text(f"gitdir: {secret / '.git'}\n", encoding="utf-8")


def _gitdir_symlink(src: Path, secret: Path) -> None:
    (src / ".git").symlink_to(secret / ".git", target_is_directory=True)


def _own_repo(src: Path) -> None:
    _git(src, "init", "-q", "-b", "main")
    _git(src, "add", ".")
    _git(src, "commit", "-q", "-m", "text")


def _alternates(src: Path, secret: Path) -> None:
    _own_repo(src)
    (src / ".git" / "objects" / "info" / "alternates").write_text(f"{secret / '.git' / 'objects'}\n")
    commit = _git(secret, "rev-parse", "output")
    (src / ".git" / "refs" / "heads" / "output").write_text(commit + "\n", encoding="utf-8")


def _objects_symlink(src: Path, secret: Path) -> None:
    _own_repo(src)
    shutil.rmtree(src / ".git" / "objects")
    (src / ".git" / "objects").symlink_to(secret / ".git" / "objects", target_is_directory=True)
    commit = _git(secret, "rev-parse", "output")
    (src / ".git" / "refs" / "heads" / "output").write_text(commit + "\n", encoding="utf-8")


def _commondir(src: Path, secret: Path) -> None:
    _own_repo(src)
    (src / ".git" / "commondir").write_text(str(secret / ".git") + "\n", encoding="utf-8")


def _gitdir_in_config(src: Path, secret: Path) -> None:
    _own_repo(src)
    with (src / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write(f"[include]\n\tpath = {secret / '.git' / 'config'}\n[core]\n\tworktree = {secret}\n")
    (src / ".git" / "objects" / "info" / "alternates").write_text(f"{secret / '.git' / 'objects'}\n")
    (src / ".git" / "packed-refs").write_text(f"{_git(secret, 'rev-parse', 'output')} refs/heads/output\n")


WAYS_OUT: list[Callable[[Path, Path], None]] = [
    _gitdir_file, _gitdir_symlink, _alternates, _objects_symlink, _commondir, _gitdir_in_config,
]  # fmt: skip


@pytest.mark.parametrize("way", WAYS_OUT, ids=[w.__name__.strip("_") for w in WAYS_OUT])
def test_a_repository_leading_outside_the_source_is_not_read(
    tmp_path: Path, way: Callable[[Path, Path], None]
) -> None:
    secret = _secret(tmp_path)
    src = _source(tmp_path)
    way(src, secret)
    assert not [r for r, _ in branches(src, "output") if read(src, r, "references.json")]
    result = read_manubot(src, tmp_path)
    assert CANARY not in json.dumps(result.files, default=str)


def test_the_sources_own_output_branch_is_still_read(tmp_path: Path) -> None:
    src = _source(tmp_path)
    _own_repo(src)
    _git(src, "checkout", "-q", "--orphan", "output")
    _git(src, "rm", "-q", "-r", "--cached", ".")
    (src / "references.json").write_text(json.dumps([ITEM]), encoding="utf-8")
    _git(src, "add", "references.json")
    _git(src, "commit", "-q", "-m", "output")
    _git(src, "checkout", "-q", "-f", "main")
    assert (src / "content").is_dir() and not (src / "references.json").exists()
    result = read_manubot(src, tmp_path)
    assert CANARY in str(result.files["references.json"])


def test_a_symlink_in_the_branch_is_its_text_not_its_target(tmp_path: Path) -> None:
    """A blob of mode 120000 is the link's text: git never follows it, neither does the import."""
    src = _source(tmp_path)
    _own_repo(src)
    _git(src, "checkout", "-q", "--orphan", "output")
    _git(src, "rm", "-q", "-r", "--cached", ".")
    (src / "references.json").symlink_to("/etc/passwd")
    _git(src, "add", "references.json")
    _git(src, "commit", "-q", "-m", "output")
    _git(src, "checkout", "-q", "-f", "main")
    (ref,) = [r for r, _ in branches(src, "output")]
    assert read(src, ref, "references.json") == b"/etc/passwd"

"""Files on a branch of the source's git repository, read without checking it out.

Manubot's CI commits its output (``references.json``, ``citations.tsv``) to the repository's
``output`` branch, not to the branch the text is on. The source is someone else's repository:
git runs plumbing only (``for-each-ref``, ``cat-file``), with no system or global config, hooks
and fsmonitor off, under a time limit, and a file over :data:`LIMIT` bytes is not read. And
only in a repository that is the source's own: its ``.git`` a folder in it (not a ``gitdir:``
file or a symlink naming another repository), its objects and refs in it (no alternates, no
worktree's ``commondir``, no symlink among them), else another project's output would be read.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

#: Seconds one git command may take.
DEADLINE = 20.0
#: The largest file read from a branch (bytes).
LIMIT = 64 * 1024 * 1024
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "--no-pager")


def _git(repository: Path, *args: str) -> bytes | None:
    """git's output, or None when git is missing, fails or takes too long."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}  # no GIT_DIR, alternates…
    env |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}
    env["GIT_DIR"] = str(repository / ".git")
    try:
        done = subprocess.run(  # plumbing with our arguments, in the source's repository
            ["git", *_SAFE, "-C", str(repository), *args],
            capture_output=True,
            timeout=DEADLINE,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


#: How many entries of ``.git/objects`` and ``.git/refs`` are looked at for a symlink.
_MAX_ENTRIES = 200_000


def _own(git: Path) -> bool:
    """Whether ``git`` is a repository's folder whose objects and refs are all in it."""
    if git.is_symlink() or not git.is_dir():
        return False
    borrowed = ("commondir", "objects/info/alternates", "objects/info/http-alternates")
    if any(os.path.lexists(git / name) for name in borrowed):
        return False
    seen = 0
    for name in ("objects", "refs", "packed-refs", "HEAD"):
        if (git / name).is_symlink():
            return False
        for top, dirs, files in os.walk(git / name):
            seen += len(dirs) + len(files)
            if seen > _MAX_ENTRIES or any(os.path.islink(os.path.join(top, n)) for n in dirs + files):
                return False
    return True


def branches(repository: Path, name: str) -> list[tuple[str, str]]:
    """The branch ``name`` as the repository has it, local first, then remote-tracking: each
    its full ref (what is read: never taken for an option) and its short name (``origin/output``,
    what is shown); none when the source is not a git repository."""
    if not _own(repository / ".git"):
        return []
    out = _git(
        repository, "for-each-ref", "--format=%(refname)", f"refs/heads/{name}", f"refs/remotes/*/{name}"
    )
    if out is None:
        return []
    refs = out.decode("utf-8", "replace").split()
    return [(ref, ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")) for ref in refs]


def read(repository: Path, ref: str, path: str) -> bytes | None:
    """The file at ``path`` on the branch ``ref`` (a full ref); None when absent or over :data:`LIMIT`."""
    spec = f"{ref}:{path}"
    size = _git(repository, "cat-file", "-s", spec)
    if size is None or not size.strip().isdigit() or int(size) > LIMIT:
        return None
    return _git(repository, "cat-file", "blob", spec)

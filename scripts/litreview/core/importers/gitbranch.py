"""Files on a branch of the source's git repository, read without checking it out.

Manubot's CI commits its output (``references.json``, ``citations.tsv``) to the repository's
``output`` branch, not to the branch the text is on. The source is someone else's repository:
git runs plumbing only (``for-each-ref``, ``cat-file``), with no system or global config, hooks
and fsmonitor off, under a time limit, and a file over :data:`LIMIT` bytes is not read.
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
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}
    env.pop("GIT_DIR", None)
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


def branches(repository: Path, name: str) -> list[tuple[str, str]]:
    """The branch ``name`` as the repository has it, local first, then remote-tracking: each
    its full ref (what is read: never taken for an option) and its short name (``origin/output``,
    what is shown); none when the source is not a git repository."""
    if not (repository / ".git").exists():
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

"""The review's releases, read from git: a release is a tag; nothing is kept by hand.

Each release has its date (the tag's, for an annotated tag; else its commit's), its message
(the annotated tag's, without control characters; a lightweight tag has none) and its
commit. The build also learns the commit it is built from, and whether it is ahead of the
last release. A shallow clone (CI's default) has no history: the build says how to fetch it
and shows what it can.
"""

from __future__ import annotations

import fnmatch
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..text.escaping import without_controls

# No field is ever empty, so "\0\0" only ends a record: a lightweight tag has no peeled
# object ("%(*objectname)" is empty), which once split its record in two and lost the release.
_FIELDS = (
    "%(refname:short)%00%(creatordate:short)%00%(objecttype)%00"
    "%(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)%(end)%00m%(contents)%00%00"
)


@dataclass(frozen=True)
class Release:
    """One tag matching the pattern: its name, date (YYYY-MM-DD), commit and message."""

    tag: str
    date: str
    commit: str
    message: str

    @property
    def title(self) -> str:
        """The message's first line (a tag's subject)."""
        return self.message.strip().splitlines()[0] if self.message.strip() else ""


@dataclass
class History:
    """Releases newest first, and the commit the build is made from."""

    releases: list[Release] = field(default_factory=list)
    commit: str = ""
    """The commit built ("" outside git)."""
    date: str = ""
    """That commit's date, YYYY-MM-DD."""
    shallow: bool = False
    ahead: bool = False
    """Commits (or uncommitted edits) after the newest release."""

    @property
    def latest(self) -> Release | None:
        """The newest release, if there is one."""
        return self.releases[0] if self.releases else None


def _git(repo: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    except OSError:
        return None  # no git on this machine
    return proc.stdout if proc.returncode == 0 else None


def read(repo: Path, pattern: str = "v*") -> History:
    """The releases and the built commit of the repository holding ``repo`` (empty outside git)."""
    head = _git(repo, "log", "-1", "--format=%H%x00%cs", "HEAD")
    if not head:
        return History()
    commit, date = head.strip().split("\0")
    history = History(commit=commit, date=date)
    history.shallow = (_git(repo, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    # newest first; tags of one second (a script's) by version, v1.10 after v1.9 (the last key leads)
    order = ("--sort=-v:refname", "--sort=-creatordate")
    listed = _git(repo, "for-each-ref", *order, f"--format={_FIELDS}", "refs/tags") or ""
    for record in listed.split("\0\0"):
        parts = record.strip("\n").split("\0")
        if len(parts) < 5 or not fnmatch.fnmatchcase(parts[0], pattern):
            continue
        tag, when, kind, commit, message = parts[:5]  # a lightweight tag: its commit's date
        message = without_controls(message[1:]).strip() if kind == "tag" else ""
        history.releases.append(Release(tag, when, commit, message))
    latest = history.latest
    if latest is not None:
        behind = _git(repo, "rev-list", "--count", f"{latest.commit}..HEAD")
        dirty = _git(repo, "status", "--porcelain", "--untracked-files=no")
        history.ahead = bool(behind and behind.strip() != "0") or bool(dirty and dirty.strip())
    return history


SHALLOW_ADVICE = (
    "this is a shallow clone, so What's new and the feed show no history: fetch it with "
    "'git fetch --unshallow --tags' (in GitHub Actions, actions/checkout with fetch-depth: 0)"
)


def advice(history: History, pattern: str) -> str:
    """What the build log tells the review's maintainers ('' when all is well): readers of
    the site are told only that no release has been made, never how to make one."""
    if history.shallow:
        return SHALLOW_ADVICE
    if history.releases:
        return ""
    where = "" if history.commit else " (this folder is not in a git repository)"
    return (
        f"no release yet{where}: a release is a git tag matching '{pattern}' "
        "(git tag -a v1.0 -m 'First release'); What's new lists each one with what it changed"
    )

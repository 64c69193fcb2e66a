"""Swap a newly built site in atomically, one build at a time.

``site`` is a symbolic link to a complete build in ``.site.versions/``. A build goes into a
folder of its own there, and only when it has passed every check does one ``os.replace``
point the link at it: a reader, a deploy step or a link check sees the old tree or the new
one, never a mix, even if the build is killed at any moment. A lock on ``.site.lock``
makes concurrent builds queue; older versions are removed afterwards, under the lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path


class SiteError(Exception):
    """The site folder can't be managed (e.g. ``site`` is a file); nothing was changed."""


def versions_dir(site: Path) -> Path:
    """Where complete builds wait beside ``site`` (``.site.versions``)."""
    return site.parent / f".{site.name}.versions"


@contextlib.contextmanager
def locked(site: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the site's lock; call ``waiting`` once if another build holds it first."""
    lock_path = site.parent / f".{site.name}.lock"
    try:
        handle = lock_path.open("a")
    except OSError as exc:
        raise SiteError(f"cannot take the lock {lock_path}: {exc.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_version(site: Path) -> Path:
    """An empty folder for the next build, beside the versions already there."""
    folder = versions_dir(site)
    folder.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(dir=folder, prefix=time.strftime("build-%Y%m%d-%H%M%S-")))


def swap_in(site: Path, version: Path) -> None:
    """Point ``site`` at ``version`` with one atomic rename.

    A ``site`` that is still a plain folder (from before this scheme) is first moved
    into the versions folder; only in that one step, once, is there no ``site`` at all.
    """
    if site.exists() and not site.is_symlink() and not site.is_dir():
        raise SiteError(f"{site} is a file, not a site folder; move it away first")
    link = site.parent / f".{site.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(version, site.parent), link)
    if site.is_dir() and not site.is_symlink():
        os.rename(site, versions_dir(site) / f"previous-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    os.replace(link, site)


def current(site: Path) -> Path | None:
    """The version ``site`` points at, if it is a link into the versions folder."""
    if not site.is_symlink():
        return None
    return (site.parent / os.readlink(site)).resolve()


def prune(site: Path, keep: Path | None = None) -> None:
    """Remove every version but the one ``site`` points at (and ``keep``); call under the lock."""
    live = {p for p in (current(site), keep.resolve() if keep else None) if p is not None}
    folder = versions_dir(site)
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.resolve() not in live:
            shutil.rmtree(path, ignore_errors=True)
    for stray in site.parent.glob(f".{site.name}.link-*"):
        with contextlib.suppress(OSError):
            stray.unlink()


def discard(version: Path) -> None:
    """Remove a build that failed; the live site never pointed at it."""
    shutil.rmtree(version, ignore_errors=True)

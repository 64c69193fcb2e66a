"""Rewrite files so that a failure leaves the old file whole.

Every file litreview rewrites (``references.bib``, ``mkdocs.yml``, pages, caches) goes to a
temporary file in the same folder, is flushed to disk, takes the old file's mode, and
replaces the old one with one ``os.replace``: a full disk, a size limit or a kill at any
moment leaves either the old or the new content, never a mix. A file that changed since
it was read is not overwritten, so an edit made meanwhile is never lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class WriteError(Exception):
    """The file could not be rewritten; it is as it was. The message says why."""


@dataclass(frozen=True)
class FileSnapshot:
    """What a file held when it was read: compared again just before it is replaced."""

    digest: str
    exists: bool = True


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(path: Path) -> FileSnapshot:
    """What a file holds now, so a rewrite can refuse if it changed meanwhile."""
    try:
        return FileSnapshot(_digest(path.read_bytes()))
    except FileNotFoundError:
        return FileSnapshot("", exists=False)


def stamps(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Each file's path, modification time (ns) and size, cheaply: what a build that read them
    compares to see whether any changed (-1, -1 for a file that is not there)."""
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            out.append((str(path), -1, -1))
        else:
            out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def read_text(path: Path) -> tuple[str, FileSnapshot]:
    """The file's text (UTF-8, newlines as ``\\n``) and the snapshot for :func:`write_text`."""
    data = path.read_bytes()
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return text, FileSnapshot(_digest(data))


def write_text(path: Path, text: str, expect: FileSnapshot | None = None) -> None:
    """Replace ``path`` with ``text`` atomically; :class:`WriteError` leaves it untouched.

    With ``expect``, refuse when the file no longer holds what was read (or, for a new
    file, when one has appeared meanwhile).
    """
    write_bytes(path, text.encode("utf-8"), expect)


def write_bytes(path: Path, data: bytes, expect: FileSnapshot | None = None) -> None:
    """Replace a file whole or not at all: temporary file, fsync, mode kept, os.replace."""
    folder = path.parent
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        existed = True
    except FileNotFoundError:
        mode, existed = 0o666 & ~current_umask(), False
    except OSError as exc:
        raise WriteError(f"cannot read {path}: {exc.strerror}") from None
    if existed and not os.access(path, os.W_OK):
        raise WriteError(f"{path} is read-only; nothing was written")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        if expect is not None and snapshot(path) != expect:
            raise WriteError(
                f"{path} changed while litreview was working on it; nothing was written, run again"
            )
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}; it is unchanged") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def current_umask() -> int:
    """The process's umask (reading it means setting it: it is set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask

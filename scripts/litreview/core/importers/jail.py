"""The source tree an import reads from, as a jail, and the bounds of one import.

A review to import is someone else's files: its ``\\input``, includes, images, bibliographies
and chapters name paths, and symlinks point anywhere. Every importer reads through one
:class:`Jail`, so a path is read only when, after following symlinks, it is a regular file
inside the source folder (never /proc, a device, a FIFO or a socket; a FIFO is never opened
for reading, it would block), and only while the import's byte budget lasts. A path outside
is refused with IMP004 at the construct that named it; the budget's end is a refusal (IMP001).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..project.config import display_path
from .imported import Imported, refuse

#: What one import reads in all (text, images, bibliographies), in bytes.
MAX_BYTES = 64 * 1024**2
#: How many ``\input``/``{{< include >}}`` one import follows (fan-out without a cycle).
MAX_INCLUDES = 500
#: How many files a folder walk lists (a Quarto project's pages, Manubot's images).
MAX_FILES = 10_000
#: Why a named file is not read when it simply isn't there (reported as before, IMP002).
MISSING = "no such file"
#: Where files pass for regular but are the system's (a device is refused for what it is, so a
#: RAM disk's regular files under /dev/shm are read).
_SYSTEM = (Path("/proc"), Path("/sys"))
_CHUNK = 1024 * 1024


def common_root(sources: list[Path]) -> Path:
    """The folder holding every named source (the source files themselves not resolved, so a
    symlinked source is judged by where it points)."""
    parents = [Path(os.path.abspath(s)).parent.resolve() for s in sources]
    return Path(os.path.commonpath(parents)) if parents else Path.cwd().resolve()


def place(text: str, name: str) -> tuple[int, int]:
    """Line and column where ``name`` is first written in ``text`` (a path a YAML file names),
    or (0, 0) when it isn't written as such."""
    at = text.find(name) if name else -1
    if at < 0:
        return 0, 0
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def files_under(folder: Path, suffix: str = "", skip: Callable[[str], bool] | None = None) -> list[Path]:
    """The files under ``folder`` (names ending in ``suffix``), without following symlinked
    folders (they may lead anywhere, or in a loop), at most :data:`MAX_FILES`, in name order;
    folders whose name ``skip`` accepts are not entered."""
    found: list[Path] = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if skip is None or not skip(d))
        found += [Path(top) / n for n in sorted(names) if n.endswith(suffix)]
        if len(found) >= MAX_FILES:
            break
    return sorted(found[:MAX_FILES])


class Jail:
    """One import's reads: inside ``root``, regular files only, within the budgets."""

    def __init__(
        self, root: Path, display_root: Path, max_bytes: int = MAX_BYTES, max_includes: int = MAX_INCLUDES
    ) -> None:
        self.root = root.resolve()
        self.display_root = display_root
        self.max_bytes = max_bytes
        self.left = max_bytes
        self.includes_left = max_includes
        self.max_includes = max_includes

    def show(self, path: Path) -> str:
        """A path as the import's findings show it."""
        return display_path(path, self.display_root)

    def named(self, base: Path, name: str, rooted: bool = False) -> Path:
        """The path a construct names, from ``base``; ``rooted``: a leading ``/`` is the source
        root (Quarto's reading), else an absolute name stays absolute (and is refused)."""
        if rooted and name.startswith("/"):
            return self.root / name.lstrip("/")
        return base / name

    def why_not(self, path: Path) -> str | None:
        """Why ``path`` is not read (:data:`MISSING`, outside, not a regular file), or None."""
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            return "a symlink loop"
        if not real.is_relative_to(self.root):
            return "outside the source folder"
        if any(real.is_relative_to(system) for system in _SYSTEM):
            return "a system file"
        try:
            mode = os.stat(real).st_mode
        except OSError:
            return MISSING
        return None if stat.S_ISREG(mode) else "not a regular file"

    def within(self, path: Path) -> bool:
        """Whether ``path`` is in the source as named (its folder, not the file, resolved)."""
        return Path(os.path.abspath(path)).parent.resolve().is_relative_to(self.root)

    def refused(self, out: Imported, where: str, line: int, col: int, name: str, why: str) -> None:
        """A path a construct names that is not read (IMP004, at the construct)."""
        out.note(
            where, line, "IMP004", f"{name}: {why}, not read (an import reads only its source folder)", col
        )

    def include(self) -> bool:
        """One more ``\\input`` or include followed, if the import's bound allows it."""
        self.includes_left -= 1
        return self.includes_left >= 0

    def read_bytes(self, path: Path, shown: str) -> bytes:
        """The file's bytes, read within the budget; :func:`refuse` (IMP001) if it can't be."""
        why = self.why_not(path)
        if why is not None:
            raise refuse(shown, f"cannot read: {why}")
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:  # resolved, checked, then opened without following a link or blocking on a FIFO
            fd = os.open(path.resolve(), flags)
            with os.fdopen(fd, "rb") as handle:
                data = self._bounded(handle, os.fstat(handle.fileno()), shown)
        except OSError as exc:
            raise refuse(shown, f"cannot read: {exc.strerror or exc}") from None
        self.left -= len(data)
        return data

    def _bounded(self, handle: BinaryIO, status: os.stat_result, shown: str) -> bytes:
        """What is left of the budget, at most, from an open regular file."""
        if not stat.S_ISREG(status.st_mode):
            raise refuse(shown, "cannot read: not a regular file")
        if status.st_size > self.left:
            raise self._too_much(shown)
        chunks: list[bytes] = []
        got = 0
        while chunk := handle.read(min(_CHUNK, self.left - got + 1)):
            chunks.append(chunk)
            got += len(chunk)
            if got > self.left:  # it grew while being read, or said it was smaller
                raise self._too_much(shown)
        return b"".join(chunks)

    def read_text(self, path: Path, shown: str) -> str:
        """The file's text (UTF-8, ``\\n`` line ends), read as :meth:`read_bytes` reads. A lone
        ``\\r`` ends a line too, as it does for TeX, Python-Markdown and MkDocs."""
        try:
            return self.read_bytes(path, shown).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError as exc:
            raise refuse(shown, f"cannot read: {exc}") from None

    def _too_much(self, shown: str) -> Exception:
        mib = self.max_bytes // 1024**2
        return refuse(shown, f"the source is larger than an import reads ({mib} MiB in all): not imported")

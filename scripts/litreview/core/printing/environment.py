"""What the machine gives a print besides the document: the browser and the fonts (issue 30).

A kept print is copied only while these are what they were. The print uses the system's fonts
(nothing is fetched), so installing or removing one changes the PDF: the fonts fontconfig lists
are part of the key. The browser is often a wrapper script (Debian's ``chromium-headless-shell``
is one), whose size and date say nothing about the Chromium it starts: the key holds what
``--version`` says, with the wrapper's own bytes.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
from pathlib import Path

#: A browser file larger than this is the browser itself, not a wrapper: its size and date name it.
_WRAPPER_BYTES = 64 * 1024
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
_FONT_ENV = (
    "FONTCONFIG_FILE",
    "FONTCONFIG_PATH",
    "FONTCONFIG_SYSROOT",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "HOME",
)
#: fontconfig's configuration: which font it picks for a family (the print asks for generic ones).
_CONFIG_PLACES = ("/etc/fonts", "~/.config/fontconfig", "~/.fonts.conf")
_FAMILIES = ("serif", "sans-serif", "monospace")


def browser(executable: str) -> str:
    """The browser a print would start: its path, its file (the bytes of a wrapper, else its size
    and date) and its version; Playwright's own download by Playwright's version."""
    if not executable:
        return "playwright " + importlib.metadata.version("playwright")
    try:
        found = os.stat(executable)
        if found.st_size <= _WRAPPER_BYTES:
            made = Path(executable).read_bytes().hex()
        else:
            made = f"{found.st_size} {found.st_mtime_ns}"
    except OSError as exc:
        return f"{executable} unreadable: {exc.strerror}"
    return f"{executable}\0{made}\0{_run([executable, '--version'])}"


def fonts() -> str:
    """The fonts a print can use, as fontconfig lists them (each file with its size and date;
    without ``fc-list``, the usual folders), the font it picks for each generic family, and its
    configuration: the variables that point it elsewhere and its files."""
    settings = "\0".join(f"{name}={os.environ.get(name, '')}" for name in _FONT_ENV)
    fc_list = shutil.which("fc-list")
    if fc_list is not None:
        listed = _run([fc_list, "--format", "%{file}\t%{family}\t%{style}\t%{fontversion}\n"])
        files = [line.split("\t", 1)[0] for line in listed.splitlines() if "\t" in line]
    else:
        listed = "no fc-list"
        files = _files(_FONT_DIRS)
    fc_match = shutil.which("fc-match")
    chosen = [_run([fc_match, "--format", "%{file}\n", family]) for family in _FAMILIES] if fc_match else []
    places = [*_CONFIG_PLACES, *(os.environ.get(name, "") for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH"))]
    xdg = os.environ.get("XDG_CONFIG_HOME")
    config = _files([*places, f"{xdg}/fontconfig" if xdg else ""])
    listing = "".join(sorted(listed.splitlines(keepends=True)))
    return "\0".join([settings, listing, *chosen, *map(_stamp, sorted(files)), *map(_stamp, config)])


def _files(places: tuple[str, ...] | list[str]) -> list[str]:
    """Each file at or under the places (``~`` expanded), sorted; a place that is not there: none."""
    found: list[str] = []
    for place in filter(None, places):
        path = Path(place).expanduser()
        found += [str(path)] if path.is_file() else [str(p) for p in sorted(path.rglob("*")) if p.is_file()]
    return found


def _stamp(path: str) -> str:
    try:
        found = os.stat(path)
    except (OSError, ValueError):  # gone, or a name no file can have
        return f"{path} gone"
    return f"{path} {found.st_size} {found.st_mtime_ns}"


def _run(argv: list[str]) -> str:
    """What ``argv`` prints, or why it printed nothing (it fails, hangs or is no program)."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=20, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{argv[0]} did not run: {exc}"
    return done.stdout.decode("utf-8", "replace") + f"\0exit {done.returncode}"

"""The lock file: the metadata of every work cited by identifier, fetched once and committed.

``references.lock.json`` maps each standard identifier to the CSL-JSON item a source gave for
it, with the source and the date. The build reads only this file, so it never touches the
network and gives the same site tomorrow; ``litreview fetch`` writes it (atomically, keys
sorted, so a diff shows what changed). The file is untrusted input like any cache: anything
malformed is a finding at its line, never a crash.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import atomic, jsonfile
from ..findings.problems import Problem
from .citekey import parse as parse_identifier

#: What the file says it is, so a future format can be told apart.
FORMAT = "litreview-lock/1"
DEFAULT_NAME = "references.lock.json"


@dataclass(frozen=True)
class Locked:
    """One work's metadata as a source gave it."""

    identifier: str
    csl: dict[str, Any]
    source: str
    retrieved: str
    line: int = 0


def key_places(text: str) -> dict[str, tuple[int, int]]:
    """The line and column of each key that opens an object on its line (``"doi:…": {``), as
    litreview writes its JSON files: where findings about an entry point."""
    return {
        m.group(2): (text.count("\n", 0, m.start()) + 1, len(m.group(1)) + 1)
        for m in re.finditer(r'^([ \t]*)"([^"\n]+)":\s*\{', text, re.M)
    }


def read(path: Path, display: str) -> tuple[dict[str, Locked], list[Problem]]:
    """The locked works by standard identifier, and what is wrong with the file (LOCK001)."""
    found, problems = jsonfile.read(path, display, "LOCK001", "the lock file")
    if found is jsonfile.ABSENT:
        return {}, problems
    data, text = found
    return parse(data, text, display)


def is_lock(data: Any) -> bool:
    """Does parsed JSON say it is a lock file?"""
    return isinstance(data, dict) and data.get("format") == FORMAT


def parse(data: Any, text: str, display: str) -> tuple[dict[str, Locked], list[Problem]]:
    """The works of a lock file's parsed JSON (``text`` gives their lines)."""
    if not is_lock(data) or not isinstance(data.get("works"), dict):
        expected = f'{{"format": "{FORMAT}", "works": {{…}}}}'
        return {}, [Problem(display, 1, 1, "LOCK001", f"not a litreview lock file: expected {expected}")]
    lines = {key: line for key, (line, _col) in key_places(text).items()}
    works: dict[str, Locked] = {}
    problems: list[Problem] = []
    for key, entry in data["works"].items():
        line = lines.get(key, 1)
        found = parse_identifier(str(key))
        if found is None or str(found) != key:
            problems.append(
                Problem(
                    display,
                    line,
                    1,
                    "LOCK001",
                    f"'{key}' is not an identifier in its standard form; left out",
                )
            )
        elif not isinstance(entry, dict) or not isinstance(entry.get("csl"), dict):
            problems.append(Problem(display, line, 1, "LOCK001", f"'{key}' has no CSL-JSON item; left out"))
        else:
            csl, source, day = entry["csl"], str(entry.get("source", "")), str(entry.get("retrieved", ""))
            works[key] = Locked(key, csl, source, day, line)
    return works, problems


def text_of(works: dict[str, Locked]) -> str:
    """The lock file's text: keys sorted, two-space indents, one trailing newline."""
    body = {
        key: {"source": w.source, "retrieved": w.retrieved, "csl": w.csl} for key, w in sorted(works.items())
    }
    return json.dumps({"format": FORMAT, "works": body}, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write(path: Path, works: dict[str, Locked], expect: atomic.FileSnapshot | None = None) -> None:
    """Rewrite the lock file whole or not at all (temporary file, then ``os.replace``); with
    ``expect``, refuse if it changed since it was read (another fetch, an edit)."""
    atomic.write_text(path, text_of(works), expect=expect)

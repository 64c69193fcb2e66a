"""Committed JSON files litreview writes and reads back (the lock file, the verdict cache):
read as untrusted input, so a missing file is nothing and a damaged one a finding, not a crash.

:func:`loads` is how litreview parses any JSON it did not just make (committed files, caches,
servers' answers): nesting deeper than :data:`MAX_DEPTH` is refused before the data is used,
since the parser recurses (a file of ``[[[[…`` ends in its RecursionError, caught) and so
does whatever walks the result afterwards (encoding it again, formatting it).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from ..findings.problems import Problem

SCHEMAS = Path(__file__).resolve().parent.parent.parent / "schemas"


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """One of the package's JSON schemas (``schemas/<name>``), read once per process."""
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return loaded


#: What :func:`read` gives for a file that is not there.
ABSENT = object()
#: The deepest nesting accepted: litreview's own files go 8 deep (a CSL date in the lock file).
MAX_DEPTH = 64
# a string (to the end of the text if unclosed, possessive: one pass, no backtracking), or a
# bracket; whatever else is between them is skipped
_TOKENS = re.compile(r'(?s)"(?:[^"\\]++|\\.)*+"?|[\[{]|[\]}]')


class TooDeep(ValueError):
    """JSON nested deeper than :data:`MAX_DEPTH`, at ``lineno``:``colno`` (as JSONDecodeError)."""

    def __init__(self, text: str, pos: int, limit: int) -> None:
        self.lineno = text.count("\n", 0, pos) + 1
        self.colno = pos - text.rfind("\n", 0, pos)
        super().__init__(f"nested deeper than {limit} levels: line {self.lineno} column {self.colno}")


def depth_error(text: str, limit: int = MAX_DEPTH) -> TooDeep | None:
    """Where ``text`` nests deeper than ``limit`` (brackets in strings do not count), if it does."""
    depth = 0
    for m in _TOKENS.finditer(text):
        token = m.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return TooDeep(text, m.start(), limit)
        elif token in ("]", "}"):
            depth -= 1
    return None


def _deeper(value: Any, limit: int) -> bool:
    """Does parsed JSON nest deeper than ``limit``? (A walk without recursion.)"""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, list | dict))
    return False


def loads(text: str, limit: int = MAX_DEPTH) -> Any:
    """``json.loads`` for untrusted text: :class:`TooDeep` (a ValueError) past ``limit``, found
    at its place by :func:`depth_error` (the parse and a walk are quicker than the scan, so the
    scan runs only for a text that is too deep)."""
    try:
        data = json.loads(text)
    except RecursionError:
        data = None
    else:
        if not _deeper(data, limit):
            return data
    raise depth_error(text, limit) or TooDeep(text, 0, limit)


def read(path: Path, display: str, code: str, what: str) -> tuple[Any, list[Problem]]:
    """The parsed JSON and its text, or :data:`ABSENT` and a finding ``code`` about ``what``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ABSENT, []
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        return ABSENT, [Problem(display, 0, 0, code, f"cannot read {what}: {reason}")]
    try:
        return (loads(text), text), []
    except TooDeep as exc:
        return ABSENT, [Problem(display, exc.lineno, exc.colno, code, f"{what} is {exc}")]
    except json.JSONDecodeError as exc:
        return ABSENT, [Problem(display, exc.lineno, exc.colno, code, f"{what} is not JSON: {exc}")]


#: Encodes one string, number, boolean or null, in C (it has no indent to keep).
_SCALAR = json.JSONEncoder(ensure_ascii=False).encode


class _NotPlain(Exception):
    """A key that is not a string: :func:`indented` leaves such a value to ``json.dumps``."""


def _indented(value: Any, newline: str) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + "  "
        if not all(isinstance(key, str) for key in value):
            raise _NotPlain
        items = [f"{_SCALAR(key)}: {_indented(item, inner)}" for key, item in value.items()]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + inner + ("," + inner).join(_indented(item, inner) for item in value) + newline + "]"
    return _SCALAR(value)


def indented(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, the same text made a container at a
    time: with an indent the standard library encodes in Python a token at a time, which was
    most of making each cited work's CSL-JSON download."""
    try:
        return _indented(value, "\n")
    except _NotPlain:
        return json.dumps(value, indent=2, ensure_ascii=False)

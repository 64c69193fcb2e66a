"""Committed JSON files litreview writes and reads back (the lock file, the verdict cache):
read as untrusted input, so a missing file is nothing and a damaged one a finding, not a crash."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from .problems import Problem

SCHEMAS = Path(__file__).resolve().parent.parent.parent / "schemas"


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """One of the package's JSON schemas (``schemas/<name>``), read once per process."""
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return loaded


#: What :func:`read` gives for a file that is not there.
ABSENT = object()


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
        return (json.loads(text), text), []
    except (json.JSONDecodeError, RecursionError) as exc:
        where = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
        return ABSENT, [Problem(display, *where, code, f"{what} is not JSON: {exc}")]

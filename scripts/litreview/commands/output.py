"""What every command prints the same way: findings (text, JSON or GitHub annotations) and
the project a command was pointed at, or why it can't be used."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from ..core.findings.codes import CODES
from ..core.findings.problems import Problem, Severity
from ..core.project.config import ConfigError, Project, load_project
from ..core.text.escaping import visible


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub reads it (actions/toolkit's
    command.ts): a line break can't start a second command; control characters show."""
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value: as :func:`_data`, and no ``,``/``:`` to end it."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _github(p: Problem) -> str:
    kind = "error" if p.severity is Severity.ERROR else "warning"
    loc = f"file={_property(p.path)}" + (f",line={p.line},col={p.col}" if p.line else "")
    return f"::{kind} {loc},title={_property(p.code)}::{_data(p.message)}"


def print_problems(problems: list[Problem], fmt: str) -> None:
    """The findings as text (with a summary on stderr), JSON, or GitHub annotations."""
    if fmt == "json":
        print(
            json.dumps(
                [
                    {
                        "path": p.path,
                        "line": p.line,
                        "col": p.col,
                        "code": p.code,
                        "severity": p.severity.value,
                        "message": p.message,
                    }
                    for p in problems
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for p in problems:
        print(_github(p) if fmt == "github" else p.format())
    if fmt == "text":
        _summary(problems)


def _summary(problems: list[Problem]) -> None:
    """Counts per code (what to fix first), then the totals, on stderr."""
    by_code = Counter((p.code, p.severity) for p in problems)
    for (code, severity), count in sorted(by_code.items()):
        summary = CODES[code].summary if code in CODES else ""
        print(f"  {code:<7} {severity.value:<8}{count:>5}  {summary}", file=sys.stderr)
    counts = Counter(p.severity for p in problems)
    print(f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARN]} warning(s)", file=sys.stderr)


def load(args: argparse.Namespace) -> Project | None:
    """The project of ``-f``, or None after printing why it can't be used (exit status 2)."""
    try:
        return load_project(Path(args.config_file))
    except ConfigError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return None

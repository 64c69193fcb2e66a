"""The ``litreview`` command: checks for contributors and CI, on the same core as the build."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from . import slugs
from .core import checks
from .core.codes import CODES
from .core.problems import Problem, Severity
from .core.project import ConfigError, load_project


def _github(p: Problem) -> str:
    kind = "error" if p.severity is Severity.ERROR else "warning"
    loc = f"file={p.path}" + (f",line={p.line},col={p.col}" if p.line else "")
    return f"::{kind} {loc},title={p.code}::{p.message}"


def _print(problems: list[Problem], fmt: str) -> None:
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


def cmd_check(args: argparse.Namespace) -> int:
    try:
        project = load_project(Path(args.config_file))
    except ConfigError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return 2
    try:
        rules = slugs.rules(project.toc)
    except (ImportError, AttributeError) as exc:
        problem = Problem(args.config_file, project.line_of("slugify"), 1, "CFG005", f"toc slugify: {exc}")
        print(problem.format(), file=sys.stderr)
        return 2
    result = checks.run(project, rules)
    problems = [p for p in result.problems if p.severity is not Severity.IGNORE]
    _print(problems, args.format)
    failing = {Severity.ERROR, Severity.WARN} if args.strict else {Severity.ERROR}
    return 1 if any(p.severity in failing for p in problems) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="litreview", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check citations and the bibliography without building")
    check.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())

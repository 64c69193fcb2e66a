"""The commands that check: the sources (``check``), a built site's links (``linkcheck``), and
the works against their records (``fetch`` into the lock file, ``verify``)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from .. import slugs
from ..core.checks import project_check as checks
from ..core.findings.problems import Problem, Severity
from ..core.project.config import ConfigError, load_project
from .output import load, print_problems
from .progress import Progress

if TYPE_CHECKING:
    from ..core.fetch.missing_metadata import Fetched
    from ..core.site import linkcheck


def cmd_check(args: argparse.Namespace) -> int:
    """`litreview check`: every finding in the sources, exit 1 on errors (2 on bad config)."""
    project = load(args)
    if project is None:
        return 2
    try:
        rules = slugs.rules(project.toc)
    except (ImportError, AttributeError) as exc:
        problem = Problem(args.config_file, project.line_of("slugify"), 1, "CFG005", f"toc slugify: {exc}")
        print(problem.format(), file=sys.stderr)
        return 2
    try:  # the style loads, as the build will need it to
        from ..core.references.render_context import formatter_for

        formatter_for(project.options, project.root, False, (args.config_file, project.line_of("style")))
    except ConfigError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return 2
    from .conversion import renderer

    result = checks.check_project(project, rules, render=renderer(project))
    problems = [p for p in result.problems if p.severity is not Severity.IGNORE]
    print_problems(problems, args.format)
    if result.waived and args.format == "text":
        waived = Counter(p.code for p in result.waived if p.severity is not Severity.IGNORE)
        listed = ", ".join(f"{code} ×{n}" for code, n in sorted(waived.items()))
        print(f"{sum(waived.values())} waived by litreview: ignore ({listed})", file=sys.stderr)
    failing = {Severity.ERROR, Severity.WARN} if args.strict else {Severity.ERROR}
    return 1 if any(p.severity in failing for p in problems) else 0


def cmd_linkcheck(args: argparse.Namespace) -> int:
    """`litreview linkcheck`: links in a built site, internal always, external on request."""
    from ..core.site import linkcheck

    project = None
    config = Path(args.config_file)
    if config.is_file() or args.config_file != "mkdocs.yml":
        try:
            project = load_project(config)
        except ConfigError as exc:
            print(exc.problem.format(), file=sys.stderr)
            return 2
    site_dir = Path(args.site_dir) if args.site_dir else (project.site_dir if project else None)
    if site_dir is None or not site_dir.is_dir() or next(site_dir.rglob("*.html"), None) is None:
        where = site_dir or "SITE_DIR"
        print(
            f"{where}: error: no built site here (no .html file); run 'make site' or pass SITE_DIR",
            file=sys.stderr,
        )
        return 2
    try:
        exclude = [re.compile(p) for p in args.exclude]
    except re.error as exc:
        print(f"--exclude: error: {exc}", file=sys.stderr)
        return 2
    options = None
    if args.external:
        from ..core.site.external import ExternalCheckOptions

        options = ExternalCheckOptions(timeout=args.timeout, max_age=args.max_age * 86400)
    display_root = str(site_dir)
    if project is not None and not os.path.relpath(site_dir, project.root).startswith(".."):
        display_root = os.path.relpath(site_dir, project.root)
    result = linkcheck.check_site(
        site_dir,
        project,
        Path(display_root).as_posix(),
        external=args.external,
        offline=args.offline,
        options=options,
        cache_path=Path(args.cache) if args.cache else None,
        exclude=exclude,
    )
    problems = [p for p in result.problems if p.severity is not Severity.IGNORE]
    print_problems(problems, args.format)
    if args.format == "text":
        extra = f", {len(result.external)} external URL(s)" if args.external else ""
        print(f"checked {result.pages} page(s), {result.internal} internal link(s){extra}", file=sys.stderr)
    if args.summary:
        _write_summary(Path(args.summary), result, problems)
    return 1 if any(p.severity is Severity.ERROR for p in problems) else 0


def cmd_fetch(args: argparse.Namespace) -> int:
    """`litreview fetch`: metadata for every cited identifier that has none, into the lock file."""
    from ..core.fetch.missing_metadata import client_for, fetch
    from ..core.files import atomic

    project = load(args)
    if project is None:
        return 2
    client = client_for(project)
    progress = Progress("fetch", client)
    try:
        result = fetch(project, client, refresh=args.refresh, progress=progress)
    except atomic.WriteError as exc:
        print(Problem(project.display(project.root), 0, 0, "LOCK001", str(exc)).format(), file=sys.stderr)
        return 2
    finally:
        client.close()
        progress.end()
    print_problems(sorted(result.problems), "text")
    print(_fetch_summary(result, project.display(result.lock_path)))
    return 1 if any(p.severity is Severity.ERROR for p in result.problems) else 0


def _fetch_summary(result: Fetched, shown: str) -> str:
    """What fetch did, in one line that agrees with its findings."""
    failed = f"{len(result.failed)} identifier(s) could not be fetched"
    if result.added:
        recorded = f"recorded {len(result.added)} work(s) in {shown} ({result.requests} request(s)): "
        return recorded + ", ".join(result.added) + (f"; {failed}" if result.failed else "")
    if result.failed:
        return f"fetched nothing: {failed} ({shown} unchanged)"
    return f"nothing to fetch: every cited identifier has metadata ({shown} unchanged)"


def cmd_verify(args: argparse.Namespace) -> int:
    """`litreview verify [KEY…]`: does each entry say what the record of its work says?"""
    from ..core.fetch.missing_metadata import client_for
    from ..core.verify import decide
    from ..core.verify.verification import verify

    project = load(args)
    if project is None:
        return 2
    sources = [s.strip() for s in args.sources.split(",") if s.strip()]
    unknown = sorted(set(sources) - set(decide.SOURCES))
    if unknown or not sources:
        choices = ", ".join(decide.SOURCES)
        message = f"--sources: unknown {', '.join(unknown) or '(none given)'}; choose from {choices}"
        print(Problem(args.config_file, 0, 0, "VER008", message).format(), file=sys.stderr)
        return 2
    client = client_for(project)
    progress = Progress("verify", client)
    try:
        result = verify(
            project, client, args.keys, sources, offline=args.offline, refresh=args.refresh, progress=progress
        )
    finally:
        client.close()
        progress.end()
    if any(p.code == "VER008" for p in result.problems):  # a refusal: nothing asked, nothing written
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        return 2
    shown = [p for p in result.problems if p.severity is not Severity.IGNORE]
    if args.format == "json":
        rows = [v.as_json() for v in result.verdicts]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        for problem in shown:  # the verdicts are the JSON; a damaged cache is said beside it
            if problem.code == "VER007":
                print(problem.format(), file=sys.stderr)
    else:
        print_problems(shown, args.format)
    counts = Counter(v.status for v in result.verdicts)
    tally = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no entries"
    saved = f"; verdicts saved in {project.display(result.cache_path)}" if result.written else ""
    print(
        f"{tally} ({result.from_cache} from the cache, {result.requests} request(s)){saved}",
        file=sys.stderr,
    )
    return 1 if any(p.severity is Severity.ERROR for p in shown) else 0


def _write_summary(path: Path, result: linkcheck.LinkcheckResult, problems: list[Problem]) -> None:
    """Markdown for a CI job summary (GitHub's $GITHUB_STEP_SUMMARY is appended to)."""
    broken = [p for p in problems if p.severity is Severity.ERROR]
    lines = [
        "## Link check",
        "",
        f"{result.pages} pages, {result.internal} internal links, {len(result.external)} external URLs: "
        f"**{len(broken)} broken**.",
    ]
    if problems:
        lines += ["", "| where | code | finding |", "|---|---|---|"]
        lines += [f"| `{p.path}:{p.line}` | {p.code} | {_cell(p.message)} |" for p in problems]
    with path.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")

"""The ``litreview`` command: checks for contributors and CI, on the same core as the build."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import slugs
from .core.checks import run as checks
from .core.project.codes import CODES
from .core.project.config import ConfigError, Project, load_project
from .core.project.problems import Problem, Severity

if TYPE_CHECKING:
    from .core.project import atomic
    from .core.site import linkcheck


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


def _load(args: argparse.Namespace) -> Project | None:
    """The project of ``-f``, or None after printing why it can't be used (exit status 2)."""
    try:
        return load_project(Path(args.config_file))
    except ConfigError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    """`litreview check`: every finding in the sources, exit 1 on errors (2 on bad config)."""
    project = _load(args)
    if project is None:
        return 2
    try:
        rules = slugs.rules(project.toc)
    except (ImportError, AttributeError) as exc:
        problem = Problem(args.config_file, project.line_of("slugify"), 1, "CFG005", f"toc slugify: {exc}")
        print(problem.format(), file=sys.stderr)
        return 2
    try:  # the style loads, as the build will need it to
        from .core.references.assemble import formatter_for

        formatter_for(
            project.plugin_options, project.root, False, (args.config_file, project.line_of("style"))
        )
    except ConfigError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return 2
    result = checks.run(project, rules)
    problems = [p for p in result.problems if p.severity is not Severity.IGNORE]
    _print(problems, args.format)
    if result.waived and args.format == "text":
        waived = Counter(p.code for p in result.waived if p.severity is not Severity.IGNORE)
        listed = ", ".join(f"{code} ×{n}" for code, n in sorted(waived.items()))
        print(f"{sum(waived.values())} waived by litreview: ignore ({listed})", file=sys.stderr)
    failing = {Severity.ERROR, Severity.WARN} if args.strict else {Severity.ERROR}
    return 1 if any(p.severity in failing for p in problems) else 0


def cmd_linkcheck(args: argparse.Namespace) -> int:
    """`litreview linkcheck`: links in a built site, internal always, external on request."""
    from .core.site import linkcheck

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
        from .core.site.external import Options

        options = Options(timeout=args.timeout, max_age=args.max_age * 86400)
    display_root = str(site_dir)
    if project is not None and not os.path.relpath(site_dir, project.root).startswith(".."):
        display_root = os.path.relpath(site_dir, project.root)
    result = linkcheck.run(
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
    _print(problems, args.format)
    if args.format == "text":
        extra = f", {len(result.external)} external URL(s)" if args.external else ""
        print(f"checked {result.pages} page(s), {result.internal} internal link(s){extra}", file=sys.stderr)
    if args.summary:
        _write_summary(Path(args.summary), result, problems)
    return 1 if any(p.severity is Severity.ERROR for p in problems) else 0


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


def cmd_new(args: argparse.Namespace) -> int:
    """`litreview new`: a section page from the template, added to nav and the review."""
    from .core.project import atomic
    from .core.tools.scaffold import ScaffoldError, scaffold

    if not Path(args.config_file).exists():
        message = (
            "no mkdocs.yml here: start a review with 'litreview init', or name the configuration with -f"
        )
        print(Problem(args.config_file, 0, 0, "NEW001", message).format(), file=sys.stderr)
        return 2
    config_before = atomic.snapshot(Path(args.config_file))
    project = _load(args)
    if project is None:
        return 2
    try:
        made = scaffold(project, args.title, args.slug)
    except ScaffoldError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return 2
    page = project.docs_dir / made.src
    try:
        page.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(page, made.page, expect=atomic.Snapshot("", exists=False))
    except (OSError, atomic.WriteError) as exc:
        print(f"litreview new: error: {exc}", file=sys.stderr)
        return 2
    try:
        atomic.write_text(project.config_path, made.config, expect=config_before)
    except atomic.WriteError as exc:
        page.unlink()  # not registered, so not created either
        print(f"litreview new: error: {exc}", file=sys.stderr)
        return 2
    print(f"created {project.display(page)}")
    config = project.display(project.config_path)
    if made.registered:
        print(f"added {made.src} to {' and '.join(made.registered)} in {config}")
    else:
        print(f"no nav in {config}: MkDocs lists the page by itself")
    what = "section" if "review.sections" in made.registered else "page"
    print(f"next: write the {what}, then run 'litreview check' to see what it still needs")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    """`litreview fetch`: metadata for every cited identifier that has none, into the lock file."""
    from .core.fetch.run import client_for, fetch
    from .core.project import atomic

    project = _load(args)
    if project is None:
        return 2
    client = client_for(project)
    try:
        result = fetch(project, client, refresh=args.refresh)
    except atomic.WriteError as exc:
        print(Problem(project.display(project.root), 0, 0, "LOCK001", str(exc)).format(), file=sys.stderr)
        return 2
    finally:
        client.close()
    _print(sorted(result.problems), "text")
    shown = project.display(result.lock_path)
    if result.added:
        print(
            f"recorded {len(result.added)} work(s) in {shown} ({result.requests} request(s)): "
            + ", ".join(result.added)
        )
    else:
        print(f"nothing to fetch: every cited identifier has metadata ({shown} unchanged)")
    return 1 if any(p.severity is Severity.ERROR for p in result.problems) else 0


def cmd_verify(args: argparse.Namespace) -> int:
    """`litreview verify [KEY…]`: does each entry say what the record of its work says?"""
    from .core.fetch.run import client_for
    from .core.verify import decide
    from .core.verify.run import verify

    project = _load(args)
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
    try:
        result = verify(project, client, args.keys, sources, offline=args.offline, refresh=args.refresh)
    finally:
        client.close()
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
        _print(shown, args.format)
    counts = Counter(v.status for v in result.verdicts)
    tally = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no entries"
    saved = f"; verdicts saved in {project.display(result.cache_path)}" if result.written else ""
    print(
        f"{tally} ({result.from_cache} from the cache, {result.requests} request(s)){saved}",
        file=sys.stderr,
    )
    return 1 if any(p.severity is Severity.ERROR for p in shown) else 0


def cmd_add(args: argparse.Namespace) -> int:
    """`litreview add ID…`: each work's BibTeX entry, fetched and appended to the bibliography."""
    from .core.bibliography import loader as bib
    from .core.fetch.add import add
    from .core.fetch.run import client_for
    from .core.project import atomic

    project = _load(args)
    if project is None:
        return 2
    target = project.bibliography[0]
    shown = project.display(target)
    if target.suffix.lower() != ".bib":
        message = "litreview add writes BibTeX; the first bibliography is not a .bib file"
        print(Problem(shown, 0, 0, "FET001", message).format(), file=sys.stderr)
        return 2
    read = _read_bib(target, shown)
    if read is None:
        return 2
    text, snapshot = read
    client = client_for(project)
    try:
        pattern = str(project.plugin_options["key_pattern"])
        result = add(args.ids, bib.load(project.bibliography, display_root=project.root), client, pattern)
    finally:
        client.close()
    for problem in result.problems:
        print(problem.format(), file=sys.stderr)
    if result.text:
        try:
            atomic.write_text(target, text.rstrip("\n") + "\n" + result.text, expect=snapshot)
        except atomic.WriteError as exc:
            print(Problem(shown, 0, 0, "FET001", str(exc)).format(), file=sys.stderr)
            return 2
    for key, identifier in result.keys:
        print(f"added {key} ({identifier}) to {shown}")
    for key, identifier in result.known:
        print(f"{identifier} is already in {shown} as {key}")
    cited = [key for key, _ in result.keys + result.known]
    if cited:
        print("cite: [" + "; ".join(f"@{k}" for k in cited) + "]")
    return 1 if result.problems else 0


def _refused_clashes(folder: Path, taken: list[str], code: str, command: str) -> bool:
    """Say which files are already there (init and import never overwrite); True if any."""
    for rel in taken:
        where = Problem((folder / rel).as_posix(), 0, 0, code, f"already exists; {command} never overwrites")
        print(where.format(), file=sys.stderr)
    if taken:
        print(f"nothing written: choose an empty folder, or move these {len(taken)} file(s)", file=sys.stderr)
    return bool(taken)


def cmd_init(args: argparse.Namespace) -> int:
    """`litreview init [DIR]`: a new review that builds and checks cleanly, or nothing at all."""
    from .core.tools import starter

    folder = Path(args.dir)
    try:
        options = starter.Options(
            title=args.title or starter.Options.title,
            author=args.author or "",
            structure=args.structure,
            **_init_bibliography(folder, args.bibliography),
        )
        files = starter.starter(options)
        if _refused_clashes(folder, starter.clashes(folder, files), "INIT001", "init"):
            return 2
        starter.create(folder, files)
    except starter.InitError as exc:
        print(exc.problem.format(), file=sys.stderr)
        return 2
    shown = folder.as_posix()
    print(f"created a review in {shown}/: " + ", ".join(sorted(files)))
    print(f"next: cd {shown} && mkdocs serve   (litreview check says what a page still needs)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """`litreview import SOURCE... -o DIR`: an existing review as a project; the source untouched."""
    from .core.importers import model, project
    from .core.tools import starter

    folder = Path(args.output)
    try:
        imported = project.read([Path(s) for s in args.sources], Path.cwd())
        files = project.files(imported)
        if _refused_clashes(folder, starter.clashes(folder, files), "IMP001", "import"):
            return 2
        starter.create(folder, files, "IMP001")
    except (model.ImportRefused, starter.InitError) as exc:
        print(exc.problem.format(), file=sys.stderr)
        return 2
    for problem in sorted(imported.findings):
        print(problem.format(), file=sys.stderr)
    print(f"imported a {imported.kind} review into {folder.as_posix()}/ ({len(files)} files):")
    for line in imported.converted:
        print(f"  {line}")
    if imported.findings:
        print(
            f"  {len(imported.findings)} thing(s) kept as written or left out: listed above, at their places"
        )
    print(f"next: cd {folder.as_posix()} && litreview check && mkdocs serve")
    return 0


def _init_bibliography(folder: Path, given: str | None) -> dict[str, str]:
    """An existing .bib for the new review: its path as mkdocs.yml will name it, and a key to cite."""
    if not given:
        return {}
    from .core.bibliography import loader as bib
    from .core.tools.starter import ARGUMENTS, InitError

    path = Path(given)
    if not path.is_file():
        raise InitError(Problem(ARGUMENTS, 0, 0, "INIT001", f"--bibliography {given}: no such file"))
    loaded = bib.load([path], display_root=Path.cwd())
    unreadable = [p for p in loaded.problems if p.code in ("BIB001", "BIB002")]
    if unreadable:
        raise InitError(unreadable[0])
    named = Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    return {"bibliography": named, "first_key": next(iter(loaded.references), "")}


def _read_bib(path: Path, display: str) -> tuple[str, atomic.Snapshot] | None:
    """A .bib file's text and what it held (for the atomic rewrite), or None after saying why not."""
    from .core.project import atomic

    try:
        return atomic.read_text(path)
    except OSError as exc:
        problem = Problem(display, 0, 0, "BIB001", f"cannot read bibliography: {exc.strerror}")
    except UnicodeDecodeError as exc:
        problem = Problem(display, 0, 0, "BIB002", f"cannot read as UTF-8: {exc}")
    print(problem.format(), file=sys.stderr)
    return None


def cmd_fmt(args: argparse.Namespace) -> int:
    """`litreview fmt`: one layout for .bib files, written atomically or checked."""
    from .core.project import atomic
    from .core.tools.fmt import format_bib

    project = _load(args)
    if project is None:
        return 2
    status = 0
    from .core.bibliography.loader import CSL_SUFFIXES

    for path in project.bibliography:
        display = project.display(path)
        if path.suffix.lower() in CSL_SUFFIXES:
            print(f"{display}: CSL, not BibTeX: left as it is", file=sys.stderr)
            continue
        got = _read_bib(path, display)
        if got is None:
            status = 1
            continue
        text, read = got
        result = format_bib(text, display, args.order)
        if result.problems:
            for problem in result.problems:
                print(problem.format(), file=sys.stderr)
            status = 1
            continue
        if result.text == text:
            continue
        if args.check:
            status = 1
            for line, what in result.changed:
                print(f"{display}:{line}:1: {what} would be reformatted")
            if result.reordered:
                first = result.reordered
                print(f"{display}: entries would be sorted by {args.order} (first out of order: '{first}')")
        else:
            try:
                atomic.write_text(path, result.text, expect=read)
            except atomic.WriteError as exc:
                print(f"{display}: error: {exc}", file=sys.stderr)
                status = 2
                continue
            n = len([c for c in result.changed if c[1].startswith("'")])
            done = [f"{n} entr{'y' if n == 1 else 'ies'} changed"] if n else []
            done += [f"entries sorted by {args.order}"] if result.reordered else []
            print(f"formatted {display}: {', '.join(done) or 'spacing'}")
    return status


def cmd_build(args: argparse.Namespace) -> int:
    """Strict build and link check into a new folder; only then swap it in (see core.sitedir)."""
    import subprocess

    from .core.site import swap as sitedir

    project = _load(args)
    if project is None:
        return 2
    site = Path(args.site_dir) if args.site_dir else (project.site_dir or project.root / "site")
    # --online: what the lock file lacks is fetched first; the build itself still reads only it
    if args.online and cmd_fetch(argparse.Namespace(config_file=args.config_file, refresh=False)) == 2:
        return 2

    def waiting() -> None:
        print(
            f"waiting for another build of {os.path.relpath(site, project.root)} to finish", file=sys.stderr
        )

    try:
        with sitedir.locked(site, waiting):
            version = sitedir.new_version(site)
            try:
                command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", args.config_file]
                # never -q: quiet drops warnings before --strict counts them
                if subprocess.run([*command, "--site-dir", str(version)], check=False).returncode != 0:
                    sitedir.discard(version)
                    return 1
                links = build_parser().parse_args(["linkcheck", str(version), "-f", args.config_file])
                if cmd_linkcheck(links) != 0:
                    sitedir.discard(version)
                    return 1
            except BaseException:
                sitedir.discard(version)
                raise
            previous = sitedir.current(site)
            sitedir.swap_in(site, version)
            sitedir.prune(site, keep=previous)  # the one before stays for readers still in it
    except (sitedir.SiteError, OSError) as exc:
        print(f"litreview build: error: {exc}", file=sys.stderr)
        return 2
    shown = Path(os.path.relpath(site, project.root)).as_posix()
    print(f"Site built in {shown}/ (open {shown}/index.html, or run 'make serve').")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """`litreview diff`: what changed in the evidence between two revisions."""
    from .core.tools.diff import GitError, report, snapshot

    repo = Path(args.config_file).resolve().parent
    config = Path(args.config_file).name
    try:
        base = snapshot(repo, config, args.base)
        head = snapshot(repo, config, args.head)
    except (GitError, ConfigError) as exc:
        print(exc.problem.format(), file=sys.stderr)
        return 2
    print(report(base, head, f"{args.base}..{args.head or 'working tree'}"), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line, one subcommand per tool; README documents each."""
    parser = argparse.ArgumentParser(prog="litreview", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check citations and the bibliography without building")
    check.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(func=cmd_check)

    links = sub.add_parser("linkcheck", help="check the links of the built site")
    links.add_argument("site_dir", nargs="?", help="the built site (default: site_dir of mkdocs.yml)")
    links.add_argument("-f", "--config-file", default="mkdocs.yml", help="map findings to Markdown sources")
    links.add_argument(
        "--external", action="store_true", help="also check http(s) links (slow; weekly in CI)"
    )
    links.add_argument("--offline", action="store_true", help="never use the network; report unchecked URLs")
    links.add_argument(
        "--cache", metavar="FILE", help="JSON file of recent successes (failures are never kept)"
    )
    links.add_argument(
        "--max-age", type=float, default=7.0, metavar="DAYS", help="trust a cached success this long"
    )
    links.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per request")
    links.add_argument("--exclude", action="append", default=[], metavar="REGEX", help="skip matching URLs")
    links.add_argument(
        "--summary", metavar="FILE", help="append a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)"
    )
    links.add_argument("--format", choices=("text", "json", "github"), default="text")
    links.set_defaults(func=cmd_linkcheck)

    init = sub.add_parser("init", help="start a review: mkdocs.yml, a page, a bibliography, CI")
    init.add_argument("dir", nargs="?", default=".", help="the folder (made if missing; default: here)")
    init.add_argument("--title", help="the review's title (the site name)")
    init.add_argument("--author", help="its author(s), as the site shows them")
    init.add_argument("--bibliography", metavar="PATH", help="use this existing .bib instead of a new one")
    init.add_argument(
        "--structure",
        choices=("plain", "article"),
        default="plain",
        help="article: Introduction, sections and Conclusion, checked as a review (default: plain)",
    )
    init.set_defaults(func=cmd_init)

    fetch = sub.add_parser(
        "fetch", help="look up cited identifiers (doi:, pmid:, arxiv:…) into the lock file"
    )
    fetch.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    fetch.add_argument("--refresh", action="store_true", help="fetch every cited identifier again")
    fetch.set_defaults(func=cmd_fetch)

    ver = sub.add_parser(
        "verify", help="check each entry against Crossref, DataCite, OpenAlex, PubMed, arXiv"
    )
    ver.add_argument("keys", nargs="*", metavar="KEY", help="entries to verify (default: all)")
    ver.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    ver.add_argument(
        "--sources",
        default="crossref,datacite,openalex,pubmed,arxiv",
        help="which sources to ask, comma-separated (default: all)",
    )
    ver.add_argument("--offline", action="store_true", help="ask no source: cached verdicts only")
    ver.add_argument("--refresh", action="store_true", help="ask the sources again, cache or not")
    ver.add_argument("--format", choices=("text", "json", "github"), default="text")
    ver.set_defaults(func=cmd_verify)

    adder = sub.add_parser("add", help="add works to the bibliography by DOI, PMID, PMCID, arXiv id or ISBN")
    adder.add_argument(
        "ids", nargs="+", metavar="ID", help="identifiers, as pasted (10.1038/…, PMID: 123, arXiv:…)"
    )
    adder.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    adder.set_defaults(func=cmd_add)

    imp = sub.add_parser("import", help="convert a Manubot, LaTeX or Quarto review into a litreview project")
    imp.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="a Manubot or Quarto folder, .tex, .qmd or .md files"
    )
    imp.add_argument(
        "-o", "--output", required=True, metavar="DIR", help="the new project's folder (made if missing)"
    )
    imp.set_defaults(func=cmd_import)

    new = sub.add_parser("new", help="scaffold a section page and register it in mkdocs.yml")
    new.add_argument("title", help='the section title, e.g. "Chemotherapy-induced neuropathy"')
    new.add_argument("--slug", help="file name without .md (default: from the title)")
    new.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    new.set_defaults(func=cmd_new)

    fmt = sub.add_parser(
        "fmt", help="normalise the bibliography files (one layout, UTF-8; --order key|year sorts)"
    )
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 and list what would change")
    fmt.add_argument(
        "--order",
        choices=("keep", "key", "year"),
        default="keep",
        help="entry order: the file's own (default), by key, or by year (oldest first)",
    )
    fmt.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    fmt.set_defaults(func=cmd_fmt)

    build = sub.add_parser(
        "build", help="strict build and link check into a new folder, then swap it in as site/ atomically"
    )
    build.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    build.add_argument("--site-dir", help="where the site goes (default: site_dir of mkdocs.yml)")
    build.add_argument(
        "--online", action="store_true", help="first fetch cited identifiers missing from the lock file"
    )
    build.set_defaults(func=cmd_build)

    diff = sub.add_parser("diff", help="references and citations changed between two git revisions")
    diff.add_argument("base", help="a git revision, e.g. origin/main")
    diff.add_argument("head", nargs="?", help="a git revision (default: the working tree)")
    diff.add_argument("-f", "--config-file", default="mkdocs.yml", help="path to mkdocs.yml")
    diff.set_defaults(func=cmd_diff)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; its exit status is the process's."""
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())

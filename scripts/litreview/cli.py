"""The ``litreview`` command: checks for contributors and CI, on the same core as the build."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from .commands import authoring, checking
from .commands.output import load
from .core.project.config import ConfigError


def cmd_build(args: argparse.Namespace) -> int:
    """Strict build and link check into a new folder; only then swap it in (see core.sitedir)."""
    import subprocess

    from .core.site import swap as sitedir

    project = load(args)
    if project is None:
        return 2
    site = Path(args.site_dir) if args.site_dir else (project.site_dir or project.root / "site")
    # --online: what the lock file lacks is fetched first; the build itself still reads only it
    fetching = argparse.Namespace(config_file=args.config_file, refresh=False)
    if args.online and checking.cmd_fetch(fetching) == 2:
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
                # Material's end-of-life notice is a banner, not a finding: its own switch turns it
                # off, and every warning of the build still reaches the user and --strict
                quiet = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
                built = subprocess.run([*command, "--site-dir", str(version)], check=False, env=quiet)
                if built.returncode != 0:
                    sitedir.discard(version)
                    return 1
                links = build_parser().parse_args(["linkcheck", str(version), "-f", args.config_file])
                if checking.cmd_linkcheck(links) != 0:
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
    print(f"Site built in {shown}/ (open {shown}/index.html, or run '{_serve_command(project.root)}').")
    return 0


def _serve_command(root: Path) -> str:
    """How this project is served: its Makefile's ``serve`` target if it has one, else MkDocs'."""
    try:
        makefile = (root / "Makefile").read_text(encoding="utf-8", errors="replace")
    except OSError:
        makefile = ""
    return "make serve" if re.search(r"(?m)^serve\s*:", makefile) else "mkdocs serve"


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


_NO_PROJECT = ("init", "import")
"""The commands that make a project rather than read one: no ``-f``."""


def build_parser() -> argparse.ArgumentParser:
    """The command line, one subcommand per tool; README documents each."""
    parser = argparse.ArgumentParser(prog="litreview", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check citations and the bibliography without building")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(func=checking.cmd_check)

    links = sub.add_parser("linkcheck", help="check the links of the built site")
    links.add_argument("site_dir", nargs="?", help="the built site (default: site_dir of mkdocs.yml)")
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
    links.set_defaults(func=checking.cmd_linkcheck)

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
    init.set_defaults(func=authoring.cmd_init)

    fetch = sub.add_parser(
        "fetch", help="look up cited identifiers (doi:, pmid:, arxiv:…) into the lock file"
    )
    fetch.add_argument("--refresh", action="store_true", help="fetch every cited identifier again")
    fetch.set_defaults(func=checking.cmd_fetch)

    ver = sub.add_parser(
        "verify", help="check each entry against Crossref, DataCite, OpenAlex, PubMed, arXiv"
    )
    ver.add_argument("keys", nargs="*", metavar="KEY", help="entries to verify (default: all)")
    ver.add_argument(
        "--sources",
        default="crossref,datacite,openalex,pubmed,arxiv",
        help="which sources to ask, comma-separated (default: all)",
    )
    ver.add_argument("--offline", action="store_true", help="ask no source: cached verdicts only")
    ver.add_argument("--refresh", action="store_true", help="ask the sources again, cache or not")
    ver.add_argument("--format", choices=("text", "json", "github"), default="text")
    ver.set_defaults(func=checking.cmd_verify)

    adder = sub.add_parser("add", help="add works to the bibliography by DOI, PMID, PMCID, arXiv id or ISBN")
    adder.add_argument(
        "ids", nargs="+", metavar="ID", help="identifiers, as pasted (10.1038/…, PMID: 123, arXiv:…)"
    )
    adder.set_defaults(func=authoring.cmd_add)

    imp = sub.add_parser(
        "import", help="convert a Manubot, LaTeX, Quarto or mkdocs-bibtex review into a litreview project"
    )
    imp.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a Manubot, Quarto or mkdocs-bibtex folder, .tex, .qmd or .md files",
    )
    imp.add_argument(
        "-o", "--output", required=True, metavar="DIR", help="the new project's folder (made if missing)"
    )
    imp.set_defaults(func=authoring.cmd_import)

    new = sub.add_parser("new", help="scaffold a section page and register it in mkdocs.yml")
    new.add_argument("title", help='the section title, e.g. "Chemotherapy-induced neuropathy"')
    new.add_argument("--slug", help="file name without .md (default: from the title)")
    new.set_defaults(func=authoring.cmd_new)

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
    fmt.set_defaults(func=authoring.cmd_fmt)

    build = sub.add_parser(
        "build", help="strict build and link check into a new folder, then swap it in as site/ atomically"
    )
    build.add_argument("--site-dir", help="where the site goes (default: site_dir of mkdocs.yml)")
    build.add_argument(
        "--online", action="store_true", help="first fetch cited identifiers missing from the lock file"
    )
    build.set_defaults(func=cmd_build)

    diff = sub.add_parser("diff", help="references and citations changed between two git revisions")
    diff.add_argument("base", help="a git revision, e.g. origin/main")
    diff.add_argument("head", nargs="?", help="a git revision (default: the working tree)")
    diff.set_defaults(func=cmd_diff)
    for name, command in sub.choices.items():  # the options every project command shares
        if name not in _NO_PROJECT:
            helps = "map findings to Markdown sources" if name == "linkcheck" else "path to mkdocs.yml"
            command.add_argument("-f", "--config-file", default="mkdocs.yml", help=helps)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; its exit status is the process's."""
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())

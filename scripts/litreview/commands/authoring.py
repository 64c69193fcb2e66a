"""The commands that write a review's files: ``new`` (a section), ``add`` (works by
identifier), ``init`` and ``import`` (a whole project), ``fmt`` (the .bib layout). Each writes
atomically; ``init`` and ``import`` never overwrite a file."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.findings.problems import Problem, tally
from ..core.text.escaping import terminal
from .output import load

if TYPE_CHECKING:
    from ..core.files import atomic


def cmd_new(args: argparse.Namespace) -> int:
    """`litreview new`: a section page from the template, added to nav and the review."""
    from ..core.files import atomic
    from ..core.tools.scaffold import ScaffoldError, scaffold

    if not Path(args.config_file).exists():
        message = (
            "no mkdocs.yml here: start a review with 'litreview init', or name the configuration with -f"
        )
        print(Problem(args.config_file, 0, 0, "NEW001", message).format(), file=sys.stderr)
        return 2
    config_before = atomic.snapshot(Path(args.config_file))
    project = load(args)
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
        atomic.write_text(page, made.page, expect=atomic.FileSnapshot("", exists=False))
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


def cmd_add(args: argparse.Namespace) -> int:
    """`litreview add ID…`: each work's BibTeX entry, fetched and appended to the bibliography."""
    from ..core.bibliography import loader as bib
    from ..core.fetch.add import add
    from ..core.fetch.missing_metadata import client_for
    from ..core.files import atomic
    from .progress import Progress

    project = load(args)
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
        pattern = project.options.key_pattern
        result = add(args.ids, bib.load(project.bibliography, display_root=project.root), client, pattern)
    finally:
        client.close()
        Progress("add", client).end()  # the hosts it stopped asking
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
        print(_shown(where), file=sys.stderr)
    if taken:
        print(f"nothing written: choose an empty folder, or move these {len(taken)} file(s)", file=sys.stderr)
    return bool(taken)


def cmd_init(args: argparse.Namespace) -> int:
    """`litreview init [DIR]`: a new review that builds and checks cleanly, or nothing at all."""
    from ..core.tools import starter

    folder = Path(args.dir)
    try:
        options = starter.InitOptions(
            title=args.title or starter.InitOptions.title,
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
    from ..core.importers import project
    from ..core.importers.imported import ImportRefused, refuse
    from ..core.tools import starter

    folder = Path(args.output)
    sources = [Path(s) for s in args.sources]
    try:
        project.check_output(sources, folder)
        imported = project.read(sources, Path.cwd())
        files = project.files(imported)
        if _refused_clashes(folder, starter.clashes(folder, files), "IMP001", "import"):
            return 2
        starter.create(folder, files, "IMP001")
    except (ImportRefused, starter.InitError) as exc:
        print(_shown(exc.problem), file=sys.stderr)
        return 2
    except MemoryError:  # a last resort: the import's bounds keep what it reads small
        print(_shown(refuse(args.sources[0], "too large to import in memory").problem), file=sys.stderr)
        return 2
    for problem in sorted(imported.findings):
        print(_shown(problem), file=sys.stderr)
    sys.stderr.flush()  # the findings first, then the summary that counts them
    shown = terminal(folder.as_posix()).replace("\n", "\\n")
    print(f"imported a {imported.kind} review into {shown}/ ({len(files)} files):")
    for line in imported.converted:
        print(terminal(f"  {line}"))
    print(f"  {tally(imported.findings)}" + (" (above, each at its line:col)" if imported.findings else ""))
    print(f"next: cd {shown} && litreview check && mkdocs serve")
    return 0


def _shown(problem: Problem) -> str:
    """A finding for the terminal: what the source named (file names, macros) can't act on it."""
    return terminal(replace(problem, path=problem.path.replace("\n", "\\n")).format())


def _init_bibliography(folder: Path, given: str | None) -> dict[str, str]:
    """An existing .bib for the new review: its path as mkdocs.yml will name it, and a key to cite."""
    if not given:
        return {}
    from ..core.bibliography import loader as bib
    from ..core.tools.starter import ARGUMENTS, InitError

    path = Path(given)
    if not path.is_file():
        raise InitError(Problem(ARGUMENTS, 0, 0, "INIT001", f"--bibliography {given}: no such file"))
    loaded = bib.load([path], display_root=Path.cwd())
    unreadable = [p for p in loaded.problems if p.code in ("BIB001", "BIB002")]
    if unreadable:
        raise InitError(unreadable[0])
    named = Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    return {"bibliography": named, "first_key": next(iter(loaded.references), "")}


def _read_bib(path: Path, display: str) -> tuple[str, atomic.FileSnapshot] | None:
    """A .bib file's text and what it held (for the atomic rewrite), or None after saying why not."""
    from ..core.files import atomic

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
    from ..core.files import atomic
    from ..core.tools.fmt import format_bib

    project = load(args)
    if project is None:
        return 2
    status = 0
    from ..core.bibliography.loader import CSL_SUFFIXES

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

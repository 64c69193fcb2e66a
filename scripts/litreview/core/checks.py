"""Project checks that need no build: bibliography, citations, keys.

The same loader and the same citation finder as the build, so a contributor sees the
same finding, at the same line and column, from ``litreview check`` and ``mkdocs build``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import bibliography as bib
from .problems import Problem
from .project import Project
from .registry import PageCitations
from .resolve import unknown_key_problems
from .scanner import scan


@dataclass
class CheckResult:
    problems: list[Problem]
    pages: list[PageCitations]
    bibliography: bib.Bibliography


def scan_pages(project: Project) -> tuple[list[PageCitations], list[Problem]]:
    """Every page's citations, in navigation order, with their positions."""
    pages: list[PageCitations] = []
    problems: list[Problem] = []
    for path in project.markdown_files():
        display = project.display(path)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            problems.append(Problem(display, line, 1, "MD001", "file is not valid UTF-8"))
            continue
        result = scan(text, display)
        page = PageCitations(
            path.relative_to(project.docs_dir).as_posix(),
            display,
            problems=result.problems,
        )
        for found in result.found:
            record = page.add(found.citation)
            record.line, record.col = found.line, found.col
        pages.append(page)
        problems.extend(result.problems)
    return pages, problems


def run(project: Project) -> CheckResult:
    """All checks, problems sorted by file and position."""
    bibliography = bib.load(project.bibliography, display_root=project.root)
    pages, problems = scan_pages(project)
    problems = bibliography.problems + problems + unknown_key_problems(pages, bibliography)
    return CheckResult(sorted(problems), pages, bibliography)

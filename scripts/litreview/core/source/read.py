"""Pages read once, the same way for the check, the build and the standalone extension: a
page's bytes as text, every page of a project, and each page's citations with positions."""

from __future__ import annotations

from ..citations.cite_records import PageCitations
from ..findings.problems import Problem
from ..project.config import Project
from .scanner import scan


def decode_page(path_display: str, raw: bytes) -> tuple[str | None, Problem | None]:
    """A page's text, or MD001 at the first byte that is not UTF-8 (check and build alike).
    Every line end is one ``\\n``, as MkDocs reads a page (a CRLF page's front matter, fences
    and lines were read wrong)."""
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        return None, Problem(path_display, line, 1, "MD001", "file is not valid UTF-8; save it as UTF-8")


def read_pages(project: Project) -> tuple[dict[str, str], dict[str, str], list[Problem]]:
    """Source text of every page (docs-relative path → text), display paths, and read failures."""
    texts: dict[str, str] = {}
    displays: dict[str, str] = {}
    problems: list[Problem] = []
    for path in project.markdown_files():
        src = path.relative_to(project.docs_dir).as_posix()
        displays[src] = project.display(path)
        text, problem = decode_page(displays[src], path.read_bytes())
        if problem is not None:
            problems.append(problem)
        else:
            texts[src] = text or ""
    return texts, displays, problems


def scan_pages(texts: dict[str, str], displays: dict[str, str]) -> tuple[list[PageCitations], list[Problem]]:
    """Every page's citations, in navigation order, with their positions."""
    pages: list[PageCitations] = []
    problems: list[Problem] = []
    for src, text in texts.items():
        page, found = scan_page(src, text, displays[src])
        pages.append(page)
        problems.extend(found)
    return pages, problems


def scan_page(src: str, text: str, display: str) -> tuple[PageCitations, list[Problem]]:
    """One page's citations with their source positions, and its malformed ones."""
    result = scan(text, display)
    page = PageCitations(src, display)
    for found in result.found:
        record = page.add(found.citation)
        record.line, record.col = found.line, found.col
    return page, result.problems

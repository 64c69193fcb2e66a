"""Checks of the site's shape: navigation, page titles and headings, the review's parts.

The review's parts (which pages are sections, which page is the Introduction and which
the Conclusion) come from the plugin's ``review:`` option, never from code.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Collection, Iterator, Mapping

from ..citations.cite_records import PageCitations
from ..findings.problems import Problem
from ..project.config import Project, is_folder
from ..source import frontmatter, terms
from ..source.outlines import Outline


def _excluded(src: str, patterns: list[str]) -> bool:
    """MkDocs' ``not_in_nav`` (gitignore-style): pages meant to be reachable only by link."""
    for pat in patterns:
        anchored = pat.startswith("/")
        pat = pat.lstrip("/")
        if fnmatch.fnmatch(src, pat) or (not anchored and fnmatch.fnmatch(posixpath.basename(src), pat)):
            return True
    return False


def nav_problems(project: Project, sources: Mapping[str, str]) -> Iterator[Problem]:
    """Pages missing from the nav (NAV001) and nav entries with no file (NAV002)."""
    if project.nav is None:
        return
    config = project.display(project.config_path)
    listed = {e.file for e in project.nav}
    for entry in project.nav:
        if entry.file not in sources and entry.file not in project.generated_pages():
            yield Problem(
                config, entry.line, 1, "NAV002", f"nav entry '{entry.file}' has no file in docs_dir"
            )
    for src, display in sources.items():
        if src not in listed and not _excluded(src, project.not_in_nav):
            yield Problem(display, 1, 1, "NAV001", f"page '{src}' is not in the nav; add it to mkdocs.yml")


def citations_off_nav(project: Project, pages: list[PageCitations]) -> Iterator[Problem]:
    """CIT004: a page that cites but is not in nav, so readers never reach it."""
    if project.nav is None:
        return
    listed = {e.file for e in project.nav}
    for page in pages:
        if page.src_uri not in listed and page.records:
            first = page.in_order()[0]
            yield Problem(
                page.path,
                first.line,
                first.col,
                "CIT004",
                f"page '{page.src_uri}' cites works but is not in the nav, so its citations "
                "are numbered after every other page",
            )


def page_problems(page: Outline, nav_title: str | None) -> Iterator[Problem]:
    """A title (MD002), no empty sections (MD003), no skipped heading levels (MD004)."""
    if not (nav_title or page.title):
        yield Problem(
            page.path, 1, 1, "MD002", "page has no title: add 'title:' to the front matter or a '# ' heading"
        )
    lines = page.prose.split("\n")
    previous = 0
    for i, h in enumerate(page.headings):
        if previous and h.level > previous + 1:
            yield Problem(
                page.path,
                h.line,
                h.col,
                "MD004",
                f"heading level {h.level} follows level {previous}; use {'#' * (previous + 1)}",
            )
        previous = h.level
        following = page.headings[i + 1] if i + 1 < len(page.headings) else None
        if following is not None and following.level > h.level:
            continue
        end = following.line - 1 if following else len(lines)
        if not any(line.strip() for line in lines[h.line : end]):
            yield Problem(page.path, h.line, h.col, "MD003", f"section '{h.text}' is empty")


def _names(page: Outline) -> list[str]:
    names = [page.title]
    for key in ("short_title",):
        value = page.front.data.get(key)
        if isinstance(value, str):
            names.append(value)
    aliases = page.front.data.get("aliases")
    if isinstance(aliases, list):
        names += [a for a in aliases if isinstance(a, str)]
    return list(dict.fromkeys(n for n in names if n))


def _links_to(page: Outline, page_src: str, target: str) -> bool:
    base = posixpath.dirname(page_src)
    for link in page.links:
        path = link.target.split("#", 1)[0]
        if path and "://" not in path and posixpath.normpath(posixpath.join(base, path)) == target:
            return True
    return False


def review_problems(
    project: Project, outlines: Mapping[str, Outline], existing: Collection[str]
) -> Iterator[Problem]:
    """Every section has its page, is linked from the Introduction and named in the Conclusion.

    ``existing`` holds every page found, readable or not, so an unreadable page is not
    also reported as missing.
    """
    review = project.review
    if review is None:
        return
    config = project.display(project.config_path)
    intro, conclusion = outlines.get(review.introduction), outlines.get(review.conclusion)
    for part, src in (("introduction", review.introduction), ("conclusion", review.conclusion)):
        if src and src not in existing:
            yield Problem(
                config, project.line_of(src), 1, "STR001", f"the {part} page '{src}' does not exist"
            )
    yield from _named_parts(project, existing)
    for src in review.sections:
        page = outlines.get(src)
        if page is None and src in existing:
            continue
        if page is None:
            yield Problem(
                config,
                project.line_of(src),
                1,
                "STR001",
                f"section page '{src}' listed in review.sections does not exist",
            )
            continue
        name = page.title or src
        if intro is not None and not _links_to(intro, review.introduction, src):
            yield Problem(
                page.path,
                1,
                1,
                "STR002",
                f"section '{name}' is not linked from the Introduction ({intro.path}); "
                "add a paragraph there that introduces it and links to this page",
            )
        if conclusion is not None and terms.first_mention(conclusion.masked, _names(page)) is None:
            names = [repr(n) for n in _names(page)]
            wanted = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
            yield Problem(
                page.path,
                1,
                1,
                "STR003",
                f"section '{name}' is not named in the Conclusion ({conclusion.path}); mention it "
                f"there as {wanted}, or add the Conclusion's wording to 'aliases'",
            )


def _named_parts(project: Project, existing: Collection[str]) -> Iterator[Problem]:
    """Each named part has its page, and a folder named as a part holds pages."""
    assert project.review is not None
    review = project.review
    config = project.display(project.config_path)
    folders = [("sections", review.sections_folder, review.sections)] if review.sections_folder else []
    for name, written, pages in [*folders, *review.parts]:
        if written and is_folder(written) and not pages:
            yield Problem(
                config, project.line_of(written), 1, "STR001", f"the {name} folder '{written}' holds no pages"
            )
        if written and is_folder(written):
            continue
        for src in pages:
            if src not in existing:
                yield Problem(
                    config, project.line_of(src), 1, "STR001", f"the {name} page '{src}' does not exist"
                )


def front_matter_problems(page: Outline, section: bool, taxonomy: bool = True) -> list[Problem]:
    """Syntax first; a block that doesn't parse is not also reported as incomplete."""
    if page.front.problems:
        return page.front.problems
    if not page.front.data and not section:
        return []
    return frontmatter.validate(page.front, page.path, section, taxonomy)

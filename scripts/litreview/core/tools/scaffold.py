"""``litreview new``: a section page with complete front matter, registered where it belongs.

mkdocs.yml is edited as text, one line in the nav and one in ``review.sections``, next to
the last section, so its comments and layout survive; the result is read back and
checked before anything is written.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass

from ..findings.problems import Problem, ProblemError
from ..project.config import ConfigError, Project, project_from_text
from ..text.escaping import CONTROL, markdown, yaml_string

#: Where a refusal about the command's own arguments (title, --slug) is reported.
ARGUMENTS = "litreview new"


class ScaffoldError(ProblemError):
    """Why the page can't be created (NEW001); nothing has been written."""


def _refuse(message: str, where: str = ARGUMENTS) -> ScaffoldError:
    return ScaffoldError(Problem(where, 0, 0, "NEW001", message))


@dataclass(frozen=True)
class Scaffold:
    """The new page's path and text, and mkdocs.yml with it added: computed before any is written."""

    src: str
    page: str
    config: str
    registered: tuple[str, ...] = ()
    """Where mkdocs.yml now names the page ("nav", "review.sections"); empty: nowhere."""


def slugify(title: str) -> str:
    """``Post-surgical pain & central sensitization`` → ``post-surgical-pain-central-sensitization``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_title.lower()))


#: A file name the nav, the URL and every filesystem can hold: no folders, no spaces.
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: Most filesystems hold 255 bytes per name; keep room for ".md" and a build's suffixes.
MAX_SLUG = 120


def check_slug(slug: str) -> None:
    """Refuse a name that leaves the docs folder, needs quoting in YAML, or can't be a file."""
    if not _SLUG.fullmatch(slug) or ".." in slug:
        raise _refuse(
            f"--slug {slug!r} is not a plain file name: use letters, digits, '-', '_' and '.', "
            "with no folders (the page goes beside the other sections)"
        )
    if len(slug.encode()) > MAX_SLUG:
        raise _refuse(
            f"the page's file name would be {len(slug.encode())} bytes long, more than a file name "
            f"may hold here (at most {MAX_SLUG}); pass a shorter --slug"
        )


def check_title(title: str) -> None:
    """Refuse a title that would break the page's front matter or the nav line."""
    if not title.strip() or CONTROL.search(title) or "\n" in title or "\r" in title:
        raise _refuse("the title must be one line of text, without control characters")


#: What a new section page asks its writer for, until the writer replaces it.
SECTION_HINT = (
    "<!-- Summarise the source here and cite it, e.g. [@key]. litreview check lists what\n"
    "     else the section needs: concepts, a paragraph in the Introduction, a mention in\n"
    "     the Conclusion. -->\n"
)
PAGE_HINT = "<!-- Write the page here; cite a work by its key, e.g. [@key]. -->\n"


def page_text(title: str, order: int, body: str = SECTION_HINT) -> str:
    """Front matter with every key a section needs, then the title and ``body``."""
    quoted = yaml_string(title)
    return (
        "---\n"
        f"title: {quoted}\n"
        f"short_title: {quoted}\n"
        f"order: {order}\n"
        "aliases: []\n"
        "concepts: []\n"
        "---\n\n"
        f"# {markdown(title)}\n\n" + body
    )


def _nav_block(lines: list[str]) -> tuple[int, int]:
    """The lines of the top-level ``nav:`` list (start exclusive, end exclusive); (0, 0) if none."""
    start = next((i for i, line in enumerate(lines) if re.fullmatch(r"nav:\s*(#.*)?", line)), -1)
    if start < 0:
        return 0, 0
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"[^\s#]", lines[i])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def _entry(indent: str, src: str, title: str | None) -> str:
    """A list item naming the page: titled in the nav, a bare path in ``review.sections``."""
    return f"{indent}- {yaml_string(title)}: {src}" if title else f"{indent}- {src}"


def register(config: str, project: Project, src: str, title: str | None = None, listed: bool = True) -> str:
    """mkdocs.yml with ``src`` after the last section in the nav and (``listed``: sections are
    a list, not a folder) in ``review.sections``."""
    assert project.review is not None
    last = project.review.sections[-1] if project.review.sections else ""
    lines = config.split("\n")
    hits = [
        i
        for i, line in enumerate(lines)
        if last and re.fullmatch(rf"\s*-\s+(?:[^:]+:\s+)?{re.escape(last)}\s*", line)
    ]
    if len(hits) < (project.nav is not None) + listed:
        where = "nav and review.sections" if project.nav is not None else "review.sections"
        raise _refuse(
            f"cannot find the last section '{last}' as a list item in {where} of mkdocs.yml; "
            f"add '{src}' by hand",
            project.display(project.config_path),
        )
    start, end = _nav_block(lines)
    for i in sorted(hits, reverse=True):
        indent = re.match(r"\s*", lines[i]).group(0)  # type: ignore[union-attr]
        lines.insert(i + 1, _entry(indent, src, title if start < i < end else None))
    return "\n".join(lines)


def register_in_nav(config: str, project: Project, src: str, title: str) -> str:
    """mkdocs.yml with ``src`` in the nav's top level, before the generated pages (References…)."""
    lines = config.split("\n")
    start, end = _nav_block(lines)
    items = [i for i in range(start + 1, end) if re.match(r"\s*-\s", lines[i])]
    if not items:
        raise _refuse(
            f"cannot find the list under nav: in mkdocs.yml; add '{src}' by hand",
            project.display(project.config_path),
        )
    indent = re.match(r"\s*", lines[items[0]]).group(0)  # type: ignore[union-attr]
    top = [i for i in items if re.match(r"\s*", lines[i]).group(0) == indent]  # type: ignore[union-attr]
    generated = set(project.generated_pages())
    before = next((i for i in top if any(lines[i].rstrip().endswith(g) for g in generated)), end)
    lines.insert(before, _entry(indent, src, title))
    return "\n".join(lines)


def plain_page_text(title: str, body: str = PAGE_HINT) -> str:
    """A page outside the review's sections: its title in front matter and heading, then ``body``."""
    return f"---\ntitle: {yaml_string(title)}\n---\n\n# {markdown(title)}\n\n" + body


def scaffold(project: Project, title: str, slug: str | None = None) -> Scaffold:
    """The new page and the edited mkdocs.yml, or :class:`ScaffoldError`."""
    check_title(title)
    if slug is None:
        slug = slugify(title)
        if not slug:
            raise _refuse(f"cannot make a file name from the title {title!r}; pass --slug")
    check_slug(slug)
    sections = project.review.sections if project.review is not None else ()
    in_folder = project.review.sections_folder.strip("/") if project.review is not None else ""
    folder = ""  # without review parts, a page goes beside index.md
    if project.review is not None:
        folder = in_folder or (posixpath.dirname(sections[-1]) if sections else "sections")
    src = posixpath.join(folder, f"{slug}.md") if folder else f"{slug}.md"
    docs = project.docs_dir.resolve()
    if not (docs / src).resolve().is_relative_to(docs):
        raise _refuse(f"'{src}' would be outside the docs folder {project.display(docs)}")
    if (project.docs_dir / src).exists() or src in sections:
        raise _refuse(
            f"'{src}' already exists; choose another title or --slug", project.display(project.docs_dir / src)
        )
    if project.review is not None and not (in_folder and not sections):
        config = register(project.text, project, src, title, listed=not in_folder)
    elif project.nav is not None:
        config = register_in_nav(project.text, project, src, title)
    else:
        config = project.text  # no nav: MkDocs lists every page by itself
    try:
        check = project_from_text(config, project.config_path)
    except ConfigError as exc:
        raise _refuse(
            f"editing mkdocs.yml would break it ({exc.problem.message}); nothing written",
            project.display(project.config_path),
        ) from None
    registered = (("nav",) if project.nav is not None else ()) + (
        ("review.sections",) if project.review is not None and not in_folder else ()
    )
    if ("nav" in registered and src not in check.nav_files) or (
        "review.sections" in registered and (check.review is None or src not in check.review.sections)
    ):
        raise _refuse(
            f"editing mkdocs.yml did not register '{src}'; add it to {' and '.join(registered)} by hand",
            project.display(project.config_path),
        )
    page = page_text(title, len(sections) + 1) if project.review is not None else plain_page_text(title)
    return Scaffold(src, page, config, registered)

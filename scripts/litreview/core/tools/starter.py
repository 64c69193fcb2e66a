"""``litreview init``: the files of a new review that builds and checks cleanly as written.

Everything is computed first, as text, and nothing is written while any file is already
there: the adapter writes them only after :func:`starter` and :func:`clashes` agree. The
generated pages that Zensical can't add (References) are written as stubs, so the same
project builds under MkDocs, ProperDocs and Zensical.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from ..crosslinks.sections import relative
from ..files import atomic
from ..findings.problems import Problem, ProblemError
from ..project.config import PythonName
from ..references.reference_html import references_markdown
from ..text.escaping import CONTROL, markdown, yaml_string
from . import math_assets
from .scaffold import page_text, plain_page_text

#: Where a refusal about the command's own arguments is reported.
ARGUMENTS = "litreview init"
STRUCTURES = ("plain", "article")
#: What the example page cites when the review starts with its own bibliography.
EXAMPLE_KEY = "ivanova2025"
EXAMPLE_BIB = """@article{ivanova2025,
  author  = {Ivanova, Natalia V.},
  title   = {Spinal Neuropathic Pain: Mechanisms, Challenges, and Future Therapies},
  journal = {Journal of Spine},
  volume  = {14},
  pages   = {725},
  year    = {2025},
}
"""


class InitError(ProblemError):
    """Why the review can't be started (INIT001); nothing has been written."""


@dataclass(frozen=True)
class InitOptions:
    """What ``litreview init`` was asked for."""

    title: str = "A literature review"
    author: str = ""
    bibliography: str = ""
    """An existing .bib to use, as the new mkdocs.yml should name it (else references.bib)."""
    first_key: str = ""
    """A key of that bibliography, for the example citation ("" if it has none)."""
    structure: str = "plain"
    source_url: str = "https://github.com/litreview/spinal-neuropathic-pain"
    """Where pip installs mkdocs-litreview from until it is on PyPI (the package's Source URL)."""


def _refuse(message: str) -> InitError:
    return InitError(Problem(ARGUMENTS, 0, 0, "INIT001", message))


def starter(options: InitOptions) -> dict[str, str]:
    """The new review's files, by path relative to its folder."""
    for name, value in (("--title", options.title), ("--author", options.author)):
        if CONTROL.search(value) or "\n" in value or "\r" in value:
            raise _refuse(f"{name} must be one line of text, without control characters")
    if not options.title.strip():
        raise _refuse("--title must not be empty")
    if options.structure not in STRUCTURES:
        raise _refuse(f"--structure must be one of {', '.join(STRUCTURES)}, not {options.structure!r}")
    bibliography = options.bibliography or "references.bib"
    key = options.first_key if options.bibliography else EXAMPLE_KEY
    article = options.structure == "article"
    site = NewSiteConfig(
        title=options.title,
        author=options.author,
        bibliography=(bibliography,),
        nav=ARTICLE_NAV if article else (("Home", "index.md"),),
        review=ARTICLE_REVIEW if article else (),
    )
    files = {"mkdocs.yml": config_text(site)}
    if not options.bibliography:
        files["references.bib"] = EXAMPLE_BIB
    files.update(_pages(options, key))
    files.update(support_files(options.title, options.source_url))
    return files


def support_files(title: str, source_url: str = InitOptions.source_url) -> dict[str, str]:
    """What every review has besides its pages: the References stub, CI, .gitignore, a guide."""
    return {
        "content/references.md": references_markdown("References"),
        ".gitignore": "site/\n.cache/\n.site.versions/\n.site.lock\n__pycache__/\n",
        "requirements.txt": (
            "# What the review is built with; CI installs it. Pin a release once you depend on one.\n"
            f"mkdocs-litreview @ git+{source_url}\n"
        ),
        ".github/workflows/ci.yml": WORKFLOW,
        "CONTRIBUTING.md": _contributing(title),
    }


def clashes(folder: Path, files: Mapping[str, str | bytes]) -> list[str]:
    """The files that are already there (init never overwrites)."""
    return sorted(rel for rel in files if (folder / rel).exists() or (folder / rel).is_symlink())


def create(folder: Path, files: Mapping[str, str | bytes], code: str = "INIT001") -> None:
    """Write every file, or none (``code`` names the command's refusal: INIT001, or IMP001 for
    import). A new folder is made as a temporary sibling and renamed into place, so a failure
    or a kill leaves no folder; in a folder already there, what was written is removed again.
    Every file lands inside ``folder``: a path that would leave it is refused first."""
    for rel in files:
        if not _stays_inside(rel):
            raise InitError(Problem(rel, 0, 0, code, "would be written outside the folder: nothing written"))
    if folder.exists() or folder.is_symlink():
        _create_in(folder, files, code)
    else:
        _create_new(folder, files, code)


def _stays_inside(rel: str) -> bool:
    path = PurePosixPath(rel)
    return bool(path.parts) and not path.is_absolute() and ".." not in path.parts and "\\" not in rel


def _create_new(folder: Path, files: Mapping[str, str | bytes], code: str) -> None:
    """Every file in a temporary sibling of ``folder``, then one rename makes it ``folder``."""
    made = [p for p in reversed(Path(os.path.abspath(folder)).parents) if not p.exists()]
    staging: Path | None = None
    try:
        for parent in made:
            parent.mkdir()
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
        for rel, text in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_bytes(path, _encoded(text), expect=atomic.FileSnapshot("", exists=False))
        os.chmod(staging, 0o777 & ~atomic.current_umask())
        os.rename(staging, folder)
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for parent in reversed(made):
            with contextlib.suppress(OSError):
                parent.rmdir()
        if isinstance(exc, (OSError, atomic.WriteError)):
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            message = f"cannot write the review: {reason}"
            raise InitError(Problem(folder.as_posix(), 0, 0, code, message)) from None
        raise


def _encoded(text: str | bytes) -> bytes:
    """A file's bytes: text as UTF-8, a lone surrogate (a YAML ``\\udcff`` escape read from a
    source) as ``?`` rather than the end of the write."""
    return text.encode("utf-8", "replace") if isinstance(text, str) else text


def _create_in(folder: Path, files: Mapping[str, str | bytes], code: str) -> None:
    """Every file into a folder already there; on a failure, what was written is removed."""
    written: list[Path] = []
    made: list[Path] = []
    inside = folder.resolve()
    try:
        for rel, text in files.items():
            path = folder / rel
            if not path.parent.resolve().is_relative_to(inside):
                raise atomic.WriteError(
                    f"{rel} leads outside {folder.as_posix()} (a symlink): nothing written"
                )
            for parent in reversed(path.parents):
                if not parent.exists():
                    parent.mkdir()
                    made.append(parent)
            atomic.write_bytes(path, _encoded(text), expect=atomic.FileSnapshot("", exists=False))
            written.append(path)
    except (OSError, atomic.WriteError) as exc:
        for path in written:
            path.unlink(missing_ok=True)
        for parent in reversed(made):
            with contextlib.suppress(OSError):
                parent.rmdir()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        where = getattr(exc, "filename", None) or folder
        raise InitError(Problem(str(where), 0, 0, code, f"cannot write the review: {reason}")) from None


#: A nav entry: a title (empty: the page's own) and a page, or a titled list of entries.
NavEntry = tuple[str, "str | tuple[NavEntry, ...]"]
ARTICLE_NAV: tuple[NavEntry, ...] = (
    ("Introduction", "index.md"),
    ("Sections", (("", "sections/first-section.md"),)),
    ("Conclusion", "conclusion.md"),
)
ARTICLE_REVIEW = (
    ("introduction", "index.md"),
    ("conclusion", "conclusion.md"),
    ("sections", ("sections/first-section.md",)),
)


Scalar = bool | int | float | str
"""A value written into mkdocs.yml as YAML reads it back (a :class:`PythonName` as its tag)."""


@dataclass(frozen=True)
class NewSiteConfig:
    """What a new mkdocs.yml says: shared by ``init`` and ``import``."""

    title: str
    author: str = ""
    description: str = ""
    language: str = ""
    bibliography: tuple[str, ...] = ("references.bib",)
    nav: tuple[NavEntry, ...] = ()
    review: tuple[tuple[str, str | tuple[str, ...]], ...] = ()
    """The plugin's ``review:`` option, part by part."""
    math: bool = False
    """The pages hold TeX math: ``pymdownx.arithmatex`` and KaTeX served from the site
    (:mod:`.math_assets`, whose files the writer of the project adds)."""
    style: str = ""
    """The plugin's ``style:`` option, when not the default."""
    publication: Mapping[str, object] | None = None
    """The plugin's ``publication:`` option (an imported review's title block)."""
    options: tuple[tuple[str, Scalar], ...] = ()
    """More of the plugin's options (an imported review's ``style``), by name."""
    extensions: tuple[tuple[str, tuple[tuple[str, Scalar], ...]], ...] = ()
    """More Markdown extensions (an imported site's, or ``pymdownx.caret`` where pages use
    ``^sup^``), each with its options."""


#: Titles and paths YAML reads as plain strings, written without quotes as people write them.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 _./-]*")


def _scalar(value: str) -> str:
    return value if _PLAIN.fullmatch(value) and not value.endswith(" ") else yaml_string(value)


def _nav_lines(entries: tuple[NavEntry, ...], indent: str) -> list[str]:
    lines: list[str] = []
    for title, target in entries:
        if isinstance(target, str):
            lines.append(
                f"{indent}- {_scalar(title)}: {_scalar(target)}" if title else f"{indent}- {_scalar(target)}"
            )
        else:
            lines.append(f"{indent}- {_scalar(title)}:")
            lines += _nav_lines(target, indent + "    ")
    return lines


def _review_lines(review: tuple[tuple[str, str | tuple[str, ...]], ...]) -> list[str]:
    if not review:
        return []
    lines = ["      review:"]
    for part, value in review:
        if isinstance(value, str):
            lines.append(f"        {part}: {_scalar(value)}")
        else:
            lines.append(f"        {part}:")
            lines += [f"          - {_scalar(page)}" for page in value]
    return lines


def _math_lines(math: bool) -> list[str]:
    """Arithmatex for the pages' math, and KaTeX from the site itself (no CDN: it works offline)."""
    if not math:
        return []
    return [
        "  - pymdownx.arithmatex:",
        "      generic: true",
        "",
        "extra_javascript:",
        *[f"  - {path}" for path in math_assets.SCRIPTS],
        "",
        "extra_css:",
        *[f"  - {path}" for path in math_assets.STYLES],
    ]


def _publication_lines(publication: Mapping[str, object] | None) -> list[str]:
    if not publication:
        return []
    dumped = yaml.safe_dump(dict(publication), allow_unicode=True, sort_keys=False, width=10**6)
    return ["      publication:", *("        " + line for line in dumped.splitlines())]


def _value(value: Scalar) -> str:
    if isinstance(value, PythonName):
        return f"!!python/name:{value}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, (int, float)) else yaml_string(value)


def _option_lines(options: tuple[tuple[str, Scalar], ...], indent: str) -> list[str]:
    return [f"{indent}{_scalar(name)}: {_value(value)}" for name, value in options]


def _extension_lines(site: NewSiteConfig) -> list[str]:
    lines: list[str] = []
    for name, options in site.extensions:
        lines.append(f"  - {_scalar(name)}" + (":" if options else ""))
        lines += _option_lines(options, "      ")
    return lines


def config_text(site: NewSiteConfig) -> str:
    """mkdocs.yml for a review: Material offline, the plugin, the extensions its features need."""
    bibliography = (
        _scalar(site.bibliography[0])
        if len(site.bibliography) == 1
        else "[" + ", ".join(_scalar(b) for b in site.bibliography) + "]"
    )
    lines = [
        f"site_name: {yaml_string(site.title)}",
        *([f"site_author: {yaml_string(site.author)}"] if site.author else []),
        *([f"site_description: {yaml_string(site.description)}"] if site.description else []),
        "docs_dir: content",
        "site_dir: site",
        "strict: true",
        "",
        "theme:",
        "  name: material",
        *([f"  language: {yaml_string(site.language)}"] if site.language else []),
        "  font: false  # no fonts fetched from other hosts: the site works offline",
        "  features:",
        "    - content.tooltips",
        "    - navigation.footer",
        "",
        "plugins:",
        "  - search",
        "  - litreview:",
        f"      bibliography: {bibliography}",
        *([f"      style: {_scalar(site.style)}"] if site.style else []),
        *_review_lines(site.review),
        *_publication_lines(site.publication),
        *_option_lines(site.options, "      "),
        "",
        "markdown_extensions:",
        "  # for Zensical, which runs Markdown extensions but not plugins; under MkDocs the",
        "  # litreview plugin takes its place",
        "  - litreview.markdown_ext",
        "  - abbr",
        "  - admonition",
        "  - attr_list",
        "  - footnotes",
        "  - md_in_html",
        "  - tables",
        "  - toc:",
        "      permalink: true",
        *_extension_lines(site),
        *_math_lines(site.math),
        "",
        "nav:",
        *_nav_lines(site.nav, "  "),
        "  - References: references.md",
    ]
    return "\n".join(lines) + "\n"


def _cite(key: str) -> str:
    return f" [@{key}]" if key else ""


def _pages(options: InitOptions, key: str) -> dict[str, str]:
    title = options.title
    if options.structure != "article":
        body = f"What this review covers, and why. Cite a work by its key{_cite(key)}; "
        return {
            "content/index.md": plain_page_text(title, body + "`litreview check` says what is missing.\n")
        }
    section = "sections/first-section.md"
    link = relative("index.md", section)
    return {
        "content/index.md": plain_page_text(
            title,
            f"What this review covers, and why{_cite(key)}.\n\n"
            f"[First section]({link}) is where the first topic is discussed.\n",
        ),
        # complete: front matter as `litreview new` writes it, and a paragraph
        f"content/{section}": page_text(
            "First section", 1, f"What the sources say about the first topic{_cite(key)}.\n"
        ),
        "content/conclusion.md": plain_page_text(
            "Conclusion", "What the First section shows, taken together.\n"
        ),
    }


def _contributing(title: str) -> str:
    return (
        f"# Contributing to {markdown(title)}\n\n"
        "The review is Markdown in `content/` with pandoc citations (`[@key]`), and its works are\n"
        "BibTeX entries in the bibliography named in `mkdocs.yml`.\n\n"
        "1. Add the entry for each work you cite, then cite it by its key.\n"
        "2. Run `litreview check` and fix what it reports (each finding gives the file, line and\n"
        "   column).\n"
        "3. Run `mkdocs serve` to read the result, then open a pull request: CI runs the same\n"
        "   check, builds the site strictly and checks its links.\n"
    )


WORKFLOW = """name: CI

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

env:
  # Material's own switch for its end-of-life banner; every warning of the build still shows
  NO_MKDOCS_2_WARNING: "1"

jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # all history and tags (releases: What's new and the feed read them)
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: python -m pip install -r requirements.txt
      - name: Check sources (findings appear on the pull request's changed lines)
        # errors fail the job; warnings (such as entries not cited yet) are shown, add --strict
        # to fail on them too
        run: litreview check --format github
      - name: Build the site strictly
        run: mkdocs build --strict
      - name: Check the built site's links
        run: litreview linkcheck site
      - uses: actions/upload-pages-artifact@v3
        if: github.event_name == 'push' && github.ref == 'refs/heads/main'
        with:
          path: site

  deploy:
    if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    needs: build
    runs-on: ubuntu-24.04
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

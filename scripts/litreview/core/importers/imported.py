"""What an importer found: the new project's pages and files, and a report of the conversion.

Importers only read their source and return this; the adapter writes it with
:func:`litreview.core.tools.starter.create`, all or nothing, so a source is never changed
and a refused import leaves no half-made project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..files import yamlsafe
from ..findings.problems import Problem, ProblemError, Severity
from ..tools.starter import NavEntry, NewSiteConfig

if TYPE_CHECKING:
    from .jail import Jail

#: A kind of review this command reads, as the report names it.
KINDS = ("Manubot", "LaTeX", "Quarto", "MyST", "mkdocs-bibtex")


class ImportRefused(ProblemError):
    """Why a source can't be imported at all (IMP001); nothing has been written."""


def refuse(path: str, message: str, line: int = 0, col: int = 0) -> ImportRefused:
    """The refusal, at the source file (and line and column) that caused it."""
    return ImportRefused(Problem(path, line, (col or 1) if line else 0, "IMP001", message))


def load_yaml(
    text: str, shown: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader
) -> tuple[dict[str, Any], dict[tuple[str | int, ...], yamlsafe.Place]]:
    """A source's YAML mapping and where each of its keys is written; refused (IMP001) at the
    line and column PyYAML names when it is not valid YAML or not a mapping."""
    try:
        node = yamlsafe.compose(text, loader)
        data = yamlsafe.construct(node, loader)
    except yaml.YAMLError as exc:
        reason = yamlsafe.error_reason(exc, str(exc))
        raise refuse(shown, f"not valid YAML: {reason}", *yamlsafe.error_position(exc)) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise refuse(shown, "not a mapping of keys to values", 1, 1)
    return data, yamlsafe.positions(node)


@dataclass
class Imported:
    """A converted review: pages under ``content/``, other files, the site, and the report."""

    kind: str
    site: NewSiteConfig
    pages: dict[str, str] = field(default_factory=dict)
    """Markdown by path under ``content/``, in reading order."""
    files: dict[str, str] = field(default_factory=dict)
    """Other text files by path in the new project (a bibliography)."""
    copies: dict[str, Path] = field(default_factory=dict)
    """Files copied as they are (images, a .bib), by path in the new project."""
    findings: list[Problem] = field(default_factory=list)
    reported: set[tuple[str, str]] = field(default_factory=set)
    """(file, what) of each construct reported once per file."""
    converted: list[str] = field(default_factory=list)
    """What was converted, one line each, for the report."""
    nav_entries: tuple[NavEntry, ...] = ()
    """The nav, when the source has one (a Quarto book's parts); else the pages in order."""
    jail: Jail | None = None
    """What the source was read through: the copies are read through it too."""

    def note(self, path: str, line: int, code: str, message: str, col: int = 1) -> None:
        """A construct the import kept as text or left out (a warning at its place)."""
        self.findings.append(Problem(path, line, col if line else 0, code, message, Severity.WARN))

    def once(self, path: str, line: int, what: str, col: int = 1, how: str = "kept as written") -> None:
        """A construct kept as written (or left out, as ``how`` says), reported at its first
        place in each file only."""
        if (path, what) not in self.reported:
            self.reported.add((path, what))
            self.note(path, line, "IMP002", f"{what}: {how} (first at this line)", col)

    def nav(self) -> tuple[NavEntry, ...]:
        """The source's nav, or the pages in reading order, each titled by its own heading."""
        return self.nav_entries or tuple(("", rel) for rel in self.pages)


def front_matter(data: dict[str, object]) -> str:
    """A YAML front matter block for a page (safe_dump: every value is quoted as needed)."""
    if not data:
        return ""
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\n"

"""The review's studies and summary-of-findings tables, read once per build for every adapter.

The MkDocs plugin, the Zensical session and ``litreview check`` each load them here and ask the
same questions: what is wrong with them, which works they cite, what a page's slot shows.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ..bibliography.loader import Bibliography
from ..findings.problems import Problem
from ..project.options import LitreviewOptions
from . import grade, studies, tables_html
from .flow_data import Flow, included_studies
from .grade import Findings
from .studies import Studies

_SLOT = re.compile(r'\s*<div\s+(?:class="[^"<>]*"\s+)?data-lr-slot="(studies|findings)"\s*>\s*</div>\s*')
"""``<div data-lr-slot="studies"></div>`` (or ``findings``) alone on its line, as a page holds it."""
DOWNLOADS = {"studies": "studies.csv", "findings": "findings.csv"}
"""Where each table's CSV is written in the site."""


def slot_name(html: str) -> str | None:
    """Which table a raw HTML block stands for (None: it is not a table slot)."""
    found = _SLOT.fullmatch(html)
    return found.group(1) if found else None


@dataclass
class StudyTables:
    """The ``studies:`` and ``findings:`` files as read (None: not configured)."""

    studies: Studies | None = None
    findings: Findings | None = None
    read_problems: list[Problem] = field(default_factory=list)

    def problems(self, bibliography: Bibliography, flow: Flow | None = None) -> list[Problem]:
        """Everything wrong with the tables, their keys checked against ``bibliography`` and the
        studies' count against the PRISMA ``flow``'s included studies (SYS027)."""
        out = list(self.read_problems)
        if self.studies is not None:
            out += self.studies.problems + studies.check_keys(self.studies, bibliography)
            if flow is not None:
                out += _against_flow(flow, self.studies)
        if self.findings is not None:
            out += self.findings.problems + grade.check_keys(self.findings, bibliography)
        return out

    def cited(self) -> set[str]:
        """The works the tables cite (they count as cited, as a page's citations do)."""
        keys = set(self.studies.keys) if self.studies is not None else set()
        if self.findings is not None:
            keys |= {key for key, _cell in self.findings.key_cells()}
        return keys

    def element(self, name: str, cite: tables_html.Cite, downloads: bool) -> etree.Element | None:
        """What slot ``name`` shows (None: its file is not configured, the slot stays); with
        ``downloads``, a link to its CSV (:func:`link_downloads` gives it its address)."""
        download = DOWNLOADS[name] if downloads else None
        if name == "studies" and self.studies is not None:
            return tables_html.studies_table(self.studies, cite, download)
        if name == "findings" and self.findings is not None:
            return tables_html.findings_table(self.findings, cite, download)
        return None

    def downloads(self) -> dict[str, str]:
        """Site path → CSV text of each table."""
        out = {}
        if self.studies is not None:
            out[DOWNLOADS["studies"]] = tables_html.studies_csv(self.studies)
        if self.findings is not None:
            out[DOWNLOADS["findings"]] = tables_html.findings_csv(self.findings)
        return out


def _against_flow(flow: Flow, found: Studies) -> list[Problem]:
    """SYS027 at the flow's count of included studies (the total, else the new studies)."""
    box = flow.boxes.get("total_studies") if flow.given("total_studies") else flow.boxes.get("new_studies")
    where = (flow.path, box.line, box.col) if box is not None else (flow.path, 0, 0)
    return studies.included_problems(included_studies(flow), found, where)


@dataclass(frozen=True)
class PageTables:
    """The tables as the pages show them: with links to their CSV files, if the build writes them."""

    tables: StudyTables
    downloads: bool = False


_PATHS = "|".join(re.escape(p) for p in DOWNLOADS.values())
_LINK = re.compile(f'<span {tables_html.DOWNLOAD}="({_PATHS})">([^<]*)</span>')
"""A download's stand-in: a span, since MkDocs requires every ``<a>`` it converts to have an href."""


def link_downloads(html: str, href: Callable[[str], str]) -> str:
    """A converted page's download links given their addresses (``href`` of a site path): made
    after conversion, so MkDocs doesn't take a file the build writes for a missing page."""
    return _LINK.sub(lambda m: f'<a href="{escape(href(m.group(1)))}" download="">{m.group(2)}</a>', html)


def load(
    root: Path, options: LitreviewOptions, line_of: Callable[[str], int] = lambda _text: 0
) -> StudyTables:
    """The files ``studies:`` and ``findings:`` name, beside mkdocs.yml (``root``); one that is
    not there is a finding at its option's line (``line_of``) in mkdocs.yml."""
    out = StudyTables()
    for name, value in (("studies", options.studies), ("findings", options.findings)):
        if not value:
            continue
        path = root / value
        if not path.is_file():
            message = f"{name}: '{value}' is not a file beside mkdocs.yml"
            out.read_problems.append(Problem("mkdocs.yml", line_of(f"{name}:"), 1, "SYS020", message))
        elif name == "studies":
            out.studies = studies.load(path, value)
        else:
            out.findings = grade.load(path, value)
    return out

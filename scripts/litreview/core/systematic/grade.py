"""The summary of findings: one row per outcome, with its GRADE certainty of evidence.

GRADE has four levels, drawn as filled and empty circles (⊕⊕⊕◯ is moderate); a value outside
them is a finding (SYS026), not a guess. The studies an outcome rests on are bibliography keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..bibliography.loader import Bibliography
from ..findings.problems import Problem
from . import rows
from .rows import Cell, Table
from .studies import key_problems, split_keys

LEVELS = {"high": 4, "moderate": 3, "low": 2, "very low": 1}
"""Each certainty as GRADE names it, with its filled circles out of four."""
OUTCOME, STUDIES, CERTAINTY = "outcome", "studies", "certainty"
COLUMNS = (OUTCOME, STUDIES, "participants", "effect", CERTAINTY, "reasons")
"""The summary's columns in the order shown (``reasons``: for downgrading)."""


@dataclass(frozen=True)
class Finding:
    """One outcome's row: its values by column, its studies' keys, its certainty (1-4 or None)."""

    values: dict[str, Cell]
    keys: list[str]
    level: int | None


@dataclass
class Findings:
    """The summary as read, and its findings."""

    table: Table
    rows: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        """The known columns it fills, in GRADE's order, then the team's own."""
        known = [c for c in COLUMNS if self.table.has(c)]
        return known + [c for c in self.table.columns if c.casefold() not in COLUMNS]

    def key_cells(self) -> list[tuple[str, Cell]]:
        """Each study key with the cell that names it."""
        out = []
        for finding in self.rows:
            cell = _get(finding.values, STUDIES)
            out += [(key, cell) for key in finding.keys] if cell is not None else []
        return out


def _get(values: dict[str, Cell], column: str) -> Cell | None:
    return next((c for name, c in values.items() if name.casefold() == column and c.value), None)


def level(value: str) -> int | None:
    """GRADE's level named by ``value`` (case and spacing aside), None if it names none."""
    return LEVELS.get(" ".join(value.casefold().replace("-", " ").split()))


def read(table: Table) -> Findings:
    """The outcomes of ``table``; an outcome without a name (SYS023) or with an unknown
    certainty (SYS026) is a finding."""
    out = Findings(table, problems=list(table.problems))
    if not table.rows and not table.columns:
        return out
    for column in (OUTCOME, CERTAINTY):
        if not table.has(column):
            message = f"the summary of findings has no '{column}' column (it needs {', '.join(COLUMNS)})"
            out.problems.append(Problem(table.path, 1, 1, "SYS022", message))
            return out
    for row in table.rows:
        if row.get(OUTCOME) is None:
            out.problems.append(
                Problem(table.path, row.line, row.col, "SYS023", "a finding without an outcome")
            )
        certainty = row.get(CERTAINTY)
        found = level(certainty.value) if certainty is not None else None
        if found is None:
            cell = certainty or Cell("", row.line, row.col)
            written = f"'{cell.value}'" if cell.value else "no certainty"
            message = f"{written}: certainty is one of high, moderate, low, very low"
            out.problems.append(Problem(table.path, cell.line, cell.col, "SYS026", message))
        studies = row.get(STUDIES)
        keys = split_keys(studies) if studies is not None else []
        out.rows.append(Finding(row.cells, keys, found))
    return out


def load(path: Path, display: str) -> Findings:
    """The summary of findings at ``path``."""
    return read(rows.load(path, display))


def check_keys(findings: Findings, bibliography: Bibliography) -> list[Problem]:
    """Every study an outcome names is an entry of the bibliography."""
    return key_problems(findings.table.path, findings.key_cells(), bibliography)

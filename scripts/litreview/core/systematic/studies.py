"""The table of included studies: one row per study, its ``key`` naming a bibliography entry.

The checks here are the ones a team can get wrong by hand: a row without a key, a key twice,
a key the bibliography lacks (with the nearest keys), and a studies table whose rows differ
from the count the flow diagram says were included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..bibliography.loader import Bibliography
from ..citations.unknown_keys import suggestions
from ..findings.problems import Problem
from . import rows
from .rows import Cell, Row, Table

KEY = "key"
_SPLIT = re.compile(r"\s*[;,]\s*")


@dataclass(frozen=True)
class Study:
    """One included study: its key and its row."""

    key: str
    row: Row


@dataclass
class Studies:
    """The studies table as read: its rows with keys, in the file's order, and its findings."""

    table: Table
    studies: list[Study] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The studies' keys, in the file's order."""
        return [s.key for s in self.studies]

    @property
    def columns(self) -> list[str]:
        """The columns as the team declared them, the key first."""
        return [KEY] + [c for c in self.table.columns if c.casefold() != KEY]


def read(table: Table) -> Studies:
    """The studies of ``table``: a row without a key (SYS023) or a key twice (SYS024) is a finding."""
    out = Studies(table, problems=list(table.problems))
    if not table.rows and not table.columns:
        return out
    if not table.has(KEY):
        message = "the studies table has no 'key' column: name each study's bibliography entry there"
        out.problems.append(Problem(table.path, 1, 1, "SYS022", message))
        return out
    first: dict[str, Cell] = {}
    for row in table.rows:
        cell = row.get(KEY)
        if cell is None:
            out.problems.append(Problem(table.path, row.line, row.col, "SYS023", "a study row without a key"))
            continue
        if cell.value in first:
            seen = first[cell.value]
            message = f"the study '{cell.value}' is listed twice (first at line {seen.line})"
            out.problems.append(Problem(table.path, cell.line, cell.col, "SYS024", message))
            continue
        first[cell.value] = cell
        out.studies.append(Study(cell.value, row))
    return out


def load(path: Path, display: str) -> Studies:
    """The studies file at ``path``, read and checked for keys."""
    return read(rows.load(path, display))


def split_keys(cell: Cell) -> list[str]:
    """The keys a cell lists (``a; b`` or ``a, b``; a leading ``@`` is allowed)."""
    return [k.lstrip("@") for k in _SPLIT.split(cell.value) if k.lstrip("@")]


def key_problems(path: str, cells: Iterable[tuple[str, Cell]], bibliography: Bibliography) -> list[Problem]:
    """SYS025 for each key (with the cell it is in) the bibliography has no entry for."""
    out = []
    for key, cell in cells:
        if key in bibliography.references:
            continue
        close = suggestions(key, bibliography)
        hint = f"; did you mean {', '.join(repr(k) for k in close)}?" if close else ""
        message = f"'{key}' is not an entry of the bibliography{hint}"
        out.append(Problem(path, cell.line, cell.col, "SYS025", message))
    return out


def check_keys(studies: Studies, bibliography: Bibliography) -> list[Problem]:
    """Every study's key is an entry of the bibliography."""
    cells = [(s.key, cell) for s in studies.studies if (cell := s.row.get(KEY)) is not None]
    return key_problems(studies.table.path, cells, bibliography)


def included_problems(included: int | None, studies: Studies, where: tuple[str, int, int]) -> list[Problem]:
    """SYS027 when the flow diagram's included count (None: no diagram, nothing to compare)
    differs from the studies table's rows; ``where`` is the diagram's count (path, line, col)."""
    if included is None or included == len(studies.studies):
        return []
    path, line, col = where
    message = (
        f"the flow diagram says {included} studies were included but {studies.table.path} lists "
        f"{len(studies.studies)}"
    )
    return [Problem(path, line, col, "SYS027", message)]

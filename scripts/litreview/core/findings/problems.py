"""Problems as data: every finder and loader returns these instead of raising."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass

from ..text.escaping import visible


class Severity(enum.Enum):
    """How a finding is treated; adapters map these to exit codes or log levels."""

    ERROR = "error"
    WARN = "warning"
    IGNORE = "ignore"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding at a 1-based source location.

    ``line``/``col`` are 0 when the finding concerns a whole file.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """Render as ``path:line:col: error[CODE] message``, the form editors and CI parse; a
        control character from the input shows as ``\\x1b``, never run by a terminal."""
        where = f"{self.path}:{self.line}:{self.col}"
        return visible(f"{where}: {self.severity.value}[{self.code}] {self.message}")


class ProblemError(Exception):
    """A refusal at the edges (configuration that can't be used, a page that can't be made, a
    revision git can't show), carried as a :class:`Problem` so every adapter prints it alike."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def tally(problems: list[Problem]) -> str:
    """What a report found, counted: ``3 findings: 1 error (IMP001×1), 2 warnings (IMP002×2)``,
    so a summary printed after the findings says how many there are and of which kinds."""
    parts = []
    for severity in (Severity.ERROR, Severity.WARN):
        codes = Counter(p.code for p in problems if p.severity is severity)
        count = sum(codes.values())
        if count:
            listed = ", ".join(f"{code}×{n}" for code, n in sorted(codes.items()))
            parts.append(f"{count} {severity.value}{'' if count == 1 else 's'} ({listed})")
    total = len(problems)
    return f"{total} finding{'' if total == 1 else 's'}" + (": " + ", ".join(parts) if parts else "")

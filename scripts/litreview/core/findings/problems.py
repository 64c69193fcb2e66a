"""Problems as data: every finder and loader returns these instead of raising."""

from __future__ import annotations

import enum
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

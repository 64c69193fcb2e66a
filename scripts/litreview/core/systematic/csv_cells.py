"""CSV read cell by cell with each cell's line and column, so a finding points into the file.

Python's ``csv`` module says which line a record ended on, not where each cell starts; a
count that doesn't add up should be reported at its own cell. This reads RFC 4180 as R's
``read.csv`` writes it (commas, double quotes doubled inside quoted cells, CRLF or LF) and
stops at the first malformed quote with its position.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CsvCell:
    """One cell's text and where it starts (1-based line and column)."""

    text: str
    line: int
    col: int


class CsvError(ValueError):
    """The text is not CSV: an unterminated or stray quote, at a line and column."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.line, self.col = line, col


def rows(text: str) -> list[list[CsvCell]]:
    """Every non-blank record's cells, in order; :class:`CsvError` for a broken quote."""
    reader = _CsvCellReader(text.replace("\r\n", "\n").replace("\r", "\n"))
    return [row for row in reader.records() if any(cell.text.strip() for cell in row)]


class _CsvCellReader:
    def __init__(self, text: str) -> None:
        self.text, self.i, self.line, self.col = text, 0, 1, 1

    def _advance(self) -> str:
        ch = self.text[self.i]
        self.i += 1
        if ch == "\n":
            self.line, self.col = self.line + 1, 1
        else:
            self.col += 1
        return ch

    def records(self) -> list[list[CsvCell]]:
        out: list[list[CsvCell]] = []
        while self.i < len(self.text):
            out.append(self._record())
        return out

    def _record(self) -> list[CsvCell]:
        cells = [self._cell()]
        while self.i < len(self.text) and self.text[self.i] == ",":
            self._advance()
            cells.append(self._cell())
        if self.i < len(self.text):  # the line's end
            self._advance()
        return cells

    def _cell(self) -> CsvCell:
        line, col = self.line, self.col
        if self.i < len(self.text) and self.text[self.i] == '"':
            return CsvCell(self._quoted(line, col), line, col)
        start = self.i
        while self.i < len(self.text) and self.text[self.i] not in ",\n":
            if self.text[self.i] == '"':
                raise CsvError("a quote inside an unquoted cell (quote the whole cell)", self.line, self.col)
            self._advance()
        return CsvCell(self.text[start : self.i], line, col)

    def _quoted(self, line: int, col: int) -> str:
        self._advance()
        parts: list[str] = []
        while True:
            if self.i >= len(self.text):
                raise CsvError("a quoted cell is never closed", line, col)
            ch = self._advance()
            if ch != '"':
                parts.append(ch)
            elif self.i < len(self.text) and self.text[self.i] == '"':
                parts.append(self._advance())
            elif self.i < len(self.text) and self.text[self.i] not in ",\n":
                if self.line != line:  # most likely this quote was never closed on its own line
                    raise CsvError(
                        f"the quote opened here is not closed (the cell runs on to line {self.line})",
                        line,
                        col,
                    )
                raise CsvError("text after a quoted cell's closing quote", self.line, self.col)
            else:
                return "".join(parts)

"""A table of rows from a CSV or YAML file, each value with its line and column.

The studies and the summary-of-findings tables are data a team keeps by hand or exports from
a spreadsheet, so they are read as untrusted text: any bytes give rows or findings (SYS020,
SYS021), never an exception, and every value keeps where it was written so a finding points
at it. CSV is read by a small RFC 4180 reader of our own because Python's ``csv`` keeps no
column positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..files import yamlsafe
from ..findings.problems import Problem
from ..text.escaping import without_controls

MAX_ROWS = 10_000
"""More rows than any review includes: a file beyond it is refused, not rendered."""
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class Cell:
    """One value as written, and where (1-based line and column)."""

    value: str
    line: int
    col: int


@dataclass(frozen=True)
class Row:
    """One row: its values by column name (as the header or the YAML keys name them)."""

    cells: dict[str, Cell]
    line: int
    col: int = 1

    def get(self, column: str) -> Cell | None:
        """The cell of ``column`` (case-insensitive), None if the row has none or it is blank."""
        for name, cell in self.cells.items():
            if name.casefold() == column.casefold():
                return cell if cell.value.strip() else None
        return None


@dataclass
class Table:
    """A file's rows and columns, and what was wrong with reading it."""

    path: str
    columns: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def has(self, column: str) -> bool:
        """Does the table declare ``column`` (case-insensitive)?"""
        return any(name.casefold() == column.casefold() for name in self.columns)


def load(path: Path, display: str) -> Table:
    """The table in ``path`` (``.yml``/``.yaml`` as YAML, anything else as CSV)."""
    table = Table(display)
    try:
        with path.open("rb") as file:  # no more than the bound is read, however large the file
            raw = file.read(MAX_BYTES + 1)
    except OSError as exc:
        table.problems.append(
            Problem(display, 0, 0, "SYS020", f"cannot read the file: {exc.strerror or exc}")
        )
        return table
    if len(raw) > MAX_BYTES:
        table.problems.append(Problem(display, 0, 0, "SYS020", f"the file is larger than {MAX_BYTES} bytes"))
        return table
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        table.problems.append(Problem(display, 0, 0, "SYS020", f"the file is not UTF-8 (byte {exc.start})"))
        return table
    return read_text(text, display, yaml_form=path.suffix.lower() in (".yml", ".yaml"))


def read_text(text: str, display: str, *, yaml_form: bool) -> Table:
    """The table written in ``text``."""
    table = Table(display)
    if yaml_form:
        _read_yaml(text, table)
    else:
        _read_csv(text.replace("\r\n", "\n").replace("\r", "\n"), table)
    if len(table.rows) > MAX_ROWS:
        table.problems.append(Problem(display, 0, 0, "SYS021", f"more than {MAX_ROWS} rows; none is shown"))
        table.rows = []
    return table


def _clean(value: str) -> str:
    """A value as a page may show it: no control characters (Markdown's own placeholders are
    made of them), no surrounding space."""
    return without_controls(value).strip()


def csv_records(text: str, most: int) -> tuple[list[list[Cell]], list[tuple[int, int, str]]]:
    """Records of RFC 4180 CSV (``\\n`` line ends), each field with its position, no more than
    ``most``; and (line, col, reason) for each fault, read past so the rest still counts."""
    records: list[list[Cell]] = []
    faults: list[tuple[int, int, str]] = []
    record: list[Cell] = []
    i, line, col, n = 0, 1, 1, len(text)
    while (i < n or record) and len(records) < most:
        start_line, start_col = line, col
        value: list[str] = []
        if i < n and text[i] == '"':
            i, col = i + 1, col + 1
            while True:
                if i >= n:
                    faults.append((start_line, start_col, "a quoted value is never closed"))
                    break
                ch = text[i]
                if ch == '"' and i + 1 < n and text[i + 1] == '"':
                    value.append('"')
                    i, col = i + 2, col + 2
                elif ch == '"':
                    i, col = i + 1, col + 1
                    break
                else:
                    value.append(ch)
                    i += 1
                    line, col = (line + 1, 1) if ch == "\n" else (line, col + 1)
            if i < n and text[i] not in ",\n":
                faults.append((line, col, 'text after a closing quote (write a quote inside quotes as "")'))
        while i < n and text[i] not in ",\n":
            value.append(text[i])
            i, col = i + 1, col + 1
        record.append(Cell(_clean("".join(value)), start_line, start_col))
        if i < n and text[i] == ",":
            i, col = i + 1, col + 1
            continue
        if any(c.value for c in record):
            records.append(record)
        record = []
        if i < n:  # a line end
            i, line, col = i + 1, line + 1, 1
    return records, faults


def _read_csv(text: str, table: Table) -> None:
    records, faults = csv_records(text, MAX_ROWS + 2)  # the header, and one row past the bound
    table.problems += [Problem(table.path, ln, c, "SYS021", f"malformed CSV: {why}") for ln, c, why in faults]
    if not records:
        return
    header, *body = records
    if not _columns(header, table):
        return
    for record in body:
        if len(record) > len(header):
            extra = record[len(header)]
            if any(c.value for c in record[len(header) :]):
                message = f"this row has {len(record)} values but the header names {len(header)} columns"
                table.problems.append(Problem(table.path, extra.line, extra.col, "SYS021", message))
        cells = {name: cell for name, cell in zip(table.columns, record, strict=False)}
        table.rows.append(Row(cells, record[0].line, record[0].col))


def _columns(header: list[Cell], table: Table) -> bool:
    """The header's column names; a blank or repeated one is a finding (and no rows are read)."""
    seen: set[str] = set()
    for cell in header:
        name = cell.value
        if not name or name.casefold() in seen:
            why = "a column without a name" if not name else f"the column '{name}' is named twice"
            table.problems.append(
                Problem(table.path, cell.line, cell.col, "SYS021", f"malformed header: {why}")
            )
            return False
        seen.add(name.casefold())
        table.columns.append(name)
    return True


def _read_yaml(text: str, table: Table) -> None:
    """A list of mappings, one per row (a value may be a list: it reads as ``a; b``)."""
    try:
        node = yamlsafe.compose(text)
    except (yaml.YAMLError, RecursionError) as exc:
        line, col = yamlsafe.error_position(exc, (1, 1))
        reason = yamlsafe.error_reason(exc, "not valid YAML")
        table.problems.append(Problem(table.path, line, col, "SYS021", f"malformed YAML: {reason}"))
        return
    if node is None:
        return
    if not isinstance(node, yaml.SequenceNode):
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        message = "the file must be a list of rows (one `- key: …` mapping per row)"
        table.problems.append(Problem(table.path, line, col, "SYS021", message))
        return
    for item in node.value:
        where = (item.start_mark.line + 1, item.start_mark.column + 1)
        if not isinstance(item, yaml.MappingNode):
            table.problems.append(
                Problem(table.path, *where, "SYS021", "a row must be a mapping of column: value")
            )
            continue
        cells: dict[str, Cell] = {}
        for key, value in item.value:
            name = _clean(_scalar(key))
            if not name or name in cells:
                continue
            cells[name] = Cell(_clean(_scalar(value)), value.start_mark.line + 1, value.start_mark.column + 1)
            if name.casefold() not in (c.casefold() for c in table.columns):
                table.columns.append(name)
        table.rows.append(Row(cells, *where))


def _scalar(node: yaml.Node) -> str:
    """A value's text: a scalar as written, a list's scalars joined by ``; ``, else nothing."""
    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag.endswith(":null") else str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return "; ".join(str(n.value) for n in node.value if isinstance(n, yaml.ScalarNode))
    return ""

"""The studies and summary-of-findings tables as HTML elements, and as CSV downloads.

Built as ``xml.etree`` elements whose text is set, never parsed, so a value from the files (a
``<script>``, a ``javascript:`` link) stays text. Each study's key cell holds the citation slot
the caller makes (``cite``), the slot a ``[@key]`` citation gets: the site-wide step fills it
with the number or author–date form, its tooltip and link, and "Cited in" links to the cell's
id. Sorting and filtering are the site's own script (``litreview.js``, ``table.lr-sortable``).
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

from ..references.anchors import PREFIX, anchor
from .grade import CERTAINTY, LEVELS, STUDIES, Findings
from .rows import Cell
from .studies import KEY, Studies

Cite = Callable[[str], etree.Element]
"""A key → the citation slot standing for it on the page (the work counts as cited there)."""

DOWNLOAD = "data-lr-download"
"""The attribute naming a download's site path until its link is made."""
_NAMES = {level: name for name, level in LEVELS.items()}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula: such a cell is written after a ``'``."""


def row_id(key: str) -> str:
    """The id of a study's row (its key cell): ``study-`` and the key as :func:`anchor` spells it."""
    return "study-" + anchor(key)[len(PREFIX) :]


def _text(tag: str, text: str, attrs: dict[str, str] | None = None) -> etree.Element:
    el = etree.Element(tag, attrs or {})
    el.text = text
    return el


def _frame(kind: str, noun: str, table: etree.Element, download: str | None) -> etree.Element:
    """The table in its scrolling frame, under a filter (shown by the script) and the download."""
    box = etree.Element("div", {"class": f"lr-data-table lr-{kind}", "data-lr-table": kind})
    tools = etree.SubElement(box, "p", {"class": "lr-table-tools"})
    label = etree.SubElement(tools, "label", {"class": "lr-table-filter", "hidden": "hidden"})
    label.text = f"Filter the {noun} "
    etree.SubElement(label, "input", {"type": "search", "autocomplete": "off"})
    status = etree.SubElement(tools, "span", {"class": "lr-shown", "aria-live": "polite"})
    status.text = ""
    if download is not None:  # its href is filled once the page is converted (see study_tables)
        tools.append(_text("span", f"Download the {noun} (CSV)", {DOWNLOAD: download}))
    frame = etree.SubElement(box, "div", {"class": "lr-table-frame", "tabindex": "0", "role": "region"})
    frame.set("aria-label", f"Table of {noun}")
    frame.append(table)
    return box


def _head(table: etree.Element, titles: list[str]) -> etree.Element:
    row = etree.SubElement(etree.SubElement(table, "thead"), "tr")
    for title in titles:
        row.append(_text("th", title, {"scope": "col"}))
    return etree.SubElement(table, "tbody")


def studies_table(studies: Studies, cite: Cite, download: str | None) -> etree.Element:
    """One row per included study: its citation, then the team's columns."""
    columns = studies.columns
    table = etree.Element("table", {"class": "lr-sortable lr-studies-table"})
    body = _head(table, ["Study", *columns[1:]])
    for study in studies.studies:
        tr = etree.SubElement(body, "tr")
        th = etree.SubElement(tr, "th", {"scope": "row", "id": row_id(study.key)})
        th.append(cite(study.key))
        for column in columns[1:]:
            cell = study.row.get(column)
            tr.append(_text("td", cell.value if cell else ""))
    return _frame("studies", "included studies", table, download)


def findings_table(findings: Findings, cite: Cite, download: str | None) -> etree.Element:
    """One row per outcome; its studies cited, its certainty drawn as GRADE draws it."""
    columns = findings.columns
    table = etree.Element("table", {"class": "lr-sortable lr-findings-table"})
    body = _head(table, [c[:1].upper() + c[1:] for c in columns])
    for finding in findings.rows:
        tr = etree.SubElement(body, "tr")
        for column in columns:
            cell = next((c for n, c in finding.values.items() if n.casefold() == column.casefold()), None)
            td = etree.SubElement(tr, "td")
            if column == STUDIES and finding.keys:
                _cite_all(td, finding.keys, cite)
            elif column == CERTAINTY and finding.level is not None:
                _certainty(td, finding.level)
            else:
                td.text = cell.value if cell else ""
    return _frame("findings", "findings", table, download)


def _cite_all(td: etree.Element, keys: list[str], cite: Cite) -> None:
    for n, key in enumerate(keys):
        slot = cite(key)
        slot.tail = "; " if n + 1 < len(keys) else ""
        td.append(slot)


def _certainty(td: etree.Element, level: int) -> None:
    """⊕⊕⊕◯ for the eye (hidden from screen readers), the level's name for everyone."""
    td.set("data-lr-sort", str(level))
    marks = _text("span", "⊕" * level + "◯" * (4 - level), {"class": "lr-grade", "aria-hidden": "true"})
    marks.tail = " "
    td.append(marks)
    name = _NAMES[level]
    td.append(_text("span", name[:1].upper() + name[1:], {"class": "lr-grade-name"}))


def csv_cell(value: str) -> str:
    """A value a spreadsheet shows as text: one starting like a formula gets a ``'`` first."""
    return "'" + value if value.startswith(_FORMULA) else value


def _csv(rows: list[list[str]]) -> str:
    """The rows as CSV; a carriage return in a value (a YAML file's ``"\\r=1"``) becomes a line
    feed, which the writer quotes: a bare one would start a row of its own in a spreadsheet,
    its first cell read as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([[csv_cell(re.sub(r"\r\n?", "\n", v)) for v in row] for row in rows])
    return out.getvalue()


def _value(cell: Cell | None) -> str:
    return cell.value if cell is not None else ""


def studies_csv(studies: Studies) -> str:
    """The studies table as CSV, its columns as the team declared them."""
    columns = studies.columns
    body = [[s.key] + [_value(s.row.get(c)) for c in columns[1:]] for s in studies.studies]
    return _csv([[KEY, *columns[1:]], *body])


def findings_csv(findings: Findings) -> str:
    """The summary of findings as CSV."""
    columns = findings.columns

    def value(values: dict[str, Cell], column: str) -> str:
        return _value(next((c for n, c in values.items() if n.casefold() == column.casefold()), None))

    return _csv([columns, *[[value(f.values, c) for c in columns] for f in findings.rows]])

"""A PRISMA 2020 flow's counts, read from the PRISMA2020 package's CSV template or from YAML.

The R package and its Shiny app keep a review's flow as ``PRISMA.csv``: one row per box,
keyed by its ``data`` column, the count in ``n``, the box's wording in ``boxtext``; per-source
results and reasons for exclusion as ``name, n; name, n`` lists. A team keeps the file it
has; YAML takes the same keys (``duplicates: 120``, ``dbr_excluded: {Wrong design: 4}``,
``records_screened_text: Titles screened``). Every fault is a finding at its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..files import yamlsafe
from ..findings.problems import Problem
from .csv_cells import CsvCell, CsvError, rows

#: The boxes that hold a count, with the PRISMA2020 package's default wording.
COUNTS: dict[str, str] = {
    "previous_studies": "Studies included in previous version of review",
    "previous_reports": "Reports of studies included in previous version of review",
    "database_results": "Databases",
    "register_results": "Registers",
    "website_results": "Websites",
    "organisation_results": "Organisations",
    "citations_results": "Citation searching",
    "duplicates": "Duplicate records",
    "excluded_automatic": "Records marked as ineligible by automation tools",
    "excluded_other": "Records removed for other reasons",
    "records_screened": "Records screened",
    "records_excluded": "Records excluded",
    "dbr_sought_reports": "Reports sought for retrieval",
    "dbr_notretrieved_reports": "Reports not retrieved",
    "other_sought_reports": "Reports sought for retrieval",
    "other_notretrieved_reports": "Reports not retrieved",
    "dbr_assessed": "Reports assessed for eligibility",
    "other_assessed": "Reports assessed for eligibility",
    "new_studies": "New studies included in review",
    "new_reports": "Reports of new included studies",
    "total_studies": "Total studies included in review",
    "total_reports": "Reports of total included studies",
    "total_studies_ma": "Total studies included in meta-analysis",
    "total_reports_ma": "Reports of total included studies in meta-analysis",
}
#: The boxes that hold a ``name, n; name, n`` list (or a plain count).
LISTS: dict[str, str] = {
    "database_specific_results": "Databases",
    "register_specific_results": "Registers",
    "dbr_excluded": "Reports excluded",
    "other_excluded": "Reports excluded",
}
#: Title boxes and the phase bars: wording only (keyed by ``box`` when ``data`` is NA).
TITLES: dict[str, str] = {
    "prevstud": "Previous studies",
    "newstud": "Identification of new studies via databases and registers",
    "othstud": "Identification of new studies via other methods",
    "identification": "Identification",
    "screening": "Screening",
    "included": "Included",
}
KNOWN = COUNTS | LISTS | TITLES
PREVIOUS = ("previous_studies", "previous_reports")
OTHER = (
    "website_results",
    "organisation_results",
    "citations_results",
    "other_sought_reports",
    "other_notretrieved_reports",
    "other_assessed",
    "other_excluded",
)
#: Bounds: far beyond any review's flow, far below what would slow a build.
MAX_BYTES = 1_000_000
MAX_ITEMS = 200
MAX_LABEL = 300

_NONE = ("", "na", "nan", "null")
_COUNT = re.compile(r"\d{1,15}|\d{1,3}(?:,\d{3}){1,4}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Item:
    """One source or reason of a list box."""

    name: str
    n: int


@dataclass(frozen=True)
class Box:
    """One box's count (None: not given), its listed items, its wording, and where its count is."""

    key: str
    n: int | None
    items: tuple[Item, ...] = ()
    line: int = 0
    col: int = 0
    stated: bool = True
    """The count was written, not only summed from the items."""


@dataclass
class Flow:
    """A review's flow: its boxes by key, the wording the file gives, and the file's name."""

    path: str
    boxes: dict[str, Box] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)
    """Boxes whose count is written but can't be read (SYS003): no step that uses them is checked."""

    def n(self, key: str) -> int | None:
        """The box's count (None when the file doesn't give it)."""
        box = self.boxes.get(key)
        return box.n if box is not None else None

    def label(self, key: str) -> str:
        """The box's wording: the file's, else the PRISMA2020 package's."""
        return self.labels.get(key) or KNOWN.get(key, key)

    def given(self, key: str) -> bool:
        """Does the file give this box a count?"""
        return self.n(key) is not None

    @property
    def previous(self) -> bool:
        """An updated review's layout: studies and reports from the previous version."""
        return any(self.n(k) for k in PREVIOUS)

    @property
    def other(self) -> bool:
        """Records found by other methods (websites, organisations, citation searching)."""
        return any(self.n(k) for k in OTHER)

    @property
    def empty(self) -> bool:
        """Nothing to draw."""
        return not any(box.n is not None for box in self.boxes.values())


def included_studies(flow: Flow) -> int | None:
    """How many studies the review includes, as its flow says: the total when given, else the
    previous version's plus the new ones (None when the flow gives neither)."""
    if flow.given("total_studies"):
        return flow.n("total_studies")
    new = flow.n("new_studies")
    return None if new is None else new + (flow.n("previous_studies") or 0)


def parse_count(text: str) -> int | str:
    """A count, or what is wrong with it (a message)."""
    value = text.strip()
    if _COUNT.fullmatch(value):
        return int(value.replace(",", ""))
    if re.fullmatch(r"-\s*\d+", value):
        return f"'{value}' is negative: a count is 0 or more"
    return f"'{_shorten(value)}' is not a whole number"


def parse_items(text: str) -> tuple[Item, ...] | str:
    """A ``name, n; name, n`` list, or what is wrong with it (a message)."""
    items: list[Item] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        name, comma, count = part.rpartition(",")
        if not comma or not name.strip():
            return f"'{_shorten(part)}' is not 'name, n' (separate the items with ';')"
        n = parse_count(count)
        if isinstance(n, str):
            return f"{_shorten(name.strip())}: {n}"
        items.append(Item(clean(name), n))
        if len(items) > MAX_ITEMS:
            return f"more than {MAX_ITEMS} items"
    return tuple(items) if items else "an empty list"


def clean(text: str) -> str:
    """Wording from the file, fit for XML: no control characters, one space between words, bounded."""
    flat = " ".join(_NOT_XML.sub("", text).split())
    return flat if len(flat) <= MAX_LABEL else flat[: MAX_LABEL - 1] + "\u2026"


def _shorten(text: str) -> str:
    flat = clean(text)
    return flat if len(flat) <= 40 else flat[:39] + "\u2026"


def suggest(name: str) -> str:
    """'did you mean …' for an unknown box name ("" when nothing is close)."""
    from rapidfuzz import process  # only needed when something is wrong
    from rapidfuzz.distance import Levenshtein

    found = process.extract(
        name, list(KNOWN), scorer=Levenshtein.normalized_similarity, limit=3, score_cutoff=0.5
    )
    return f" (did you mean {', '.join(repr(m) for m, _s, _i in found)}?)" if found else ""


class _Reading:
    """One file's boxes and findings as they are read."""

    def __init__(self, path: str) -> None:
        self.flow = Flow(path)
        self.problems: list[Problem] = []

    def problem(self, line: int, col: int, code: str, message: str, key: str = "") -> None:
        self.problems.append(Problem(self.flow.path, line, col, code, message))
        if key:
            self.flow.unreadable.add(key)

    def known(self, key: str, line: int, col: int) -> bool:
        """Is ``key`` a box, not seen before? (SYS002, SYS004 otherwise.)"""
        if key not in KNOWN:
            self.problem(line, col, "SYS002", f"unknown box '{_shorten(key)}'{suggest(key)}")
            return False
        if key in self.flow.boxes:
            first = self.flow.boxes[key]
            self.problem(line, col, "SYS004", f"'{key}' is given twice (first at line {first.line})")
            return False
        return True

    def value(self, key: str, text: str, line: int, col: int, stated: int | None = None) -> None:
        """The box's count (or list) from ``text``; SYS003 when it is neither."""
        if key in TITLES:
            return
        if key in LISTS and not _COUNT.fullmatch(text.strip()):
            items = parse_items(text)
            if isinstance(items, str):
                self.problem(line, col, "SYS003", f"{key}: {items}", key)
                return
            total = sum(i.n for i in items)
            self.flow.boxes[key] = Box(
                key, total if stated is None else stated, items, line, col, stated is not None
            )
            return
        n = parse_count(text)
        if isinstance(n, str):
            self.problem(line, col, "SYS003", f"{key}: {n}", key)
            return
        self.flow.boxes[key] = Box(key, n, (), line, col)

    def label(self, key: str, text: str) -> None:
        wording = clean(text)
        if wording and wording.casefold() not in _NONE:
            self.flow.labels[key] = wording


def read(path: Path, display: str) -> tuple[Flow, list[Problem]]:
    """The flow in ``path`` (CSV, or YAML by its suffix) and the findings on the way."""
    reading = _Reading(display)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yml", ".yaml"):
        reading.problem(0, 0, "SYS001", "the PRISMA flow file must be .csv (the PRISMA2020 template) or .yml")
        return reading.flow, reading.problems
    try:
        if path.stat().st_size > MAX_BYTES:
            reading.problem(0, 0, "SYS001", f"the PRISMA flow file is larger than {MAX_BYTES:,} bytes")
            return reading.flow, reading.problems
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8"
        reading.problem(0, 0, "SYS001", f"cannot read the PRISMA flow file: {reason}")
        return reading.flow, reading.problems
    return parse(text, display, yaml_form=suffix != ".csv")


def parse(text: str, display: str, yaml_form: bool = False) -> tuple[Flow, list[Problem]]:
    """The flow written in ``text`` (CSV, or YAML) and the findings on the way."""
    reading = _Reading(display)
    (_yaml if yaml_form else _csv)(text, reading)
    return reading.flow, reading.problems


def _csv(text: str, reading: _Reading) -> None:
    try:
        table = rows(text)
    except CsvError as exc:
        reading.problem(exc.line, exc.col, "SYS001", f"not CSV: {exc}")
        return
    if not table:
        reading.problem(1, 1, "SYS001", "the PRISMA flow file is empty")
        return
    header = {cell.text.strip().casefold(): i for i, cell in enumerate(table[0])}
    if "data" not in header or "n" not in header:
        reading.problem(
            1, 1, "SYS001", "the first row must name the columns 'data' and 'n', as the template's does"
        )
        return
    for row in table[1:]:
        _csv_row(row, header, reading)


def _csv_row(row: list[CsvCell], header: dict[str, int], reading: _Reading) -> None:
    def cell(name: str) -> CsvCell | None:
        i = header.get(name)
        return row[i] if i is not None and i < len(row) else None

    data, n, box, wording = cell("data"), cell("n"), cell("box"), cell("boxtext")
    key = data.text.strip() if data is not None else ""
    if key.casefold() in _NONE:  # a title box: keyed by its box column
        name = box.text.strip() if box is not None else ""
        if name in TITLES and wording is not None:
            reading.label(name, wording.text)
        return
    assert data is not None
    if not reading.known(key, data.line, data.col):
        return
    if wording is not None:
        reading.label(key, wording.text)
    if n is not None and n.text.strip().casefold() not in _NONE:
        reading.value(key, n.text, n.line, n.col)


def _yaml(text: str, reading: _Reading) -> None:
    try:
        node = yamlsafe.compose(text)
    except yaml.YAMLError as exc:
        line, col = yamlsafe.error_position(exc, (1, 1))
        reading.problem(line, col, "SYS001", f"not YAML: {yamlsafe.error_reason(exc, 'invalid YAML')}")
        return
    if not isinstance(node, yaml.MappingNode):
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
        reading.problem(line, col, "SYS001", "the PRISMA flow file must map box names to counts")
        return
    for key_node, value in node.value:
        _yaml_entry(key_node, value, reading)


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _yaml_entry(key_node: yaml.Node, value: yaml.Node, reading: _Reading) -> None:
    line, col = _at(key_node)
    key = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else ""
    if key.endswith("_text") and key[: -len("_text")] in KNOWN:
        if isinstance(value, yaml.ScalarNode):
            reading.label(key[: -len("_text")], str(value.value))
        else:
            reading.problem(*_at(value), "SYS001", f"{key}: the wording must be text")
        return
    if not key or not reading.known(key, line, col):
        if not key:
            reading.problem(line, col, "SYS001", "a box name must be text")
        return
    if isinstance(value, yaml.ScalarNode):
        if key in TITLES:
            reading.label(key, str(value.value))
        elif str(value.value).strip().casefold() not in _NONE:
            reading.value(key, str(value.value), *_at(value))
        return
    if isinstance(value, yaml.MappingNode) and key not in TITLES:
        _yaml_mapping(key, value, reading)
        return
    reading.problem(*_at(value), "SYS001", f"{key}: must be a count, a 'name, n; …' list or a mapping")


def _yaml_mapping(key: str, value: yaml.MappingNode, reading: _Reading) -> None:
    """``{n: 12, text: …, reasons: {Wrong design: 4, …}}``, or a list box's ``{name: n, …}``."""
    fields = {str(k.value): v for k, v in value.value if isinstance(k, yaml.ScalarNode)}
    if not ({"n", "text", "reasons", "sources"} & set(fields)):
        if key not in LISTS:
            reading.problem(*_at(value), "SYS001", f"{key}: only a list box maps names to counts")
            return
        fields = {"reasons": value}
    if isinstance(text := fields.get("text"), yaml.ScalarNode):
        reading.label(key, str(text.value))
    n = fields.get("n")
    stated: int | None = None
    if isinstance(n, yaml.ScalarNode):
        parsed = parse_count(str(n.value))
        if isinstance(parsed, str):
            reading.problem(*_at(n), "SYS003", f"{key}: {parsed}", key)
            return
        stated = parsed
    listed = fields.get("reasons") or fields.get("sources")
    if listed is None:
        if stated is not None and isinstance(n, yaml.Node):
            reading.flow.boxes[key] = Box(key, stated, (), *_at(n))
        return
    if key not in LISTS:
        reading.problem(*_at(listed), "SYS002", f"{key}: only a list box ({', '.join(LISTS)}) lists items")
        return
    reading.value(key, _items_text(listed), *_at(n if isinstance(n, yaml.Node) else listed), stated=stated)


def _items_text(node: yaml.Node) -> str:
    """A YAML list of items as the CSV's ``name, n; name, n`` text (parsed by one parser)."""
    if isinstance(node, yaml.MappingNode):
        pairs = [
            (str(k.value), str(v.value) if isinstance(v, yaml.ScalarNode) else "?") for k, v in node.value
        ]
        return "; ".join(f"{k.replace(';', ',')}, {v}" for k, v in pairs)
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return "?"

"""Hostile PRISMA flow and studies/findings files (the round's attack on core/systematic).

Any wording in the flow file gives an SVG that is well-formed XML (it is also a download, read
by XML tools) holding no element or attribute from the file; any value in a studies or findings
file gives an HTML table holding none, and a CSV download whose every cell a spreadsheet reads
as text, never a formula; any file, however large or deep, gives findings, never an exception.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as etree

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hostile.injection import injected
from litreview.core.systematic import flow_data, flow_svg, grade, rows, studies, tables_html
from litreview.core.systematic.flow_data import parse
from litreview.core.systematic.rows import read_text

PIECES = [
    "</text><script>alert(1)</script>", "]]>", "<![CDATA[", "\x00", "\x01", "\x0b", "\ufffe", "\ud800",
    "&", "&amp;", '"', "'", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "=HYPERLINK(\"http://x\")",
    "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "\n", ",", '""', "|calc", "\u2028", "é", "javascript:alert(1)",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=5).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def _csv_text(rows: list[list[str]]) -> str:
    """CSV as a file holds it: UTF-8, so no lone surrogate (YAML's escapes can make one)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "replace").decode("utf-8")


def _no_formula(download: str) -> None:
    for row in csv.reader(io.StringIO(download)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def _clean_html(element: etree.Element) -> None:
    html = etree.tostring(element, encoding="unicode", method="html")
    assert not injected(html), html


@SETTINGS
@given(TEXT, TEXT, TEXT)
@example("</text><script>alert(1)</script>", "]]>\x01", '"><svg onload=alert(1)>')
def test_any_wording_in_the_flow_gives_well_formed_svg(label: str, reason: str, source: str) -> None:
    text = _csv_text(
        [
            ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"],
            ["database_results", "", "", "", label, label, "javascript:alert(1)", f"{source}, 10"],
            ["database_specific_results", "", "", "", label, "", "", f"{source}, 10"],
            ["duplicates", "", "", "", label, "", "", "1"],
            ["excluded_automatic", "", "", "", label, "", "", "0"],
            ["excluded_other", "", "", "", label, "", "", "0"],
            ["records_screened", "", "", "", label, "", "", "9"],
            ["records_excluded", "", "", "", label, "", "", "1"],
            ["dbr_sought_reports", "", "", "", label, "", "", "8"],
            ["dbr_notretrieved_reports", "", "", "", label, "", "", "0"],
            ["dbr_assessed", "", "", "", label, "", "", "8"],
            ["dbr_excluded", "", "", "", label, "", "", f"{reason}, 3"],
            ["new_studies", "", "", "", label, "", "", "5"],
            ["new_reports", "", "", "", label, "", "", "5"],
            ["total_studies", "", "", "", label, "", "", "5"],
            ["total_reports", "", "", "", label, "", "", "5"],
        ]
    )
    for yaml_form in (False, True):
        body = (
            text
            if not yaml_form
            else f"database_results: {json.dumps(label)}\ndbr_excluded: {json.dumps(reason)}\n"
        )
        flow, _problems = parse(body, "prisma.csv", yaml_form)
        drawn = flow_svg.svg(flow)
        root = ET.fromstring(drawn)  # well-formed XML: a control character or ]]> would end it
        assert not [e for e in root.iter() if e.tag.endswith(("script", "foreignObject", "a", "image"))]
        assert not [k for e in root.iter() for k in e.attrib if k.lower().startswith("on")]


def test_a_huge_flow_file_is_bounded(tmp_path: Path) -> None:
    """The largest flow file read (one past it is refused unread, as tested below), one box
    repeated to its end."""
    row = 'dbr_excluded,"reason, 1"\n'
    path = tmp_path / "prisma.csv"
    path.write_text("data,n\n" + row * ((flow_data.MAX_BYTES - 7) // len(row)), encoding="utf-8")
    assert path.stat().st_size > flow_data.MAX_BYTES - len(row)
    lines = path.read_text(encoding="utf-8").splitlines()
    flow, problems = flow_data.read(path, "prisma.csv")
    assert len(flow_svg.svg(flow)) < 5_000_000
    assert len(problems) < len(lines)  # one per repeated row, at most: linear, no expansion


@SETTINGS
@given(st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=6), TEXT)
@example([('=HYPERLINK("http://x","y")', "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>')], "-2+3")
def test_any_value_in_a_studies_or_findings_file_stays_text(
    rows: list[tuple[str, str, str]], column: str
) -> None:
    header = ["key", "design", column or "n"]
    for yaml_form in (False, True):
        if yaml_form:
            body = "".join(
                f"- key: {json.dumps(k)}\n  design: {json.dumps(d)}\n  {json.dumps(header[2])}: {json.dumps(n)}\n"
                for k, d, n in rows
            )
        else:
            body = _csv_text([header, *[list(r) for r in rows]])
        found = studies.read(read_text(body, "studies.csv", yaml_form=yaml_form))
        _clean_html(tables_html.studies_table(found, lambda key: etree.Element("span"), "x.csv"))
        _no_formula(tables_html.studies_csv(found))
        fheader = ["outcome", "studies", "certainty", column or "effect"]
        fbody = _csv_text([fheader, *[[k, k, d, n] for k, d, n in rows]])
        findings = grade.read(read_text(fbody, "findings.csv", yaml_form=False))
        _clean_html(tables_html.findings_table(findings, lambda key: etree.Element("span"), "f.csv"))
        _no_formula(tables_html.findings_csv(findings))


def test_a_huge_or_deep_studies_file_gives_findings() -> None:
    big = _csv_text([["key", "design"], *([["k", "x" * 100]] * 100_000)])
    read_text(big, "studies.csv", yaml_form=False)
    for deep in (
        "[" * 100_000,
        "- " * 50_000 + "x",
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n" * 1,
    ):
        table = read_text(deep, "studies.yml", yaml_form=True)
        assert table.problems or not table.rows


def test_a_studies_file_past_the_row_bound_is_read_no_further(monkeypatch: pytest.MonkeyPatch) -> None:
    """MAX_ROWS was checked once every row was read (and dropped): a file of ten times as many
    rows cost ten times the work. Reading now stops at the first row past the bound."""
    made = 0
    cell = rows.Cell

    def counted(value: str, line: int, col: int) -> rows.Cell:
        nonlocal made
        made += 1
        return cell(value, line, col)

    monkeypatch.setattr(rows, "Cell", counted)
    table = read_text(
        _csv_text([["key", "design"], *([["k", "x"]] * (10 * rows.MAX_ROWS))]), "s.csv", yaml_form=False
    )
    assert not table.rows and any(f"more than {rows.MAX_ROWS} rows" in p.message for p in table.problems)
    assert made <= 2 * (rows.MAX_ROWS + 2)


def _bytes_read() -> int:
    return int(Path("/proc/self/io").read_text().split("rchar:")[1].split()[0])


@pytest.mark.parametrize(
    ("load", "bound"),
    [
        (lambda p: rows.load(p, "s.csv").problems, rows.MAX_BYTES),
        (lambda p: flow_data.read(p, "prisma.csv")[1], flow_data.MAX_BYTES),
    ],
    ids=["studies", "flow"],
)
def test_a_file_past_its_size_bound_is_not_read_whole(
    tmp_path: Path, load: Callable[[Path], list[object]], bound: int
) -> None:
    """The studies and findings reader read the whole file, then refused it for its size."""
    path = tmp_path / "big.csv"
    path.write_bytes(b"key,design\n" + b"k,x\n" * bound)
    before = _bytes_read()
    problems = load(path)
    assert problems and "larger than" in str(problems)
    assert _bytes_read() - before <= bound + 100_000

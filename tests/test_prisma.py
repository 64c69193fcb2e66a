"""The PRISMA 2020 flow diagram (issue 31 §1, §4): read from the PRISMA2020 package's CSV
template or YAML, checked (every check fails on a file that breaks it, at its cell), drawn as
an accessible SVG where a page asks for it, under MkDocs and under Zensical."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_in_process, build_outcome, mkdocs_build
from litreview.cli import main
from litreview.core.systematic import flow_checks, flow_figure, flow_svg, review_flow
from litreview.core.systematic.flow_data import COUNTS, KNOWN, LISTS, included_studies, parse

FIXTURE = Path(__file__).parent / "fixtures" / "systematic"
CSV = (FIXTURE / "prisma.csv").read_text(encoding="utf-8")
SVG = "{http://www.w3.org/2000/svg}"


def _findings(text: str, yaml_form: bool = False) -> list[tuple[str, int, int]]:
    flow, problems = parse(text, "prisma.csv", yaml_form)
    return sorted((p.code, p.line, p.col) for p in problems + flow_checks.check(flow))


def _line_of(key: str, text: str = CSV) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(key + ","))


def _with(key: str, n: str, text: str = CSV) -> str:
    """The template with row ``key``'s count (its last cell) replaced by ``n``."""
    lines = text.splitlines()
    i = _line_of(key, text) - 1
    row = lines[i]
    head = row[: row.rindex(',"')] if row.endswith('"') else row[: row.rindex(",")]
    lines[i] = f"{head},{n}"
    return "\n".join(lines) + "\n"


def _n_col(key: str, text: str) -> int:
    row = text.splitlines()[_line_of(key, text) - 1]
    return (row.rindex(',"') if row.endswith('"') else row.rindex(",")) + 2


def test_the_worked_example_adds_up() -> None:
    assert _findings(CSV) == []
    flow, _ = parse(CSV, "prisma.csv")
    assert flow.previous and flow.other
    assert included_studies(flow) == 11
    assert flow.boxes["dbr_excluded"].n == 39
    assert [i.name for i in flow.boxes["database_specific_results"].items] == ["MEDLINE", "Embase", "CENTRAL"]


# Each arithmetic check, broken by one count of the worked example, found at that box's cell.
ARITHMETIC = [
    pytest.param("records_screened", "351", "SYS005", "records_screened", id="identified-minus-removed"),
    pytest.param("duplicates", "95", "SYS005", "records_screened", id="duplicates"),
    pytest.param("records_excluded", "300", "SYS006", "dbr_sought_reports", id="screened-minus-excluded"),
    pytest.param("dbr_notretrieved_reports", "4", "SYS007", "dbr_assessed", id="sought-minus-not-retrieved"),
    pytest.param("other_notretrieved_reports", "1", "SYS007", "other_assessed", id="other-not-retrieved"),
    pytest.param(
        "dbr_excluded",
        '"Wrong population, 19; Wrong outcome, 12"',
        "SYS008",
        "new_reports",
        id="assessed-minus-excluded",
    ),
    pytest.param("other_excluded", '"Wrong population, 5"', "SYS008", "new_reports", id="other-excluded"),
    pytest.param(
        "database_specific_results",
        '"MEDLINE, 231; Embase, 140; CENTRAL, 42"',
        "SYS009",
        "database_specific_results",
        id="per-source-sum",
    ),
    pytest.param("total_studies", "12", "SYS010", "total_studies", id="previous-plus-new-studies"),
    pytest.param("total_reports", "13", "SYS010", "total_reports", id="previous-plus-new-reports"),
]


@pytest.mark.parametrize(("key", "n", "code", "at"), ARITHMETIC)
def test_each_step_of_the_flow_must_add_up(key: str, n: str, code: str, at: str) -> None:
    broken = _with(key, n)
    found = _findings(broken)
    assert (code, _line_of(at, broken), _n_col(at, broken)) in found  # and maybe the next step's too
    assert len(found) <= 2


def test_studies_cannot_outnumber_their_reports() -> None:
    assert _findings("new_studies: 5\nnew_reports: 4\n", yaml_form=True) == [("SYS011", 1, 14)]


# Malformed files: a clear finding at its place, never a traceback.
MALFORMED = [
    pytest.param('data,n\nrecords_screened,"12\n', [("SYS001", 2, 18)], id="unclosed-quote"),
    pytest.param('data,n\nrecords_"screened",12\n', [("SYS001", 2, 9)], id="stray-quote"),
    pytest.param('data,n\nrecords_excluded,"90\nduplicates,"3"\n', [("SYS001", 2, 18)], id="quote-runs-on"),
    pytest.param("box,count\nrecords_screened,12\n", [("SYS001", 1, 1)], id="no-data-and-n-columns"),
    pytest.param("", [("SYS001", 1, 1)], id="empty"),
    pytest.param("data,n\nrecords_screend,12\n", [("SYS002", 2, 1)], id="unknown-box"),
    pytest.param("data,n\nrecords_screened,-3\n", [("SYS003", 2, 18)], id="negative"),
    pytest.param("data,n\nrecords_screened,12.5\n", [("SYS003", 2, 18)], id="fraction"),
    pytest.param("data,n\nrecords_screened,xxx\n", [("SYS003", 2, 18)], id="placeholder"),
    pytest.param('data,n\ndbr_excluded,"Reason1, xxx; Reason2, 3"\n', [("SYS003", 2, 14)], id="reason-count"),
    pytest.param('data,n\ndbr_excluded,"Reason1; Reason2, 3"\n', [("SYS003", 2, 14)], id="reason-no-count"),
    pytest.param("data,n\nduplicates,3\nduplicates,3\n", [("SYS004", 3, 1)], id="twice"),
]


@pytest.mark.parametrize(("text", "expected"), MALFORMED)
def test_a_malformed_csv_is_a_finding_at_its_place(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert _findings(text) == expected


YAML_MALFORMED = [
    pytest.param("records_screened: [12\n", "SYS001", id="not-yaml"),
    pytest.param("- records_screened\n", "SYS001", id="a-list"),
    pytest.param("records_screend: 12\n", "SYS002", id="unknown-box"),
    pytest.param("records_screened: -1\n", "SYS003", id="negative"),
    pytest.param("records_screened: 1e3\n", "SYS003", id="float"),
    pytest.param("records_screened: true\n", "SYS003", id="boolean"),
    pytest.param("records_screened: 1\nrecords_screened: 1\n", "SYS004", id="twice"),
    pytest.param("records_screened: {Wrong: 2}\n", "SYS001", id="mapping-for-a-count"),
    pytest.param("dbr_excluded: [1, 2]\n", "SYS001", id="sequence"),
    pytest.param("records_screened: {n: 2, reasons: {a: 2}}\n", "SYS002", id="reasons-on-a-count"),
    pytest.param("a: &a [*a]\n", "SYS001", id="self-alias"),
]


@pytest.mark.parametrize(("text", "code"), YAML_MALFORMED)
def test_a_malformed_yaml_is_a_finding(text: str, code: str) -> None:
    assert [c for c, _line, _col in _findings(text, yaml_form=True)] == [code]


def test_an_unreadable_count_is_one_finding_not_a_wrong_sum_too() -> None:
    assert _findings(_with("duplicates", "xxx")) == [
        ("SYS003", _line_of("duplicates"), _n_col("duplicates", CSV))
    ]


def test_did_you_mean_names_the_box() -> None:
    _flow, problems = parse("data,n\nrecords_screend,12\n", "prisma.csv")
    assert problems[0].message.startswith("unknown box 'records_screend' (did you mean 'records_screened'")


YAML = """\
previous_studies: 4
previous_reports: 5
database_results:
  n: 412
database_specific_results: {MEDLINE: 230, Embase: 140, CENTRAL: 42}
register_results: 38
website_results: 6
organisation_results: 3
citations_results: 11
duplicates: 96
excluded_automatic: 0
excluded_other: 4
records_screened: 350
records_screened_text: Titles and abstracts screened
records_excluded: 301
dbr_sought_reports: 49
dbr_notretrieved_reports: 3
other_sought_reports: 12
other_notretrieved_reports: 2
dbr_assessed: 46
dbr_excluded:
  n: 39
  reasons: {Wrong population: 18, Wrong outcome: 12, Not a randomised trial: 9}
other_assessed: 10
other_excluded: "Wrong population, 6; No full text in English, 2"
new_studies: 7
new_reports: 9
total_studies: 11
total_reports: 14
"""


def test_yaml_takes_the_same_keys_and_gives_the_same_flow() -> None:
    assert _findings(YAML, yaml_form=True) == []
    from_yaml, _ = parse(YAML, "prisma.yml", yaml_form=True)
    from_csv, _ = parse(CSV, "prisma.csv")
    assert {k: b.n for k, b in from_yaml.boxes.items()} == {k: b.n for k, b in from_csv.boxes.items()}
    assert from_yaml.label("records_screened") == "Titles and abstracts screened"


def test_yaml_reasons_must_sum_to_their_stated_box() -> None:
    broken = YAML.replace("  n: 39\n", "  n: 40\n")
    line = broken.splitlines().index("  n: 40") + 1
    # the reasons' box is 40: its reasons make 39, and 46 - 40 no longer makes the included reports
    reports = broken.splitlines().index("new_reports: 9") + 1
    assert _findings(broken, yaml_form=True) == [("SYS008", reports, 14), ("SYS009", line, 6)]


@pytest.mark.parametrize(
    ("drop", "previous", "other"),
    [
        pytest.param((), True, True, id="updated-with-other-methods"),
        pytest.param(("previous_", "total_"), False, True, id="new-with-other-methods"),
        pytest.param(
            ("website", "organisation", "citations", "other_"), True, False, id="updated-databases-only"
        ),
        pytest.param(
            ("previous_", "total_", "website", "organisation", "citations", "other_"),
            False,
            False,
            id="new-databases-only",
        ),
    ],
)
def test_both_layouts_with_or_without_other_methods(
    drop: tuple[str, ...], previous: bool, other: bool
) -> None:
    text = "\n".join(line for line in CSV.splitlines() if not line.startswith(drop)) + "\n"
    if not other:  # the included reports are then the databases' alone
        text = _with("new_reports", "7", text)
        text = _with("total_reports", "12", text) if previous else text
    flow, problems = parse(text, "prisma.csv")
    assert problems + flow_checks.check(flow) == []
    assert (flow.previous, flow.other) == (previous, other)
    root = ET.fromstring(flow_svg.svg(flow))
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert ("Previous studies" in texts) is previous
    assert ("via other methods" in texts) is other
    assert "Records screened (n\u00a0=\u00a0350)" in texts


def test_the_diagram_is_an_image_with_its_text_alternative() -> None:
    flow, _ = parse(CSV, "prisma.csv")
    root = ET.fromstring(flow_svg.svg(flow))
    assert root.get("role") == "img"
    title, desc = root.get("aria-labelledby", "").split()
    named = {el.get("id"): "".join(el.itertext()) for el in root.iter() if el.get("id")}
    assert named[title] == "PRISMA 2020 flow diagram"
    assert "Records screened (n\u00a0=\u00a0350)" in named[desc]
    assert "Wrong population (n\u00a0=\u00a018)" in named[desc]


HOSTILE = "<script>alert(1)</script>&amp;\"'\x01"


def test_wording_from_the_file_stays_text() -> None:
    quoted = HOSTILE.replace('"', '""')
    text = CSV.replace(",Records screened,Records screened (", f',"{quoted}",Records screened (', 1)
    text = text.replace("Wrong population, 18", "<b onload=x>Wrong</b>, 18", 1)
    flow, problems = parse(text, "prisma.csv")
    assert problems == []
    drawn = flow_figure.figure(flow, "../prisma/prisma-flow.svg")
    assert "<script" not in drawn and "<b " not in drawn
    root = ET.fromstring(flow_svg.svg(flow))  # the control character is gone: the file is XML
    texts = "".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))  # long words wrap
    assert "<script>alert(1)</script>&amp;\"'" in texts
    assert "<b onload=x>Wrong</b>" in texts


def test_the_download_href_is_escaped_and_a_data_address_without_files() -> None:
    flow, _ = parse(CSV, "prisma.csv")
    assert 'href="a&quot;b"' in flow_figure.figure(flow, 'a"b')
    href = BeautifulSoup(flow_figure.figure(flow, None), "html.parser").select_one("a.lr-download")
    assert href is not None and str(href["href"]).startswith("data:image/svg+xml;charset=utf-8,%3Csvg")


@pytest.mark.parametrize(
    "slot",
    [
        '<div data-lr-slot="prisma"></div>',
        "<div class='x' data-lr-slot='prisma'>\n</div>",
        "<div data-lr-slot=prisma></div>",
    ],
)
def test_the_slot_is_found_in_its_written_forms(slot: str) -> None:
    flow, _ = parse(CSV, "prisma.csv")
    html = f"<p>a</p>{slot}<p>b</p>{slot}"
    filled = flow_figure.fill(html, flow, "f.svg")
    assert filled.count("<svg") == 2 and 'id="prisma-flow-2"' in filled
    assert not flow_figure.holds_slot('<div data-lr-slot="prismatic"></div>')


def test_a_slot_in_a_code_block_is_not_a_slot() -> None:
    text = '# T\n\n```html\n<div data-lr-slot="prisma"></div>\n```\n\n<div data-lr-slot="prisma"></div>\n'
    assert review_flow.slot_places(text) == [(7, 1)]


def test_slot_without_a_flow_and_flow_without_a_slot() -> None:
    texts = {"a.md": '# A\n\n<div data-lr-slot="prisma"></div>\n', "b.md": "# B\n"}
    found = review_flow.slot_problems(texts, {"a.md": "content/a.md"}, False, "mkdocs.yml", 0)
    assert [(p.path, p.line, p.col, p.code) for p in found] == [("content/a.md", 3, 1, "SYS012")]
    assert review_flow.slot_problems(texts, {}, True, "mkdocs.yml", 9) == []
    alone = review_flow.slot_problems({"b.md": "# B\n"}, {}, True, "mkdocs.yml", 9)
    assert [(p.line, p.code) for p in alone] == [(9, "SYS012")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("prisma.txt", "x", "must be .csv"),
        ("prisma.csv", None, "cannot read the PRISMA flow file"),
        ("prisma.csv", b"data,n\n\xff\n", "not UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read(tmp_path: Path, name: str, content: object, message: str) -> None:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    _flow, problems = review_flow.load(path, name)
    assert [p.code for p in problems] == ["SYS001"] and message in problems[0].message


# Any input gives a diagram or findings, never a crash; the drawing is always well-formed XML.
_KEYS = st.sampled_from([*KNOWN, "databse_results", "NA", ""])
_CELL = st.one_of(
    st.integers(-5, 10**6).map(str),
    st.text(max_size=12),
    st.lists(st.tuples(st.text(max_size=8), st.integers(0, 99)), max_size=4).map(
        lambda items: "; ".join(f"{a}, {n}" for a, n in items)
    ),
)


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_KEYS, _CELL, st.text(max_size=20)), max_size=30))
def test_any_template_rows_give_a_diagram_or_findings(rows: list[tuple[str, str, str]]) -> None:
    text = "data,node,box,description,boxtext,tooltips,url,n\n" + "".join(
        f"{_csv_cell(k)},NA,NA,NA,{_csv_cell(label)},NA,NA,{_csv_cell(n)}\n" for k, n, label in rows
    )
    flow, problems = parse(text, "prisma.csv")
    problems += flow_checks.check(flow)
    assert all(p.code.startswith("SYS") for p in problems)
    ET.fromstring(flow_svg.svg(flow))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.booleans())
def test_any_text_gives_a_diagram_or_findings(text: str, yaml_form: bool) -> None:
    flow, problems = parse(text, "prisma", yaml_form)
    problems += flow_checks.check(flow)
    assert all(p.code.startswith("SYS") and p.line >= 0 for p in problems)
    ET.fromstring(flow_svg.svg(flow))


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*COUNTS, *LISTS]),
        st.one_of(st.integers(-3, 500), st.dictionaries(st.text(max_size=6), st.integers(0, 50), max_size=3)),
    )
)
def test_any_yaml_mapping_gives_a_diagram_or_findings(values: dict[str, object]) -> None:
    import yaml

    flow, problems = parse(yaml.safe_dump(values), "prisma.yml", yaml_form=True)
    problems += flow_checks.check(flow)
    assert all(p.code.startswith("SYS") for p in problems)
    ET.fromstring(flow_svg.svg(flow))


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "review"
    shutil.copytree(FIXTURE, project)
    return project


def test_check_reports_a_broken_flow_at_its_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path)
    broken = _with("records_screened", "351")
    (project / "prisma.csv").write_text(broken, encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 1
    line, col = _line_of("records_screened", broken), _n_col("records_screened", broken)
    assert f"prisma.csv:{line}:{col}: error[SYS005] records_screened is 351, but 412 (database_results)" in (
        capsys.readouterr().out
    )


def test_the_worked_example_builds_strictly_with_the_diagram(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 0
    site = tmp_path / "site"
    build_in_process(project / "mkdocs.yml", site)  # the page, in process; the PDF's build is a process
    soup = BeautifulSoup((site / "methods" / "index.html").read_text(encoding="utf-8"), "html.parser")
    figure = soup.select_one("figure.lr-prisma")
    assert figure is not None
    assert figure.select_one(".lr-prisma-frame")["tabindex"] == "0"
    svg = figure.select_one("svg")
    assert svg is not None and svg["role"] == "img"
    assert "Records screened (n\u00a0=\u00a0350)" in svg.get_text()
    link = figure.select_one("a.lr-download")
    assert link is not None and link["href"] == "../prisma/prisma-flow.svg"
    downloaded = (site / "prisma" / "prisma-flow.svg").read_text(encoding="utf-8")
    assert ET.fromstring(downloaded).get("role") == "img"
    search = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Reports assessed for eligibility" in search  # the search finds the diagram's text


def test_the_build_fails_strictly_on_a_broken_flow(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "prisma.csv").write_text(_with("total_studies", "12"), encoding="utf-8")
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")  # the finding, in process
    assert built.failed
    assert "error[SYS010] total_studies is 12, but 4 (previous_studies) + 7 (new_studies) = 11" in built.log
    assert "Traceback" not in built.log


ZENSICAL = Path(sys.executable).with_name("zensical")


def test_the_worked_example_under_zensical(tmp_path: Path) -> None:
    """Zensical builds the worked example with the diagram and both tables (the extension alone)."""
    if not ZENSICAL.exists():
        pytest.skip("zensical is not installed (it is in the dev lock)")
    project = _project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "scripts")}
    proc = subprocess.run(
        [str(ZENSICAL), "build"], cwd=project, capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    soup = BeautifulSoup(
        (project / "site" / "methods" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    svg = soup.select_one("figure.lr-prisma svg")
    assert svg is not None and "Records screened (n\u00a0=\u00a0350)" in svg.get_text()
    link = soup.select_one("figure.lr-prisma a.lr-download")
    assert link is not None and str(link["href"]).startswith("data:image/svg+xml")
    results = BeautifulSoup(
        (project / "site" / "results" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    keys = [row.split(",", 1)[0] for row in (FIXTURE / "studies.csv").read_text("utf-8").splitlines()[1:]]
    assert [th["id"] for th in results.select("table.lr-studies-table tbody th")] == [
        f"study-{k}" for k in keys
    ]
    assert results.select_one("#study-okafor2022 a.lr-cite-link") is not None
    assert [
        td.get_text(" ", strip=True) for td in results.select("table.lr-findings-table td[data-lr-sort]")
    ] == [
        "⊕⊕⊕◯ Moderate",
        "⊕⊕◯◯ Low",
        "⊕◯◯◯ Very low",
    ]


def test_the_pdf_shows_the_diagram_and_both_tables_without_their_controls(tmp_path: Path) -> None:
    """One PDF build of the worked example: the flow's text, every included study's row and the
    GRADE certainty words on paper; no download, filter or sort control (they are the web's)."""
    import unicodedata

    from pypdf import PdfReader

    project = _project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      prisma: prisma.csv\n", "      prisma: prisma.csv\n      pdf: true\n"
        ),
        encoding="utf-8",
    )
    proc = mkdocs_build(config, tmp_path / "site")
    made = tmp_path / "site" / "systematic.pdf"  # named after the site's address
    assert made.is_file(), proc.stderr
    text = unicodedata.normalize("NFKC", " ".join(page.extract_text() for page in PdfReader(made).pages))
    words = " ".join(text.split())
    for wanted in ("Records screened (n = 350)", "Wrong population (n = 18)", "Total studies included in"):
        assert wanted in words, wanted
    studies_csv = (FIXTURE / "studies.csv").read_text(encoding="utf-8").splitlines()[1:]
    for row in studies_csv:  # each study's row, its last cell (the risk of bias) included
        intervention = row.rsplit(",", 2)[0].split(",", 4)[-1].strip('"')
        assert intervention in words, row
    assert "Walking, 30 min a day" in words and "Some concerns" in words  # the last column too
    for certainty in ("Moderate", "Low", "Very low", "Risk of bias; imprecision; indirectness"):
        assert certainty in words, certainty
    assert words.count("⊕") >= 6  # the certainty drawn as well as named
    for control in ("Download the diagram", "Download the included studies", "Download the summary",
                    "Filter the", "(CSV)"):  # fmt: skip
        assert control not in words, control


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=10), min_size=1, max_size=5), max_size=8))
def test_cells_read_as_pythons_csv_module_reads_them(table: list[list[str]]) -> None:
    """The positioned reader agrees with ``csv`` on anything ``csv.writer`` writes."""
    import csv
    import io

    from litreview.core.systematic.csv_cells import rows

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    text = out.getvalue()
    ours = [[cell.text for cell in row] for row in rows(text)]
    theirs = [row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)]
    assert ours == [[c.replace("\r\n", "\n").replace("\r", "\n") for c in row] for row in theirs]


def test_bounds_on_what_a_file_can_hold(tmp_path: Path) -> None:
    many = "; ".join(f"Reason {i}, 1" for i in range(1000))
    assert _findings(f'data,n\ndbr_excluded,"{many}"\n') == [("SYS003", 2, 14)]
    flow, problems = parse(f'data,boxtext,n\nduplicates,"{"word " * 2000}",3\n', "prisma.csv")
    assert problems == [] and len(flow.label("duplicates")) <= 300
    big = tmp_path / "prisma.csv"
    big.write_text("data,n\n" + "duplicates,1\n" * 100_000, encoding="utf-8")
    _flow, problems = review_flow.load(big, "prisma.csv")
    assert [(p.code, p.message) for p in problems] == [
        ("SYS001", "the PRISMA flow file is larger than 1,000,000 bytes")
    ]


def test_zensical_reports_the_flows_findings_as_the_check_does(tmp_path: Path) -> None:
    if not ZENSICAL.exists():
        pytest.skip("zensical is not installed (it is in the dev lock)")
    project = _project(tmp_path)
    broken = _with("records_excluded", "300")
    (project / "prisma.csv").write_text(broken, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "scripts")}
    proc = subprocess.run(
        [str(ZENSICAL), "build"], cwd=project, capture_output=True, text=True, env=env, timeout=300
    )
    at = f"prisma.csv:{_line_of('dbr_sought_reports', broken)}:{_n_col('dbr_sought_reports', broken)}"
    assert (
        f"{at}: error[SYS006] dbr_sought_reports is 49, but 350 (records_screened)"
        in proc.stdout + proc.stderr
    )

"""The studies table and the summary of findings (issue 31 §2-§4): read, checked, rendered.

Each check is shown failing on a file that breaks it, at the file's line and column; the
reader never raises on any text; values from the files stay text on the page and in the CSV.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_in_process
from litreview.cli import main
from litreview.core.bibliography import loader as bib
from litreview.core.findings.problems import Problem
from litreview.core.systematic import grade, rows, studies, study_tables, tables_html

FIXTURE = Path(__file__).parent / "fixtures" / "systematic"  # the worked example (issue 31)
BIB = FIXTURE / "references.bib"
HEADER = "key,design,N\n"
KEYS = [line.split(",", 1)[0] for line in (FIXTURE / "studies.csv").read_text("utf-8").splitlines()[1:]]
"""The worked example's included studies, in its table's order: the flow's 11."""
RESULTS = "results/index.html"
"""The page holding both tables."""


@pytest.fixture(scope="module")
def bibliography() -> bib.Bibliography:
    return bib.load([BIB])


def _studies(tmp_path: Path, name: str, text: str | bytes, library: bib.Bibliography) -> list[Problem]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    found = studies.load(path, name)
    return found.problems + studies.check_keys(found, library)


def _findings(tmp_path: Path, name: str, text: str, library: bib.Bibliography) -> list[Problem]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    found = grade.load(path, name)
    return found.problems + grade.check_keys(found, library)


def _where(problems: list[Problem]) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.col) for p in problems]


STUDY_FAULTS = [
    pytest.param("studies.csv", "design,N\nRCT,3\n", ("SYS022", 1, 1), id="no-key-column"),
    pytest.param("studies.csv", HEADER + "smith2019,RCT,3\n,RCT,4\n", ("SYS023", 3, 1), id="row-without-key"),
    pytest.param(
        "studies.csv", HEADER + "smith2019,RCT,3\nsmith2019,RCT,4\n", ("SYS024", 3, 1), id="key-twice"
    ),
    pytest.param(
        "studies.csv", HEADER + "smith2019,RCT,3\nsmit2019,RCT,4\n", ("SYS025", 3, 1), id="unknown-key"
    ),
    pytest.param("studies.csv", HEADER + 'smith2019,"RCT,3\n', ("SYS021", 2, 11), id="unclosed-quote"),
    pytest.param("studies.csv", HEADER + 'smith2019,"RCT"x,3\n', ("SYS021", 2, 16), id="text-after-quote"),
    pytest.param("studies.csv", HEADER + "smith2019,RCT,3,extra\n", ("SYS021", 2, 17), id="extra-value"),
    pytest.param(
        "studies.csv", "key,design,Design\nsmith2019,RCT,RCT\n", ("SYS021", 1, 12), id="column-twice"
    ),
    pytest.param("studies.csv", "key,,N\nsmith2019,RCT,3\n", ("SYS021", 1, 5), id="column-unnamed"),
    pytest.param("studies.csv", b"key\nsm\xffith\n", ("SYS020", 0, 0), id="not-utf8"),
    pytest.param("studies.yml", "- key: smith2019\n  design: [RCT\n", ("SYS021", 3, 1), id="yaml-malformed"),
    pytest.param("studies.yml", "key: smith2019\n", ("SYS021", 1, 1), id="yaml-not-a-list"),
    pytest.param(
        "studies.yml", "- key: smith2019\n- just text\n", ("SYS021", 2, 3), id="yaml-row-not-mapping"
    ),
    pytest.param(
        "studies.yml", "- key: smith2019\n- design: RCT\n", ("SYS023", 2, 3), id="yaml-row-without-key"
    ),
    pytest.param(
        "studies.yaml", "- key: smith2019\n-   key: garcia202\n", ("SYS025", 2, 10), id="yaml-unknown"
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), STUDY_FAULTS)
def test_each_studies_check_fails_on_a_file_that_breaks_it(
    name: str,
    text: str | bytes,
    expected: tuple[str, int, int],
    tmp_path: Path,
    bibliography: bib.Bibliography,
) -> None:
    assert _where(_studies(tmp_path, name, text, bibliography)) == [expected]


def test_an_unknown_key_names_the_nearest_entries(tmp_path: Path, bibliography: bib.Bibliography) -> None:
    (problem,) = _studies(tmp_path, "s.csv", HEADER + "smith2091,RCT,3\n", bibliography)
    assert problem.message == "'smith2091' is not an entry of the bibliography; did you mean 'smith2019'?"


def test_a_missing_file_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    found = studies.load(tmp_path / "absent.csv", "absent.csv")
    assert [p.code for p in found.problems] == ["SYS020"]


FINDINGS_HEADER = "outcome,studies,participants,effect,certainty,reasons\n"
FINDING_FAULTS = [
    pytest.param("outcome,studies\nPain,smith2019\n", ("SYS022", 1, 1), id="no-certainty-column"),
    pytest.param(
        FINDINGS_HEADER + "Pain,smith2019,10,MD 1,moderately,\n", ("SYS026", 2, 24), id="unknown-certainty"
    ),
    pytest.param(FINDINGS_HEADER + "Pain,smith2019,10,MD 1,,\n", ("SYS026", 2, 1), id="no-certainty"),
    pytest.param(FINDINGS_HEADER + ",smith2019,10,MD 1,low,\n", ("SYS023", 2, 1), id="no-outcome"),
    pytest.param(
        FINDINGS_HEADER + "Pain,smith2019; garcai2020,10,MD 1,low,\n", ("SYS025", 2, 6), id="unknown-study"
    ),
]


@pytest.mark.parametrize(("text", "expected"), FINDING_FAULTS)
def test_each_findings_check_fails_on_a_file_that_breaks_it(
    text: str, expected: tuple[str, int, int], tmp_path: Path, bibliography: bib.Bibliography
) -> None:
    assert _where(_findings(tmp_path, "findings.csv", text, bibliography)) == [expected]


@pytest.mark.parametrize("written", ["high", "Moderate", "LOW", "very low", "Very-Low", " very  low "])
def test_the_four_certainties_are_read_whatever_their_case(written: str) -> None:
    assert grade.level(written) is not None


def test_the_worked_example_has_no_findings(bibliography: bib.Bibliography) -> None:
    assert _where(_studies_and_findings(FIXTURE, bibliography)) == []


def _studies_and_findings(root: Path, library: bib.Bibliography) -> list[Problem]:
    found = study_tables.StudyTables(
        studies.load(root / "studies.csv", "studies.csv"), grade.load(root / "findings.csv", "findings.csv")
    )
    return found.problems(library)


@pytest.mark.parametrize(
    ("included", "expected"),
    [(None, []), (11, []), (12, [("SYS027", 12, 3)]), (10, [("SYS027", 12, 3)])],
    ids=["no-diagram", "equal", "more-in-diagram", "fewer-in-diagram"],
)
def test_the_diagram_s_included_count_equals_the_studies_rows(
    included: int | None, expected: list[tuple[str, int, int]]
) -> None:
    table = studies.load(FIXTURE / "studies.csv", "studies.csv")
    assert len(table.studies) == len(KEYS) == 11
    assert _where(studies.included_problems(included, table, ("prisma.csv", 12, 3))) == expected


# --- the reader: any text gives rows or findings, never an exception ---------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab,\"\n\r;:-[]{}#&*!|>'%@ \t\x00\x02é")), max_size=80),
    st.booleans(),
)
def test_any_text_reads_as_rows_or_findings(text: str, yaml_form: bool) -> None:
    table = rows.read_text(text, "t", yaml_form=yaml_form)
    for row in table.rows:
        for cell in row.cells.values():
            assert cell.line >= 1 and cell.col >= 1
            assert "\x00" not in cell.value and "\x02" not in cell.value
    for problem in table.problems:
        assert problem.code in ("SYS020", "SYS021")
    studies.read(table)
    grade.read(table)


_VALUE = st.text(alphabet=st.sampled_from(list('ab ,"\n=é<')), max_size=8).map(str.strip)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_VALUE, min_size=3, max_size=3), min_size=1, max_size=6))
def test_csv_as_a_spreadsheet_writes_it_reads_back_value_for_value(body: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["key", "b", "c"], *body])
    table = rows.read_text(out.getvalue(), "t.csv", yaml_form=False)
    assert table.problems == []
    kept = [r for r in body if any(r)]
    assert [[row.cells[c].value for c in ("key", "b", "c")] for row in table.rows] == kept


# --- untrusted values: text on the page, text in the spreadsheet -------------------------------


@pytest.mark.parametrize("value", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", '=HYPERLINK("http://x")'])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(value: str) -> None:
    assert tables_html.csv_cell(value) == "'" + value
    assert tables_html.csv_cell("RCT") == "RCT"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    return project


HOSTILE = [
    '<script>alert("x")</script>',
    "javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
    "see @garcia2020 and [@okafor2022]",
    "\x02wzxhzdk:0\x03",
    "*not emphasis* `not code` [not a link](javascript:alert(1))",
]


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def test_values_from_the_files_stay_text(tmp_path: Path) -> None:
    project = _project(tmp_path)
    values = HOSTILE + ["RCT"] * (len(KEYS) - len(HOSTILE))  # every study stays: the flow's 11
    lines = [f"{key},{_quoted(v)},1\n" for key, v in zip(KEYS, values, strict=True)]
    (project / "studies.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    extra = "".join(f"Outcome,smith2019,1,{_quoted(v)},low,\n" for v in HOSTILE[3:])
    (project / "findings.csv").write_text(FINDINGS_HEADER + extra, encoding="utf-8")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / RESULTS).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    cells = [td.get_text() for td in soup.select("div.lr-data-table td")]
    for value in HOSTILE:
        if "\x02" not in value:
            assert value in cells, value
    assert not soup.select("div.lr-data-table script, div.lr-data-table img, div.lr-data-table em")
    assert not [a for a in soup.select("div.lr-data-table a") if "javascript" in (a.get("href") or "")]
    # a key in a value is text, not a citation: only the key and studies columns cite
    cited = [a["data-lr-key"] for a in soup.select("div.lr-data-table a.lr-cite-link")]
    assert cited == [*KEYS, "smith2019", "smith2019", "smith2019"]


@pytest.mark.parametrize(
    "key", ["<img src=x onerror=alert(1)>", "javascript:alert(1)", '"><script>x</script>']
)
def test_a_hostile_key_is_text_and_its_row_id_has_nothing_to_escape(tmp_path: Path, key: str) -> None:
    project = _project(tmp_path)
    (project / "studies.csv").write_text(f"key,design\n{_quoted(key)},RCT\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    ignored = "      studies: studies.csv\n      validation: {SYS025: ignore, SYS027: ignore}\n"
    config.write_text(
        config.read_text(encoding="utf-8").replace("      studies: studies.csv\n", ignored), "utf-8"
    )
    build_in_process(config, tmp_path / "site")
    soup = BeautifulSoup((tmp_path / "site" / RESULTS).read_text(encoding="utf-8"), "html.parser")
    (th,) = soup.select("table.lr-studies-table tbody th")
    assert th.get_text() == f"[?{key}]"  # as an unknown [@key] shows: the key, as text
    assert re.fullmatch(r"study-[A-Za-z0-9_.~-]+", str(th["id"]))
    assert not soup.select("div.lr-data-table script, div.lr-data-table img")


def test_a_table_beyond_the_bound_is_refused_not_rendered() -> None:
    text = "key\n" + "".join(f"k{n}\n" for n in range(rows.MAX_ROWS + 1))
    table = rows.read_text(text, "s.csv", yaml_form=False)
    assert (table.rows, [p.code for p in table.problems]) == ([], ["SYS021"])


# --- the worked example: built strictly, and as `litreview check` sees it ----------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("systematic") / "site"
    build_in_process(FIXTURE / "mkdocs.yml", out)
    return out


def test_each_study_shows_as_its_citation_with_its_tooltip_and_link(site: Path) -> None:
    soup = BeautifulSoup((site / RESULTS).read_text(encoding="utf-8"), "html.parser")
    heads = soup.select("table.lr-studies-table tbody th")
    assert [th["id"] for th in heads] == [f"study-{key}" for key in KEYS]
    links = [th.select_one("a.lr-cite-link") for th in heads]
    # numbered after the two works the text cites first (index.md's [1] and [2])
    assert [a.get_text() for a in links if a] == [str(n) for n in range(3, 14)]
    prose = soup.select_one("p a.lr-cite-link")
    assert prose is not None and links[0] is not None
    assert set(links[0].attrs) == set(prose.attrs)  # the same citation markup as a [@key]
    assert links[0]["href"] == "#ref-smith2019" and "Supervised exercise" in links[0]["data-lr-tip"]
    grade_cells = soup.select("table.lr-findings-table td[data-lr-sort]")
    assert [td.get_text(" ", strip=True) for td in grade_cells] == GRADES
    assert all(td.select_one(".lr-grade")["aria-hidden"] == "true" for td in grade_cells)  # type: ignore[index]


GRADES = ["⊕⊕⊕◯ Moderate", "⊕⊕◯◯ Low", "⊕◯◯◯ Very low"]
"""The worked example's summary of findings, certainty by outcome, as the page shows it."""


def test_cited_in_links_to_the_study_s_row(site: Path) -> None:
    soup = BeautifulSoup((site / "references" / "index.html").read_text(encoding="utf-8"), "html.parser")
    entry = soup.select_one("#ref-okafor2022")
    assert entry is not None
    assert "../results/#study-okafor2022" in [a.get("href") for a in entry.select("a")]


def test_the_tables_are_downloads_beside_them(site: Path) -> None:
    soup = BeautifulSoup((site / RESULTS).read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in soup.select(".lr-table-tools a[download]")]
    assert hrefs == ["../studies.csv", "../findings.csv"]
    written = list(csv.reader(io.StringIO((site / "studies.csv").read_text(encoding="utf-8"))))
    assert written[0] == ["key", "design", "N", "population", "intervention", "risk of bias"]
    assert [r[0] for r in written[1:]] == KEYS
    assert (site / "findings.csv").read_text(encoding="utf-8").startswith("outcome,studies,")


@pytest.mark.parametrize(
    ("tables", "never_cited"),
    [
        (("studies", "findings"), []),
        (("studies",), []),
        (("findings",), ["oliveira2019", "dubois2022"]),  # the two no outcome names
        ((), KEYS),
    ],
    ids=["both", "studies-only", "findings-only", "neither"],
)
def test_a_study_in_the_tables_counts_as_cited(
    tables: tuple[str, ...],
    never_cited: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    project = _project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for name in {"studies", "findings"} - set(tables):
        text = text.replace(f"      {name}: {name}.csv\n", "")
    config.write_text(text, encoding="utf-8")
    monkeypatch.chdir(project)
    main(["check"])
    out = capsys.readouterr().out
    assert re.findall(r"BIB020\] entry '(\w+)'", out) == never_cited
    with caplog.at_level(logging.INFO):
        build_in_process(config, tmp_path / "site")
    assert re.findall(r"BIB020\] entry '(\w+)'", caplog.text) == never_cited


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("studies.csv", "key,design\nsmith2019,RCT\nsmith2019,RCT\n", "SYS024"),
        ("findings.csv", FINDINGS_HEADER + "Pain,smith2019,1,1,sure,\n", "SYS026"),
    ],
    ids=["studies", "findings"],
)
def test_the_check_and_the_build_report_a_fault_alike(
    name: str,
    text: str,
    code: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = _project(tmp_path)
    (project / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    line = next(ln for ln in capsys.readouterr().out.splitlines() if f"[{code}]" in ln)
    assert line.startswith(f"{name}:3:" if code == "SYS024" else f"{name}:2:")
    with pytest.raises(AssertionError, match=rf"error\[{code}\]"):
        build_in_process(project / "mkdocs.yml", tmp_path / "site")


def test_the_zensical_extension_fills_the_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import markdown

    from litreview.markdown_ext import makeExtension

    project = _project(tmp_path)
    monkeypatch.chdir(project)
    html = markdown.markdown(
        (project / "content" / "results.md").read_text(encoding="utf-8"),
        extensions=["tables", makeExtension(config_file=str(project / "mkdocs.yml"))],
    )
    soup = BeautifulSoup(html, "html.parser")
    assert [th["id"] for th in soup.select("table.lr-studies-table tbody th")] == [f"study-{k}" for k in KEYS]
    assert soup.select("table.lr-studies-table a.lr-cite-link")
    assert not soup.select(".lr-table-tools a")  # an extension writes no files: no download
    assert 'data-lr-slot="studies"' not in html

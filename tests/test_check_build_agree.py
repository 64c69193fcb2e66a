"""`litreview check` and the build agree (issue 12): with every code forced to `error`, both fail
on each fault that both report (core.codes.reported_by), and both pass on the clean project."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_in_process, build_outcome
from litreview.cli import main
from litreview.core.findings.codes import CODES, reported_by
from test_check_cases import CASES, make_project, parse_expected

EVERY_CODE_AN_ERROR = "{" + ", ".join(f"{c}: error" for c in CODES if not c.startswith("CFG")) + "}"


def _codes(case: Path) -> set[str]:
    return set(re.findall(r"\[([A-Z]+\d+)\]", parse_expected(case / "expected.txt").stdout))


def _shared(case: Path) -> bool:
    codes = _codes(case)
    config = (case / "mkdocs.yml").read_text(encoding="utf-8") if (case / "mkdocs.yml").exists() else ""
    return (
        bool(codes)
        and all(reported_by(c) == ("check", "build") for c in codes)
        and "validation" not in config
    )


SHARED = [c for c in CASES if _shared(c)]


def _all_errors(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        re.sub(
            r"^(\s+)bibliography:",
            rf"\1validation: {EVERY_CODE_AN_ERROR}\n\1bibliography:",
            text,
            count=1,
            flags=re.M,
        ),
        encoding="utf-8",
    )


@pytest.mark.parametrize("case", SHARED, ids=[c.name for c in SHARED])
def test_both_fail_on_the_same_fault(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(case, tmp_path, parse_expected(case / "expected.txt"))
    _all_errors(project)
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert built.failed, built.log
    for code in _codes(case):
        assert f"error[{code}]" in built.log, code


def test_both_pass_on_the_clean_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = Path(__file__).parent / "checks" / "base"
    project = make_project(base, tmp_path, parse_expected(SHARED[0] / "expected.txt"))
    _all_errors(project)
    monkeypatch.chdir(project)
    assert main(["check"]) == 0
    build_in_process(project / "mkdocs.yml", tmp_path / "site")


def test_the_table_names_every_code() -> None:
    assert {reported_by(c) for c in CODES} == {
        ("check", "build"),
        ("check",),
        ("linkcheck",),
        ("build",),
        ("init",),
        ("new",),
        ("diff",),
        ("import",),
        ("fetch",),
        ("verify",),
    }
    assert len(SHARED) >= 15


@pytest.mark.parametrize("name", ["bib013-waived", "md003-waived-for-a-page"])
def test_a_waiver_holds_for_both(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = Path(__file__).parent / "checks" / "cases" / name
    project = make_project(case, tmp_path, parse_expected(case / "expected.txt"))
    monkeypatch.chdir(project)
    assert main(["check", "--strict"]) == 0
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert not built.failed, built.log
    unwaived = (
        Path(__file__).parent / "checks" / "cases" / name.replace("-waived-for-a-page", "-empty-section")
    )
    if name == "bib013-waived":
        unwaived = unwaived.parent / "bib013-missing-required-field"
    other = make_project(unwaived, tmp_path / "unwaived", parse_expected(unwaived / "expected.txt"))
    monkeypatch.chdir(other)
    assert main(["check", "--strict"]) == 1  # the same fault without its waiver is reported


def test_the_plugin_declares_exactly_the_schemas_options() -> None:
    """One options schema: MkDocs' option names and defaults come from the core's."""
    from litreview.core.project.options import OPTIONS
    from litreview.plugin import LitreviewConfig

    declared = {name: option.default for name, option in LitreviewConfig._schema}
    assert list(declared) == [o.name for o in OPTIONS]
    assert {n: d for n, d in declared.items() if n not in ("template", "taxonomy")} == {
        o.name: o.default for o in OPTIONS if o.name not in ("template", "taxonomy")
    }


def test_the_build_reports_a_citation_where_the_check_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The build located unknown keys by matching its citations to the scanner's in key order;
    a footnote written above the text it annotates comes later in the document, so the match
    ran past it and the finding said line 0. The build now reports what the scanner found."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "checks" / "base", project)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - attr_list\n", "  - attr_list\n  - footnotes\n"),
        encoding="utf-8",
    )
    page = project / "docs" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n[^n]: As argued [@nosuch2020].\n\nA claim [@ada2020].[^n]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    checked = [line for line in capsys.readouterr().out.splitlines() if "CIT001" in line]
    assert len(checked) == 1 and ":0:0:" not in checked[0]
    assert checked[0] in build_outcome(config, tmp_path / "site").log

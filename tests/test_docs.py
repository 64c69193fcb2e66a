"""Every plugin option, finding code and CLI command is documented: the options and codes
tables in docs/ are made from the code (make doc-tables), the commands named in the README."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from litreview.cli import build_parser
from litreview.core.tools.doctables import TABLES, with_table
from litreview.plugin import LitreviewConfig

README = (ROOT / "README.md").read_text(encoding="utf-8")
OPTIONS_PAGE = (ROOT / "docs" / "options.md").read_text(encoding="utf-8")
CODES_PAGE = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", sorted(TABLES))
def test_the_generated_tables_are_what_make_doc_tables_writes(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    assert with_table(text, TABLES[page]()) == text, f"{page} is out of date: run make doc-tables"


def test_a_table_edited_by_hand_is_caught() -> None:
    edited = OPTIONS_PAGE.replace("| `cache` | `true` |", "| `cache` | `false` |")
    assert edited != OPTIONS_PAGE
    assert with_table(edited, TABLES["docs/options.md"]()) != edited


def test_every_plugin_option_is_in_the_options_table() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \|", OPTIONS_PAGE, flags=re.M))
    options = {name for name, _option in LitreviewConfig._schema}
    assert options <= documented, f"undocumented options: {sorted(options - documented)}"


def test_every_plugin_option_is_described_in_the_schema() -> None:
    from litreview.core.project.options import BY_NAME

    for name, _option in LitreviewConfig._schema:
        assert BY_NAME[name].doc, name


def test_the_readme_links_every_docs_page() -> None:
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in README, page.name


def test_readme_shows_the_two_commands_first() -> None:
    first = README.split("## ", 2)[1]
    assert "make site" in first and "make test" in first


def test_every_cli_command_is_in_the_readme() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for command in commands:
        assert f"litreview {command}" in README, command


def test_every_finding_code_is_in_the_codes_table_with_its_default() -> None:
    from litreview.core.findings.codes import CODES

    for code, info in CODES.items():
        assert f"| `{code}` | {info.severity.value} | {info.summary} |" in CODES_PAGE, code


def test_no_stale_line_is_left() -> None:
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert "still to come" not in page.read_text(encoding="utf-8"), page.name

"""Every plugin option and CLI command is documented in the README."""

from __future__ import annotations

import re

from conftest import ROOT
from litreview.cli import build_parser
from litreview.plugin import LitreviewConfig

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_plugin_option_is_in_the_readme_table() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \|", README, flags=re.M))
    options = {name for name, _option in LitreviewConfig._schema}
    assert options <= documented, f"undocumented options: {sorted(options - documented)}"


def test_every_plugin_option_is_described_in_the_schema_and_the_readme() -> None:
    from litreview.core.project.options import BY_NAME

    for name, _option in LitreviewConfig._schema:
        assert BY_NAME[name].doc, name
        assert f"| `{name}` |" in README, name


def test_readme_shows_the_two_commands_first() -> None:
    first = README.split("## ", 2)[1]
    assert "make site" in first and "make test" in first


def test_every_cli_command_is_in_the_readme() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for command in commands:
        assert f"litreview {command}" in README, command


def test_every_finding_code_is_in_the_readme_with_its_default() -> None:
    from litreview.core.project.codes import CODES

    for code, info in CODES.items():
        assert f"| `{code}` | {info.severity.value} | {info.summary} |" in README, code

"""Citations count wherever pandoc finds them (issue 12): image alt text and footnotes, in the
check and in the build, at their true line and column.

Both run in process (``main`` and conftest.build_outcome): the subject is the findings, which
tests/test_inprocess_build.py shows the in-process build reports as the CLI does."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cli_process import base_project, check_text
from conftest import build_in_process, build_outcome


def _project(tmp_path: Path, body: str) -> Path:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "markdown_extensions:\n", "markdown_extensions:\n  - footnotes\n"
        ),
        encoding="utf-8",
    )
    (project / "docs" / "fig.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>\n", encoding="utf-8")
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")
    return project


def test_a_citation_in_alt_text_is_a_number_as_text_and_counts(tmp_path: Path) -> None:
    project = _project(tmp_path, "![Adapted from [@bob2019, p. 3].](fig.svg)\n")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    home = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    img = home.select_one('img[src="fig.svg"]')
    assert img is not None and img["alt"].startswith("Adapted from [") and img["alt"].endswith(", p. 3].")
    refs = BeautifulSoup(
        (tmp_path / "site" / "references" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    cited_in = refs.select_one("#ref-bob2019 .lr-cited-in")
    assert cited_in is not None and "Introduction" in cited_in.get_text()
    assert "@@lr-cite" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_unknown_keys_in_footnotes_and_alt_text_are_found_at_their_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "Text[^1] and ![see [@nokey1]](fig.svg).\n\n[^1]: A note [@nokey2].\n")
    lines = (project / "docs" / "index.md").read_text(encoding="utf-8").splitlines()
    line = len(lines) - 2
    expected = [
        f"docs/index.md:{line}:20: error[CIT001] unknown citation key 'nokey1'",
        f"docs/index.md:{line + 2}:14: error[CIT001] unknown citation key 'nokey2'",
    ]
    _status, checked, _err = check_text(project, monkeypatch, capsys)
    assert [x for x in checked.splitlines() if "CIT001" in x] == expected
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert [x.split(": ", 1)[1] for x in built.log.splitlines() if "CIT001" in x] == expected

"""Pages saved with Windows (CRLF) or old Mac (CR) line ends are read as MkDocs reads them: every
line end is one. Reported: a ``~~~`` fence in a CRLF page was never closed for the check (its
closing line ended in ``\\r``), so the citation in the code was read as text, a false finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_process import base_project, check_json
from conftest import build_outcome

FENCED = "\n~~~\nIn code, [@nosuch2020] cites nothing.\n~~~\n\nAfter the code, [@ada2020] and [@ada2002].\n"


@pytest.mark.parametrize("end", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_a_page_of_any_line_ends_is_checked_as_it_is_built(
    end: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    page = project / "docs" / "sections" / "alpha.md"
    text = page.read_text(encoding="utf-8") + FENCED
    page.write_bytes(text.replace("\n", end).encode("utf-8"))
    line = text.count("\n", 0, text.index("[@ada2002]")) + 1
    col = text.index("[@ada2002]") - text.rindex("\n", 0, text.index("[@ada2002]"))
    status, findings = check_json(project, monkeypatch, capsys)
    assert status == 1
    assert [(f["code"], f["line"], f["col"]) for f in findings] == [("CIT001", line, col)], findings
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert built.failed and f"alpha.md:{line}:{col}: error[CIT001]" in built.log, built.log


@pytest.mark.parametrize("end", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_a_byte_that_is_not_utf8_is_placed_on_its_line_whatever_the_line_ends(end: str) -> None:
    from litreview.core.source.read import decode_page

    text, problem = decode_page("p.md", end.join(["# T", "", "ok", "bad \xff"]).encode("latin-1"))
    assert text is None and problem is not None and (problem.code, problem.line) == ("MD001", 4)

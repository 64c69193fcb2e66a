"""The importers' pandoc: sandboxed, bounded, and refusing (IMP001) rather than crashing."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.core.importers import pandoc_run
from litreview.core.importers.imported import ImportRefused


def test_latex_converts_with_its_macros_and_citations() -> None:
    out = pandoc_run.convert(
        "\\newcommand{\\foo}[1]{\\textbf{#1}}\nSee \\foo{x} \\cite{a,b}.", "m.tex", "latex", "markdown"
    )
    assert "**x**" in out.text and "[@a; @b]" in out.text


def test_the_sandbox_reads_no_file_the_source_names(tmp_path: Path) -> None:
    secret = tmp_path / "secret.tex"
    secret.write_text("SECRET-TEXT", encoding="utf-8")
    out = pandoc_run.convert(f"\\input{{{secret}}}\nText.", "m.tex", "latex", "markdown")
    assert "SECRET-TEXT" not in out.text


def test_a_failure_is_a_refusal_not_a_traceback() -> None:
    with pytest.raises(ImportRefused) as caught:
        pandoc_run.convert("x", "m.tex", "no-such-reader", "markdown")
    assert caught.value.problem.code == "IMP001" and caught.value.problem.path == "m.tex"


def test_input_over_the_limit_is_refused_before_pandoc_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc_run, "LIMIT", 10)
    with pytest.raises(ImportRefused, match=r"MiB|over"):
        pandoc_run.convert("x" * 11, "m.tex", "latex", "markdown")


def test_missing_pandoc_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc_run, "pandoc_path", lambda: None)
    with pytest.raises(ImportRefused, match=r"\[import\]"):
        pandoc_run.convert("x", "m.tex", "latex", "markdown")

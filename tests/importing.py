"""Shared by the import tests: a fixture review imported from a copy, the copy held unchanged."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import tree_digest
from litreview.cli import main
from litreview.core.source.scanner import scan


def import_copy(
    fixture: Path,
    folder: str,
    source: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[Path, str]:
    """Copy ``fixture`` to ``tmp_path/folder``, run ``litreview import SOURCE -o out`` there,
    and return the new project and the report's stderr; the source must stay as it was."""
    copy = tmp_path / folder
    shutil.copytree(fixture, copy)
    before = tree_digest(copy)
    monkeypatch.chdir(tmp_path)
    status = main(["import", source, "-o", "out"])
    _out, err = capsys.readouterr()
    assert status == 0, err
    assert tree_digest(copy) == before, "import changed its source"
    return tmp_path / "out", err


def cited_keys(content: Path) -> Counter[str]:
    """Every citation key on the pages of a content folder, as the build finds them."""
    return Counter(
        key
        for page in content.glob("*.md")
        for found in scan(page.read_text(encoding="utf-8"), page.name).found
        for key in found.citation.keys
    )

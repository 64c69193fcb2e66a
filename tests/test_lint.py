"""The linters, as tests: `make test` runs them beside the rest of the suite on its workers
instead of one after another before it (`make lint` still runs them alone, in a few seconds).
ruff (with its complexity limit), ruff's format, mypy strict and the import-linter contracts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

LINTERS = {
    "ruff": ["ruff", "check", "scripts", "tests", "bench"],
    "ruff-format": ["ruff", "format", "--check", "scripts", "tests", "bench"],
    "mypy": ["mypy"],
    "import-linter": ["lint-imports"],
}


@pytest.mark.parametrize("name", list(LINTERS))
def test_the_code_passes_the_linter(name: str) -> None:
    program, *args = LINTERS[name]
    proc = subprocess.run([str(BIN / program), *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{' '.join(LINTERS[name])} failed:\n{proc.stdout}\n{proc.stderr}"

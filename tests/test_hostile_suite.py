"""The hostile-input suite (issue 11): generated BibTeX, front matter and Markdown through the
check and a strict build, each case within time and memory limits (see tests/hostile/fuzz.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FUZZ = Path(__file__).parent / "hostile" / "fuzz.py"


def test_generated_hostile_projects_neither_crash_nor_run_away() -> None:
    checks = os.environ.get("LITREVIEW_FUZZ_CHECKS", "120")
    builds = os.environ.get("LITREVIEW_FUZZ_BUILDS", "20")
    proc = subprocess.run(
        [sys.executable, str(FUZZ), checks, builds], capture_output=True, text=True, check=False, timeout=1200
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    assert "no crash, no runaway" in proc.stdout

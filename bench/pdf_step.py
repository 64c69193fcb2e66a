"""`make bench`: what the PDF of the whole review costs a build of this review.

The review is built with ``pdf: false``, then with ``pdf: true`` twice: once printed (the
kept print forgotten first) and once unchanged, when the build copies the kept print. Rounds
are interleaved (this machine's speed drifts); each round's ratios are taken within it and
the medians printed, with the PDF step's own time as the build reports it. Nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_STEP = re.compile(r"PDF of the review written to \S+ \((\d+) pages, \w+\) in ([\d.]+) s")


def build(config: Path, site: Path) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - started, proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "review"
        skipped = shutil.ignore_patterns(".*", "site", "bench", "tests", "scripts")
        shutil.copytree(ROOT, project, ignore=skipped)
        with_pdf = project / "mkdocs.yml"
        text = with_pdf.read_text(encoding="utf-8")
        assert "      pdf: true\n" in text, "mkdocs.yml no longer asks for the PDF"
        without = project / "mkdocs-no-pdf.yml"
        without.write_text(text.replace("      pdf: true\n", "      pdf: false\n"), encoding="utf-8")
        kept = project / ".cache" / "litreview" / "pdf.json"
        plain: list[float] = []
        full: dict[str, list[float]] = {"printed": [], "kept": []}
        ratios: dict[str, list[float]] = {"printed": [], "kept": []}
        steps: dict[str, list[float]] = {"printed": [], "kept": []}
        pages = ""
        for n in range(args.rounds):
            off, _ = build(without, Path(tmp) / f"off{n}")
            plain.append(off)
            kept.unlink(missing_ok=True)  # the last print forgotten: this one prints
            for how in ("printed", "kept"):
                on, log = build(with_pdf, Path(tmp) / f"{how}{n}")
                step = _STEP.search(log)
                if step is None:
                    raise SystemExit(f"no PDF was made:\n{log}")
                if (how == "kept") != ("not printed again" in log):
                    raise SystemExit(f"the {how} build did not do what it should:\n{log}")
                pages = step[1]
                full[how].append(on)
                steps[how].append(float(step[2]))
                ratios[how].append(on / off)
        for how, said in (("printed", "printed"), ("kept", "unchanged, kept")):
            print(
                f"{'PDF of this review, ' + said:<34} without {statistics.median(plain):.2f} s, with "
                f"{statistics.median(full[how]):.2f} s: {statistics.median(ratios[how]):.2f}x; the PDF "
                f"step {statistics.median(steps[how]):.2f} s for {pages} pages "
                f"(medians of {args.rounds} rounds)",
                flush=True,
            )


if __name__ == "__main__":
    main()

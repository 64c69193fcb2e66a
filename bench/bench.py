"""`make bench`: build synthetic reviews three ways and print time and memory ratios.

Ratios are measured within one run on this machine; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
SIZES = {"small": (100, 1000, 15), "large": (1000, 10000, 15)}


def run(python: Path, config: Path) -> dict[str, float]:
    proc = subprocess.run(
        [str(python), str(HERE / "run_build.py"), str(config)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {config}\n{proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument(
        "--bibtex-python",
        type=Path,
        default=None,
        help="python of the environment with mkdocs-bibtex (omit to skip that column)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="builds per cell; the fastest counts")
    args = parser.parse_args()
    ours = Path(sys.executable)
    print(f"{'corpus':<28} {'build':<14} {'seconds':>8} {'peak MB':>8} {'time x':>7} {'mem x':>6}")
    for size in args.sizes:
        pages, refs, cites = SIZES[size]
        corpus = generate(args.out / size, pages, refs, cites)
        label = f"{pages} pages / {refs} refs"
        rows = [("plain", ours), ("litreview", ours)]
        if args.bibtex_python:
            rows.append(("mkdocs-bibtex", args.bibtex_python))
        base: dict[str, float] = {}
        for name, python in rows:
            best = min(
                (run(python, corpus / f"mkdocs-{name}.yml") for _ in range(args.repeat)),
                key=lambda r: r["seconds"],
            )
            if name == "plain":
                base = best
            t, m = best["seconds"] / base["seconds"], best["peak_mb"] / base["peak_mb"]
            print(
                f"{label:<28} {name:<14} {best['seconds']:>8.2f} {best['peak_mb']:>8.0f} "
                f"{t:>6.2f}x {m:>5.2f}x",
                flush=True,
            )
        if size == "small":
            print(f"{'':<28} target: litreview adds at most 25% to plain (time x <= 1.25)", flush=True)


if __name__ == "__main__":
    main()

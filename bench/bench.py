"""`make bench`: build synthetic reviews three ways and print time and memory ratios.

This machine's speed drifts from minute to minute, so the variants are interleaved:
each round builds every variant once, a ratio is taken within the round, and the
median over rounds is printed. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
SIZES = {"small": (100, 1000, 15), "large": (1000, 10000, 15)}


def run(python: Path, config: Path) -> dict[str, float]:
    """One build in a fresh process (so peak memory is that build's own)."""
    proc = subprocess.run(
        [str(python), str(HERE / "run_build.py"), str(config)], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {config}\n{proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def instructions(python: Path, config: Path) -> int:
    """Instructions executed by one build, counted by callgrind: the same on every run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        proc = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                str(python),
                str(HERE / "run_build.py"),
                str(config),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed: {config}\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def instruction_table(corpus: Path, python: Path) -> None:
    """Deterministic ratios for the small corpus (about a minute per build under callgrind)."""
    plain = instructions(python, corpus / "mkdocs-plain.yml")
    shutil.rmtree(corpus / ".cache", ignore_errors=True)
    cold = instructions(python, corpus / "mkdocs-litreview.yml")
    warm = instructions(python, corpus / "mkdocs-litreview.yml")
    for name, count in (("plain", plain), ("litreview (cold)", cold), ("litreview (warm)", warm)):
        print(f"{'instructions':<26} {name:<18} {count / 1e9:>7.2f}G {count / plain:>15.3f}x", flush=True)


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
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per corpus")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions with callgrind on the small corpus (deterministic)",
    )
    args = parser.parse_args()
    ours = Path(sys.executable)
    print(
        f"{'corpus':<26} {'build':<18} {'seconds':>8} {'peak MB':>8} {'time x':>7} {'mem x':>6}"
        "   (medians over interleaved rounds)"
    )
    for size in args.sizes:
        pages, refs, cites = SIZES[size]
        corpus = generate(args.out / size, pages, refs, cites)
        label = f"{pages} pages / {refs} refs"
        variants = [
            ("plain", "plain", ours),
            ("litreview", "litreview (cold)", ours),
            ("litreview", "litreview (warm)", ours),
        ]
        if args.bibtex_python:
            variants.append(("mkdocs-bibtex", "mkdocs-bibtex", args.bibtex_python))
        rounds = args.rounds if size == "small" else max(1, args.rounds // 3)
        samples: dict[str, list[dict[str, float]]] = {name: [] for _, name, _ in variants}
        for _ in range(rounds):
            for config, name, python in variants:
                if name.endswith("(cold)"):  # no bibliography or formatted-entry cache
                    shutil.rmtree(corpus / ".cache", ignore_errors=True)
                samples[name].append(run(python, corpus / f"mkdocs-{config}.yml"))
        for _, name, _ in variants:
            pairs = list(zip(samples[name], samples["plain"], strict=True))
            seconds = statistics.median(s["seconds"] for s, _ in pairs)
            peak = statistics.median(s["peak_mb"] for s, _ in pairs)
            t = statistics.median(s["seconds"] / p["seconds"] for s, p in pairs)
            m = statistics.median(s["peak_mb"] / p["peak_mb"] for s, p in pairs)
            print(f"{label:<26} {name:<18} {seconds:>8.2f} {peak:>8.0f} {t:>6.2f}x {m:>5.2f}x", flush=True)
        if size == "small":
            if args.instructions and shutil.which("valgrind"):
                instruction_table(corpus, ours)
            print(f"{'':<26} target: litreview adds at most 25% to plain (time x <= 1.25)", flush=True)


if __name__ == "__main__":
    main()

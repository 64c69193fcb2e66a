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
import time
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


IRIDIA = HERE.parent / "tests" / "fixtures" / "iridia"
IRIDIA_ORDER = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]
CHECK_TARGETS = {"large": 3.0, "iridia": 2.0}


def time_check(python: Path, config: Path) -> float:
    """Wall time of one `litreview check` in a fresh process, start-up included."""
    start = time.perf_counter()
    proc = subprocess.run(
        [str(python), "-m", "litreview.cli", "check", "-f", str(config), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"check failed: {config}\n{proc.stderr[-2000:]}")
    return elapsed


def iridia_project(out: Path) -> Path:
    project = out / "iridia"
    (project / "docs").mkdir(parents=True, exist_ok=True)
    (project / "docs" / "index.md").write_text("# IRIDIA\n\nThe corpus, uncited.\n", encoding="utf-8")
    files = "".join(f"        - {IRIDIA / name}\n" for name in IRIDIA_ORDER)
    config = project / "mkdocs.yml"
    config.write_text(f"site_name: IRIDIA\nplugins:\n  - litreview:\n      bibliography:\n{files}", "utf-8")
    return config


def check_table(out: Path, python: Path, rounds: int) -> None:
    """`litreview check` against its targets: under 3 s at 1,000 pages / 10,000 refs, under 2 s on IRIDIA."""
    pages, refs, cites = SIZES["large"]
    configs = {
        "large": (
            f"check {pages} pages / {refs} refs",
            generate(out / "large", pages, refs, cites) / "mkdocs-litreview.yml",
        ),
        "iridia": ("check IRIDIA (3,305 entries)", iridia_project(out)),
    }
    for key, (label, config) in configs.items():
        seconds = statistics.median(time_check(python, config) for _ in range(rounds))
        target = CHECK_TARGETS[key]
        print(
            f"{label:<45} {seconds:>6.2f} s   {seconds / target:>5.2f}x of the {target:g} s target",
            flush=True,
        )


def one_page_of(paragraphs: int, refs: int) -> str:
    """A page of ``paragraphs`` paragraphs, each with a group, a narrative and a located citation."""
    lines = ["# Evidence table\n"]
    for i in range(paragraphs):
        a, b, c = (f"author{j}{1990 + j % 35}" for j in (i % refs, (i * 7 + 3) % refs, (i * 13 + 5) % refs))
        lines.append(
            f"Row {i} is supported [@{a}; @{b}], as @{c} [p. {i % 300 + 1}] shows [see @{a}, pp. 3-4].\n"
        )
    return "\n".join(lines)


def one_paragraph_of(citations: int, refs: int) -> str:
    """A page of one paragraph holding ``citations`` citations (an annotated list run together)."""
    claims = (f"claim {i} [@author{i % refs}{1990 + (i % refs) % 35}]" for i in range(citations))
    return "# One paragraph\n\n" + ", ".join(claims) + ".\n"


def scaling_table(out: Path, python: Path, rounds: int) -> None:
    """Extra build time of one page as its citations double: about 2x each step if linear.

    Twice: citations spread over paragraphs, and all in one paragraph (each citation used to
    index the whole paragraph again).
    """
    pages, refs, cites = 10, 1000, 15
    corpus = generate(out / "scaling", pages, refs, cites)
    big = corpus / "docs" / "evidence.md"
    sizes = (0, 1000, 2000, 4000)
    shapes = {
        "paragraphs": lambda n: one_page_of(n, refs),
        "one paragraph": lambda n: one_paragraph_of(4 * n, refs),
    }
    samples: dict[tuple[str, int], list[float]] = {(s, n): [] for s in shapes for n in sizes}
    for _ in range(rounds):
        for shape, page in shapes.items():
            for n in sizes:
                if n:
                    big.write_text(page(n), encoding="utf-8")
                else:
                    big.unlink(missing_ok=True)
                samples[(shape, n)].append(run(python, corpus / "mkdocs-litreview.yml")["seconds"])
    big.unlink(missing_ok=True)
    for shape in shapes:
        base = statistics.median(samples[(shape, 0)])
        previous = 0.0
        for n in sizes[1:]:
            extra = statistics.median(samples[(shape, n)]) - base
            ratio = f"{extra / previous:>5.2f}x the previous" if previous > 0 else ""
            where = f"{n:>5} paragraphs" if shape == "paragraphs" else "  one paragraph"
            print(f"one page, {where} / {4 * n:>6} citations: +{extra:>6.2f} s   {ratio}", flush=True)
            previous = extra
    print(f"{'':<26} linear: about 2x each time the citations double", flush=True)


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
    parser.add_argument("--check-only", action="store_true", help="only time `litreview check`")
    args = parser.parse_args()
    ours = Path(sys.executable)
    check_table(args.out, ours, rounds=args.rounds)
    if args.check_only:
        return
    scaling_table(args.out, ours, rounds=max(1, args.rounds // 2))
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
            print(f"{'':<26} target: cold and warm at most 1.10x plain, memory at most 1.5x", flush=True)


if __name__ == "__main__":
    main()

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


def run(
    python: Path, config: Path, off: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> dict[str, float]:
    """One build in a fresh process (so peak memory is that build's own)."""
    proc = subprocess.run(
        [str(python), str(HERE / "run_build.py"), str(config), *_off_args(off)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {config}\n{proc.stderr[-2000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _off_args(off: tuple[str, ...]) -> list[str]:
    return [arg for feature in off for arg in ("--off", feature)]


def instructions(python: Path, config: Path, off: tuple[str, ...] = ()) -> int:
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
                *_off_args(off),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed: {config}\n{proc.stderr[-2000:]}")
    return int(found.group(1))


#: What a feature without an option of its own costs: the warm build with it switched off
#: (bench/run_build.py --off), as a share of plain Material.
FEATURES = ("metadata", "downloads", "explorer", "verification marks")


def instruction_table(corpus: Path, python: Path, label: str) -> None:
    """Deterministic ratios (callgrind; about a minute per small build on a quiet machine)."""
    plain = instructions(python, corpus / "mkdocs-plain.yml")
    cold = instructions(python, corpus / "mkdocs-litreview-nocache.yml")
    shutil.rmtree(corpus / ".cache", ignore_errors=True)
    instructions(python, corpus / "mkdocs-litreview.yml")  # fills the cache
    warm = instructions(python, corpus / "mkdocs-litreview.yml")
    rows = [("plain", plain), ("litreview (cold)", cold), ("litreview (warm)", warm)]
    for name, count in rows:
        print(f"{label:<26} {name:<18} {count / 1e9:>7.2f}G instructions {count / plain:>6.3f}x", flush=True)
    for feature in FEATURES:
        without = instructions(python, corpus / "mkdocs-litreview.yml", (feature,))
        print(
            f"{label:<26} warm, {feature + ' off':<22} {without / plain:>6.3f}x   "
            f"(the feature costs {(warm - without) / plain:>+6.3f}x of plain)",
            flush=True,
        )


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


def compile_bytecode(python: Path) -> None:
    """Compile litreview's modules as ``pip install`` does for a wheel (and did for every other
    package here). With PYTHONDONTWRITEBYTECODE set, as on this machine, the editable install
    otherwise compiles every module from source in every build, which plain Material never pays."""
    package = subprocess.run(
        [str(python), "-c", "import litreview, pathlib; print(pathlib.Path(litreview.__file__).parent)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run([str(python), "-m", "compileall", "-q", package], check=True, stdout=subprocess.DEVNULL)


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
    parser.add_argument(
        "--instructions-large",
        action="store_true",
        help="count instructions on the large corpus too (many minutes per build under callgrind)",
    )
    parser.add_argument(
        "--skip-check", action="store_true", help="skip the `litreview check` and scaling tables"
    )
    parser.add_argument("--check-only", action="store_true", help="only time `litreview check`")
    args = parser.parse_args()
    ours = Path(sys.executable)
    compile_bytecode(ours)
    if not args.skip_check:
        check_table(args.out, ours, rounds=args.rounds)
        if args.check_only:
            return
        scaling_table(args.out, ours, rounds=max(1, args.rounds // 2))
    print(
        f"{'corpus':<26} {'build':<30} {'cpu s':>8} {'peak MB':>8} {'cpu x':>7} {'mem x':>6}"
        "   (CPU time: medians over interleaved rounds; wall time drifts with the machine's load)"
    )
    for size in args.sizes:
        table(args, size, ours)


def table(args: argparse.Namespace, size: str, ours: Path) -> None:
    """Plain Material, litreview cold (``cache: false``) and warm, mkdocs-bibtex, and litreview
    with each feature off: CPU time and peak memory as ratios to plain."""
    pages, refs, cites = SIZES[size]
    corpus = generate(args.out / size, pages, refs, cites)
    label = f"{pages} pages / {refs} refs"
    variants: list[tuple[str, str, Path, tuple[str, ...]]] = [
        ("plain", "plain", ours, ()),
        ("litreview-nocache", "litreview (cold)", ours, ()),
        ("litreview", "litreview (warm)", ours, ()),
    ]
    variants += [("litreview", f"warm, {f} off", ours, (f,)) for f in FEATURES]
    if args.bibtex_python:
        variants.append(("mkdocs-bibtex", "mkdocs-bibtex", args.bibtex_python, ()))
    rounds = args.rounds if size == "small" else max(1, args.rounds // 3)
    samples: dict[str, list[dict[str, float]]] = {name: [] for _, name, _, _ in variants}
    shutil.rmtree(corpus / ".cache", ignore_errors=True)
    run(ours, corpus / "mkdocs-litreview.yml")  # the warm builds find the cache filled
    for _ in range(rounds):
        for config, name, python, off in variants:
            samples[name].append(run(python, corpus / f"mkdocs-{config}.yml", off))
    for _, name, _, _ in variants:
        pairs = list(zip(samples[name], samples["plain"], strict=True))
        cpu = statistics.median(s["cpu"] for s, _ in pairs)
        peak = statistics.median(s["peak_mb"] for s, _ in pairs)
        t = statistics.median(s["cpu"] / p["cpu"] for s, p in pairs)
        m = statistics.median(s["peak_mb"] / p["peak_mb"] for s, p in pairs)
        print(f"{label:<26} {name:<30} {cpu:>8.2f} {peak:>8.0f} {t:>6.2f}x {m:>5.2f}x", flush=True)
    if args.instructions and shutil.which("valgrind") and (size == "small" or args.instructions_large):
        instruction_table(corpus, ours, label)
    print(f"{'':<26} target: cold and warm at most 1.10x plain, memory at most 1.5x", flush=True)


if __name__ == "__main__":
    main()

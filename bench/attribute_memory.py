"""Peak memory of plain Material, of the content alone, and of litreview warm and cold.

Issue 30 asks a build's peak memory to be at most 1.5x plain Material's. As with
instructions (bench/attribute.py), part of what a litreview build adds is the content the
reader gets: the References page, longer pages, the search index of that text, the download
files. bench/attribute.py's ``post`` copy of the corpus holds litreview's output and is built
by plain Material with a hook of a few lines and no litreview code; its peak is what any
generator holding and writing that content pays. Each build runs in its own process
(bench/run_build.py, whose peak is the process's maximum resident set size: on Linux that
counts the size of the process that started it, so this one stays small and prepares the
corpus in a child of its own), the variants
interleaved over rounds; medians are printed, and each ratio is the median of the ratios
within a round. ``--compare`` also builds the copy once to check its site is litreview's.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from attribute import child_env, compare, mkdocs_build, prepare  # noqa: E402  (bench/ is not a package)
from bench import run  # noqa: E402

VARIANTS = {
    "plain": "plain",
    "post": "plain + content (post)",
    "warm": "litreview warm",
    "cold": "litreview cold",
}


def peak(config: Path, env: dict[str, str]) -> float:
    """Peak memory (MB) of one build in a fresh process."""
    return run(Path(sys.executable), config, env=env)["peak_mb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "attribute-memory")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--refs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="check the copy's site is litreview's")
    parser.add_argument("--reuse", action="store_true", help="keep the corpus and copy an earlier run made")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = args.out.resolve() / f"{args.pages}x{args.refs}"
    env = child_env(out)
    if args.prepare:
        made, sites = prepare(out, args.pages, args.refs, env, ("post",))
        if args.compare:
            mkdocs_build(made["post"], sites["post"], env)
            compare(sites["litreview"], sites["post"], "plain + content (post)")
        return
    if not args.reuse:  # in a process of its own: a child's peak counts its parent's size when forked
        cmd = [sys.executable, __file__, "--prepare", "--out", str(args.out), "--pages", str(args.pages)]
        subprocess.run([*cmd, "--refs", str(args.refs), *(["--compare"] if args.compare else [])], check=True)
    corpus = out / "corpus"
    configs = {
        "plain": corpus / "mkdocs-plain.yml",
        "post": corpus / "mkdocs-content-post.yml",
        "warm": corpus / "mkdocs-litreview.yml",
        "cold": corpus / "mkdocs-litreview-nocache.yml",
    }
    samples: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for round_ in range(args.rounds):
        for name in VARIANTS:
            samples[name].append(peak(configs[name], env))
        line = "  ".join(f"{name} {samples[name][-1]:.1f}" for name in VARIANTS)
        print(f"round {round_ + 1}: peak MB  {line}", flush=True)
    label = f"{args.pages} pages / {args.refs} refs"
    for name, title in VARIANTS.items():
        mb = statistics.median(samples[name])
        ratio = statistics.median(s / p for s, p in zip(samples[name], samples["plain"], strict=True))
        print(f"{label:<26} {title:<24} {mb:>7.1f} MB {ratio:>6.2f}x plain", flush=True)
    content = statistics.median(samples["post"]) - statistics.median(samples["plain"])
    own = statistics.median(samples["warm"]) - statistics.median(samples["post"])
    print(
        f"{label:<26} the content adds {content:+.1f} MB; litreview's own, warm, {own:+.1f} MB; "
        f"cold adds {statistics.median(samples['cold']) - statistics.median(samples['warm']):+.1f} MB",
        flush=True,
    )


if __name__ == "__main__":
    main()

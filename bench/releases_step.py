"""`make bench`: what `releases: true` costs a living review's build, with and without the cache.

The review is the browser tests' 2,500 works (tests/browser/many_works.py) in a git repository
with 20 releases after the first, each adding 20 works to a section, and one commit after the
newest, as CI builds main between releases (so the unreleased changes are compared on every
build, kept or not). In interleaved rounds (this
machine's speed drifts) it is built without releases, with them and no entry kept (the first
build, or a cache folder that was lost), and with them again (every release's entry kept:
core/history/store.py); each round's ratios are taken within it and the medians printed.
The bibliography's own cache is warm throughout, so the figures are the releases' alone.
Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))
from many_works import generate
from pdf_step import build


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def living_review(out: Path, releases: int) -> Path:
    """The review at v1.0, then ``releases`` tags each adding 20 works, then one more commit."""
    generate(out)
    config = out / "mkdocs.yml"
    _git(out, "init", "-q")
    _git(out, "config", "user.email", "bench@example.org")
    _git(out, "config", "user.name", "Bench")
    _git(out, "add", "-A")
    _git(out, "commit", "-qm", "The review")
    _git(out, "tag", "-a", "v1.0", "-m", "First release")
    for n in range(1, releases + 1):
        keys = [f"new{n:02d}x{j:02d}" for j in range(20)]
        with (out / "refs.bib").open("a", encoding="utf-8") as bib:
            for key in keys:
                bib.write(f"@article{{{key},\n  author = {{Added, R.}},\n  title = {{Work {key}}},\n")
                bib.write("  journal = {J New},\n  year = {2026},\n}\n")
        page = out / "docs" / "sections" / f"s{n % 25 + 1:02d}.md"
        with page.open("a", encoding="utf-8") as text:
            text.write("\nNew findings [" + "; ".join(f"@{k}" for k in keys) + "].\n")
        _git(out, "add", "-A")
        _git(out, "commit", "-qm", f"Release {n}")
        _git(out, "tag", "-a", f"v1.{n}", "-m", f"Release {n}")
    with (out / "docs" / "index.md").open("a", encoding="utf-8") as home:
        home.write("\nA paragraph after the last release.\n")
    _git(out, "commit", "-qam", "After the last release")
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--releases", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = living_review(Path(tmp) / "review", args.releases)
        text = config.read_text(encoding="utf-8")
        plain = config.with_name("mkdocs-plain.yml")
        plain.write_text(text, encoding="utf-8")
        config.write_text(text.replace("  - litreview:\n", "  - litreview:\n      releases: true\n"), "utf-8")
        kept = config.parent / ".cache" / "litreview" / "releases.json"
        site = Path(tmp) / "site"
        build(plain, site)  # the bibliography's cache, warm for every build below
        off, cold, warm = [], [], []
        for _ in range(args.rounds):
            off.append(build(plain, site)[0])
            kept.unlink(missing_ok=True)
            cold.append(build(config, site)[0])
            warm.append(build(config, site)[0])
        ratio_cold = statistics.median(c / o for c, o in zip(cold, off, strict=True))
        ratio_warm = statistics.median(w / o for w, o in zip(warm, off, strict=True))
        print(
            f"{'Releases (2,500 works)':<26} {args.releases + 1} releases: without "
            f"{statistics.median(off):.2f} s; with, none kept {statistics.median(cold):.2f} s "
            f"({ratio_cold:.2f}x), all kept {statistics.median(warm):.2f} s ({ratio_warm:.2f}x) "
            f"(medians of {args.rounds} rounds)",
            flush=True,
        )


if __name__ == "__main__":
    main()

"""Generate a synthetic review for benchmarks: N pages, M references, about K citations a page.

The same content is written with three configurations: plain Material (citations stay
text), litreview, and mkdocs-bibtex (bib_file, footnotes on).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = (
    "pain",
    "spinal",
    "nerve",
    "root",
    "inflammation",
    "central",
    "sensitization",
    "cytokine",
    "glial",
    "channel",
    "stenosis",
    "disc",
    "degeneration",
    "facet",
    "tumour",
    "injury",
    "stimulation",
    "therapy",
    "cohort",
    "trial",
    "mechanism",
    "outcome",
    "patients",
    "chronic",
    "neuropathic",
    "dorsal",
    "ganglion",
    "modulation",
)

COMMON = """site_name: Synthetic review
docs_dir: docs
theme:
  name: material
  font: false
markdown_extensions:
  - footnotes
  - attr_list
"""
CONFIGS = {
    "plain": "plugins:\n  - search\n",
    "litreview": "plugins:\n  - search\n  - litreview:\n      bibliography: refs.bib\n",
    "litreview-nocache": (
        "plugins:\n  - search\n  - litreview:\n      bibliography: refs.bib\n      cache: false\n"
    ),
    "mkdocs-bibtex": "plugins:\n  - search\n  - bibtex:\n      bib_file: refs.bib\n",
}


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def generate(out: Path, pages: int, refs: int, cites_per_page: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    docs = out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    keys = [f"author{i}{1990 + i % 35}" for i in range(refs)]
    with (out / "refs.bib").open("w", encoding="utf-8") as bib:
        for i, key in enumerate(keys):
            bib.write(
                f"@article{{{key},\n  author = {{Family{i}, Given and Other{i % 97}, A. B. and "
                f'M{{\\"u}}ller{i % 13}, C.}},\n  title = {{A study of {rng.choice(WORDS)} '
                f"{rng.choice(WORDS)} number {i}}},\n  journal = {{J {rng.choice(WORDS).title()}}},\n"
                f"  year = {{{1990 + i % 35}}},\n  volume = {{{i % 60 + 1}}},\n"
                f"  pages = {{{i % 900 + 1}--{i % 900 + 12}}},\n}}\n\n"
            )
    for p in range(pages):
        lines = [f"# Section {p + 1}\n"]
        for _ in range(cites_per_page):
            para = " ".join(_sentence(rng) for _ in range(3))
            cited = rng.sample(keys, 2 if rng.random() < 0.2 else 1)
            lines.append(f"{para} [" + "; ".join(f"@{k}" for k in cited) + "]\n")
        (docs / f"page{p:04d}.md").write_text("\n".join(lines), encoding="utf-8")
    (docs / "index.md").write_text("# Synthetic review\n\nBenchmark corpus.\n", encoding="utf-8")
    for name, plugins in CONFIGS.items():
        (out / f"mkdocs-{name}.yml").write_text(COMMON + plugins, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--refs", type=int, default=1000)
    parser.add_argument("--cites", type=int, default=15)
    args = parser.parse_args()
    generate(args.out, args.pages, args.refs, args.cites)


if __name__ == "__main__":
    main()

"""`make realworld`: import and build every shared corpus; one row per corpus of what became of
each citation (issue 28). Exits 1 when any corpus loses a citation or shows its syntax unreported.

Columns: citations pandoc reads in the source (less its cross-references such as ``@fig:x`` and
Manubot's ``[@tag:x]: …`` alias definitions; for MyST, whose roles pandoc can't read, the keys of
its ``{cite}`` roles); citations our finder reads in the imported
Markdown; of those, rendered as links, shown as unknown keys (CIT001), reported as not
renderable (CIT007), and lost (none of these: must be 0); the source's syntax left as text on
the built pages and not named by the import's report (must be 0); the build's and the import's findings
by code. Needs ../shared/corpora beside the repository. Run with --markdown to print the table
for docs/realworld.md.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the corpus list and pandoc oracle the tests use

from corpora import CORPORA  # noqa: E402
from realworld import CORPUS_LIST, Row, measure  # noqa: E402

HEADER = ("corpus", "kind", "source", "found", "rendered", "unknown", "CIT007", "lost", "syntax left",
          "findings by code")  # fmt: skip


def cells(row: Row) -> tuple[str, ...]:
    """A row's cells; a corpus the importer refused says why."""
    name, kind = row.corpus.name, row.corpus.kind
    if row.refused:
        return (name, kind, "", "", "", "", "", "", "", f"refused: {row.refused}")
    counts = (row.pandoc, row.found, row.rendered, row.unknown, row.reported, len(row.lost), len(row.left))
    codes = " ".join(f"{code}×{n}" for code, n in sorted(row.findings.items()))
    return (name, kind, *map(str, counts), codes or "none")


def markdown_table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    """Measure every corpus; print the table, then each lost citation at its place."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table with the date")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        print(f"{CORPORA} is absent: the shared corpora sit beside the repository", file=sys.stderr)
        return 2
    rows = []
    with tempfile.TemporaryDirectory(prefix="litreview-realworld-") as tmp:
        for corpus in CORPUS_LIST:
            rows.append(measure(corpus, Path(tmp) / corpus.name))
            print(f"{corpus.name}: {rows[-1].seconds:.1f} s", file=sys.stderr)
    if args.markdown:
        print(f"Measured {datetime.date.today().isoformat()} with `make realworld`.\n")
        print(markdown_table(rows))
    else:
        widths = [max(len(h), *(len(cells(r)[i]) for r in rows)) for i, h in enumerate(HEADER)]
        for line in [HEADER, *(cells(r) for r in rows)]:
            print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    lost = [(r.corpus.name, x) for r in rows for x in r.lost]
    for name, x in lost:
        print(f"{name}: {x.path}:{x.line}:{x.col}: citation of '{x.key}' lost", file=sys.stderr)
    left = [(r.corpus.name, text) for r in rows for text in sorted(r.left)]
    for name, text in left:
        print(
            f"{name}: {text!r} left as text on a built page, not named by the import's report",
            file=sys.stderr,
        )
    return 1 if lost or left else 0


if __name__ == "__main__":
    sys.exit(main())

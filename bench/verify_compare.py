"""How well the verification judgement tells true entries from altered and invented ones.

Prints, for the labelled set made from deep-review's recorded metadata (tests/labelled.py),
the precision and recall of "same work", and how many of each kind of false entry are
caught. A figure printed, not a test: the tests hold the floor (precision 0.98, recall 0.90).
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]

from labelled import cases  # noqa: E402
from litreview.core.verify.compare import compare  # noqa: E402


def main() -> int:
    """Print the figures; 0 unless the corpus is missing."""
    corpus = ROOT.parent / "shared" / "corpora" / "deep-review" / "references.json"
    if not corpus.is_file():
        print(f"verification figures skipped: {corpus} is absent")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        labelled = cases(corpus, Path(folder))
    outcome = Counter((c.kind, compare(c.entry, c.record).same) for c in labelled)
    positives = sum(n for (kind, _same), n in outcome.items() if kind == "positive")
    true_verified = outcome[("positive", True)]
    false_verified = sum(n for (kind, same), n in outcome.items() if kind != "positive" and same)
    print(f"verification judgement on {len(labelled)} labelled cases from deep-review ({positives} true):")
    print(f"  precision of 'same work' {true_verified / max(1, true_verified + false_verified):.3f}")
    print(f"  recall                   {true_verified / max(1, positives):.3f}")
    for kind in ("fabricated", "title", "author", "year", "page"):
        total = outcome[(kind, True)] + outcome[(kind, False)]
        print(f"  {kind:<10} entries caught {outcome[(kind, False)]}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

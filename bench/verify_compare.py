"""How well verification tells true entries from altered, invented and retracted ones.

Two sets, both made from deep-review's recorded metadata (tests/labelled.py):

1. the judgement alone: each entry against the record it claims to be;
2. ``litreview verify`` end to end: a bibliography of true entries (half without their DOI, so
   found by search), altered ones, spliced and invented ones, and works marked retracted,
   verified against the local stand-ins of Crossref, doi.org, OpenAlex and PubMed
   (tests/metaserver.py), whose searches always return something, as real engines do.

Figures printed, not tests: the tests hold the floors (precision 0.98, recall 0.90,
fabricated flagged 95%, every retraction).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "scripts")]

from labelled import cases, verify_set  # noqa: E402
from litreview.core.fetch.http import Client  # noqa: E402
from litreview.core.project.config import load_project  # noqa: E402
from litreview.core.verify.compare import compare  # noqa: E402
from litreview.core.verify.verification import verify  # noqa: E402
from metaserver import Works, serve  # noqa: E402


def judgement(corpus: Path) -> None:
    """The comparison alone, on entry/record pairs."""
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


def end_to_end(corpus: Path) -> None:
    """``litreview verify`` on a labelled bibliography, against the local stand-ins."""
    entries, retracted = verify_set(corpus)
    works = Works.from_csl(json.loads(corpus.read_text(encoding="utf-8")))
    works.retracted = retracted
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "docs").mkdir()
        (project / "docs" / "index.md").write_text("# Labelled\n", encoding="utf-8")
        (project / "labelled.json").write_text(json.dumps([e.item for e in entries]), encoding="utf-8")
        (project / "mkdocs.yml").write_text(
            "site_name: Labelled\nplugins:\n  - litreview:\n      bibliography: labelled.json\n",
            encoding="utf-8",
        )
        with serve(works) as (env, _log):
            os.environ.update(env)
            client = Client()
            start = time.perf_counter()
            result = verify(load_project(project / "mkdocs.yml"), client)
            seconds = time.perf_counter() - start
            client.close()
    kind = {e.key: e.kind for e in entries}
    outcome = Counter((kind[v.key], v.status) for v in result.verdicts)
    positives = sum(n for (k, _s), n in outcome.items() if k == "positive")
    verified = sum(n for (_k, s), n in outcome.items() if s == "verified")
    true = outcome[("positive", "verified")]
    print(f"litreview verify end to end on {len(entries)} entries ({positives} true, half without DOI):")
    print(f"  precision of 'verified'   {true / max(1, verified):.3f}")
    print(f"  recall                    {true / max(1, positives):.3f}")
    for group in (("fabricated", "invented"), ("title", "author", "year", "page"), ("retracted",)):
        total = sum(n for (k, _s), n in outcome.items() if k in group)
        flagged = sum(n for (k, s), n in outcome.items() if k in group and s != "verified")
        if group == ("retracted",):
            flagged = sum(n for (k, s), n in outcome.items() if k in group and s == "retracted")
        print(f"  {'/'.join(group):<26}flagged {flagged}/{total} ({flagged / max(1, total):.0%})")
    print(f"  requests per entry        {result.requests / max(1, len(entries)):.2f}")
    print(f"  statuses                  {dict(sorted(Counter(v.status for v in result.verdicts).items()))}")
    print(f"  time (local stand-ins)    {seconds:.1f} s")


def main() -> int:
    """Print the figures; 0 unless the corpus is missing."""
    corpus = ROOT.parent / "shared" / "corpora" / "deep-review" / "references.json"
    if not corpus.is_file():
        print(f"verification figures skipped: {corpus} is absent")
        return 0
    judgement(corpus)
    end_to_end(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())

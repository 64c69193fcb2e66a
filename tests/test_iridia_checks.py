"""`litreview check` on the IRIDIA bibliography (3,305 real entries): what real data holds.

The corpus loads with no parse error, no undefined macro and no dangling crossref; what
the quality checks find is pinned here so a change in any check shows up as a diff.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from litreview.cli import main

IRIDIA = Path(__file__).resolve().parent / "fixtures" / "iridia"
ORDER = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]


def test_iridia_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# IRIDIA\n\nThe corpus, uncited.\n", encoding="utf-8")
    files = "".join(f"        - {IRIDIA / name}\n" for name in ORDER)
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: IRIDIA\nplugins:\n  - litreview:\n      bibliography:\n{files}", encoding="utf-8"
    )
    assert main(["check", "-f", str(tmp_path / "mkdocs.yml"), "--format", "json"]) == 0  # warnings only
    findings = json.loads(capsys.readouterr().out)
    counts = Counter(f["code"] for f in findings)
    assert counts == {"BIB020": 3305, "BIB012": 93, "BIB017": 2, "BIB016": 1}
    assert not {"BIB002", "BIB003", "BIB004", "BIB005", "BIB010"} & set(counts)

    def messages(code: str) -> list[str]:
        return sorted(
            f"{Path(f['path']).name}:{f['line']}: {f['message']}" for f in findings if f["code"] == code
        )

    assert messages("BIB017") == [
        "biblio.bib:2488: @misc 'COSEAL' has no author or editor; it will be listed under its title",
        "biblio.bib:7008: @misc 'JoH2015:policy' has no author or editor; it will be listed under its title",
    ]
    assert messages("BIB016") == [
        "articles.bib:19212: 'Tarquin89': pages '158--169 or 496--501' is neither a range (12--34) "
        "nor an article number (e0123)"
    ]
    # Preprint and journal versions of one paper, found by first author and title:
    assert (
        "articles.bib:12417: 'LopBraPaq2021telo' and 'LopBraPaq2021arxiv' (articles.bib:12391) have nearly "
        "the same title and the same first author; are they one work?"
    ) in [m.replace(str(IRIDIA) + "/", "") for m in messages("BIB012")]

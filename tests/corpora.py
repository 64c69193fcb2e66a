"""The shared real-data corpora (../shared/corpora, beside the repository), read where they are.

Each test that needs one skips with the reason when it is absent; CI has it beside its clone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT

CORPORA = ROOT.parent / "shared" / "corpora"
IRIDIA = Path(__file__).parent / "fixtures" / "iridia"
IRIDIA_ORDER = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]


def corpus(*parts: str) -> Path:
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpora sit beside the repository (../shared)")
    return path


def _braced(text: str) -> str:
    """Text as a braced BibTeX value: unbalanced braces dropped, nothing else changed."""
    depth, out = 0, []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                continue
            depth -= 1
        out.append(ch)
    return "".join(out) + "}" * depth


def deep_review_bibtex() -> str:
    """deep-review's 615 works (CSL-JSON as Manubot fetched them) written as BibTeX entries."""
    items = json.loads(corpus("deep-review", "references.json").read_text(encoding="utf-8"))
    out = []
    for item in items:
        fields = {
            "title": item.get("title"),
            "journal": item.get("container-title"),
            "publisher": item.get("publisher"),
            "volume": item.get("volume"),
            "number": item.get("issue"),
            "pages": item.get("page"),
            "doi": item.get("DOI"),
            "url": item.get("URL"),
            "abstract": item.get("abstract"),
            "note": item.get("note"),
        }
        people = item.get("author") or []
        names = [
            f"{p['family']}, {p['given']}"
            if "family" in p and "given" in p
            else p.get("family") or p.get("literal", "")
            for p in people
        ]
        if names:
            fields["author"] = " and ".join(n for n in names if n)
        year = (item.get("issued", {}).get("date-parts") or [[None]])[0][0]
        if year:
            fields["year"] = str(year)
        body = "".join(
            f"  {name} = {{{_braced(str(value))}}},\n"
            for name, value in fields.items()
            if value not in (None, "")
        )
        key = re.sub(r"[^\w:.-]", "_", item["id"])
        out.append(f"@article{{{key},\n{body}}}\n")
    return "\n".join(out)

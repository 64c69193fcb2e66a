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


#: CSL types as Zotero / Better BibTeX export them: entry type, and where container-title and
#: publisher go.
_CSL_TO_BIBTEX = {
    "article-journal": ("article", "journal", "publisher"),
    "report": ("techreport", "series", "institution"),  # Manubot's arXiv and bioRxiv preprints
    "webpage": ("misc", "howpublished", "publisher"),
    "chapter": ("incollection", "booktitle", "publisher"),
    "paper-conference": ("inproceedings", "booktitle", "publisher"),
    "book": ("book", "series", "publisher"),
    "thesis": ("phdthesis", "note", "school"),
}


def deep_review_bibtex() -> str:
    """deep-review's 615 works (CSL-JSON as Manubot fetched them) written as BibTeX entries,
    each type as Better BibTeX exports it."""
    items = json.loads(corpus("deep-review", "references.json").read_text(encoding="utf-8"))
    out = []
    for item in items:
        entry_type, container, publisher = _CSL_TO_BIBTEX.get(
            item.get("type", ""), ("misc", "note", "publisher")
        )
        fields = {
            "title": item.get("title"),
            container: item.get("container-title"),
            publisher: item.get("publisher"),
            "volume": item.get("volume"),
            "number": item.get("issue"),
            "pages": item.get("page"),
            "doi": item.get("DOI"),
            "url": item.get("URL"),
            "abstract": item.get("abstract"),
            "note": item.get("note") if container != "note" else item.get("container-title"),
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
        out.append(f"@{entry_type}{{{key},\n{body}}}\n")
    return "\n".join(out)


def deep_review_project(dest: Path) -> Path:
    """deep-review as a litreview project: its pages, and an entry under every key they cite.

    Manubot cites one work under several ids (``tag:`` aliases, DOI, arXiv); each id becomes
    a key of its own here, as a team converting by hand would write them.
    """
    import csv
    import shutil

    content = corpus("deep-review", "content")
    shutil.copytree(content, dest / "docs")
    entries = {
        m.group(2): m.group(0)
        for m in re.finditer(r"@(\w+)\{([^,]+),\n.*?\n\}\n", deep_review_bibtex(), re.S)
    }
    with corpus("deep-review", "citations.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out: dict[str, str] = {}
    for row in rows:
        entry_type, rest = entries[re.sub(r"[^\w:.-]", "_", row["short_id"])].split("{", 1)
        out.setdefault(row["input_id"], f"{entry_type}{{{row['input_id']},{rest.split(',', 1)[1]}")
    (dest / "references.bib").write_text("\n".join(out.values()), encoding="utf-8")
    config = dest / "mkdocs.yml"
    config.write_text(
        "site_name: deep-review\ndocs_dir: docs\nplugins:\n  - litreview:\n      bibliography: references.bib\n",
        encoding="utf-8",
    )
    return config

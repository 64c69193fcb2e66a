"""The real review with hostile strings in every value litreview puts into a page.

Payloads go into a cited entry's title, author, journal, note, url and doi, a section's
front matter title and short title, and a concept's label and synonym: everything that
reaches the References page, the per-page lists, tooltips, the concept index, the map,
the section extras and previous/next links.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = "<script>alert('lr-xss')</script>"
IMG = "<img src=x onerror=alert(document.domain)>"
PAYLOAD = f'Pain {IMG} {SCRIPT} "q" & [@bell2023] *em* `c`'
SECTION = "description/spinal-tumors.md"
CONCEPT = "primary-bone-tumors"


def hostile_copy(dest: Path, page_titles: bool = True) -> Path:
    """Copy the review into ``dest`` with the payloads; return its mkdocs.yml.

    ``page_titles=False`` leaves front matter titles alone: MkDocs themes put a page's
    title into the navigation unescaped (Material's templates do), so a hostile title
    runs there whatever litreview does; pages are author content, like raw HTML in them.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "taxonomy.yml"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    hostile = (
        "@article{bell2023,\n"
        f"  author  = {{Bell, Simon {IMG} and {{{SCRIPT}}}}},\n"
        f"  title   = {{{PAYLOAD}}},\n"
        f"  journal = {{J {IMG}}},\n"
        f"  note    = {{{SCRIPT}}},\n"
        "  url     = {javascript:alert(document.domain)},\n"
        '  doi     = {10.1000/x"><img src=x onerror=alert(1)>},\n'
        "  year    = {2023},\n}\n"
    )
    bib = re.sub(r"@article\{bell2023,.*?\n\}\n", lambda _m: hostile, bib, count=1, flags=re.S)
    (dest / "references.bib").write_text(bib, encoding="utf-8")
    if page_titles:
        _hostile_titles(dest)
    _hostile_concept(dest)
    return dest / "mkdocs.yml"


def _hostile_titles(dest: Path) -> None:
    page = dest / "content" / SECTION
    text = page.read_text(encoding="utf-8")
    title, short = json.dumps(f"Spinal tumors {IMG} {SCRIPT}"), json.dumps(f"Tumors {SCRIPT}")
    text = text.replace(
        "title: Spinal tumors\nshort_title: Spinal tumors", f"title: {title}\nshort_title: {short}", 1
    )
    page.write_text(text, encoding="utf-8")


def _hostile_concept(dest: Path) -> None:
    taxonomy = dest / "taxonomy.yml"
    tax = taxonomy.read_text(encoding="utf-8")
    start = tax.index(f"  {CONCEPT}:")
    label_at = tax.index("label: ", start)
    end = tax.index("\n", label_at)
    label = tax[label_at + len("label: ") : end]
    tax = tax[:label_at] + "label: " + json.dumps(f"{label} {IMG} {SCRIPT}") + tax[end:]
    taxonomy.write_text(tax, encoding="utf-8")

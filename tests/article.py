"""The article as the fidelity tests read it: parts, paragraphs, citations, references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TEXT = Path(__file__).parent / "fixtures" / "article" / "spinal-neuropathic-pain-review.txt"
PAGE_BREAKS = {
    "stressing the\n\nneed": "stressing the need",
    "facet joint\n\narthropathy": "facet joint arthropathy",
}


@dataclass(frozen=True)
class Paragraph:
    text: str  # without the trailing "[n]"
    cites: tuple[int, ...]


@dataclass(frozen=True)
class ArticleReference:
    number: int
    authors: tuple[str, ...]
    title: str
    journal: str
    volume: str
    year: str
    pages: str


def _between(text: str, start: str, end: str) -> str:
    return text.split(f"\n{start}\n", 1)[1].split(f"\n{end}\n", 1)[0]


def _paragraphs(block: str) -> list[Paragraph]:
    out = []
    for raw in (p.strip() for p in block.strip().split("\n\n")):
        if not raw:
            continue
        m = re.search(r"\s*\[(\d+(?:,\s*\d+)*)\]$", raw)
        cites = tuple(int(n) for n in m.group(1).split(",")) if m else ()
        out.append(Paragraph(raw[: m.start()] if m else raw, cites))
    return out


@cache
def parts() -> dict[str, list[Paragraph]]:
    text = TEXT.read_text(encoding="utf-8")
    for broken, joined in PAGE_BREAKS.items():
        text = text.replace(broken, joined)
    return {
        "Introduction": _paragraphs(_between(text, "Introduction", "Description")),
        "Description": _paragraphs(_between(text, "Description", "Conclusion")),
        "Conclusion": _paragraphs(_between(text, "Conclusion", "Acknowledgement")),
    }


_REF = re.compile(r'^(\d+)\. (.+?)\. "(.+?)\." \*(.+?)\* (\S+) \((\d{4})\):(\S+)\.$')


@cache
def reference_list() -> tuple[ArticleReference, ...]:
    text = TEXT.read_text(encoding="utf-8").split("\nReferences\n", 1)[1]
    refs = []
    for line in text.splitlines():
        m = _REF.match(line.strip())
        if m:
            refs.append(
                ArticleReference(
                    int(m.group(1)),
                    tuple(m.group(2).split(", ")),
                    m.group(3),
                    m.group(4),
                    m.group(5),
                    m.group(6),
                    m.group(7),
                )
            )
    return tuple(refs)

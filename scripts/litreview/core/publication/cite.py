"""How to cite: the review's own citation as readers copy it, and as files they download.

The line reads as the article's own "How to cite this article" does (authors, quoted title,
journal, volume, year, pages, DOI); below it the same record as BibTeX, RIS and CSL-JSON, each
in a code block (Material adds a copy button to it) with a download link when the build
writes the files.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup, escape

from . import exports
from .settings import Publication

#: Where a page asks for the block (the home page's "How to cite" section).
SLOT = '<div class="lr-how-to-cite" data-lr-slot="cite"></div>'
#: Where the build writes the review's own citation files, under the site.
FOLDER = "cite"
FORMATS = (
    ("BibTeX", "bib", exports.own_bibtex),
    ("RIS", "ris", exports.own_ris),
    ("CSL-JSON", "json", exports.own_csl),
)


def paths(pub: Publication) -> list[str]:
    """The site paths of :func:`files`."""
    key = exports.own_key(pub)
    return [f"{FOLDER}/{key}.{ext}" for _label, ext, _make in FORMATS]


def files(pub: Publication) -> dict[str, str]:
    """Site path → text of the review's own citation in each format."""
    key = exports.own_key(pub)
    return {f"{FOLDER}/{key}.{ext}": make(pub) for _label, ext, make in FORMATS}


def line(pub: Publication) -> Markup:
    """``Ivanova, Natalia V. "Title." <em>J Spine</em> 14 (2025):725. DOI: …``"""
    authors = "; ".join(a.inverted for a in pub.authors)
    venue = pub.journal_abbreviation or pub.journal
    parts = [f"{escape(authors.rstrip('.'))}. \u201c{escape(pub.title.rstrip('.'))}.\u201d"]
    if venue:
        where = f"<em>{escape(venue)}</em>" + (f" {escape(pub.volume)}" if pub.volume else "")
        pages = "\u2013".join(p for p in (pub.first_page, pub.last_page) if p)
        parts.append(f"{where} ({escape(pub.year)})" + (f":{escape(pages)}" if pages else "") + ".")
    else:
        parts.append(f"{escape(pub.year)}.")
    if pub.doi:
        parts.append(f'DOI: <a href="https://doi.org/{escape(pub.doi)}">{escape(pub.doi)}</a>')
    return Markup(" ".join(parts))


def block(pub: Publication, hrefs: Mapping[str, str] | None = None, pdf: str = "") -> Markup:
    """The How to cite block; ``hrefs`` maps each site path of :func:`files` to its link from
    the page, ``pdf`` is the link to the PDF of the whole review, if the build writes one."""
    out = [f'<div class="lr-how-to-cite"><p class="lr-cite-line">{line(pub)}</p>']
    if pdf:
        out.append(
            f'<p class="lr-pdf-download"><a class="lr-download" href="{escape(pdf)}" download>'
            "Download the PDF of the whole review</a></p>"
        )
    for (path, text), (label, _ext, _make) in zip(files(pub).items(), FORMATS, strict=True):
        href = (hrefs or {}).get(path)
        link = (
            f' <a class="lr-download" href="{escape(href)}" download>Download {escape(label)}</a>'
            if href
            else ""
        )
        out.append(
            f'<details class="lr-cite-as"><summary>{escape(label)}</summary>'
            f'<div class="highlight"><pre><code>{escape(text)}</code></pre></div>{link}</details>'
        )
    out.append("</div>")
    return Markup("".join(out))

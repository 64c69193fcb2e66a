"""Where a page asks for the flow diagram, and the figure that fills it.

A page holds ``<div data-lr-slot="prisma"></div>`` (the form of the other slots); the
figure puts the SVG in a frame that scrolls sideways on a narrow screen (and is reachable by
keyboard to do so), with a caption and a link to download the same SVG.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

from . import flow_svg
from .flow_data import Flow

#: The slot as a page writes it (raw HTML passes through Markdown as written).
SLOT = '<div data-lr-slot="prisma"></div>'
_SLOT = re.compile(r"""<div\b[^<>]*?\sdata-lr-slot\s*=\s*(["']?)prisma\1(?=[\s>/])[^<>]*>\s*</div>""")
#: Where the build writes the diagram, under the site.
FILE = "prisma/prisma-flow.svg"


def holds_slot(html: str) -> bool:
    """Does this page ask for the flow diagram?"""
    return "prisma" in html and _SLOT.search(html) is not None


def data_url(svg: str) -> str:
    """The diagram as a ``data:`` address, for a generator that writes no files of ours."""
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe="")


def figure(flow: Flow, download: str | None, suffix: str = "") -> str:
    """The figure: the diagram in its scrolling frame, the caption and the download link
    (``download`` None: the diagram as a ``data:`` address)."""
    drawn = flow_svg.svg(flow, suffix)
    href = data_url(drawn) if download is None else download
    return (
        f'<figure class="lr-prisma" id="prisma-flow{suffix}">'
        '<div class="lr-prisma-frame" role="region" tabindex="0" '
        f'aria-label="PRISMA 2020 flow diagram (scrolls sideways)">{drawn}</div>'
        "<figcaption>PRISMA 2020 flow diagram of the studies and reports found, screened and included. "
        f'<span class="lr-downloads"><a class="lr-download" href="{escape(href)}" download="prisma-flow.svg">'
        "Download the diagram (SVG)</a></span></figcaption></figure>"
    )


def fill(html: str, flow: Flow, download: str | None) -> str:
    """Every flow slot in ``html`` replaced by the figure (ids kept unique on the page)."""
    count = 0

    def one(_m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return figure(flow, download, "" if count == 1 else f"-{count}")

    return _SLOT.sub(one, html)

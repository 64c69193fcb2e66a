"""Whether this build writes the PDF, under which name, and the links that lead readers to it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markupsafe import escape

if TYPE_CHECKING:  # every build links the PDF's button; only one that prints loads the engine
    from .engine import Engine

#: Material's header buttons; the PDF's goes before the first found (search, then the repository).
_HEADER_MARKS = (
    '<label class="md-header__button md-icon" for="__search">',
    '<div class="md-header__source">',
)
LABEL = "PDF of the whole review"
_ICON = (  # a page with its corner turned, and an arrow down: download the document
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
    '<path style="fill:none" stroke="currentColor" stroke-width="1.7" stroke-linejoin="round" '
    'd="M5.5 2.8h8.5l4.5 4.5v13.9h-13zM14 2.8v4.5h4.5M12 10v7.2M8.8 14l3.2 3.2 3.2-3.2"/></svg>'
)


@dataclass(frozen=True)
class Plan:
    """The PDF this build writes: with which Chromium, its file name in the site, its paper."""

    engine: Engine
    name: str
    paper: str


def file_name(site_url: str | None, repo_url: str | None, site_name: str) -> str:
    """``<slug>.pdf``: the site's last path segment (``…/spinal-neuropathic-pain/``), else the
    repository's name, else the site name's first words."""
    for url in (site_url, repo_url):
        segment = urlsplit(url or "").path.rstrip("/").rsplit("/", 1)[-1]
        slug = _slug(segment)
        if slug:
            return slug + ".pdf"
    words = _slug(site_name).split("-")
    slug = ""
    for word in words:
        if slug and len(slug) + len(word) > 40:
            break
        slug = f"{slug}-{word}" if slug else word
    return (slug or "review") + ".pdf"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def with_header_link(html: str, href: str) -> str:
    """Material's header gets a PDF button (other themes: the home page's How to cite links it)."""
    link = (
        f'<a href="{escape(href)}" class="md-header__button md-icon lr-pdf-link" '
        f'title="{LABEL}" aria-label="{LABEL}" download>{_ICON}</a>'
    )
    for mark in _HEADER_MARKS:
        if mark in html:
            return html.replace(mark, link + mark, 1)
    return html

"""Citations in the text of raw HTML blocks, which pandoc reads as Markdown.

Python-Markdown passes a raw HTML block (``<figure>…<figcaption>[@key]</figcaption>``, a
``<table>``, ``<details>``) through untouched, so the engine rewrites its text here: each
citation becomes the slot the site-wide step fills. Tags, attributes and comments are never
read, nor the text of ``<pre>``, ``<script>``, ``<style>`` and ``<textarea>`` (pandoc leaves
those alone too). Inside ``<a>`` HTML can't hold another link, nor should code hold one:
those citations stay as written, and the caller has them reported (CIT007).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import slots
from .syntax import Citation, find_in_text

VERBATIM = ("pre", "script", "style", "textarea")
UNLINKABLE = ("a", "code", "kbd", "samp")
_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>", re.S)


def cite_in_html(html: str, add: Callable[[Citation], int]) -> tuple[str, bool]:
    """``html`` with each citation in its text replaced by a slot (``add`` records it and gives
    its index); also whether a citation or malformed one was left where it can't be rendered."""
    if "@" not in html:
        return html, False
    out: list[str] = []
    left = False
    verbatim: str | None = None
    in_link = 0
    pos = 0
    for m in _MARKUP.finditer(html):
        text = html[pos : m.start()]
        if verbatim is None and not in_link and "@" in text:
            text, trouble = _cite_text(text, add)
            left = left or trouble
        elif verbatim is None and "@" in text:
            left = left or bool(find_in_text(text))
        out += [text, m.group(0)]
        pos = m.end()
        name = (m.group(1) or "").lower()
        closing = m.group(0).startswith("</")
        if verbatim is not None:
            verbatim = None if closing and name == verbatim else verbatim
        elif name in VERBATIM and not closing:
            verbatim = name
        elif name in UNLINKABLE and not m.group(0).endswith("/>"):
            in_link = max(0, in_link + (-1 if closing else 1))
    tail = html[pos:]
    if verbatim is None and not in_link and "@" in tail:
        tail, trouble = _cite_text(tail, add)
        left = left or trouble
    return "".join(out) + tail, left


def _cite_text(text: str, add: Callable[[Citation], int]) -> tuple[str, bool]:
    parts: list[str] = []
    pos = 0
    trouble = False
    for item in find_in_text(text):
        if not isinstance(item, Citation):
            trouble = True  # malformed: the scanner reports it (CIT003)
            continue
        parts += [text[pos : item.start], slots.citation_markup(add(item))]
        pos = item.end
    return "".join(parts) + text[pos:], trouble

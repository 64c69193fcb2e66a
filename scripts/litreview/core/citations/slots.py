"""The slots the Markdown engine leaves in a page and the site-wide step fills.

Built as elements and matched in their serialised form in this one module, from the same
names, so the engine's side and the filler's side can't drift apart.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from html import escape

_CITE = {"tag": "span", "class": "lr-cite-slot", "index": "data-lr-cite"}
_ALT = ("@@lr-cite-", "@@")
"""A citation in an image's alt text: HTML can't hold a link in an attribute, so a token."""
_PAGE_LIST = {"class": "lr-page-references", "data-lr-slot": "page"}
_BIBLIOGRAPHY = {"class": "lr-bibliography", "data-lr-slot": "site"}


def _div(attributes: dict[str, str]) -> str:
    return "<div" + "".join(f' {k}="{escape(v)}"' for k, v in attributes.items()) + "></div>"


PAGE_LIST = _div(_PAGE_LIST)
"""Where a page's own reference list goes, as the engine's element serialises."""
BIBLIOGRAPHY = _div(_BIBLIOGRAPHY)
"""Where the References page's list goes (the page's stub, or the generated page, holds it)."""

_ALT_TOKEN = re.compile(re.escape(_ALT[0]) + r"(\d+)" + re.escape(_ALT[1]))
_TAG, _CLASS, _INDEX = _CITE["tag"], _CITE["class"], _CITE["index"]
_SERIALISED = re.compile(f'<{_TAG} class="{_CLASS}" {_INDEX}="(\\d+)"></{_TAG}>|{_ALT_TOKEN.pattern}')


def citation(index: int) -> etree.Element:
    """The empty element standing for the page's citation number ``index``."""
    return etree.Element(_CITE["tag"], {"class": _CITE["class"], _CITE["index"]: str(index)})


def citation_markup(index: int) -> str:
    """The slot for citation ``index`` as serialised HTML, for text Markdown passes through raw."""
    return f'<{_TAG} class="{_CLASS}" {_INDEX}="{index}"></{_TAG}>'


def citation_index(el: etree.Element) -> int | None:
    """The citation ``el`` stands for, or None if it is not a citation slot."""
    if el.tag != _CITE["tag"] or el.get("class") != _CITE["class"]:
        return None
    return int(el.get(_CITE["index"], "0"))


def alt_token(index: int) -> str:
    """The token standing for citation ``index`` in an image's alt text."""
    return f"{_ALT[0]}{index}{_ALT[1]}"


def alt_indices(alt: str) -> list[int]:
    """The citations an alt text's tokens stand for, in order."""
    return [int(n) for n in _ALT_TOKEN.findall(alt)] if _ALT[0] in alt else []


def add_page_list(root: etree.Element) -> None:
    """The page's "References" heading and the slot for its list, at the end of the page."""
    heading = etree.SubElement(root, "h2", {"id": "page-references"})
    heading.text = "References"
    etree.SubElement(root, "div", dict(_PAGE_LIST))


def fill_citations(html: str, rendered: Callable[[int], str | None], as_text: Callable[[str], str]) -> str:
    """Each citation slot in serialised ``html`` replaced by ``rendered(index)`` (kept when
    None); a token in an attribute by ``as_text`` of it."""

    def fill(m: re.Match[str]) -> str:
        found = rendered(int(m.group(1) or m.group(2)))
        if found is None:
            return m.group(0)
        return found if m.group(1) else as_text(found)

    return _SERIALISED.sub(fill, html)


def holds_bibliography(html: str) -> bool:
    """Does this page hold the References list's slot?"""
    return BIBLIOGRAPHY in html


def fill_bibliography(html: str, listing: str) -> str:
    """The References list's slot replaced by ``listing``."""
    return html.replace(BIBLIOGRAPHY, listing)

"""What in a page came from hostile source text: elements and attributes that run script.

Shared by the import tests: a page is parsed (never grepped) as a browser parses it (lxml:
``<title>`` text is not markup) and every element, attribute and URL that a payload could
have put there is listed, so a test can assert none is.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

#: Elements no imported page makes (the test sources have no images), all of which a payload uses.
FOREIGN = {"img", "iframe", "object", "embed", "video", "audio", "base", "meta-refresh"}
_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
_BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.I)
_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def injected(html: str, images: bool = False) -> list[str]:
    """Each element or attribute in ``html`` that would run script or came from a payload
    (``images``: the page has images of its own, so ``<img>`` elements are checked, not listed)."""
    found: list[str] = []
    for element in BeautifulSoup(html, "lxml").find_all(True):
        assert isinstance(element, Tag)
        if element.name in FOREIGN and not (images and element.name == "img"):
            found.append(f"<{element.name}> element")
        if element.name == "script" and "alert" in element.get_text():
            found.append("a script from the source")
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{name}= on <{element.name}>")
            if name.lower() in _URL_ATTRS and _BAD_SCHEME.match(_IGNORED.sub("", text)):
                found.append(f"{name}={text!r} on <{element.name}>")
    return found

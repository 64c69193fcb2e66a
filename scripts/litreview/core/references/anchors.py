"""The one way from a citation key to the id of the element that shows its work.

The References page, a page's own list, the explorer's index, citation links, "Cited in", the
link checks and the PDF all name a work by ``anchor(key)``; nothing else turns a key into an id.

The id keeps a key made only of ``[A-Za-z0-9_.-]`` as it is (``ref-smith2020``: deep links to
existing reviews keep working) and spells any other character with ``~``, which such a key can't
hold, so two keys never share an id: ``a:b`` is ``ref-a~3ab``, ``a_b`` stays ``ref-a_b`` (both
were ``ref-a_b`` once, and the second work's entry could not be reached). Every id is made of
``[A-Za-z0-9_.~-]``: nothing to escape in a URL's fragment, an HTML attribute or JSON.
"""

from __future__ import annotations

import functools
import re

PREFIX = "ref-"
_SPELLED = re.compile(r"[^A-Za-z0-9_.-]")


def _spell(found: re.Match[str]) -> str:
    """``:`` is ``~3a`` (two hex digits below U+0100); ``ü`` ``~fc``; ``李`` ``~~00674e``."""
    code = ord(found[0])
    return f"~{code:02x}" if code < 0x100 else f"~~{code:06x}"


@functools.lru_cache(maxsize=65536)
def anchor(key: str) -> str:
    """The id of ``key``'s work on a page (``Aad:2012tfa`` becomes ``ref-Aad~3a2012tfa``)."""
    return PREFIX + _SPELLED.sub(_spell, key)

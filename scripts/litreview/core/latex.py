"""LaTeX in field values to Unicode, paid for only where a field contains LaTeX.

Decoding every field through a LaTeX parser costs about a millisecond per entry;
most fields are plain text, so they take the fast path untouched.
"""

from __future__ import annotations

import functools
import re

from pylatexenc.latex2text import LatexNodes2Text

_NEEDS_PARSER = re.compile(r"[\\$%]")
_DASHES = (("---", "\u2014"), ("--", "\u2013"))


@functools.lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", keep_comments=False, strict_latex_spaces=False)


def _typography(text: str) -> str:
    for tex, uni in _DASHES:
        text = text.replace(tex, uni)
    return text.replace("~", "\u00a0").replace("``", "\u201c").replace("''", "\u201d")


def to_unicode(value: str) -> str:
    """Decode accents, escapes, dashes and protective braces to plain Unicode text."""
    if not any(c in value for c in "\\{}~-$%`'"):
        return value
    if _NEEDS_PARSER.search(value):
        try:
            text = _converter().latex_to_text(value)
        except Exception:  # pylatexenc may choke on unbalanced input; keep the raw text
            text = value.replace("{", "").replace("}", "")
        return _typography(" ".join(text.split()))
    return _typography(value.replace("{", "").replace("}", ""))

"""Find a name in prose the way a reader would: any case, hyphen or space, singular or plural.

Used to check that the Conclusion names every section, and by the cross-linker for
autolinks, so both agree on what counts as a mention.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_WORD = re.compile(r"[^\W_]+")
_JOIN = r"[\s\u2010\u2011\u00ad-]*"


@functools.lru_cache(maxsize=4096)
def pattern(term: str) -> re.Pattern[str]:
    """A case-insensitive pattern for ``term`` as whole words, singular or plural."""
    words = _WORD.findall(term)
    if not words:
        return re.compile(r"(?!x)x")
    last = words[-1]
    if last.lower().endswith("ies") and len(last) > 4:  # injuries ~ injury
        tail = re.escape(last[:-3]) + r"(?:y|ies)"
    elif last.lower().endswith("y") and len(last) > 2:
        tail = re.escape(last[:-1]) + r"(?:y|ies)"
    elif last.lower().endswith("s") and not last.lower().endswith(("ss", "is", "us")):  # tumors ~ tumor
        tail = re.escape(last[:-1]) + r"(?:s|es)?"
    else:
        tail = re.escape(last) + r"(?:s|es)?"
    body = _JOIN.join([*(re.escape(w) for w in words[:-1]), tail])
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.I)


def first_mention(text: str, names: Iterable[str]) -> re.Match[str] | None:
    """The earliest mention of any of ``names``; the longest wins where two start together."""
    best: re.Match[str] | None = None
    for name in names:
        m = pattern(name).search(text)
        if m and (best is None or (m.start(), -m.end()) < (best.start(), -best.end())):
            best = m
    return best

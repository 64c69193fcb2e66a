"""Escape a value for the place that consumes it.

Generated pages are written as Markdown (so MkDocs converts, validates and indexes them),
as YAML front matter, or as HTML; each has its own special characters. Tooltip text goes
into a ``data-lr-tip`` attribute that litreview's own script shows with ``textContent``,
never into ``title``, which themes (Material's ``content.tooltips``) render as HTML.
"""

from __future__ import annotations

import json
import re

from markupsafe import escape

#: C0 and C1 control characters except tab, line feed and carriage return, plus NUL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: What a terminal acts on: every control character but tab and line feed (an escape sequence
#: in a file name could recolour, move or clear the screen).
_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Everything Python-Markdown or its common extensions give a meaning to in inline text.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>#+\-.!|&~^=:\"'$%@]")


def without_controls(value: str) -> str:
    """The text with control characters dropped (they have no place in a page)."""
    return CONTROL.sub("", value)


def terminal(value: str) -> str:
    """Text to print: each control character shown as ``\\xNN`` instead of acted on."""
    return _TERMINAL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", value)


def visible(value: str) -> str:
    """The text with each control character written out (``\\x1b``): a value shown as the
    author wrote it, where a browser would drop the character and show another value."""
    return CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", value)


def markdown(value: str) -> str:
    """Literal text inside generated Markdown: no markup, no raw HTML, no citation.

    Every character Markdown could read as syntax becomes a numeric character reference,
    which Python-Markdown passes through and the browser shows as the character itself.
    Line breaks become spaces, so a value can't start a new block.
    """
    flat = " ".join(without_controls(value).split())
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", flat)


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is a subset of YAML's)."""
    return json.dumps(without_controls(value), ensure_ascii=False)


def tooltip(text: str) -> str:
    """A ``data-lr-tip`` attribute (with its leading space) for litreview's tooltip script."""
    return f' data-lr-tip="{escape(" ".join(without_controls(text).split()))}"'

"""Where a page's Markdown asks for a systematic review's diagram or tables, and what is wrong
with the asking: a table's slot without its file (SYS040), a slot twice on one page (SYS041).

Read from the Markdown source, code blocks aside, so ``litreview check``, the MkDocs build and
the Zensical session report the same places."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..findings.problems import Problem
from ..project.options import LitreviewOptions
from ..source.inline_spans import markdown_comments, mask_code_spans
from ..source.scanner import mask_blocks

NAMES = ("prisma", "studies", "findings")
"""The slots a systematic review fills: the flow diagram and the two tables."""
_SLOT = re.compile(r"""<div\b[^<>]*?\sdata-lr-slot\s*=\s*(["']?)(prisma|studies|findings)\1(?=[\s>/])""")
_TABLE_FILES = {"studies": "the table of included studies", "findings": "the summary of findings"}


def places(markdown: str) -> dict[str, list[tuple[int, int]]]:
    """Each slot name → where the page's Markdown holds it (line, column), code and comments aside."""
    if "data-lr-slot" not in markdown:
        return {}
    chars = mask_blocks(markdown, html_blocks=[])
    mask_code_spans(chars, markdown_comments)  # the build reads the slots
    masked = "".join(chars)
    starts = [0] + [m.end() for m in re.finditer("\n", masked)]
    out: dict[str, list[tuple[int, int]]] = {}
    for m in _SLOT.finditer(masked):
        line = sum(1 for s in starts if s <= m.start())
        out.setdefault(m.group(2), []).append((line, m.start() - starts[line - 1] + 1))
    return out


def slot_problems(
    texts: Mapping[str, str], displays: Mapping[str, str], configured: Mapping[str, bool]
) -> list[Problem]:
    """SYS040 where a page holds a table's slot and its option (``studies``, ``findings``) is not
    set; SYS041 where a page holds any slot a second time (its ids would be given twice)."""
    out = []
    for src, text in texts.items():
        display = displays.get(src, src)
        for name, found in places(text).items():
            if name in _TABLE_FILES and not configured.get(name):
                message = (
                    f"this page asks for {_TABLE_FILES[name]}, but no '{name}' file is set "
                    "in the litreview options"
                )
                out += [Problem(display, line, col, "SYS040", message) for line, col in found]
            first = found[0][0]
            message = f'the "{name}" slot is already on this page (line {first}); it is shown once'
            out += [Problem(display, line, col, "SYS041", message) for line, col in found[1:]]
    return out


def configured(options: LitreviewOptions) -> dict[str, bool]:
    """Which slots the options give a file to fill."""
    return {
        "prisma": bool(options.prisma),
        "studies": bool(options.studies),
        "findings": bool(options.findings),
    }

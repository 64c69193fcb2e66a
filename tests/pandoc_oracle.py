"""Pandoc as the test oracle for citation syntax (pypandoc-binary ships pandoc itself).

Pandoc is run directly, not through ``pypandoc.convert_text``: that asks pandoc for its input and
output formats before each conversion, three processes where one does (the suite converts about
600 times).
"""

from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path
from typing import Any

import pypandoc


@functools.cache
def _pandoc() -> str:
    return str(pypandoc.get_pandoc_path())


def pandoc_json(text: str, reader: str = "markdown", cwd: Path | None = None) -> Any:
    """Pandoc's tree of ``text`` (``pandoc --from=READER --to=json``, the text on stdin)."""
    done = subprocess.run(
        [_pandoc(), f"--from={reader}", "--to=json"],
        input=text.encode("utf-8"),
        capture_output=True,
        cwd=cwd,
        check=False,
    )
    if done.returncode != 0:  # pandoc's own words, as pypandoc gave them
        raise RuntimeError(f"pandoc --from={reader} failed: {done.stderr.decode('utf-8', 'replace')}")
    return json.loads(done.stdout)


def pandoc_keys(markdown: str) -> list[str]:
    """The citation keys pandoc reads in ``markdown``, in document order.

    A figure's caption is also its image's alt text in pandoc's tree; it is counted once.
    """
    return _keys(pandoc_json(markdown))


def pandoc_latex_keys(path: Path) -> list[str]:
    """The citation keys pandoc's LaTeX reader finds in a .tex file (its \\input's followed),
    the abstract's (in pandoc's metadata) first."""
    doc = pandoc_json(path.read_text(encoding="utf-8"), "latex", cwd=path.parent)
    return _keys({"blocks": [doc["meta"], doc["blocks"]]})


def pandoc_cites(markdown: str) -> list[tuple[str, ...]]:
    """Each citation pandoc reads in ``markdown`` (a Cite node), as its keys, in document order."""
    return _cites(pandoc_json(markdown))


def pandoc_modes(markdown: str) -> list[tuple[str, str]]:
    """Each citation's key and mode (``NormalCitation``, ``AuthorInText``, ``SuppressAuthor``),
    in order: whether pandoc read a bracketed citation or a narrative one."""
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                out.extend((c["citationId"], c["citationMode"]["t"]) for c in node["c"][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(pandoc_json(markdown))
    return out


def _keys(doc: Any) -> list[str]:
    return [key for cite in _cites(doc) for key in cite]


def _cites(doc: Any) -> list[tuple[str, ...]]:
    cites: list[tuple[str, ...]] = []

    def walk(node: Any, in_figure: bool = False) -> None:
        if isinstance(node, dict):
            kind = node.get("t")
            if kind == "Cite":
                cites.append(tuple(c["citationId"] for c in node["c"][0]))
            if kind == "Figure":
                _attr, caption, blocks = node["c"]
                walk(caption)
                walk(blocks, in_figure=True)
                return
            if kind == "Image" and in_figure:
                return  # its alt text repeats the caption walked above
            for value in node.values():
                walk(value, in_figure)
        elif isinstance(node, list):
            for value in node:
                walk(value, in_figure)

    walk(doc["blocks"])
    return cites


def pandoc_math(markdown: str) -> int:
    """How many math elements (inline or display) pandoc reads in ``markdown``."""
    doc = pandoc_json(markdown)
    count = 0

    def walk(node: Any) -> None:
        nonlocal count
        if isinstance(node, dict):
            count += node.get("t") == "Math"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc["blocks"])
    return count

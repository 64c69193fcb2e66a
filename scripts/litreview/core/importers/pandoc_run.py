"""Pandoc, the reference converter, run as an untrusted-input filter for the importers.

Pandoc reads LaTeX (macros, tables, figures, footnotes, math) and pandoc Markdown (grid tables,
super/subscript, divs) better than any converter we could write; pypandoc-binary ships it as a
wheel. It runs with ``--sandbox`` (it reads only the text handed to it on stdin, never a file
the source names), under a time limit and on a bounded input, and its own warnings come back as
data for the import report rather than reaching the terminal.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field

from .imported import refuse

#: What one conversion may take before it is stopped (seconds); a source can loop pandoc's macros.
DEADLINE = float(os.environ.get("LITREVIEW_PANDOC_DEADLINE", "60"))
#: The most text one conversion reads or returns (characters).
LIMIT = 8 * 1024 * 1024


@dataclass
class PandocOutput:
    """Pandoc's output and the warnings it gave (``--verbose`` off: each a one-line message)."""

    text: str
    warnings: list[str] = field(default_factory=list)


def pandoc_path() -> str | None:
    """The pandoc that pypandoc-binary ships, or None when the ``import`` extra is absent."""
    try:
        import pypandoc  # type: ignore[import-untyped]
    except ImportError:
        return None
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError:
        return None


def convert(text: str, source: str, reader: str, writer: str, args: tuple[str, ...] = ()) -> PandocOutput:
    """``text`` (read from ``source``, named in refusals) converted from ``reader`` to ``writer``.

    Refuses (IMP001) when pandoc is missing, the input is over :data:`LIMIT`, pandoc takes longer
    than :data:`DEADLINE`, fails or writes more than :data:`LIMIT`.
    """
    path = pandoc_path()
    if path is None:
        raise refuse(
            source,
            "importing this needs pandoc: install litreview with its import extra "
            "(pip install 'mkdocs-litreview[import]')",
        )
    if len(text) > LIMIT:
        raise refuse(source, f"over {LIMIT // (1024 * 1024)} MiB of text to convert")
    command = [path, "--sandbox", f"--from={reader}", f"--to={writer}", "--wrap=none", *args]
    try:
        done = subprocess.run(  # pandoc from the wheel, arguments ours, text on stdin
            command,
            input=text.encode("utf-8", "surrogatepass"),
            capture_output=True,
            timeout=DEADLINE,
            check=False,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired:
        raise refuse(source, f"pandoc took over {DEADLINE:g} s to convert it (a macro that loops?)") from None
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        first = next((line for line in err.splitlines() if line.strip()), f"exit {done.returncode}")
        raise refuse(source, f"pandoc could not read it: {first.strip()}")
    if len(done.stdout) > LIMIT:
        raise refuse(source, f"pandoc wrote over {LIMIT // (1024 * 1024)} MiB from it")
    warnings = [line.removeprefix("[WARNING] ").strip() for line in err.splitlines() if line.strip()]
    return PandocOutput(done.stdout.decode("utf-8", "replace"), warnings)


def ast(text: str, source: str, reader: str, args: tuple[str, ...] = ()) -> dict[str, object]:
    """Pandoc's JSON AST of ``text``, for importers that walk the document themselves."""
    data = json.loads(convert(text, source, reader, "json", args).text)
    if not isinstance(data, dict):  # pragma: no cover - pandoc's JSON is an object
        raise refuse(source, "pandoc gave no document")
    return data

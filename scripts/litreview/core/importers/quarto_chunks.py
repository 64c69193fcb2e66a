"""Quarto's code chunks as a cross-reference target: their label and caption, where they stand.

A chunk that makes a table or figure (``{r tbl-x}``, knitr's label, or ``#| label: tbl-x``,
with ``#| tbl-cap:``) is what ``@tbl-x`` names. The import does not run it, so the chunk stays
code and its place gets the caption, numbered and anchored as Quarto numbers it; a caption
R computes (``!expr``) is not carried, and is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..files import yamlsafe
from ..text.escaping import identifier
from .pandocmd import CROSSREF

_NAMED_LABEL = re.compile(r"""\blabel\s*=\s*["']([^"']+)["']""")
_OPTION = re.compile(r"^#\|\s*(?P<key>[\w-]+)\s*:\s*(?P<value>.*?)\s*$")


@dataclass
class Chunk:
    """An open chunk: where its lines start in the page's output, its label and its caption."""

    at: int
    label: str = ""
    caption: str = ""
    computed: int = 0
    """The line of a caption R computes (``!expr``), 0 when there is none."""

    def option(self, line: str, number: int) -> None:
        """A ``#|`` option line of the chunk: its label and its table or figure caption."""
        m = _OPTION.match(line)
        if m is None:
            return
        key, value = m.group("key"), m.group("value")
        if key == "label" and not self.label:
            self.label = value.strip("\"'")
        elif key in ("tbl-cap", "fig-cap"):
            if value.startswith("!expr"):
                self.computed = number
                return
            try:
                loaded = yamlsafe.load(value) if value else ""
            except yaml.YAMLError:
                loaded = value
            self.caption = " ".join(str(loaded).split()) if isinstance(loaded, (str, int, float)) else ""

    def before(self, indent: str) -> str:
        """What stands before the chunk: a caption line the page's tables step numbers and
        anchors (``: Caption {#tbl-x}``), or a plain anchor for other labels."""
        if CROSSREF.fullmatch(self.label) and self.label.startswith(("tbl", "fig")):
            return (
                f"{indent}: {self.caption} {{#{self.label}}}\n"
                if self.caption
                else f"{indent}: {{#{self.label}}}\n"
            )
        return f'{indent}<span id="{identifier(self.label)}"></span>\n'


def header_label(options: str) -> str:
    """knitr's chunk label from a header's options (``{r tbl-x, echo=FALSE}``, ``{r, label="x"}``)."""
    named = _NAMED_LABEL.search(options)
    if named:
        return named.group(1)
    first = options.strip().lstrip(",").split(",")[0].strip()
    return first if re.fullmatch(r"[\w.:-]+", first) else ""

"""Where the adapters say things: one logger for the MkDocs plugin (its findings count under
``--strict``), one for ``mkdocs serve`` (outside MkDocs' loggers, so a finding never stops the
server), one for the Zensical extension (which prints findings as the check does)."""

from __future__ import annotations

import logging

plugin = logging.getLogger("mkdocs.plugins.litreview")
serve = logging.getLogger("litreview.serve")
zensical = logging.getLogger("litreview")

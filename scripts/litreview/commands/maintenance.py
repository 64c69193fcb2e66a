"""``make doc-tables``: rewrite the documentation's generated tables (options, codes).

A maintainer's tool, not a ``litreview`` command: it writes only the pages of
:data:`~litreview.core.tools.doctables.TABLES` under the repository given (default: here).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.files import atomic
from ..core.tools.doctables import TABLES, with_table


def main(argv: list[str] | None = None) -> int:
    """Rewrite each page whose table is out of date; 1 if a page has lost its markers."""
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else ".")
    status = 0
    for name, make in TABLES.items():
        path = root / name
        text, stamp = atomic.read_text(path)
        updated = with_table(text, make())
        if updated is None:
            print(f"{name}: no generated-table markers", file=sys.stderr)
            status = 1
        elif updated != text:
            atomic.write_text(path, updated, stamp)
            print(f"{name}: table rewritten")
    return status


if __name__ == "__main__":
    sys.exit(main())

"""A page's bytes as text, the same way for the check, the build and the standalone extension."""

from __future__ import annotations

from ..project.problems import Problem


def decode_page(path_display: str, raw: bytes) -> tuple[str | None, Problem | None]:
    """A page's text, or MD001 at the first byte that is not UTF-8 (check and build alike)."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(path_display, line, 1, "MD001", "file is not valid UTF-8; save it as UTF-8")

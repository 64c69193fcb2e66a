"""Links written in Markdown: the target file must exist and its ``#anchor`` must be on it.

Anchors are computed with the build's own slug rule (see :class:`.pages.SlugRules`), plus
the ids litreview itself adds (``page-references``, and ``ref-<key>`` on the References page).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from urllib.parse import unquote

from ..findings.problems import Problem
from ..references.anchors import anchor
from ..source.outlines import Outline, SlugRules

_SCHEMES = ("http:", "https:", "mailto:", "tel:", "ftp:", "data:", "javascript:")


def _is_external(target: str) -> bool:
    """A scheme ends before any ``/``, ``?`` or ``#``: ``references.md#ref-Aad:2012tfa`` is ours."""
    head = re.split(r"[/?#]", target, maxsplit=1)[0]
    return target.startswith("//") or ":" in head or target.lower().startswith(_SCHEMES)


class AnchorIndex:
    """Ids per page, computed on first use: most links point at few pages."""

    def __init__(
        self,
        outlines: Mapping[str, Outline],
        rules: SlugRules,
        extra: Mapping[str, Collection[str]],
    ) -> None:
        self.outlines, self.rules, self.extra = outlines, rules, extra
        self._ids: dict[str, set[str]] = {}

    def ids(self, src: str) -> set[str]:
        """The anchors a page offers to links (headings, attribute ids, generated ones)."""
        if src not in self._ids:
            page = self.outlines.get(src)
            found = page.anchors(self.rules) if page is not None else set()
            self._ids[src] = found | set(self.extra.get(src, ()))
        return self._ids[src]


def generated_anchors(
    references_page: str, keys: Collection[str], citing_pages: Collection[str]
) -> dict[str, set[str]]:
    """Ids the plugin adds: one per entry on the References page, a list heading per citing page."""
    extra: dict[str, set[str]] = {references_page: {anchor(k) for k in keys}}
    for src in citing_pages:
        extra.setdefault(src, set()).add("page-references")
    return extra


def link_problems(
    outlines: Mapping[str, Outline],
    anchors: AnchorIndex,
    docs_dir: Path,
    generated: Collection[str],
    exists: Callable[[Path], bool] = Path.exists,
) -> Iterator[Problem]:
    """LNK001 for a missing file, LNK002 for a missing anchor, at the link's position."""
    for src, page in outlines.items():
        base = posixpath.dirname(src)
        for link in page.links:
            target = link.target
            if not target or _is_external(target) or target.startswith("/"):
                continue
            path, _, fragment = target.partition("#")
            path = unquote(path.split("?", 1)[0])
            if path:
                dest = posixpath.normpath(posixpath.join(base, path))
                if dest.startswith("../") or dest == "..":
                    yield Problem(
                        page.path, link.line, link.col, "LNK001", f"link '{target}' points outside docs_dir"
                    )
                    continue
                if dest.endswith(".md"):
                    found = dest in outlines or dest in generated
                else:
                    found = exists(docs_dir / dest)
                    if found and (docs_dir / dest).is_dir():
                        index = next(
                            (d for d in (f"{dest}/index.md", f"{dest}/README.md") if d in outlines), None
                        )
                        found, dest = index is not None, index or dest
                if not found:
                    what = "image" if link.image else "file"
                    yield Problem(
                        page.path,
                        link.line,
                        link.col,
                        "LNK001",
                        f"link target '{path}': no such {what} in docs_dir",
                    )
                    continue
            else:
                dest = src
            if fragment and dest.endswith(".md") and unquote(fragment) not in anchors.ids(dest):
                on = "this page" if dest == src else f"'{dest}'"
                yield Problem(
                    page.path, link.line, link.col, "LNK002", f"anchor '#{fragment}' does not exist on {on}"
                )

"""Which pages a Quarto project renders, and its navigation, as Quarto reads ``_quarto.yml``.

A website renders every input file in its folder, listed or not (``project: render:`` narrows
that); a link from one page to another works only if both are imported. Quarto leaves out files
and folders whose names start with ``_`` or ``.``, README files, agent notes and the engines'
library folders. A book renders its chapters and appendices. The nav comes from the navbar
(with its ``menu:`` drop-downs) and the sidebar (``section:``, ``contents: auto``, ``auto:``).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .jail import files_under

#: The inputs Quarto renders, by suffix; the ones litreview reads as pages come first.
PAGE_SUFFIXES = (".qmd", ".md", ".rmd", ".rmarkdown")
OTHER_INPUTS = (".ipynb",)
#: Folders the engines keep their libraries in (knitr, Jupyter), never rendered.
_ENGINE_DIRS = frozenset({"renv", "packrat", "rsconnect", "venv", "env", "node_modules"})
_AGENT_NOTES = frozenset({"claude.md", "claude.local.md", "agents.md", "agents.local.md"})


def _skipped_dir(name: str) -> bool:
    return name.startswith(("_", ".")) or name in _ENGINE_DIRS


def _ignored(rel: str) -> bool:
    """Quarto's own exclusions: hidden or ``_`` names, README, agent notes, engine libraries."""
    parts = rel.split("/")
    name = parts[-1].lower()
    return (
        any(_skipped_dir(p) for p in parts[:-1])
        or parts[-1].startswith(("_", "."))
        or name.startswith("readme.")
        or name in _AGENT_NOTES
        or name.endswith(".llms.md")
    )


def _glob(pattern: str) -> re.Pattern[str]:
    """A Quarto render glob (``*``, ``**``, ``?``; a folder means all under it) as a regex."""
    pattern = pattern.strip().lstrip("./").rstrip("/")
    out = ""
    for token in re.split(r"(\*\*/?|\*|\?)", pattern):
        if token.startswith("**"):
            out += "(?:.*/)?" if token.endswith("/") else ".*"
        elif token == "*":
            out += "[^/]*"
        elif token == "?":
            out += "[^/]"
        else:
            out += re.escape(token)
    return re.compile(out + "(?:/.*)?")


def mapping(config: dict[str, Any], key: str) -> dict[str, Any]:
    """``config[key]`` when it is a mapping, else an empty one (a hand-written file may say anything)."""
    value = config.get(key)
    return value if isinstance(value, dict) else {}


def rendered_pages(root: Path, config: dict[str, Any]) -> list[Path]:
    """Every input file Quarto renders in the website (or default) project at ``root``, in name
    order; for a book, see :func:`nav_tree` (a book renders its chapters)."""
    suffixes = PAGE_SUFFIXES + OTHER_INPUTS
    every = [
        p
        for p in files_under(root, skip=_skipped_dir)
        if p.suffix.lower() in suffixes and not _ignored(p.relative_to(root).as_posix())
    ]
    project = mapping(config, "project")
    output = str(project.get("output-dir") or "").strip("./")
    if output:
        every = [p for p in every if not p.relative_to(root).as_posix().startswith(output + "/")]
    render = project.get("render")
    if not isinstance(render, list) or not render:
        return every
    keep = [_glob(str(g)) for g in render if not str(g).startswith("!")]
    drop = [_glob(str(g)[1:]) for g in render if str(g).startswith("!")]
    chosen = []
    for path in every:
        rel = path.relative_to(root).as_posix()
        if (not keep or any(g.fullmatch(rel) for g in keep)) and not any(g.fullmatch(rel) for g in drop):
            chosen.append(path)
    return chosen


Tree = list["Node"]


@dataclass
class Node:
    """One nav entry: a page (``file``, relative to the project) or a titled group."""

    title: str = ""
    file: str = ""
    url: str = ""
    children: Tree = field(default_factory=list)


def _norm(file: str) -> str:
    return posixpath.normpath(file.lstrip("/")) if file else ""


class _NavReader:
    """The nav entries of ``_quarto.yml``, with ``auto`` expanded over the rendered pages."""

    def __init__(self, rendered: list[str]) -> None:
        self.rendered = rendered
        self.unread: list[str] = []
        """Entries not carried (a sidebar id, a bare text), as written."""

    def entries(self, value: Any) -> Tree:
        if value == "auto":
            return self.auto("")
        found: Tree = []
        for entry in value if isinstance(value, list) else [value] if value else []:
            found += self.entry(entry)
        return found

    def entry(self, entry: Any) -> Tree:
        if isinstance(entry, str):
            return [Node(file=_norm(entry))] if entry.lower().endswith(PAGE_SUFFIXES) else self.auto(entry)
        if not isinstance(entry, dict):
            return []
        if "auto" in entry:
            return self.auto(entry["auto"])
        title = str(entry.get("text") or entry.get("title") or entry.get("section") or "")
        part = entry.get("part")
        target = entry.get("href") or entry.get("file")
        inner = entry.get("menu") or entry.get("contents") or entry.get("chapters")
        if isinstance(part, str) and part.lower().endswith(PAGE_SUFFIXES):
            target, title = target or part, title or part
        elif part:
            title = str(part)
        page = self.target(str(target)) if isinstance(target, str) else []
        if inner is None and "section" not in entry and "part" not in entry:
            for node in page:
                node.title = title
            if not page and not target:
                self.unread.append(title or str(entry))
            return page
        return [Node(title=title or "Section", children=page + self.entries(inner))]

    def target(self, target: str) -> Tree:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            return [Node(url=target)] if target.startswith(("http://", "https://")) else []
        return [Node(file=_norm(target.split("#")[0]))] if target.strip() else []

    def auto(self, value: Any) -> Tree:
        """``auto: folder/`` (or a glob): its rendered pages, index first, a group per folder."""
        patterns = value if isinstance(value, list) else [value]
        found: Tree = []
        for pattern in patterns:
            text = str(pattern).strip().lstrip("./")
            folder = text.rstrip("/") if "*" not in text else ""
            matcher = _glob(text) if text else None
            files = [f for f in self.rendered if matcher is None or matcher.fullmatch(f)]
            files.sort(
                key=lambda f: (posixpath.dirname(f), not posixpath.basename(f).startswith("index."), f)
            )
            nodes = [Node(file=f) for f in files]
            if folder and nodes:
                found.append(Node(title=posixpath.basename(folder), children=nodes))
            else:
                found += nodes
        return found


def nav_tree(config: dict[str, Any], rendered: list[str]) -> tuple[Tree, list[str]]:
    """The book's chapters, parts and appendices, or the website's navbar then sidebar; and
    the entries that could not be carried."""
    reader = _NavReader(rendered)
    book, site = mapping(config, "book"), mapping(config, "website")
    if book:
        tree = reader.entries(book.get("chapters"))
        appendices = reader.entries(book.get("appendices"))
        return tree + ([Node(title="Appendices", children=appendices)] if appendices else []), reader.unread
    navbar = mapping(site, "navbar")
    tree = reader.entries(navbar.get("left")) + reader.entries(navbar.get("right"))
    sidebar = site.get("sidebar")
    for bar in sidebar if isinstance(sidebar, list) else [sidebar]:
        if isinstance(bar, dict):
            tree += reader.entries(bar.get("contents"))
    return tree, reader.unread


def files_of(tree: Tree) -> list[str]:
    """The pages of a nav tree in reading order, each once."""
    found: dict[str, None] = {}
    for node in tree:
        if node.file:
            found.setdefault(node.file)
        found.update(dict.fromkeys(files_of(node.children)))
    return list(found)

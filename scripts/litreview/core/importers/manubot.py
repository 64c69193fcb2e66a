"""Manubot: a ``content/`` folder of numbered chapters, ``metadata.yaml``, citation by identifier.

What Manubot does, and what this importer does with it:

- it reads ``content/[0-9]*.md`` in name order (other ``.md`` files are not the manuscript);
  each chapter becomes a page, its headings moved up so its ``##`` title is the page's;
- it renders each chapter as a Jinja2 template with the metadata (``manubot.authors``);
  so does this importer, evaluating only lookups, ``if``, ``for`` and a few filters, within
  bounds (:mod:`.templates`); a chapter with anything else is kept as written and reported;
- ``[@tag:x]: doi:…`` lines (or ``content/citation-tags.tsv``) define aliases, resolved here;
- identifiers stay as written (``[@doi:…]``); its output's ``references.json`` (CSL-JSON,
  read directly by the plugin) becomes the bibliography, each work keyed by the identifier
  the text cites it by. ``citations.tsv`` says which work each cited identifier is.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..files import jsonfile, yamlsafe
from ..identifiers.citekey import standard
from ..project.config import display_path
from ..source.scanner import scan
from ..text.escaping import markdown, page_title
from ..tools.starter import NewSiteConfig
from . import gitbranch, templates
from .imported import Imported, front_matter, refuse
from .jail import MISSING, Jail, files_under
from .pandocmd import (
    CROSSREF,
    Crossrefs,
    captioned_tables,
    figures,
    labelled_equations,
    rewrite,
    shift_headings,
)
from .texmath import dollars, summary

_TAG_DEF = re.compile(r"^\[@(tag:[^\]\s]+)\]:[ \t]*(\S+)[ \t]*$", re.M)
_REFS_DIV = re.compile(r"^<div id=\"refs\"></div>[ \t]*$|^#+ References\b.*$", re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TEMPLATE = re.compile(r"\{\{|\{%|\{#")
_ORCID = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]")
#: citations.tsv's columns: what the text cites, its forms after aliases and standardising, and
#: the work's short id (references.json's id); Manubot 0.4 and later, 0.3, and 2018's first.
_COLUMNS = (
    ("input_id", "dealiased_id", "standard_id", "short_id"),
    ("manuscript_citekey", "detagged_citekey", "standard_citekey", "short_citekey"),
    ("string", "citation", "standard_citation", "citation_id"),
)
_STANDARD_NOTE = re.compile(r"^(?:original_)?standard_id: (\S+)$", re.M)


def content_folder(source: Path) -> Path | None:
    """The folder of numbered chapters: ``source/content`` or ``source`` itself."""
    for folder in (source / "content", source):
        if folder.is_dir() and any(folder.glob("[0-9]*.md")):
            return folder
    return None


class _ManubotReader:
    """One import's state: the report, and where its findings point."""

    def __init__(self, source: Path, folder: Path, display_root: Path) -> None:
        self.folder = folder
        self.root = display_root
        self.jail = Jail(source, display_root)
        self.repository = source
        self.branches = gitbranch.branches(source, "output")
        self.metadata: dict[str, Any] = {}
        self.out = Imported("Manubot", NewSiteConfig(title="A literature review"), jail=self.jail)

    def show(self, path: Path) -> str:
        return display_path(path, self.root)

    def read(self, path: Path) -> str:
        return self.jail.read_text(path, self.show(path))

    def readable(self, path: Path) -> bool:
        """Whether to read ``path``: a file inside the source (one that is there but can't be
        read, a symlink out of the source, is reported)."""
        why = self.jail.why_not(path)
        if why is not None and why != MISSING and self.jail.within(path):
            self.jail.refused(self.out, self.show(path), 0, 0, path.name, why)
        return why is None

    def first(self, names: tuple[str, ...]) -> Path | None:
        """The first of ``names`` beside the chapters, in the repository or its output/."""
        folder = self.folder
        for base in (folder, folder.parent, folder.parent / "output"):
            for name in names:
                if self.readable(base / name):
                    return base / name
        return None

    def places(self) -> list[str]:
        """Where Manubot's output is looked for, in order, as the report names them."""
        folder = self.folder
        shown = [self.show(base) + "/" for base in (folder, folder.parent, folder.parent / "output")]
        return (
            shown
            + [f"git branch {short}" for _ref, short in self.branches]
            + ([] if self.branches else ["git branch output"])
        )

    def output_file(self, name: str) -> tuple[str, str] | None:
        """Manubot's output file ``name`` (where it was found, its text): beside the chapters,
        in the repository or its output/, else on the repository's ``output`` branch."""
        found = self.first((name,))
        if found is not None:
            return self.show(found), self.read(found)
        for ref, short in self.branches:
            data = gitbranch.read(self.repository, ref, name)
            if data is None:
                continue
            where = f"git branch {short}:{name}"
            try:
                return where, data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise refuse(where, f"cannot read: not UTF-8 text ({exc.reason})") from None
        return None

    def load_metadata(self) -> None:
        path = self.first(("metadata.yaml", "metadata.yml"))
        if path is None:
            self.out.note(self.show(self.folder), 0, "IMP002", "no metadata.yaml: the site is untitled")
            return
        try:
            data = yamlsafe.load(self.read(path))
        except yaml.YAMLError as exc:
            line = yamlsafe.error_position(exc)[0]
            raise refuse(self.show(path), f"metadata is not valid YAML: {exc}", line) from None
        if not isinstance(data, dict):
            raise refuse(self.show(path), "metadata is not a mapping of keys to values")
        self.metadata = data

    def render(self, text: str, path: Path) -> str:
        """The chapter as Manubot renders it, a Jinja2 template with the metadata, within
        bounds (:mod:`.templates`); kept as written where it can't be."""
        if not _TEMPLATE.search(text):
            return text
        authors = self.metadata.get("authors") or []
        context = {**self.metadata, "manubot": {**self.metadata, "authors": authors}}
        try:
            return templates.render(text, context)
        except templates.Refused as exc:
            self.out.note(self.show(path), exc.line, "IMP002", f"Jinja2 template kept as text: {exc}")
            return text


def _chapter(reader: _ManubotReader, path: Path) -> str:
    """A chapter's text, rendered; the front matter (not imported) as it is."""
    text = reader.read(path)
    return text if path.stem.lower().endswith("front-matter") else reader.render(text, path)


def _authors(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    authors = metadata.get("authors")
    if not isinstance(authors, list):
        return []
    return [a for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]


def _author_line(author: dict[str, Any]) -> str:
    name = markdown(author["name"])
    orcid = author.get("orcid")
    valid = isinstance(orcid, str) and _ORCID.fullmatch(orcid)
    shown = f"[{name}](https://orcid.org/{orcid})" if valid else name
    listed = author.get("affiliations")
    if isinstance(listed, str):  # as Manubot reads it: places split at "; "
        listed = listed.split("; ")
    places = [a for a in listed if isinstance(a, str)] if isinstance(listed, list) else []
    return f"- {shown}" + (f": {'; '.join(markdown(p) for p in places)}" if places else "")


def _index(metadata: dict[str, Any], title: str, abstract: str) -> str:
    authors = _authors(metadata)
    data: dict[str, object] = {"title": title}
    if authors:
        data["authors"] = [a["name"] for a in authors]
    if isinstance(metadata.get("description"), str):
        data["description"] = metadata["description"]
    body = f"# {page_title(title)}\n\n"
    keywords = metadata.get("keywords")
    if isinstance(keywords, list) and keywords and all(isinstance(k, str) for k in keywords):
        body += "**Keywords:** " + ", ".join(markdown(k) for k in keywords) + "\n\n"
    if authors:
        body += "## Authors\n\n" + "\n".join(_author_line(a) for a in authors) + "\n\n"
    return front_matter(data) + body + abstract


class _Works:
    """Which work each cited identifier is, and the one key each work is cited by."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.work_of: dict[str, str] = {}
        """Cited identifier (after aliases) → the work's id in references.json."""
        self.forms: dict[str, set[str]] = {}

    def read(self, reader: _ManubotReader) -> str | None:
        """Read references.json and citations.tsv; where references.json was found."""
        found = reader.output_file("references.json")
        if found is None:
            return None
        where, text = found
        try:
            items = jsonfile.loads(text)
        except json.JSONDecodeError as exc:
            raise refuse(where, f"not valid JSON: {exc.msg}", exc.lineno) from None
        except jsonfile.TooDeep as exc:  # the parser recurses: a nesting bomb is refused first
            raise refuse(where, f"not CSL-JSON: {exc}", exc.lineno) from None
        if not isinstance(items, list) or not all(isinstance(i, dict) and "id" in i for i in items):
            raise refuse(where, "not CSL-JSON: a list of items, each with an id")
        self.items = items
        table = reader.output_file("citations.tsv")
        if table is not None:
            self.read_table(table[1])
        for item in items:  # Manubot notes each work's standard identifier(s)
            for m in _STANDARD_NOTE.finditer(str(item.get("note") or "")):
                self.work_of.setdefault(standard(m.group(1)), str(item["id"]))
        return where

    def read_table(self, text: str) -> None:
        """Each cited identifier's work, from any generation of citations.tsv (:data:`_COLUMNS`)."""
        for row in csv.DictReader(text.splitlines(), delimiter="\t"):
            for *cited, short in _COLUMNS:
                if row.get(short) and row.get(cited[0]):
                    for column in cited:
                        if row.get(column):
                            key = row[column].removeprefix("@")
                            self.work_of.setdefault(standard(key), row[short])
                    break

    def work(self, identifier: str) -> str | None:
        return self.work_of.get(standard(identifier))

    def keys(self) -> dict[str, str]:
        """Each cited work's key: the identifier the text cites it by, in its standard form (the
        form citations are looked up by, however the text writes its case)."""
        return {work: min(forms) for work, forms in self.forms.items()}


def _page_name(path: Path, taken: set[str]) -> str:
    base = re.sub(r"^[0-9]+[._-]*", "", path.stem) or "chapter"
    name = f"{base}.md"
    n = 2
    while name in taken or name in ("index.md", "references.md"):
        name = f"{base}-{n}.md"
        n += 1
    taken.add(name)
    return name


def _tags(reader: _ManubotReader, texts: dict[Path, str]) -> dict[str, str]:
    """Aliases: ``citekey-aliases`` in the metadata (``pandoc:``'s or its own), ``[@tag:x]: doi:…``
    lines of any chapter, and ``citation-tags.tsv``."""
    tags: dict[str, str] = {}
    pandoc = reader.metadata.get("pandoc")
    for holder in (reader.metadata, pandoc if isinstance(pandoc, dict) else {}):
        aliases = holder.get("citekey-aliases")
        for alias, target in aliases.items() if isinstance(aliases, dict) else ():
            if isinstance(target, str) and target.strip():
                target = target.strip()
                tags[str(alias)] = f"url:{target}" if re.match(r"https?://", target) else target
    table = reader.folder / "citation-tags.tsv"
    if reader.readable(table):
        for row in csv.DictReader(reader.read(table).splitlines(), delimiter="\t"):
            if row.get("tag") and row.get("citation"):
                tags[f"tag:{row['tag']}"] = row["citation"]
    for text in texts.values():
        tags.update((m.group(1), m.group(2)) for m in _TAG_DEF.finditer(text))
    return tags


def _back_matter(text: str) -> str:
    """What is left of the back matter once the aliases and the references placeholder go."""
    text = _REFS_DIV.sub("", _TAG_DEF.sub("", _COMMENT.sub("", text)))
    return text.strip() + "\n" if text.strip() else ""


def _chapters(
    reader: _ManubotReader, texts: dict[Path, str]
) -> tuple[tuple[Path, str], dict[str, tuple[Path, str]]]:
    """The abstract (for the home page) and the other chapters as pages, by page name."""
    abstract = (reader.folder, "")
    pages: dict[str, tuple[Path, str]] = {}
    taken: set[str] = set()
    for path, text in texts.items():
        stem = path.stem.lower()
        if stem.endswith("front-matter"):
            reader.out.note(
                reader.show(path),
                1,  # about the whole file: at its start
                "IMP002",
                "front matter template not imported: the home page lists the authors of metadata.yaml",
            )
            continue
        if stem.endswith("back-matter"):
            text = _back_matter(text)
            if not text:
                continue
        if stem.endswith("abstract"):
            abstract = (path, abstract[1] + (text if text.endswith("\n") else text + "\n"))
            continue
        shifted, _title = shift_headings(text)
        pages[_page_name(path, taken)] = (path, shifted)
    return abstract, pages


def read_manubot(source: Path, display_root: Path) -> Imported:
    """A Manubot manuscript as a litreview project (nothing is written here)."""
    folder = content_folder(source)
    if folder is None:
        raise refuse(
            display_path(source, display_root), "no content/ folder of numbered chapters (01.intro.md)"
        )
    # named by its content/ folder, the manuscript is still the repository around it
    repository = folder.parent if folder == source and folder.name == "content" else source
    reader = _ManubotReader(repository, folder, display_root)
    reader.load_metadata()
    out = reader.out
    named = sorted(folder.glob("[0-9]*.md"))
    chapters = [path for path in named if reader.readable(path)]
    for other in sorted(set(folder.glob("*.md")) - set(named)):
        out.note(
            reader.show(other),
            1,  # about the whole file: at its start
            "IMP002",
            "not a chapter (Manubot reads only names starting with a digit); not imported",
        )
    texts = {path: _chapter(reader, path) for path in chapters}
    tags = _tags(reader, texts)
    works = _Works()
    bibliography = works.read(reader)
    title = str(reader.metadata.get("title") or "A literature review")
    abstract, chapter_pages = _chapters(reader, texts)
    pages = {"index.md": abstract, **chapter_pages}
    crossrefs = Crossrefs()
    for name, (_path, text) in pages.items():
        crossrefs.collect(name, text)
    resolve = _resolver(reader, pages, tags, works)
    counts = {"citations": 0, "changed": 0, "crossrefs": 0, "figures": 0, "tables": 0, "math": 0}
    for name, (path, text) in pages.items():
        text, made = figures(labelled_equations(text))
        counts["figures"] += made
        text, made = captioned_tables(text, name, crossrefs)
        counts["tables"] += made
        done = rewrite(text, reader.show(path), name, resolve, crossrefs, named_in_text=True)
        for line, col, label in done.unresolved:
            out.note(
                reader.show(path),
                line,
                "IMP002",
                f"cross-reference @{label} has no target; kept as written",
                col,
            )
        text, math = dollars(done.text)
        counts["math"] += math
        out.pages[name] = _index(reader.metadata, title, text) if name == "index.md" else text
        counts["citations"] += done.citations
        counts["changed"] += done.changed
        counts["crossrefs"] += done.crossrefs
    _site(reader, title, bibliography, works, math=counts["math"] > 0)
    _assets(reader)
    out.converted += [
        f"{len(chapter_pages)} chapter(s) became pages: {', '.join(chapter_pages)}; "
        f"metadata.yaml and the abstract became the home page",
        f"{counts['citations']} citation(s); {counts['changed']} key(s) rewritten "
        f"({len(tags)} alias(es) defined)",
        f"{counts['figures']} figure(s) and {counts['tables']} table(s) with captions became <figure>s; "
        f"{counts['crossrefs']} cross-reference(s) (@fig:, @tbl:) became links",
    ]
    if counts["math"]:
        out.converted.append(summary(counts["math"]))
    return out


def _resolver(
    reader: _ManubotReader, pages: dict[str, tuple[Path, str]], tags: dict[str, str], works: _Works
) -> Callable[[str], str]:
    """Each cited key's new key: aliases resolved, one identifier per work (first pass)."""
    for _name, (path, text) in pages.items():
        for found in scan(text, reader.show(path)).found:
            for key in found.citation.keys:
                if CROSSREF.fullmatch(key):
                    continue
                if key.startswith("tag:") and key not in tags:
                    reader.out.note(
                        reader.show(path),
                        found.line,
                        "IMP002",
                        f"alias @{key} is defined nowhere (no '[@{key}]: …' line); kept as written",
                        found.col,
                    )
                identifier = standard(tags.get(key, key))
                work = works.work(identifier) or works.work(key)
                if work is not None:
                    works.forms.setdefault(work, set()).add(identifier)
    keys = works.keys()

    def resolve(key: str) -> str:
        identifier = standard(tags.get(key, key))
        work = works.work(identifier) or works.work(key)
        return keys.get(work, identifier) if work else identifier

    return resolve


def _site(reader: _ManubotReader, title: str, bibliography: str | None, works: _Works, *, math: bool) -> None:
    out = reader.out
    keys = works.keys()
    names = [a["name"] for a in _authors(reader.metadata)]
    lang = reader.metadata.get("lang")
    language = lang.split("-")[0] if isinstance(lang, str) else ""
    description = reader.metadata.get("description")
    if bibliography is None:
        out.note(
            reader.show(reader.folder),
            0,
            "IMP002",
            "no references.json (Manubot's output) in "
            + ", ".join(reader.places())
            + ": identifiers stay unresolved until they are fetched",
        )
        out.files["references.json"] = "[]\n"
    else:
        items = [{**item, "id": keys.get(str(item["id"]), str(item["id"]))} for item in works.items]
        out.files["references.json"] = json.dumps(items, indent=2, ensure_ascii=False) + "\n"
        out.converted.append(
            f"bibliography: {bibliography} ({len(items)} works, CSL-JSON, read directly), "
            "each keyed by the identifier the text cites it by"
        )
    out.site = NewSiteConfig(
        title=title,
        author=", ".join(names),
        description=description if isinstance(description, str) else "",
        language=language,
        bibliography=("references.json",),
        math=math,
    )


def _assets(reader: _ManubotReader) -> None:
    """Images and other files the chapters link to, from content/'s subfolders."""
    for path in files_under(reader.folder):
        rel = path.relative_to(reader.folder)
        if len(rel.parts) > 1 and not any(p.startswith(".") for p in rel.parts) and reader.readable(path):
            reader.out.copies[f"content/{rel.as_posix()}"] = path

"""MyST and Jupyter Book: a book (``_toc.yml``) or a MyST project (``myst.yml``), as pages.

The table of contents becomes the nav (Jupyter Book 1's root, parts, chapters, sections,
``file:`` and ``glob:``; MyST's ``project.toc`` with ``file``, ``children`` and ``pattern``);
each page is converted by :mod:`.myst_page`; cross-references are resolved once every page
and label is known; ``bibtex_bibfiles`` (``_config.yml``) or ``project.bibliography``
(``myst.yml``) become the project's ``references.bib``, read through the import's jail.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from ..files import yamlsafe
from ..references.csl import known_style
from ..source import frontmatter
from ..text.escaping import markdown_text, safe_url
from ..tools.starter import NavEntry, NewSiteConfig
from .imported import Imported, front_matter, refuse
from .jail import MISSING, Jail, files_under, place
from .myst_page import Label, Page, href, link_text, report_cells
from .myst_roles import Ref
from .quarto import KEPT_KEYS
from .texmath import dollars, summary

TOC_FILES = ("_toc.yml", "myst.yml")
_PAGE_SUFFIXES = (".md", ".ipynb", ".rst")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


def _has_toc(folder: Path) -> bool:
    return any((folder / name).is_file() for name in TOC_FILES)


def project_folder(source: Path) -> Path | None:
    """A Jupyter Book (``_toc.yml``) or MyST project (``myst.yml``) folder: ``source`` itself, or
    the first folder in it that holds one (a repository with its book in ``content/``); a
    symbolic link is not followed out of the source."""
    if not source.is_dir():
        return None
    if _has_toc(source):
        return source
    inner = (
        sub
        for sub in sorted(source.iterdir())
        if sub.is_dir() and not sub.is_symlink() and not sub.name.startswith((".", "_")) and _has_toc(sub)
    )
    return next(inner, None)


def _yaml(jail: Jail, path: Path) -> tuple[dict[str, Any], str]:
    """A YAML file's mapping and text ({} when it isn't there); refused (IMP001) when broken."""
    if jail.why_not(path) == MISSING:
        return {}, ""
    shown = jail.show(path)
    text = jail.read_text(path, shown)
    try:
        data = yamlsafe.load(text)
    except yaml.YAMLError as exc:
        raise refuse(shown, f"not valid YAML: {exc}", yamlsafe.error_position(exc)[0]) from None
    if data is None:
        return {}, text
    if isinstance(data, list):
        return {"entries": data}, text
    if not isinstance(data, dict):
        raise refuse(shown, "not a mapping of keys to values")
    return data, text


class Book:
    """One import: the pages so far, the labels they define and the references they make."""

    def __init__(self, root: Path, display_root: Path) -> None:
        self.root = root.resolve()
        self.jail = Jail(root, display_root)
        self.out = Imported("MyST", NewSiteConfig(title="A literature review"), jail=self.jail)
        self.labels: dict[str, Label] = {}
        self.docs: dict[str, tuple[str, str]] = {}
        """Source path without its suffix → (page under content/, its title)."""
        self.refs: list[tuple[Page, Ref]] = []
        self.counts: Counter[str] = Counter()
        self.citations = 0
        self.bibliography_noted = False
        self.bodies: dict[str, tuple[Page, dict[str, Any], str]] = {}
        self.toc_shown = ""
        self.toc_text = ""
        self.extensions: set[str] = set()
        """Markdown extensions the pages need (``pymdownx.caret`` for ``{sup}``)."""

    def placeholder(self, page: Page, ref: Ref) -> str:
        """A mark where ``ref``'s link goes, resolved by :meth:`finish`."""
        self.refs.append((page, ref))
        return f"\x00{len(self.refs) - 1}\x00"

    def copy(self, page: Page, src: str, line: int, col: int) -> str | None:
        """A local file a page shows, copied beside it; None when it isn't in the source."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):  # percent-encoded: it can't end the link
            return None if re.match(r"^(?!https?:)", src, re.I) else safe_url(src)
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(page.name), src.split("#")[0]))
        if rel.startswith(("../", "/")) or rel == "..":
            return None
        source = page.source.parent / src.split("#")[0]
        why = self.jail.why_not(source)
        if why == MISSING:
            return None
        if why is not None:
            self.jail.refused(self.out, page.shown, line, col, src, why)
            return None
        self.out.copies[f"content/{rel}"] = source
        return safe_url(posixpath.relpath(rel, posixpath.dirname(page.name) or "."))

    # --- pages ------------------------------------------------------------------------

    def add(self, rel: str, title: str = "") -> NavEntry | None:
        """The page a table of contents names (without its suffix, as Jupyter Book writes it)."""
        path = self._page_file(rel)
        where = place(self.toc_text, rel)
        if path is None:
            self.out.note(
                self.toc_shown, where[0], "IMP002", f"{rel} is listed but is not there: left out", where[1]
            )
            return None
        why = self.jail.why_not(path)
        if why is not None:
            self.jail.refused(self.out, self.toc_shown, *where, rel, why)
            return None
        key = path.resolve().relative_to(self.root).as_posix()
        stem = key.rsplit(".", 1)[0]
        if stem in self.docs:
            return None
        if path.suffix != ".md":
            self.out.note(
                self.jail.show(path), 0, "IMP009", f"a {path.suffix} page is not imported: left out"
            )
            return None
        name = self._name(stem)
        page = Page(self, path, self.jail.show(path), name)
        kept, body, heading = self._convert(page)
        self.docs[stem] = (name, str(kept.get("title") or heading or Path(stem).name))
        self.bodies[name] = (page, kept, body)
        return (markdown_text(title) if title else "", name)

    def _page_file(self, rel: str) -> Path | None:
        base = self.jail.named(self.root, rel.strip(), rooted=True)
        for candidate in (base, *(base.with_name(base.name + s) for s in _PAGE_SUFFIXES)):
            if candidate.suffix in _PAGE_SUFFIXES and self.jail.why_not(candidate) != MISSING:
                return candidate
        return None

    def _name(self, stem: str) -> str:
        """Where a page goes: as in the source; the first page is the home page (index.md);
        a page that would take the References page's place is renamed."""
        name = stem + ".md"
        if not self.bodies and "/" not in stem:
            name = "index.md"
        if name == "references.md" or (name == "index.md" and name in self.bodies):
            name = stem + "-page.md"
        return name

    def _convert(self, page: Page) -> tuple[dict[str, Any], str, str]:
        text = self.jail.read_text(page.source, page.shown).replace("\x00", "\ufffd")
        fm = frontmatter.parse(text, page.shown)
        for problem in fm.problems:
            self.out.note(page.shown, problem.line, "IMP002", f"front matter left out: {problem.message}")
        kept: dict[str, Any] = {}
        left: list[str] = []
        for key, value in fm.data.items():
            if key in KEPT_KEYS and isinstance(value, (str, int, float, list)):
                kept[key] = value
            else:
                left.append(str(key))
        if left:  # a notebook's jupytext and kernelspec on every page: one finding each
            self.out.note(
                page.shown,
                fm.line_of(left[0]),
                "IMP002",
                f"front matter {', '.join(left)}: means nothing to MkDocs, left out",
            )
        rest = frontmatter.without(text)
        first = text.count("\n", 0, len(text) - len(rest))
        lines = [(first + i + 1, line) for i, line in enumerate(rest.split("\n"))]
        body = "\n".join(page.convert(lines))
        report_cells(page)
        heading = next((m.group(1).strip() for m in re.finditer(r"(?m)^#[ \t]+(.+)$", body)), "")
        return kept, body, heading

    def glob(self, pattern: str) -> list[str]:
        """The pages a ``glob:`` (``pattern:``) entry names, without their suffixes, in name order."""
        found = []
        for path in files_under(self.root):
            rel = path.relative_to(self.root).as_posix()
            hidden = any(p.startswith(("_", ".")) for p in rel.split("/"))
            matches = fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel.rsplit(".", 1)[0], pattern)
            if path.suffix in _PAGE_SUFFIXES and not hidden and matches:
                found.append(rel.rsplit(".", 1)[0])
        return found

    def title_of(self, name: str) -> str:
        """A page's title, by its name under content/."""
        return next((title for page, title in self.docs.values() if page == name), name)

    # --- the whole book -----------------------------------------------------------------

    def resolve(self, page: Page, ref: Ref) -> str:
        """A reference as a link, or (its target unknown) its text, reported."""
        target, anchor = ref.target, ""
        if ref.role in ("link", "doc"):
            target, _, anchor = target.partition("#")
        doc = self._doc(page, target) if ref.role in ("link", "doc") else None
        label = None if doc else self.labels.get(anchor or target.lstrip("#"))
        if label is None and doc is None:
            if ref.role == "link" and target and self.copy(page, target, ref.line, ref.col) is not None:
                return f"[{ref.title}]({self.copy(page, target, ref.line, ref.col)})"
            page.note(
                "IMP010", ref.line, ref.col, f"{ref.role} target '{ref.target}' not found: its text kept"
            )
            return ref.title or markdown_text(ref.target)
        if doc is not None:
            return f"[{ref.title or markdown_text(doc[1])}]({href(page.name, doc[0], '')})"
        assert label is not None
        return f"[{link_text(ref, label, '')}]({href(page.name, label.page, label.anchor)})"

    def _doc(self, page: Page, target: str) -> tuple[str, str] | None:
        if not target:
            return None
        base = posixpath.dirname(page.source.resolve().relative_to(self.root).as_posix())
        rel = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        rel = posixpath.normpath(rel)
        stem = rel.rsplit(".", 1)[0] if rel.endswith(_PAGE_SUFFIXES) else rel
        return self.docs.get(stem)

    def finish(self) -> None:
        """References resolved, pages written, the bibliography-only page left out."""
        for name, (page, kept, body) in self.bodies.items():
            text = _PLACEHOLDER.sub(lambda m: self.resolve(*self.refs[int(m.group(1))]), body)
            if page.dropped and not re.sub(r"(?m)^#.*$|^<span id=\"[^\"]*\"></span>$", "", text).strip():
                self.out.note(
                    page.shown,
                    1,
                    "IMP009",
                    "nothing but its heading is left once that is left out: the page is left out",
                )
                continue
            text, math = dollars(text, commonmark=True)
            self.counts["math"] += math
            self.out.pages[name] = front_matter(kept) + text.strip("\n") + "\n"


def _jb_entries(book: Book, entries: Any) -> list[NavEntry]:
    """Jupyter Book 1 entries (``file``/``glob``/``url``, nested ``sections``, ``parts``)."""
    nav: list[NavEntry] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        made: list[NavEntry] = []
        if isinstance(entry.get("file"), str):
            one = book.add(entry["file"], str(entry.get("title") or ""))
            made += [one] if one else []
        elif isinstance(entry.get("glob") or entry.get("pattern"), str):
            made += [e for rel in book.glob(entry.get("glob") or entry["pattern"]) if (e := book.add(rel))]
        inner: list[NavEntry] = []
        for key in ("sections", "chapters", "children"):
            inner += _jb_entries(book, entry.get(key))
        parts = entry.get("parts")
        for part in parts if isinstance(parts, list) else []:
            inner += _part(book, part)
        group = entry.get("caption") or entry.get("part") or entry.get("title")
        if inner and (made or group):
            first = made[0][1] if made else ""
            title = str(group or book.title_of(first if isinstance(first, str) else ""))
            nav.append((title, tuple(made + inner)))
        else:
            nav += made + inner
    return nav


def _part(book: Book, part: Any) -> list[NavEntry]:
    if not isinstance(part, dict):
        return []
    inner = _jb_entries(book, part.get("chapters") or part.get("sections"))
    caption = part.get("caption")
    return [(str(caption), tuple(inner))] if caption and inner else inner


def _toc(book: Book, folder: Path) -> tuple[NavEntry, ...]:
    """The nav from ``_toc.yml`` or ``myst.yml``'s ``project.toc``; else every page, by name."""
    for name in TOC_FILES:
        path = folder / name
        data, text = _yaml(book.jail, path)
        if not text:
            continue
        book.toc_shown, book.toc_text = book.jail.show(path), text
        if name == "myst.yml":
            project = data.get("project")
            toc = project.get("toc") if isinstance(project, dict) else None
            if isinstance(toc, list):
                return tuple(_jb_entries(book, toc))
            break
        entries = _jb_entries(book, [{"file": data["root"]}] if isinstance(data.get("root"), str) else [])
        for key in ("chapters", "sections"):
            entries += _jb_entries(book, data.get(key))
        parts = data.get("parts")
        for part in parts if isinstance(parts, list) else []:
            entries += _part(book, part)
        if not entries:  # Jupyter Book before 0.11: a list of entries
            entries += _jb_entries(book, data.get("entries"))
        return tuple(entries)
    return tuple(e for rel in book.glob("*") + book.glob("**/*") if (e := book.add(rel)))


def _bibliography(book: Book, folder: Path, config: dict[str, Any], config_text: str, shown: str) -> None:
    """The bibliography files the config names, one after another in ``references.bib``."""
    names = config.get("bibtex_bibfiles") or config.get("bibliography") or []
    texts: list[str] = []
    for name in names if isinstance(names, list) else [names]:
        path = book.jail.named(folder, str(name), rooted=True)
        why = book.jail.why_not(path)
        if why is not None and why != MISSING:
            book.jail.refused(book.out, shown, *place(config_text, str(name)), str(name), why)
        elif why is not None:
            book.out.note(
                shown,
                place(config_text, str(name))[0],
                "IMP002",
                f"bibliography {name} named but not there: not copied",
            )
        else:
            texts.append(book.jail.read_text(path, book.jail.show(path)).rstrip("\n") + "\n")
    book.out.files["references.bib"] = "\n".join(texts)
    book.out.converted.append(
        f"bibliography: {len(texts)} file(s) into references.bib" if texts else "bibliography: none named"
    )


def _authors(value: Any) -> str:
    values = value if isinstance(value, list) else [value] if value else []
    names = [v if isinstance(v, str) else v.get("name") for v in values if isinstance(v, (str, dict))]
    return ", ".join(str(n) for n in names if isinstance(n, str))


def read_myst(folder: Path, display_root: Path) -> Imported:
    """A Jupyter Book or MyST project folder as a litreview project."""
    book = Book(folder, display_root)
    config, config_text = _yaml(book.jail, folder / "_config.yml")
    myst, myst_text = _yaml(book.jail, folder / "myst.yml")
    project = myst.get("project") if isinstance(myst.get("project"), dict) else {}
    assert isinstance(project, dict)
    book.out.nav_entries = _toc(book, folder)
    book.finish()
    if myst_text and not config_text:
        _bibliography(book, folder, project, myst_text, book.jail.show(folder / "myst.yml"))
    else:
        _bibliography(book, folder, config, config_text, book.jail.show(folder / "_config.yml"))
    style = _style(book, config, config_text, book.jail.show(folder / "_config.yml"))
    kept = set(book.out.pages)
    book.out.nav_entries = _kept(book.out.nav_entries, kept)
    first = next(iter(book.bodies.values()), None)
    title = config.get("title") or project.get("title") or (first[1].get("title") if first else "")
    book.out.site = NewSiteConfig(
        title=str(title or "A literature review"),
        author=str(config.get("author") or _authors(project.get("authors"))),
        description=str(config.get("description") or project.get("description") or ""),
        bibliography=("references.bib",),
        math=book.counts["math"] + book.counts["equation"] > 0,
        style=style,
        extensions=tuple((name, ()) for name in sorted(book.extensions)),
    )
    if book.counts["math"]:
        book.out.converted.append(summary(book.counts["math"]))
    toc = book.toc_shown or book.jail.show(folder)
    kind = "MyST project" if toc.endswith("myst.yml") else "Jupyter Book"
    book.out.converted.insert(0, f"{kind} found in {book.jail.show(folder)}: its table of contents {toc}")
    book.out.converted += [
        f"{len(book.out.pages)} page(s): {', '.join(book.out.pages)}",
        f"{book.citations} citation role(s) became pandoc citations; {len(book.refs)} reference(s) "
        f"and link(s) resolved or reported; {book.counts['figure']} figure(s), {book.counts['table']} "
        f"table(s), {book.counts['equation']} equation(s) numbered",
    ]
    return book.out


#: sphinxcontrib-bibtex's citation styles (``bibtex_reference_style``, by how its name starts)
#: as litreview's ``style:``; ``label`` numbers as its bibliography style orders (``unsrt``: by
#: first citation, litreview's own ``article``).
_REFERENCE_STYLES = {"author_year": "apa", "super": "american-medical-association"}
_LABEL_STYLES = {"unsrt": "", "plain": None, "alpha": None, "unsrtalpha": None}


def _style(book: Book, config: dict[str, Any], text: str, shown: str) -> str:
    """``style:`` for the citation style the book's sphinxcontrib-bibtex options name, or ""
    (litreview's numbered ``article``); a style with no counterpart is reported."""
    sphinx = config.get("sphinx")
    options = sphinx.get("config") if isinstance(sphinx, dict) else None
    options = options if isinstance(options, dict) else {}
    reference = str(options.get("bibtex_reference_style") or "label")
    default = str(options.get("bibtex_default_style") or "alpha")
    kind = next((k for k in (*_REFERENCE_STYLES, "label") if reference.startswith(k)), "")
    style = _REFERENCE_STYLES.get(kind) if kind != "label" else _LABEL_STYLES.get(default)
    key = (
        "bibtex_default_style"
        if kind == "label" and "bibtex_default_style" in options
        else "bibtex_reference_style"
    )
    if not options.get("bibtex_reference_style") and key != "bibtex_default_style":
        return ""
    shown_as = f"bibtex_reference_style {reference}" + (
        f" with bibtex_default_style {default}" if kind == "label" else ""
    )
    if style is None or (style and not known_style(style)):
        why = (
            "needs the csl extra (pip install 'mkdocs-litreview[csl]')"
            if style
            else "has no litreview counterpart"
        )
        book.out.note(
            shown,
            place(text, key)[0],
            "IMP002",
            f"{shown_as}: {why}; citations are numbered at their first citation (style: article)",
            place(text, key)[1],
        )
        return ""
    book.out.converted.append(f"{shown_as} became style: {style or 'article (the default)'}")
    return style


def _kept(entries: tuple[NavEntry, ...], pages: set[str]) -> tuple[NavEntry, ...]:
    """The nav without the pages left out (and groups left empty)."""
    out: list[NavEntry] = []
    for title, target in entries:
        if isinstance(target, str):
            if target in pages or "://" in target:
                out.append((title, target))
        elif inner := _kept(target, pages):
            out.append((title, inner))
    return tuple(out)

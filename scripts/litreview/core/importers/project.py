"""The files of an imported review: its pages and bibliography, and what every review has."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from ..text.escaping import theme_text
from ..tools.math_assets import math_files
from ..tools.starter import NavEntry, NewSiteConfig, config_text, support_files
from .imported import Imported, refuse
from .jail import Jail, common_root
from .latex import read_latex
from .manubot import content_folder, read_manubot
from .mkdocs_bibtex import config_file, read_mkdocs_bibtex
from .myst import project_folder as myst_folder
from .myst import read_myst
from .quarto import project_folder, read_quarto

_LATEX_CITE = re.compile(r"\\(?:cite[a-z]*|parencite|textcite)\*?[\[{]")


def read(sources: list[Path], display_root: Path) -> Imported:
    """The review in ``sources``, read by the importer its form calls for."""
    if len(sources) == 1 and project_folder(sources[0]) is not None:
        return read_quarto(sources, display_root)
    if len(sources) == 1 and (book := myst_folder(sources[0])) is not None:
        return read_myst(book, display_root)
    if len(sources) == 1 and sources[0].is_dir() and content_folder(sources[0]) is not None:
        return read_manubot(sources[0], display_root)
    if len(sources) == 1 and config_file(sources[0]) is not None:
        return read_mkdocs_bibtex(sources[0], display_root)
    if sources and all(s.is_file() and s.suffix.lower() == ".qmd" for s in sources):
        return read_quarto(sources, display_root)
    for source in sources:
        if not source.exists():
            raise refuse(source.as_posix(), "no such file or folder")
    texts = all(s.is_file() and s.suffix.lower() in (".tex", ".md") for s in sources)
    if texts and any(s.suffix.lower() == ".tex" or _cites_latex(s, display_root) for s in sources):
        return read_latex(sources, display_root)
    raise refuse(
        sources[0].as_posix(),
        "not a review litreview can import: expected a Manubot folder (content/ of numbered "
        "chapters), a Quarto project (_quarto.yml) or .qmd files, a Jupyter Book (_toc.yml) or "
        "MyST project (myst.yml), an MkDocs site with the bibtex plugin (mkdocs.yml), or LaTeX "
        "(.tex, or .md with \\cite)",
    )


def _cites_latex(path: Path, display_root: Path) -> bool:
    jail = Jail(common_root([path]), display_root)
    return _LATEX_CITE.search(jail.read_text(path, jail.show(path))) is not None


def check_output(sources: list[Path], output: Path) -> None:
    """Refuse (IMP001) an output folder that is a source, inside a source folder or holds a
    source: the import would add files to the review it reads."""
    out = Path(os.path.abspath(output)).resolve()
    for source in sources:
        named = Path(os.path.abspath(source))
        places = {named.parent.resolve() / named.name, named.resolve()}  # as named, as it is
        folder = source.is_dir() and any(out.is_relative_to(place) for place in places)
        if folder or any(place.is_relative_to(out) for place in places):
            raise refuse(
                output.as_posix(),
                f"the output folder is {'inside' if folder else 'or holds'} the source {source.as_posix()}: "
                "choose a folder outside it, so the source stays as it is",
            )


def files(imported: Imported) -> dict[str, str | bytes]:
    """Every file of the new project, by path (copies read now, so writing is all or nothing)."""
    site = _themed(replace(imported.site, nav=imported.nav()))
    out: dict[str, str | bytes] = {"mkdocs.yml": config_text(site)}
    out.update(support_files(imported.site.title))
    out.update({f"content/{rel}": text for rel, text in imported.pages.items()})
    out.update(imported.files)
    if imported.site.math:
        out.update(math_files())
    jail = imported.jail
    for rel, path in imported.copies.items():
        if jail is None:  # pragma: no cover - every importer reads through its jail
            raise refuse(path.as_posix(), "cannot read: read outside an import")
        out[rel] = jail.read_bytes(path, jail.show(path))
    return out


def _themed(site: NewSiteConfig) -> NewSiteConfig:
    """The site's title, author, description and nav titles as Material writes them: as HTML."""

    def nav(entries: tuple[NavEntry, ...]) -> tuple[NavEntry, ...]:
        return tuple(
            (theme_text(title), target if isinstance(target, str) else nav(target))
            for title, target in entries
        )

    language = site.language if re.fullmatch(r"[A-Za-z]{2,3}", site.language) else ""
    return replace(
        site,
        title=theme_text(site.title),
        author=theme_text(site.author),
        description=theme_text(site.description),
        language=language,
        nav=nav(site.nav),
    )
